## The DHCPv4 server core (transport-free), part of libvsw.a.
libvsw_a_SOURCES += \
	dhcp/proto.h \
	dhcp/options.c dhcp/options.h \
	dhcp/lease.c dhcp/lease.h \
	dhcp/dhcp.c dhcp/dhcp.h dhcp/server.h \
	dhcp/reply.c dhcp/arp.c dhcp/lease-file.c

EXTRA_DIST += docs/dhcp.md tests/fuzz/fuzz-dhcp.c tests/fuzz/fuzz-lease.c \
	tests/fuzz/lease/snapshot-appends tests/fuzz/lease/edited

## libFuzzer harnesses over the server, not part of all or check: fuzz-dhcp
## (dhcp_server_input()) and fuzz-lease (the lease-file loader,
## dhcp_server_load()).  Needs clang:
## make fuzz-dhcp && ./fuzz-dhcp -max_total_time=60
FUZZ_CC = clang
## The server and the packet toolkit under it, for every harness that
## links the server (fuzz-cfg too).
FUZZ_DHCP_CORE = $(srcdir)/dhcp/dhcp.c $(srcdir)/dhcp/reply.c \
	$(srcdir)/dhcp/arp.c $(srcdir)/dhcp/lease-file.c \
	$(srcdir)/dhcp/options.c $(srcdir)/dhcp/lease.c \
	$(srcdir)/switch/pkt.c $(srcdir)/switch/csum.c $(srcdir)/switch/eth.c
FUZZ_DHCP_HARNESSES = fuzz-dhcp fuzz-lease
$(FUZZ_DHCP_HARNESSES): fuzz-%: $(srcdir)/tests/fuzz/fuzz-%.c $(FUZZ_DHCP_CORE)
	$(FUZZ_CC) -std=gnu11 -g -O1 -I$(top_srcdir) -I$(top_builddir) \
		-DVSW_FUZZ_LIBFUZZER -fsanitize=fuzzer,address,undefined \
		-o $@ $(srcdir)/tests/fuzz/$@.c $(FUZZ_DHCP_CORE)
CLEANFILES += $(FUZZ_DHCP_HARNESSES)
.PHONY: $(FUZZ_DHCP_HARNESSES)
