/*
 * test-stream.c - QEMU stream framing decoder and transmit queue.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ports/stream.h"
#include "ports/txq.h"
#include "switch/base/util.h"
#include "tests/tap.h"

enum { MAX_SEEN = 64 };

/* Frames the decoder delivered, copied for later checks. */
struct seen {
	unsigned int n;
	size_t len[MAX_SEEN];
	uint8_t *data[MAX_SEEN];
};

static void record(void *aux, const uint8_t *frame, size_t len)
{
	struct seen *s = aux;

	TAP_CHECK(s->n < MAX_SEEN);
	s->len[s->n] = len;
	s->data[s->n] = malloc(len);
	memcpy(s->data[s->n], frame, len);
	s->n++;
}

/* Appends one framed frame of @len bytes filled with @fill to @buf. */
static size_t put_frame(uint8_t *buf, uint32_t len, uint8_t fill)
{
	stream_put_hdr(buf, len);
	memset(buf + STREAM_HDR_LEN, fill, len);
	return STREAM_HDR_LEN + len;
}

static bool frame_is(const struct seen *s, unsigned int i, size_t len,
		     uint8_t fill)
{
	if (i >= s->n || s->len[i] != len)
		return false;
	for (size_t k = 0; k < len; k++)
		if (s->data[i][k] != fill)
			return false;
	return true;
}

/* Exactly two frames were seen, these. */
#define CHECK_TWO(s, len0, fill0, len1, fill1)                                 \
	do {                                                                   \
		TAP_CHECK_EQ((s)->n, 2);                                       \
		TAP_CHECK(frame_is(s, 0, len0, fill0));                        \
		TAP_CHECK(frame_is(s, 1, len1, fill1));                        \
	} while (0)

static void test_whole_frames(const void *data)
{
	struct stream_dec dec;
	struct seen s = { 0 };
	uint8_t buf[512];
	size_t n = 0;

	stream_dec_init(&dec, 1514);
	n += put_frame(buf + n, 60, 0xa1);
	n += put_frame(buf + n, 14, 0xa2);
	n += put_frame(buf + n, 300, 0xa3);
	TAP_CHECK_EQ(stream_dec_feed(&dec, buf, n, record, &s), 0);
	TAP_CHECK_EQ(s.n, 3);
	TAP_CHECK(frame_is(&s, 0, 60, 0xa1));
	TAP_CHECK(frame_is(&s, 1, 14, 0xa2));
	TAP_CHECK(frame_is(&s, 2, 300, 0xa3));
	/* Whole frames are delivered in place: no gathering buffer. */
	TAP_CHECK(dec.buf == NULL);
	stream_dec_fini(&dec);
}

/* Every possible split point, including inside the length prefix. */
static void test_split_everywhere(const void *data)
{
	uint8_t buf[512];
	size_t n = 0;

	n += put_frame(buf + n, 100, 0xb1);
	n += put_frame(buf + n, 42, 0xb2);
	for (size_t cut = 0; cut <= n; cut++) {
		struct stream_dec dec;
		struct seen s = { 0 };

		stream_dec_init(&dec, 1514);
		TAP_CHECK_EQ(stream_dec_feed(&dec, buf, cut, record, &s), 0);
		TAP_CHECK_EQ(stream_dec_feed(&dec, buf + cut, n - cut, record,
					     &s),
			     0);
		CHECK_TWO(&s, 100, 0xb1, 42, 0xb2);
		stream_dec_fini(&dec);
	}
}

static void test_byte_by_byte(const void *data)
{
	struct stream_dec dec;
	struct seen s = { 0 };
	uint8_t buf[256];
	size_t n = 0;

	stream_dec_init(&dec, 1514);
	n += put_frame(buf + n, 64, 0xc1);
	n += put_frame(buf + n, 70, 0xc2);
	for (size_t i = 0; i < n; i++)
		TAP_CHECK_EQ(stream_dec_feed(&dec, buf + i, 1, record, &s), 0);
	CHECK_TWO(&s, 64, 0xc1, 70, 0xc2);
	stream_dec_fini(&dec);
}

static void test_jumbo(const void *data)
{
	struct stream_dec dec;
	struct seen s = { 0 };
	uint8_t *buf = malloc(2 * (65535 + 4));
	size_t n = 0;

	stream_dec_init(&dec, 65535);
	n += put_frame(buf + n, 65535, 0xd1);
	n += put_frame(buf + n, 9000, 0xd2);
	/* Feed in receive-sized chunks, as the port does. */
	for (size_t off = 0; off < n; off += 16384)
		TAP_CHECK_EQ(stream_dec_feed(&dec, buf + off,
					     MIN((size_t)16384, n - off),
					     record, &s),
			     0);
	CHECK_TWO(&s, 65535, 0xd1, 9000, 0xd2);
	stream_dec_fini(&dec);
	free(buf);
}

static void check_bad_len(uint32_t bad, uint32_t max)
{
	struct stream_dec dec;
	struct seen s = { 0 };
	uint8_t buf[128];
	size_t n = 0;

	stream_dec_init(&dec, max);
	n += put_frame(buf + n, 20, 0xe1);
	stream_put_hdr(buf + n, bad);
	n += STREAM_HDR_LEN;
	memset(buf + n, 0, 16);
	n += 16;
	TAP_CHECK_EQ(stream_dec_feed(&dec, buf, n, record, &s), -EPROTO);
	/* The good frame before the bad prefix still got through. */
	TAP_CHECK_EQ(s.n, 1);
	TAP_CHECK_EQ(dec.bad_len, bad);
	TAP_CHECK(strstr(stream_dec_error(&dec, -EPROTO), "length") != NULL);
	stream_dec_fini(&dec);
}

static void test_bad_lengths(const void *data)
{
	check_bad_len(0, 1514);
	check_bad_len(1, 1514);
	check_bad_len(13, 1514);
	check_bad_len(STREAM_MAX_LEN + 1, 65535);
	check_bad_len(0xffffffffu, 65535);
}

/* A frame above max_frame but within QEMU's limit is skipped, in step. */
static void test_oversized_skipped(const void *data)
{
	struct stream_dec dec;
	struct seen s = { 0 };
	uint8_t *buf = malloc(3 * 4 + 20 + 9000 + 30);
	size_t n = 0;

	stream_dec_init(&dec, 1514);
	n += put_frame(buf + n, 20, 0x11);
	n += put_frame(buf + n, 9000, 0x22);
	n += put_frame(buf + n, 30, 0x33);
	/* In two pieces, splitting the oversized frame's body. */
	TAP_CHECK_EQ(stream_dec_feed(&dec, buf, 100, record, &s), 0);
	TAP_CHECK_EQ(stream_dec_feed(&dec, buf + 100, n - 100, record, &s), 0);
	CHECK_TWO(&s, 20, 0x11, 30, 0x33);
	TAP_CHECK_EQ(dec.oversized, 1);
	/* Skipping never needed the gathering buffer. */
	TAP_CHECK(dec.buf == NULL);
	stream_dec_fini(&dec);
	free(buf);
}

/* A bad prefix split across two feeds is still caught. */
static void test_bad_len_split(const void *data)
{
	struct stream_dec dec;
	struct seen s = { 0 };
	uint8_t hdr[4];

	stream_dec_init(&dec, 1514);
	stream_put_hdr(hdr, 70000);
	TAP_CHECK_EQ(stream_dec_feed(&dec, hdr, 3, record, &s), 0);
	TAP_CHECK_EQ(stream_dec_feed(&dec, hdr + 3, 1, record, &s), -EPROTO);
	TAP_CHECK_EQ(dec.bad_len, 70000);
	TAP_CHECK_EQ(s.n, 0);
	stream_dec_fini(&dec);
}

static void test_reset(const void *data)
{
	struct stream_dec dec;
	struct seen s = { 0 };
	uint8_t buf[128];
	size_t n = put_frame(buf, 50, 0xf1);

	stream_dec_init(&dec, 1514);
	TAP_CHECK_EQ(stream_dec_feed(&dec, buf, 30, record, &s), 0);
	stream_dec_reset(&dec);
	TAP_CHECK_EQ(stream_dec_feed(&dec, buf, n, record, &s), 0);
	TAP_CHECK_EQ(s.n, 1);
	TAP_CHECK(frame_is(&s, 0, 50, 0xf1));
	stream_dec_fini(&dec);
}

static void test_txq_bounds(const void *data)
{
	uint8_t frame[100], hdr[4] = { 0, 0, 0, 100 };
	const uint8_t *p;
	uint64_t bytes = 0;
	struct txq q;

	memset(frame, 0x5a, sizeof(frame));
	TAP_CHECK_EQ(txq_init(&q, 4 * 104, 3), 0);
	TAP_CHECK(txq_push(&q, hdr, 4, frame, 100));
	TAP_CHECK(txq_push(&q, hdr, 4, frame, 100));
	TAP_CHECK(txq_push(&q, hdr, 4, frame, 100));
	/* The frame bound is reached before the byte bound. */
	TAP_CHECK(!txq_push(&q, hdr, 4, frame, 100));
	TAP_CHECK_EQ(txq_peek(&q, &p), 312);
	/* A short send completes one frame and part of the next. */
	TAP_CHECK_EQ(txq_consume(&q, 150, &bytes), 1);
	TAP_CHECK_EQ(bytes, 100);
	TAP_CHECK_EQ(txq_peek(&q, &p), 162);
	TAP_CHECK(txq_push(&q, hdr, 4, frame, 100));
	TAP_CHECK_EQ(q.n_frames, 3);
	txq_fini(&q);
}

/* Bytes come out in order across the ring's wrap, resuming mid-frame. */
static void test_txq_wrap(const void *data)
{
	uint8_t frame[60], out[4096];
	size_t out_len = 0;
	uint64_t bytes = 0;
	unsigned int pushed = 0, done = 0;
	struct txq q;

	TAP_CHECK_EQ(txq_init(&q, 200, 64), 0);
	for (unsigned int round = 0; round < 40; round++) {
		const uint8_t *p;
		size_t n;

		memset(frame, (int)round, sizeof(frame));
		if (txq_push(&q, NULL, 0, frame, sizeof(frame)))
			pushed++;
		n = txq_peek(&q, &p);
		n = MIN(n, (size_t)37); /* odd-sized short sends */
		memcpy(out + out_len, p, n);
		out_len += n;
		done += txq_consume(&q, n, &bytes);
	}
	for (;;) {
		const uint8_t *p;
		size_t n = txq_peek(&q, &p);

		if (!n)
			break;
		memcpy(out + out_len, p, n);
		out_len += n;
		done += txq_consume(&q, n, &bytes);
	}
	TAP_CHECK_EQ(done, pushed);
	TAP_CHECK_EQ(out_len, (size_t)pushed * 60);
	TAP_CHECK_EQ(bytes, (uint64_t)pushed * 60);
	/* Each 60-byte run is one frame's fill, in increasing order. */
	for (size_t f = 0; f + 1 < pushed; f++) {
		TAP_CHECK(out[f * 60] == out[f * 60 + 59]);
		TAP_CHECK(out[f * 60] < out[(f + 1) * 60]);
	}
	txq_fini(&q);
}

static const struct tap_case tests[] = {
	{ "whole frames in one chunk", test_whole_frames },
	{ "split at every offset", test_split_everywhere },
	{ "byte by byte", test_byte_by_byte },
	{ "65535-byte jumbo frames", test_jumbo },
	{ "bad length prefixes", test_bad_lengths },
	{ "bad prefix split across reads", test_bad_len_split },
	{ "oversized frame skipped", test_oversized_skipped },
	{ "reset drops a partial frame", test_reset },
	{ "txq frame and byte bounds", test_txq_bounds },
	{ "txq wrap and short sends", test_txq_wrap },
};

int main(void)
{
	TAP_ADD_CASES(tests);
	return tap_run();
}
