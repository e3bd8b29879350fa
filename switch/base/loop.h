/*
 * loop.h - the io_uring event loop: one ring, one thread.
 *
 * Every submission carries a pointer to a struct uop in its user_data.  The
 * uop is embedded in its owner (a port, a listener, the signal reader) and
 * names the function that handles the owner's completions; the handler gets
 * its owner back with container_of().  A multishot request yields many
 * completions from one submission: its handler sees IORING_CQE_F_MORE on all
 * but the last, and must re-arm (or let go of its owner) on the last one.
 *
 * Lifetimes: an owner must outlive every request that names its uop.  Owners
 * count their requests in flight; to go away they cancel them and wait for
 * the last completion, then hand themselves to loop_defer_free(), which frees
 * them after the current batch of completions has been dispatched.
 *
 * Time: loop_now() is the monotonic clock in milliseconds, read once per
 * iteration, plus an offset that tests can advance (loop_warp()).  Timers are
 * plain structs kept in a list; the loop sleeps until the earliest one.  The
 * list is scanned once per iteration, which is fine for the handful of timers
 * a switch has (aging, one per reconnecting port).
 *
 * Buffers in flight: a buffer handed to an in-flight io_uring operation
 * (a recv's destination, a send's or write's source, a msghdr and its
 * iovecs) is not moved, resized or freed before that operation's last
 * completion.  The kernel keeps the address it was given; compacting the
 * bytes around it, realloc() or free() make it read stale bytes or write
 * where they no longer belong, silently.  Keep to one of these shapes:
 *   - byte buffers that are consumed and refilled (the control socket)
 *     are a struct iobuf (iobuf.h), whose pin/unpin calls bracket the
 *     request and whose checks abort on a violation;
 *   - rings of frames (struct txq) only ever write at the tail, outside
 *     the bytes in flight, and count their sends in flight: clearing or
 *     freeing one with a send in flight aborts (VSW_BUG_ON);
 *   - buffers of a port's own (single-shot receive buffers, msghdrs) live
 *     as long as the port, which frees them only once its in-flight count
 *     is zero (the deferred-release rule above).
 * At exit, loop_drain() ends every request before anything is freed or
 * closed: io_uring_queue_exit() alone would leave the kernel tearing
 * requests down in the background, still holding sockets and buffers.
 *
 * Transmit batching: ports queue frames during a batch of completions and ask
 * for a flush with loop_want_flush(); before the loop sleeps it calls each
 * such port's flush function once, so many frames leave in one send.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_LOOP_H
#define VSW_SWITCH_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include <liburing.h>

#include "switch/base/list.h"

struct uop;
struct loop;
struct loop_timer;
struct loop_flush;

/* Called once for each completion of a request that names @op. */
typedef void uop_done_fn(struct uop *op, int res, unsigned int flags);
typedef void loop_timer_fn(struct loop_timer *timer, uint64_t now);
typedef void loop_flush_fn(struct loop_flush *flush);
typedef void loop_free_fn(void *obj);

/**
 * struct uop - one outstanding (possibly multishot) request's record.
 * @done:	completion handler
 */
struct uop {
	uop_done_fn *done;
};

/**
 * struct loop_timer - a one-shot timer; re-arm from the callback to repeat.
 * @fn:		called from the loop when the deadline has passed
 * @deadline:	absolute time in loop_now() milliseconds
 * @armed:	on the loop's list
 * @link:	list linkage (private)
 */
struct loop_timer {
	loop_timer_fn *fn;
	uint64_t deadline;
	bool armed;
	struct list_node link;
};

/**
 * struct loop_flush - a pending "send what you queued" request of a port.
 * @fn:		called once before the loop next sleeps
 * @queued:	on the loop's flush list
 * @next:	list linkage (private)
 */
struct loop_flush {
	loop_flush_fn *fn;
	bool queued;
	struct loop_flush *next;
};

/**
 * struct loop_features - what the running kernel supports (probed once).
 * @multishot_accept:	IORING_ACCEPT_MULTISHOT works
 * @multishot_recv:	IORING_RECV_MULTISHOT with provided buffers works
 * @buf_ring:		io_uring_register_buf_ring() works
 * @cancel_fd:		IORING_ASYNC_CANCEL_FD works
 * @ring_flags:		the setup flags the ring was created with
 */
struct loop_features {
	bool multishot_accept;
	bool multishot_recv;
	bool buf_ring;
	bool cancel_fd;
	unsigned int ring_flags;
};

struct loop *loop_new(int *err);
int loop_drain(struct loop *loop, unsigned int timeout_ms);
void loop_exit_ring(struct loop *loop);
void loop_free(struct loop *loop);
int loop_run(struct loop *loop);
void loop_stop(struct loop *loop);
bool loop_stopping(const struct loop *loop);

struct io_uring *loop_ring(struct loop *loop);
struct io_uring_sqe *loop_sqe(struct loop *loop, struct uop *op);
const struct loop_features *loop_features(const struct loop *loop);

uint64_t loop_now(const struct loop *loop);
void loop_warp(struct loop *loop, uint64_t ms);

void loop_timer_init(struct loop_timer *timer, loop_timer_fn *fn);
void loop_timer_arm(struct loop *loop, struct loop_timer *timer,
		    uint64_t deadline);
void loop_timer_cancel(struct loop *loop, struct loop_timer *timer);

void loop_flush_init(struct loop_flush *flush, loop_flush_fn *fn);
void loop_want_flush(struct loop *loop, struct loop_flush *flush);

void loop_defer_free(struct loop *loop, void *obj, loop_free_fn *fn);

/* Provided-buffer ring shared by stream receivers (see loop.c). */
enum { LOOP_RX_BUF_SIZE = 16384, LOOP_RX_BUF_GROUP = 1 };
const uint8_t *loop_rx_buf(struct loop *loop, unsigned int bid);
void loop_rx_buf_return(struct loop *loop, unsigned int bid);

/*
 * Provided-buffer ring of datagram receivers (multishot recvmsg): each
 * buffer holds a struct io_uring_recvmsg_out, the source address and a
 * whole datagram of up to 64 KiB.  Registered on first use.
 */
enum { LOOP_DGRAM_BUF_SIZE = 65536 + 1024, LOOP_DGRAM_BUF_GROUP = 2 };
int loop_dgram_bufs(struct loop *loop);
uint8_t *loop_dgram_buf(struct loop *loop, unsigned int bid);
void loop_dgram_buf_return(struct loop *loop, unsigned int bid);

#endif /* VSW_SWITCH_LOOP_H */
