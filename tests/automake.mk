## Tests: unit tests (C, TAP), component tests (frameio + daemon),
## and the QEMU guest tier.  See docs/testing.md.

unit_tests = \
	tests/unit/test-cfg \
	tests/unit/test-stream \
	tests/unit/test-eth

check_LIBRARIES = tests/libtap.a
tests_libtap_a_SOURCES = tests/tap.c tests/tap.h
TEST_LIBS = tests/libtap.a $(VSW_LIBS)

check_PROGRAMS += $(unit_tests)
tests_unit_test_cfg_LDADD = $(TEST_LIBS)
tests_unit_test_stream_LDADD = $(TEST_LIBS)
tests_unit_test_eth_LDADD = $(TEST_LIBS)

TESTS += $(unit_tests)

TEST_EXTENSIONS = .sh
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_DRIVER = $(SHELL) $(top_srcdir)/build-aux/test-driver
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir;
