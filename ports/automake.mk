## Port sources are listed with the core in switch/automake.mk.

EXTRA_DIST += tests/fuzz/fuzz-stream.c tests/fuzz/fuzz-offload.c

## libFuzzer harnesses over the stream framing decoder and the TAP offload
## code; not part of all or check (FUZZ_CC is set in dhcp/automake.mk).
## Needs clang: make fuzz-stream && ./fuzz-stream -max_total_time=60
FUZZ_STREAM_SRCS = $(srcdir)/tests/fuzz/fuzz-stream.c $(srcdir)/ports/stream.c
fuzz-stream: $(FUZZ_STREAM_SRCS)
	$(FUZZ_CC) -std=gnu11 -g -O1 -I$(top_srcdir) -I$(top_builddir) \
		-DVSW_FUZZ_LIBFUZZER -fsanitize=fuzzer,address,undefined \
		-o $@ $(FUZZ_STREAM_SRCS)

FUZZ_OFFLOAD_SRCS = $(srcdir)/tests/fuzz/fuzz-offload.c \
	$(srcdir)/ports/offload.c $(srcdir)/switch/pkt.c $(srcdir)/switch/csum.c
fuzz-offload: $(FUZZ_OFFLOAD_SRCS)
	$(FUZZ_CC) -std=gnu11 -g -O1 -I$(top_srcdir) -I$(top_builddir) \
		-DVSW_FUZZ_LIBFUZZER -fsanitize=fuzzer,address,undefined \
		-o $@ $(FUZZ_OFFLOAD_SRCS)
CLEANFILES += fuzz-stream fuzz-offload
.PHONY: fuzz-stream fuzz-offload
