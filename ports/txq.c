/*
 * txq.c - bounded byte-ring transmit queue (see txq.h).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "ports/txq.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "switch/base/util.h"

/**
 * txq_init() - allocate an empty queue.
 * @q:		the queue
 * @size:	byte capacity (headers included)
 * @max_frames:	frame capacity
 *
 * The ring's pages are touched only as traffic reaches them, so an idle
 * port costs little resident memory.
 *
 * Return: 0 or -ENOMEM.
 */
int txq_init(struct txq *q, size_t size, unsigned int max_frames)
{
	*q = (struct txq){ .size = size, .max_frames = max_frames };
	q->buf = malloc(size);
	q->frames = calloc(max_frames, sizeof(*q->frames));
	if (!q->buf || !q->frames) {
		txq_fini(q);
		return -ENOMEM;
	}
	return 0;
}

/**
 * txq_fini() - free the queue.
 * @q: the queue, with no send in flight
 */
void txq_fini(struct txq *q)
{
	VSW_BUG_ON(q->sends);
	free(q->buf);
	free(q->frames);
	q->buf = NULL;
	q->frames = NULL;
}

/**
 * txq_clear() - drop everything queued (the peer went away).
 * @q: the queue
 */
void txq_clear(struct txq *q)
{
	VSW_BUG_ON(q->sends);
	q->head = q->tail = 0;
	q->fhead = 0;
	q->n_frames = 0;
}

/**
 * txq_send_begin() - a send that reads the queue's bytes was submitted.
 * @q: the queue
 */
void txq_send_begin(struct txq *q)
{
	q->sends++;
}

/**
 * txq_send_end() - that send completed (consume what it took first or
 * after, in any order).
 * @q: the queue
 */
void txq_send_end(struct txq *q)
{
	VSW_BUG_ON(!q->sends);
	q->sends--;
}

static void txq_copy_in(struct txq *q, const uint8_t *src, size_t len)
{
	size_t off = (size_t)(q->tail % q->size);
	size_t first = MIN(len, q->size - off);

	memcpy(q->buf + off, src, first);
	memcpy(q->buf, src + first, len - first);
	q->tail += len;
}

/**
 * txq_push() - queue a header and a frame as one unit.
 * @q:		the queue
 * @hdr:	header bytes (may be NULL when @hdr_len is 0)
 * @hdr_len:	header length
 * @frame:	frame bytes, copied
 * @len:	frame length
 *
 * Return: true if queued, false if the queue is full (nothing queued).
 */
bool txq_push(struct txq *q, const uint8_t *hdr, size_t hdr_len,
	      const uint8_t *frame, size_t len)
{
	struct txq_frame *f;

	if (q->n_frames == q->max_frames ||
	    q->size - (size_t)(q->tail - q->head) < hdr_len + len)
		return false;
	if (hdr_len)
		txq_copy_in(q, hdr, hdr_len);
	txq_copy_in(q, frame, len);
	f = &q->frames[(q->fhead + q->n_frames) % q->max_frames];
	f->end = q->tail;
	f->len = (uint32_t)len;
	q->n_frames++;
	return true;
}

/**
 * txq_peek() - the oldest unsent bytes that lie contiguously in the ring.
 * @q:		the queue
 * @data:	set to the first byte
 *
 * Return: how many bytes from @data on may be sent (0 if empty).  A queue
 * that wraps is sent in two steps.
 */
size_t txq_peek(const struct txq *q, const uint8_t **data)
{
	size_t off = (size_t)(q->head % q->size);

	*data = q->buf + off;
	return MIN((size_t)(q->tail - q->head), q->size - off);
}

/**
 * txq_consume() - account for @n bytes the kernel accepted.
 * @q:		the queue
 * @n:		bytes sent, at most what txq_peek() offered
 * @bytes:	incremented by the length of every frame completed
 *
 * Return: the number of frames now completely sent.
 */
unsigned int txq_consume(struct txq *q, size_t n, uint64_t *bytes)
{
	unsigned int done = 0;

	q->head += n;
	while (q->n_frames && q->frames[q->fhead].end <= q->head) {
		*bytes += q->frames[q->fhead].len;
		q->fhead = (q->fhead + 1) % q->max_frames;
		q->n_frames--;
		done++;
	}
	if (q->head == q->tail)
		q->head = q->tail = 0; /* restart at offset 0: fewer wraps */
	return done;
}

/**
 * txq_peek_frame() - the oldest whole frame, for senders of datagrams.
 * @q:		the queue, filled without headers
 * @iov:	set to the frame's bytes: one piece, or two if it wraps
 *
 * Return: the number of pieces (0 if the queue is empty).  Send them as one
 * datagram, then drop the frame with txq_consume(q, len, ...).
 */
int txq_peek_frame(const struct txq *q, struct iovec iov[2])
{
	size_t len, off, first;

	if (!q->n_frames)
		return 0;
	len = q->frames[q->fhead].len;
	off = (size_t)(q->head % q->size);
	first = MIN(len, q->size - off);
	iov[0] = (struct iovec){ q->buf + off, first };
	if (first == len)
		return 1;
	iov[1] = (struct iovec){ q->buf, len - first };
	return 2;
}

/**
 * txq_show() - add the queue's fill and bounds to a port description.
 * @q:		the queue
 * @obj:	JSON object that gets a "tx_queue" member
 */
void txq_show(const struct txq *q, json_t *obj)
{
	json_object_set_new(
		obj, "tx_queue",
		json_pack("{s:I, s:I, s:I, s:I}", "frames",
			  (json_int_t)q->n_frames, "bytes",
			  (json_int_t)(q->tail - q->head), "max_frames",
			  (json_int_t)q->max_frames, "max_bytes",
			  (json_int_t)q->size));
}
