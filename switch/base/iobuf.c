/*
 * iobuf.c - a byte buffer that io_uring reads from or writes into (see
 * iobuf.h for the rule it keeps).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/base/iobuf.h"

#include <stdlib.h>
#include <string.h>

#include "switch/base/log.h"
#include "switch/base/util.h"

enum { IOBUF_MIN_CAP = 4096 };

/**
 * iobuf_init() - an empty buffer; nothing is allocated yet.
 * @b:		the buffer
 * @max:	the most it may hold (0: no bound)
 */
void iobuf_init(struct iobuf *b, size_t max)
{
	*b = (struct iobuf){ .max = max, .recv_at = SIZE_MAX };
}

/**
 * iobuf_free() - release the memory.
 * @b: the buffer, which no request in flight may name
 */
void iobuf_free(struct iobuf *b)
{
	VSW_BUG_ON(iobuf_pinned(b));
	free(b->data);
	free(b->retired);
	iobuf_init(b, b->max);
}

/*
 * The current array is what a request in flight names (after a send's
 * array was retired, the new one is free to move).
 */
static bool iobuf_data_pinned(const struct iobuf *b)
{
	return b->recv_at != SIZE_MAX || (b->send_from && b->send_from == b->data);
}

/* Moves the data to the front, where nothing in flight can see it. */
static void iobuf_compact(struct iobuf *b)
{
	VSW_BUG_ON(iobuf_data_pinned(b));
	if (!b->head)
		return;
	memmove(b->data, b->data + b->head, b->tail - b->head);
	b->tail -= b->head;
	b->head = 0;
}

/* A larger array with the same data at the front. */
static bool iobuf_grow(struct iobuf *b, size_t need)
{
	size_t cap = MAX(need, MAX(b->cap * 2, (size_t)IOBUF_MIN_CAP));
	uint8_t *p;

	if (b->max)
		cap = MIN(cap, b->max);
	if (cap < need)
		return false;
	if (!iobuf_data_pinned(b)) {
		p = realloc(b->data, cap);
		if (!p)
			return false;
	} else {
		/* A send reads the old array: copy, and keep it until then
		 * (one send at a time, so one retired array). */
		VSW_BUG_ON(b->retired);
		p = malloc(cap);
		if (!p)
			return false;
		memcpy(p, b->data, b->tail);
		b->retired = b->data;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

/*
 * iobuf_reserve() - make room for @n more bytes after the tail.
 * @b:	the buffer; no receive may be pinned on it
 * @n:	bytes
 *
 * Return: false when out of memory or past the bound.
 */
static bool iobuf_reserve(struct iobuf *b, size_t n)
{
	VSW_BUG_ON(b->recv_at != SIZE_MAX);
	if (b->head == b->tail && !iobuf_data_pinned(b))
		b->head = b->tail = 0;
	if (b->tail + n <= b->cap)
		return true;
	if (b->head && !iobuf_data_pinned(b)) {
		iobuf_compact(b);
		if (b->tail + n <= b->cap)
			return true;
	}
	return iobuf_grow(b, b->tail + n);
}

/**
 * iobuf_append() - copy @n bytes to the tail.
 * @b:	the buffer; no receive may be pinned on it
 * @p:	the bytes
 * @n:	how many
 *
 * Return: false when out of memory or past the bound (nothing added).
 */
bool iobuf_append(struct iobuf *b, const void *p, size_t n)
{
	if (!iobuf_reserve(b, n))
		return false;
	memcpy(b->data + b->tail, p, n);
	b->tail += n;
	return true;
}

/**
 * iobuf_consume() - drop @n bytes from the front (no byte moves).
 * @b:	the buffer
 * @n:	at most iobuf_len()
 */
void iobuf_consume(struct iobuf *b, size_t n)
{
	VSW_BUG_ON(n > iobuf_len(b));
	b->head += n;
}

/**
 * iobuf_recv_span() - the room a receive may fill; pins the buffer.
 * @b:	the buffer, with no receive pinned
 * @p:	set to the first free byte
 *
 * Compacts and grows first (up to the bound).  The buffer stays pinned
 * for the receive until iobuf_recv_done(), even when the room is 0.
 *
 * Return: bytes of room (0 when full at the bound or out of memory).
 */
size_t iobuf_recv_span(struct iobuf *b, uint8_t **p)
{
	VSW_BUG_ON(b->recv_at != SIZE_MAX);
	if (!iobuf_data_pinned(b))
		iobuf_compact(b);
	if (b->tail == b->cap)
		iobuf_grow(b, b->tail + 1);
	b->recv_at = b->tail;
	*p = b->data + b->tail;
	return b->cap - b->tail;
}

/**
 * iobuf_recv_done() - the receive ended; its @n bytes join the data.
 * @b:	the buffer
 * @n:	bytes received (0 on error or end of file)
 */
void iobuf_recv_done(struct iobuf *b, size_t n)
{
	/* Anything that moved the tail under the receive broke the rule. */
	VSW_BUG_ON(b->recv_at != b->tail);
	VSW_BUG_ON(n > b->cap - b->tail);
	b->tail += n;
	b->recv_at = SIZE_MAX;
}

/**
 * iobuf_send_span() - the bytes a send may take; pins them.
 * @b:	the buffer, with no send pinned
 * @p:	set to the first byte
 *
 * Appending stays allowed while the send is pinned (new bytes go after
 * the pinned ones, into a copy if the array must grow).
 *
 * Return: iobuf_len() at the time of the call.
 */
size_t iobuf_send_span(struct iobuf *b, const uint8_t **p)
{
	VSW_BUG_ON(b->send_from);
	b->send_from = b->data;
	*p = b->data + b->head;
	return iobuf_len(b);
}

/**
 * iobuf_send_done() - the send ended; @n bytes of the front are gone.
 * @b:	the buffer
 * @n:	bytes the kernel took (0 on error)
 */
void iobuf_send_done(struct iobuf *b, size_t n)
{
	VSW_BUG_ON(!b->send_from);
	b->send_from = NULL;
	free(b->retired);
	b->retired = NULL;
	iobuf_consume(b, n);
}
