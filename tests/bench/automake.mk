## Benchmarks (docs/performance.md): `make bench`, never part of make check.
## BENCH_CASES picks cases (default: all), BENCH_SECONDS the length of
## each timed run.

check_PROGRAMS += tests/tools/streamgen
tests_tools_streamgen_SOURCES = tests/tools/streamgen.c
tests_tools_streamgen_LDADD =
check_PROGRAMS += tests/tools/tapwire
tests_tools_tapwire_SOURCES = tests/tools/tapwire.c
tests_tools_tapwire_LDADD =

## The whole folder: run, its library, targets and cases.
EXTRA_DIST += tests/bench

bench:
	$(MAKE) $(AM_MAKEFLAGS) all tests/tools/streamgen tests/tools/tapwire
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	BENCH_CFLAGS='$(CFLAGS)' BENCH_SANITIZE_CFLAGS='$(SANITIZE_CFLAGS)' \
	$(SHELL) '$(abs_top_srcdir)/tests/bench/run' $(BENCH_CASES)
.PHONY: bench
