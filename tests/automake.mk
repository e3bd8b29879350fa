## Tests: unit tests (C, TAP), component tests (frameio + daemon),
## and the QEMU guest tier.  See docs/testing.md.

unit_tests = \
	tests/unit/test-fdb \
	tests/unit/test-cfg \
	tests/unit/test-stream \
	tests/unit/test-eth \
	tests/unit/test-pkt \
	tests/unit/test-offload \
	tests/unit/test-dhcp \
	tests/unit/test-slirp-refuse \
	tests/unit/test-loop \
	tests/unit/test-iobuf \
	tests/unit/test-tx-drop \
	tests/unit/test-ctl-dispatch

check_LIBRARIES = tests/libtap.a
tests_libtap_a_SOURCES = tests/tap.c tests/tap.h
EXTRA_DIST += tests/dhcp-udp.h
TEST_LIBS = tests/libtap.a $(VSW_LIBS)

## The default for a program with no _LDADD of its own: the unit tests
## and the fuzz replay programs.  (vswitchd, vswitchctl and the tools
## name theirs.)
LDADD = $(TEST_LIBS)
check_PROGRAMS += $(unit_tests)


TESTS += $(unit_tests)

TEST_EXTENSIONS = .sh
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_DRIVER = $(SHELL) $(top_srcdir)/build-aux/test-driver
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir;

## QEMU guest tier: real Linux guests under TCG (see docs/testing.md).
qemu_tests = \
	tests/qemu/guest-direct.sh \
	tests/qemu/ping.sh \
	tests/qemu/reconnect.sh \
	tests/qemu/jumbo.sh \
	tests/qemu/reload.sh \
	tests/qemu/default.sh \
	tests/qemu/dgram.sh \
	tests/qemu/seed.sh \
	tests/qemu/mcast-dgram.sh \
	tests/qemu/dhcp.sh \
	tests/qemu/slirp.sh \
	tests/qemu/slirp-forwards.sh
TESTS += $(qemu_tests)
dist_check_SCRIPTS += $(qemu_tests)
EXTRA_DIST += \
	tests/lib.sh \
	tests/qemu/lib-qemu.sh \
	tests/qemu/build-guest.sh \
	tests/qemu/guest-init.sh \
	tests/qemu/run-all.sh

check-qemu:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(qemu_tests)'
check-unit:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(unit_tests)'
.PHONY: check-qemu check-unit

## Component tier: vswitchd driven by frameio (docs/testing.md).
check_PROGRAMS += tests/tools/frameio
tests_tools_frameio_SOURCES = tests/tools/frameio.c
tests_tools_frameio_LDADD =
check_PROGRAMS += tests/tools/ctlpipe
tests_tools_ctlpipe_SOURCES = tests/tools/ctlpipe.c
tests_tools_ctlpipe_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
tests_tools_ctlpipe_LDADD = $(JANSSON_LIBS)

## Many DHCP clients on a packet socket, for tests/netns/dhcp-crash.sh.
check_PROGRAMS += tests/tools/dhcpstorm
tests_tools_dhcpstorm_SOURCES = tests/tools/dhcpstorm.c
tests_tools_dhcpstorm_LDADD =

component_tests = \
	tests/component/learning.sh \
	tests/component/vlan.sh \
	tests/component/aging.sh \
	tests/component/flush-on-disconnect.sh \
	tests/component/stalled-receiver.sh \
	tests/component/garbage.sh \
	tests/component/fragments-jumbo.sh \
	tests/component/connect-out.sh \
	tests/component/max-connections.sh \
	tests/component/config-errors.sh \
	tests/component/sigterm.sh \
	tests/component/ctl-protocol.sh \
	tests/component/ctl-pipeline.sh \
	tests/component/ctl-cli.sh \
	tests/component/ctl-reload.sh \
	tests/component/examples.sh \
	tests/component/udp.sh \
	tests/component/unix-dgram.sh \
	tests/component/mcast.sh \
	tests/component/banner-order.sh \
	tests/component/peer-pid.sh \
	tests/component/quickstart.sh \
	tests/component/dgram-drops.sh \
	tests/component/doc-examples.sh
TESTS += $(component_tests)
dist_check_SCRIPTS += $(component_tests)
EXTRA_DIST += tests/component/lib-component.sh

check-component:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(component_tests)'
.PHONY: check-component

## Network namespace tier: TAP ports between namespaces (root; skips
## otherwise).  See docs/testing.md.
netns_tests = \
	tests/netns/tap-ping.sh \
	tests/netns/tap-stream.sh \
	tests/netns/tap-gone.sh \
	tests/netns/tap-errors.sh \
	tests/netns/restart-cycles.sh \
	tests/netns/tap-offload.sh \
	tests/netns/dhcp-udhcpc.sh \
	tests/netns/dhcp-clients.sh \
	tests/netns/dhcp-perfdhcp.sh \
	tests/netns/dhcp-crash.sh \
	tests/netns/dhcp-files.sh
TESTS += $(netns_tests)
dist_check_SCRIPTS += $(netns_tests)
EXTRA_DIST += tests/netns/lib-netns.sh tests/lib-ns.sh

check-netns:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(netns_tests)'
.PHONY: check-netns
