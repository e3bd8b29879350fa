## The DHCPv4 server core (transport-free), part of libvsw.a.
libvsw_a_SOURCES += \
	dhcp/proto.h \
	dhcp/options.c dhcp/options.h \
	dhcp/lease.c dhcp/lease.h \
	dhcp/dhcp.c dhcp/dhcp.h

EXTRA_DIST += docs/dhcp.md tests/fuzz/fuzz-dhcp.c

## libFuzzer harness over dhcp_server_input(); not part of all or check.
## Needs clang: make fuzz-dhcp && ./fuzz-dhcp -max_total_time=60
FUZZ_CC = clang
## The server and the packet toolkit under it, for every harness that
## links the server (fuzz-cfg too).
FUZZ_DHCP_CORE = $(srcdir)/dhcp/dhcp.c \
	$(srcdir)/dhcp/options.c $(srcdir)/dhcp/lease.c \
	$(srcdir)/switch/pkt.c $(srcdir)/switch/csum.c $(srcdir)/switch/eth.c
FUZZ_DHCP_SRCS = $(srcdir)/tests/fuzz/fuzz-dhcp.c $(FUZZ_DHCP_CORE)
fuzz-dhcp: $(FUZZ_DHCP_SRCS)
	$(FUZZ_CC) -std=gnu11 -g -O1 -I$(top_srcdir) -I$(top_builddir) \
		-DVSW_FUZZ_LIBFUZZER -fsanitize=fuzzer,address,undefined \
		-o $@ $(FUZZ_DHCP_SRCS)
CLEANFILES += fuzz-dhcp
.PHONY: fuzz-dhcp
