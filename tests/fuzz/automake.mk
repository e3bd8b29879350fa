## Every fuzz build rule (docs/testing.md, "Fuzzing").
##
## Each harness in tests/fuzz/ builds two ways: with clang and libFuzzer
## as `make fuzz-NAME` in the build tree (never part of all or check;
## `build-aux/deps.sh fuzz` installs clang), and with the ordinary
## compiler as the replay program tests/fuzz/fuzz-NAME, which takes saved
## inputs on its command line and is built by make check.  .ci/run runs
## the libFuzzer builds for a short while each.

EXTRA_DIST += tests/fuzz/fuzz.h tests/fuzz/cfg.dict tests/fuzz/ctl.dict \
	tests/fuzz/ctl-request tests/fuzz/ctl-reply tests/fuzz/lease

FUZZ_CC = clang
FUZZ_FLAGS = -std=gnu11 -g -O1 -I$(top_srcdir) -I$(top_builddir) \
	-DVSW_FUZZ_LIBFUZZER -fsanitize=fuzzer,address,undefined
FUZZ_LINK = $(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(filter %.c,$^)

## What the harnesses are built from: the packet toolkit; the DHCP server
## on top of it; the whole library (the configuration's port keys sit with
## the port types, the control table and the switch with everything); all
## of vswitchctl but its main().
FUZZ_PKT = $(addprefix $(srcdir)/,switch/core/pkt.c switch/core/csum.c \
	switch/core/eth.c)
FUZZ_DHCP = $(addprefix $(srcdir)/,dhcp/dhcp.c dhcp/reply.c dhcp/arp.c \
	dhcp/lease-file.c dhcp/options.c dhcp/lease.c) $(FUZZ_PKT)
FUZZ_LIBVSW = $(addprefix $(srcdir)/,$(filter %.c,$(libvsw_a_SOURCES)))
FUZZ_LIBVSW_FLAGS = $(URING_CFLAGS) $(JANSSON_CFLAGS) $(SLIRP_CFLAGS)
FUZZ_LIBVSW_LIBS = $(URING_LIBS) $(JANSSON_LIBS) $(SLIRP_LIBS)
FUZZ_CLI = $(addprefix $(srcdir)/,$(filter %.c,$(libvswitchctl_a_SOURCES)))

## fuzz-dhcp: dhcp_server_input(); fuzz-lease: the lease-file loader.
fuzz-dhcp: $(srcdir)/tests/fuzz/fuzz-dhcp.c $(FUZZ_DHCP)
	$(FUZZ_LINK)
fuzz-lease: $(srcdir)/tests/fuzz/fuzz-lease.c $(FUZZ_DHCP)
	$(FUZZ_LINK)
## fuzz-stream: the QEMU stream framing decoder; fuzz-offload: vnet
## headers, checksum completion and TSO segmentation.
fuzz-stream: $(srcdir)/tests/fuzz/fuzz-stream.c $(srcdir)/ports/stream.c
	$(FUZZ_LINK)
FUZZ_OFFLOAD = $(srcdir)/switch/core/offload.c $(FUZZ_PKT)
fuzz-offload: $(srcdir)/tests/fuzz/fuzz-offload.c $(FUZZ_OFFLOAD)
	$(FUZZ_LINK)
## fuzz-cfg: the configuration loader (-dict=tests/fuzz/cfg.dict, seeds
## in tests/config); fuzz-switch: the forwarding core; fuzz-ctl-request:
## the control server's request parser and argument checks (-dict=
## tests/fuzz/ctl.dict).  The last two need io_uring to run.
fuzz-cfg: $(srcdir)/tests/fuzz/fuzz-cfg.c $(FUZZ_LIBVSW)
	$(FUZZ_LINK) $(FUZZ_LIBVSW_FLAGS) $(FUZZ_LIBVSW_LIBS)
fuzz-switch: $(srcdir)/tests/fuzz/fuzz-switch.c $(FUZZ_LIBVSW)
	$(FUZZ_LINK) $(FUZZ_LIBVSW_FLAGS) $(FUZZ_LIBVSW_LIBS)
fuzz-ctl-request: $(srcdir)/tests/fuzz/fuzz-ctl-request.c $(FUZZ_LIBVSW)
	$(FUZZ_LINK) $(FUZZ_LIBVSW_FLAGS) $(FUZZ_LIBVSW_LIBS)
## fuzz-ctl-reply: vswitchctl's reply parser and printing, every
## subcommand, tables and --json.
fuzz-ctl-reply: $(srcdir)/tests/fuzz/fuzz-ctl-reply.c $(FUZZ_CLI)
	$(FUZZ_LINK) $(JANSSON_CFLAGS) $(JANSSON_LIBS)

FUZZERS = fuzz-dhcp fuzz-lease fuzz-stream fuzz-offload fuzz-cfg \
	fuzz-switch fuzz-ctl-request fuzz-ctl-reply
CLEANFILES += $(FUZZERS)
.PHONY: $(FUZZERS)

## The same harnesses as replay programs.
check_PROGRAMS += tests/fuzz/fuzz-dhcp tests/fuzz/fuzz-lease \
	tests/fuzz/fuzz-stream tests/fuzz/fuzz-offload tests/fuzz/fuzz-cfg \
	tests/fuzz/fuzz-switch tests/fuzz/fuzz-ctl-request \
	tests/fuzz/fuzz-ctl-reply
tests_fuzz_fuzz_dhcp_SOURCES = tests/fuzz/fuzz-dhcp.c tests/fuzz/replay.c
tests_fuzz_fuzz_lease_SOURCES = tests/fuzz/fuzz-lease.c tests/fuzz/replay.c
tests_fuzz_fuzz_stream_SOURCES = tests/fuzz/fuzz-stream.c tests/fuzz/replay.c
tests_fuzz_fuzz_offload_SOURCES = tests/fuzz/fuzz-offload.c tests/fuzz/replay.c
tests_fuzz_fuzz_cfg_SOURCES = tests/fuzz/fuzz-cfg.c tests/fuzz/replay.c
tests_fuzz_fuzz_switch_SOURCES = tests/fuzz/fuzz-switch.c tests/fuzz/replay.c
tests_fuzz_fuzz_ctl_request_SOURCES = tests/fuzz/fuzz-ctl-request.c \
	tests/fuzz/replay.c
tests_fuzz_fuzz_ctl_reply_SOURCES = tests/fuzz/fuzz-ctl-reply.c \
	tests/fuzz/replay.c
tests_fuzz_fuzz_ctl_reply_LDADD = libvswitchctl.a $(JANSSON_LIBS)
