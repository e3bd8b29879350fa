## Benchmarks (docs/performance.md): `make bench`, never part of make check.
## BENCH_CASES picks cases (default: all), BENCH_SECONDS the length of
## each timed run.

check_PROGRAMS += tests/tools/streamgen
tests_tools_streamgen_SOURCES = tests/tools/streamgen.c
check_PROGRAMS += tests/tools/tapwire
tests_tools_tapwire_SOURCES = tests/tools/tapwire.c

EXTRA_DIST += \
	tests/bench/run \
	tests/bench/lib-bench.sh \
	tests/bench/targets.tsv \
	tests/bench/tap.sh \
	tests/bench/stream.sh \
	tests/bench/vm.sh \
	tests/bench/scale.sh \
	tests/bench/memory.sh \
	tests/bench/dhcp.sh \
	tests/bench/slirp.sh

bench:
	$(MAKE) $(AM_MAKEFLAGS) all tests/tools/streamgen tests/tools/tapwire
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	BENCH_CFLAGS='$(CFLAGS)' BENCH_SANITIZE_CFLAGS='$(SANITIZE_CFLAGS)' \
	$(SHELL) '$(abs_top_srcdir)/tests/bench/run' $(BENCH_CASES)
.PHONY: bench
