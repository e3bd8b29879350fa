/*
 * stream.h - QEMU's stream framing: a 4-byte big-endian length, then the
 * frame.  Used by -netdev socket (connect/listen/fd) and -netdev stream.
 *
 * The decoder is pure: feed it whatever bytes a receive returned, in order,
 * and it calls back once per complete frame.  Byte ranges are arbitrary (a
 * length prefix may be split across two reads, one read may hold many
 * frames), so state is carried between calls.  A frame that lies whole
 * inside one fed chunk is handed over in place, without a copy; only frames
 * that straddle chunks are gathered in the decoder's own buffer, which is
 * allocated on first need and sized to the largest frame allowed.
 *
 * A frame longer than the switch's max_frame but within what QEMU itself
 * can send (STREAM_MAX_LEN) is skipped and counted: the stream is still in
 * step, and closing would cut a VM off for good (QEMU 7.2 clients never
 * reconnect).  A length below an Ethernet header or above STREAM_MAX_LEN
 * means the peer is broken or hostile and the stream cannot be
 * resynchronised: the decoder reports it and the caller closes the
 * connection.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_PORTS_STREAM_H
#define VSW_PORTS_STREAM_H

#include <stddef.h>
#include <stdint.h>

enum {
	STREAM_HDR_LEN = 4,
	STREAM_MIN_FRAME = 14,
	/* QEMU's receive buffer (NET_BUFSIZE): no QEMU sends more. */
	STREAM_MAX_LEN = 4096 + 65536,
};

typedef void stream_frame_fn(void *aux, const uint8_t *frame, size_t len);

/**
 * struct stream_dec - reassembly state of one connection.
 * @max_frame:	largest frame accepted
 * @hdr:	length prefix bytes gathered so far
 * @hdr_have:	how many of them
 * @need:	length of the frame being gathered, 0 while reading a prefix
 * @have:	bytes of that frame gathered in @buf
 * @skip:	bytes of an oversized frame still to be skipped
 * @buf:	gathering buffer (max_frame bytes), NULL until needed
 * @bad_len:	the offending length after a framing error
 * @oversized:	frames skipped for exceeding @max_frame (a counter)
 */
struct stream_dec {
	uint32_t max_frame;
	uint8_t hdr[STREAM_HDR_LEN];
	uint8_t hdr_have;
	uint32_t need;
	uint32_t have;
	uint32_t skip;
	uint8_t *buf;
	uint32_t bad_len;
	uint64_t oversized;
};

void stream_dec_init(struct stream_dec *dec, uint32_t max_frame);
void stream_dec_fini(struct stream_dec *dec);
void stream_dec_reset(struct stream_dec *dec);
int stream_dec_feed(struct stream_dec *dec, const uint8_t *data, size_t len,
		    stream_frame_fn *fn, void *aux);
const char *stream_dec_error(const struct stream_dec *dec, int err);

/**
 * stream_put_hdr() - write the length prefix for a frame of @len bytes.
 * @hdr:	four bytes
 * @len:	frame length
 */
static inline void stream_put_hdr(uint8_t hdr[STREAM_HDR_LEN], uint32_t len)
{
	hdr[0] = (uint8_t)(len >> 24);
	hdr[1] = (uint8_t)(len >> 16);
	hdr[2] = (uint8_t)(len >> 8);
	hdr[3] = (uint8_t)len;
}

#endif /* VSW_PORTS_STREAM_H */
