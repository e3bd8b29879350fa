/*
 * fuzz-stream.c - fuzz the QEMU stream framing decoder (ports/stream.c).
 *
 * Built with -DVSW_FUZZ_LIBFUZZER (make fuzz-stream, clang) it is a
 * libFuzzer target.  Linked with tests/fuzz/replay.c instead, it replays the
 * files named on its command line, so crashers can be kept as regression
 * tests.
 *
 * Input: three control bytes, then the byte stream as a peer would send
 * it.  Byte 0: low nibble picks max_frame from a table (below the minimum
 * frame, Ethernet sizes, jumbo, QEMU's limit); 0x10 mixes in empty feeds;
 * 0x40 resets the decoder now and then (a reconnection); 0x80 says what
 * to do after an error: reset and go on with the next read as a new
 * connection, or stop, as stream_dec_feed() says the stream is unusable.
 * Byte 1, low two bits: how the stream is cut into reads (all at once,
 * byte by byte, 1..8 bytes, or a mix of tiny, medium and large reads),
 * so length prefixes and frames straddle reads; with bytes 1 and 2 it
 * also seeds the generator that picks the read sizes.
 *
 * Every read is fed from its own exact-size heap copy, freed right after,
 * so ASan catches a read past its end or a pointer kept into it.  A naive
 * byte-at-a-time model of the format from stream.h runs beside the real
 * decoder; after each read both must have delivered the same frames, the
 * same errors (with the same bad length) and the same oversized count,
 * and the frames must be byte-for-byte equal.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ports/stream.h"
#include "tests/fuzz/fuzz.h"

enum {
	CTRL_LEN = 3,
	/* Room for a few 64 KiB frames; libFuzzer stays far below anyway. */
	MAX_INPUT = 1 << 18,
	F_EMPTY_FEEDS = 0x10,
	F_RESETS = 0x40,
	F_RESET_ON_ERROR = 0x80,
};

static const uint32_t max_frames[16] = {
	1, 13, 14, 15, 18, 60, 64, 100,
	1500, 1514, 1518, 4096, 9018, 65535, STREAM_MAX_LEN, STREAM_MAX_LEN + 1,
};

/**
 * struct out - frames delivered so far, concatenated, with their lengths.
 * @bytes:	frame bytes; never more than the input held
 * @len:	bytes of complete frames in @bytes
 * @lens:	length of each frame
 * @n:		number of frames
 * @cap:	size of @bytes (the input length)
 * @n_cap:	size of @lens (the most frames the input can hold)
 */
struct out {
	uint8_t *bytes;
	size_t len;
	size_t *lens;
	size_t n;
	size_t cap;
	size_t n_cap;
};

/**
 * struct model - the reference decoder, one byte at a time.
 * @max_frame:	as given to the real decoder
 * @hdr:	prefix bytes so far
 * @hdr_have:	how many
 * @body:	length of the frame being read, 0 while reading a prefix
 * @got:	bytes of it read so far
 * @keep:	whether the frame is delivered (false: it is oversized)
 * @oversized:	frames skipped
 * @bad_len:	the offending prefix after an error
 * @out:	what it delivered; a partial frame sits past out.len
 */
struct model {
	uint32_t max_frame;
	uint8_t hdr[STREAM_HDR_LEN];
	unsigned int hdr_have;
	uint32_t body;
	uint32_t got;
	bool keep;
	uint64_t oversized;
	uint32_t bad_len;
	struct out out;
};

/* What the frame callback checks against. */
struct real {
	uint32_t max_frame;
	struct out out;
};

static void out_push(struct out *o, const uint8_t *frame, size_t len)
{
	/* More bytes or frames out than went in: the decoder invented some. */
	if (o->n >= o->n_cap || len > o->cap - o->len)
		abort();
	memcpy(o->bytes + o->len, frame, len);
	o->len += len;
	o->lens[o->n++] = len;
}

static void on_frame(void *aux, const uint8_t *frame, size_t len)
{
	struct real *r = aux;
	unsigned int sum = 0;

	/* stream.h: lengths outside [STREAM_MIN_FRAME, max_frame] and above
	 * STREAM_MAX_LEN are never delivered, so a frame is never empty. */
	if (len < STREAM_MIN_FRAME || len > r->max_frame ||
	    len > STREAM_MAX_LEN || !frame)
		abort();
	/* Touch every byte so a bad length or pointer shows up under ASan. */
	for (size_t i = 0; i < len; i++)
		sum += frame[i];
	(void)sum;
	out_push(&r->out, frame, len);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The model's stream_dec_feed(): 0 or -EPROTO, like the real one. */
static int model_feed(struct model *m, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (m->body) {
			if (m->keep)
				m->out.bytes[m->out.len + m->got] = p[i];
			if (++m->got == m->body) {
				if (m->keep) {
					m->out.lens[m->out.n++] = m->body;
					m->out.len += m->body;
				}
				m->body = 0;
			}
			continue;
		}
		m->hdr[m->hdr_have++] = p[i];
		if (m->hdr_have < STREAM_HDR_LEN)
			continue;
		m->hdr_have = 0;
		m->body = be32(m->hdr);
		if (m->body < STREAM_MIN_FRAME || m->body > STREAM_MAX_LEN) {
			m->bad_len = m->body;
			m->body = 0;
			return -EPROTO;
		}
		m->got = 0;
		m->keep = m->body <= m->max_frame;
		if (!m->keep)
			m->oversized++;
	}
	return 0;
}

/* A reconnection: the partial prefix or frame is forgotten. */
static void model_reset(struct model *m)
{
	m->hdr_have = 0;
	m->body = 0;
	m->got = 0;
}

static uint32_t next_rand(uint32_t *state)
{
	/* xorshift32: cheap, and the same sequence on every run. */
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* How many bytes the next read returns, out of @left. */
static size_t next_chunk(unsigned int mode, uint32_t *rnd, size_t left)
{
	size_t n;

	switch (mode) {
	case 0:
		n = left;
		break;
	case 1:
		n = 1;
		break;
	case 2:
		n = 1 + next_rand(rnd) % 8;
		break;
	default:
		switch (next_rand(rnd) % 8) {
		case 0:
		case 1:
			n = 1 + next_rand(rnd) % 5;
			break;
		case 2:
		case 3:
			n = 1 + next_rand(rnd) % 64;
			break;
		case 4:
		case 5:
			n = 1 + next_rand(rnd) % 2048;
			break;
		case 6:
			n = 1 + next_rand(rnd) % 65536;
			break;
		default:
			n = left;
			break;
		}
		break;
	}
	return n < left ? n : left;
}

static bool outs_equal(const struct out *a, const struct out *b)
{
	return a->n == b->n && a->len == b->len &&
	       !memcmp(a->lens, b->lens, a->n * sizeof(*a->lens)) &&
	       !memcmp(a->bytes, b->bytes, a->len);
}

static void run(const uint8_t *ctrl, const uint8_t *stream, size_t len,
		struct real *real, struct model *model)
{
	uint32_t rnd = (uint32_t)ctrl[1] << 8 ^ ctrl[2] ^ 0x9e3779b9u;
	unsigned int mode = ctrl[1] & 3;
	struct stream_dec dec;
	size_t off = 0;

	stream_dec_init(&dec, real->max_frame);
	while (off < len) {
		size_t n = next_chunk(mode, &rnd, len - off);
		uint64_t before = dec.oversized, model_before = model->oversized;
		uint8_t *chunk;
		int err, model_err;

		if ((ctrl[0] & F_RESETS) && next_rand(&rnd) % 16 == 0) {
			stream_dec_reset(&dec);
			model_reset(model);
		}
		if ((ctrl[0] & F_EMPTY_FEEDS) && next_rand(&rnd) % 8 == 0 &&
		    stream_dec_feed(&dec, stream + off, 0, on_frame, real))
			abort();
		chunk = malloc(n);
		if (!chunk)
			abort();
		memcpy(chunk, stream + off, n);
		err = stream_dec_feed(&dec, chunk, n, on_frame, real);
		free(chunk);
		model_err = model_feed(model, stream + off, n);
		off += n;

		/* Same frames, delivered by the read that completed them. */
		if (err != model_err || !outs_equal(&real->out, &model->out) ||
		    dec.oversized - before != model->oversized - model_before)
			abort();
		if (!err)
			continue;
		if (err != -EPROTO || dec.bad_len != model->bad_len)
			abort();
		{
			const char *msg = stream_dec_error(&dec, err);

			if (!msg || !msg[0])
				abort();
		}
		/* The stream is unusable now: stop, or start a new one. */
		if (!(ctrl[0] & F_RESET_ON_ERROR))
			break;
		stream_dec_reset(&dec);
		model_reset(model);
	}
	stream_dec_fini(&dec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct real real = { 0 };
	struct model model = { 0 };
	size_t len;

	if (size < CTRL_LEN || size > MAX_INPUT)
		return 0;
	len = size - CTRL_LEN;
	real.max_frame = max_frames[data[0] & 0xf];
	model.max_frame = real.max_frame;
	/* Frames are made of input bytes, each behind a 4-byte prefix. */
	real.out.cap = model.out.cap = len;
	real.out.n_cap = model.out.n_cap =
		len / (STREAM_HDR_LEN + STREAM_MIN_FRAME) + 1;
	real.out.bytes = malloc(len + 1);
	model.out.bytes = malloc(len + 1);
	real.out.lens = calloc(real.out.n_cap, sizeof(size_t));
	model.out.lens = calloc(model.out.n_cap, sizeof(size_t));
	if (!real.out.bytes || !model.out.bytes || !real.out.lens ||
	    !model.out.lens)
		abort();
	run(data, data + CTRL_LEN, len, &real, &model);
	free(real.out.bytes);
	free(model.out.bytes);
	free(real.out.lens);
	free(model.out.lens);
	return 0;
}
