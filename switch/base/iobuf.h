/*
 * iobuf.h - a byte buffer that io_uring reads from or writes into.
 *
 * The loop's buffer rule (loop.h): a buffer handed to an in-flight io_uring
 * operation is not moved, resized or freed before its completion.  A plain
 * array with a length breaks it silently: compacting the consumed front
 * with memmove() while a recv is still filling the tail puts the arriving
 * bytes at the wrong offset, and the symptoms (requests answered twice or
 * never) show far from the cause.  struct iobuf owns that discipline:
 *
 *   - the data is [head, tail) of @data; consuming moves head, never bytes;
 *   - iobuf_recv_span() hands out the free room after tail and pins the
 *     buffer for a receive until iobuf_recv_done(); iobuf_send_span()
 *     hands out [head, tail) and pins it for a send until
 *     iobuf_send_done();
 *   - compaction happens only in iobuf_recv_span() and iobuf_reserve(),
 *     and only while nothing is pinned; growing while a send is pinned
 *     copies into a new array and keeps the old one until the send ends;
 *   - iobuf_recv_done() checks that the layout is still the one the
 *     receive was given, and iobuf_free() that nothing
 *     is pinned: a violation is a bug of ours and aborts with its place
 *     (VSW_BUG_ON), in every build, so the test suite catches it.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_IOBUF_H
#define VSW_SWITCH_IOBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * struct iobuf - bytes [head, tail) of @data, @cap bytes allocated.
 * @data:	the array (NULL until the first reserve)
 * @head:	offset of the first unconsumed byte
 * @tail:	offset just after the last byte
 * @cap:	allocated size
 * @max:	the most it may grow to (0: unbounded)
 * @recv_at:	offset a pinned receive writes to, or SIZE_MAX
 * @send_from:	array a pinned send reads, or NULL
 * @retired:	an earlier @data the pinned send still reads, freed when it
 *		completes
 */
struct iobuf {
	uint8_t *data;
	size_t head, tail, cap, max;
	size_t recv_at;
	const uint8_t *send_from;
	uint8_t *retired;
};

void iobuf_init(struct iobuf *b, size_t max);
void iobuf_free(struct iobuf *b);
bool iobuf_append(struct iobuf *b, const void *p, size_t n);
void iobuf_consume(struct iobuf *b, size_t n);

size_t iobuf_recv_span(struct iobuf *b, uint8_t **p);
void iobuf_recv_done(struct iobuf *b, size_t n);
size_t iobuf_send_span(struct iobuf *b, const uint8_t **p);
void iobuf_send_done(struct iobuf *b, size_t n);

/**
 * iobuf_len() - bytes waiting in @b.
 * @b: the buffer
 */
static inline size_t iobuf_len(const struct iobuf *b)
{
	return b->tail - b->head;
}

/**
 * iobuf_bytes() - the first waiting byte (valid for iobuf_len() bytes).
 * @b: the buffer
 */
static inline uint8_t *iobuf_bytes(const struct iobuf *b)
{
	return b->data + b->head;
}

/**
 * iobuf_pinned() - true while a receive or a send has the buffer.
 * @b: the buffer
 */
static inline bool iobuf_pinned(const struct iobuf *b)
{
	return b->recv_at != SIZE_MAX || b->send_from;
}

#endif /* VSW_SWITCH_IOBUF_H */
