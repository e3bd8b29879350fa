/*
 * stream.c - QEMU stream framing decoder (see stream.h).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "ports/stream.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switch/base/util.h"

void stream_dec_init(struct stream_dec *dec, uint32_t max_frame)
{
	*dec = (struct stream_dec){ .max_frame = max_frame };
}

void stream_dec_fini(struct stream_dec *dec)
{
	free(dec->buf);
	dec->buf = NULL;
}

/**
 * stream_dec_reset() - forget any partial frame (the connection restarted).
 * @dec: the decoder; its buffer is kept for reuse
 */
void stream_dec_reset(struct stream_dec *dec)
{
	dec->hdr_have = 0;
	dec->need = 0;
	dec->have = 0;
	dec->skip = 0;
	dec->bad_len = 0;
}

/* Checks a complete prefix; on success the body is expected next. */
static int stream_dec_take_len(struct stream_dec *dec, uint32_t len)
{
	dec->hdr_have = 0;
	if (len < STREAM_MIN_FRAME || len > STREAM_MAX_LEN) {
		dec->bad_len = len;
		return -EPROTO;
	}
	if (len > dec->max_frame) {
		dec->oversized++;
		dec->skip = len;
		return 0;
	}
	dec->need = len;
	dec->have = 0;
	return 0;
}

/**
 * stream_dec_feed() - decode the next bytes of the stream.
 * @dec:	decoder state
 * @data:	bytes as received
 * @len:	how many
 * @fn:		called once per complete frame; the frame is borrowed
 * @aux:	passed to @fn
 *
 * Frames above the decoder's max_frame are skipped and counted in
 * dec->oversized.
 *
 * Return: 0; -EPROTO on a length prefix out of range (dec->bad_len holds
 * it, and the frames before it were delivered); -ENOMEM if the gathering
 * buffer could not be allocated.  After an error the stream is unusable.
 */
int stream_dec_feed(struct stream_dec *dec, const uint8_t *data, size_t len,
		    stream_frame_fn *fn, void *aux)
{
	const uint8_t *end = data + len;
	int ret;

	while (data < end) {
		size_t left = (size_t)(end - data);

		if (dec->skip) {
			size_t n = MIN(left, (size_t)dec->skip);

			dec->skip -= (uint32_t)n;
			data += n;
			continue;
		}
		if (!dec->need) {
			/* Fast path: a whole prefix in this chunk. */
			if (!dec->hdr_have && left >= STREAM_HDR_LEN) {
				ret = stream_dec_take_len(dec, get_be32(data));
				data += STREAM_HDR_LEN;
			} else {
				size_t n = MIN(left, (size_t)(STREAM_HDR_LEN -
							      dec->hdr_have));

				memcpy(dec->hdr + dec->hdr_have, data, n);
				dec->hdr_have = (uint8_t)(dec->hdr_have + n);
				data += n;
				if (dec->hdr_have < STREAM_HDR_LEN)
					continue;
				ret = stream_dec_take_len(dec,
							  get_be32(dec->hdr));
			}
			if (ret)
				return ret;
			continue;
		}

		left = (size_t)(end - data);
		if (!dec->have && left >= dec->need) {
			/* The whole frame is here: deliver it in place. */
			uint32_t n = dec->need;

			dec->need = 0;
			fn(aux, data, n);
			data += n;
			continue;
		}
		if (!dec->buf) {
			dec->buf = malloc(dec->max_frame);
			if (!dec->buf)
				return -ENOMEM;
		}
		{
			size_t n = MIN(left, (size_t)(dec->need - dec->have));

			memcpy(dec->buf + dec->have, data, n);
			dec->have += (uint32_t)n;
			data += n;
		}
		if (dec->have == dec->need) {
			uint32_t n = dec->need;

			dec->need = 0;
			dec->have = 0;
			fn(aux, dec->buf, n);
		}
	}
	return 0;
}

/**
 * stream_dec_error() - describe a stream_dec_feed() error for a log line.
 * @dec:	the decoder that failed
 * @err:	the error it returned
 *
 * Return: a static or per-thread string.
 */
const char *stream_dec_error(const struct stream_dec *dec, int err)
{
	static char msg[96];

	if (err == -ENOMEM)
		return "out of memory for a frame";
	if (dec->bad_len == 0)
		return "bad length prefix 0";
	if (dec->bad_len < STREAM_MIN_FRAME)
		snprintf(msg, sizeof(msg),
			 "bad length prefix %u (below the %u-byte minimum)",
			 dec->bad_len, STREAM_MIN_FRAME);
	else
		snprintf(msg, sizeof(msg),
			 "bad length prefix %u (above QEMU's %u-byte maximum)",
			 dec->bad_len, (unsigned int)STREAM_MAX_LEN);
	return msg;
}
