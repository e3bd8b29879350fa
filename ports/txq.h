/*
 * txq.h - a port's bounded transmit queue.
 *
 * Frames are copied in (the switch's frames are borrowed) as one contiguous
 * byte stream in a ring buffer, each optionally preceded by a small header
 * (the stream port's length prefix).  The queue is bounded both in frames
 * and in bytes; a push that does not fit fails and the caller counts a drop:
 * tail drop, as a hardware switch does.  The sender takes the oldest bytes
 * with txq_peek() and reports how many the kernel took with txq_consume(),
 * so a short write resumes at the exact byte and frames never interleave.
 * Pushes only write at the tail, outside the bytes a send in flight reads;
 * each such send is bracketed by txq_send_begin() and txq_send_end(), and
 * clearing or freeing the queue between them is a bug that aborts (the
 * buffer rule of loop.h).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_PORTS_TXQ_H
#define VSW_PORTS_TXQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

/**
 * struct txq_frame - bookkeeping of one queued frame.
 * @end:	stream position just after its last byte
 * @len:	frame length without the header
 */
struct txq_frame {
	uint64_t end;
	uint32_t len;
};

/**
 * struct txq - the queue.
 * @buf:	byte ring, @size bytes
 * @size:	byte capacity
 * @head:	stream position of the oldest unsent byte
 * @tail:	stream position where the next byte goes
 * @frames:	ring of per-frame records, @max_frames entries
 * @max_frames:	frame capacity
 * @fhead:	index of the oldest frame record
 * @n_frames:	frames queued
 * @sends:	sends in flight reading @buf (txq_send_begin/_end): the
 *		queue may not be cleared or freed while there are any
 */
struct txq {
	uint8_t *buf;
	size_t size;
	uint64_t head, tail;
	struct txq_frame *frames;
	unsigned int max_frames;
	unsigned int fhead;
	unsigned int n_frames;
	unsigned int sends;
};

int txq_init(struct txq *q, size_t size, unsigned int max_frames);
void txq_fini(struct txq *q);
void txq_clear(struct txq *q);
bool txq_push(struct txq *q, const uint8_t *hdr, size_t hdr_len,
	      const uint8_t *frame, size_t len);
size_t txq_peek(const struct txq *q, const uint8_t **data);
int txq_peek_frame(const struct txq *q, struct iovec iov[2]);
unsigned int txq_consume(struct txq *q, size_t n, uint64_t *bytes);
void txq_send_begin(struct txq *q);
void txq_send_end(struct txq *q);

struct json_t;
void txq_show(const struct txq *q, struct json_t *obj);

/**
 * txq_empty() - true when nothing is waiting to be sent.
 * @q: the queue
 */
static inline bool txq_empty(const struct txq *q)
{
	return q->head == q->tail;
}

#endif /* VSW_PORTS_TXQ_H */
