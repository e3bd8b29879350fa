/*
 * loop.c - io_uring ring set-up, feature probing, completion dispatch,
 * timers, transmit flushes and deferred frees (see loop.h).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/base/loop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "switch/base/log.h"
#include "switch/base/util.h"

enum {
	LOOP_SQ_ENTRIES = 512,
	/* Multishot receives post many completions per submission: size the
	 * CQ for a burst, because an overflow ends multishot requests. */
	LOOP_CQ_ENTRIES = 8192,
	LOOP_RX_BUFS = 512,   /* power of two, at most 32768 */
	LOOP_DGRAM_BUFS = 64, /* power of two; 4.3 MiB, made on first use */
	LOOP_DRAIN_GRACE_MS = 200,
};

struct loop_deferred {
	void *obj;
	loop_free_fn *fn;
};

/**
 * struct loop - the event loop (private).
 * @ring:	the one io_uring
 * @features:	what the kernel supports
 * @clock_base:	monotonic ms at start-up; loop_now() counts from here
 * @warp:	test offset added to the clock
 * @now:	time of the current iteration
 * @stop:	set by loop_stop()
 * @timers:	armed timers (unsorted list)
 * @flushes:	ports with queued frames to send before sleeping
 * @deferred:	objects to free once the current batch is done
 * @rx_ring:	provided-buffer ring shared by stream receivers
 * @rx_bufs:	the buffers behind @rx_ring
 * @dgram_ring:	provided-buffer ring of datagram receivers, or NULL
 *		until the first one asks for it (loop_dgram_bufs())
 * @dgram_ring_size: its mapped size
 * @dgram_bufs:	the buffers behind @dgram_ring
 * @ring_up:	@ring exists (loop_exit_ring() not yet called)
 * @inflight:	submissions whose last completion has not been dispatched
 * @cancel_op:	completion record of loop_drain()'s cancel-everything
 * @cancel_busy: that cancel is in flight
 */
struct loop {
	struct io_uring ring;
	struct loop_features features;
	uint64_t clock_base;
	uint64_t warp;
	uint64_t now;
	bool stop;
	struct list_head timers;
	struct loop_flush *flushes;
	struct loop_deferred *deferred;
	size_t n_deferred, deferred_cap;
	struct io_uring_buf_ring *rx_ring;
	size_t rx_ring_size;
	uint8_t *rx_bufs;
	struct io_uring_buf_ring *dgram_ring;
	size_t dgram_ring_size;
	uint8_t *dgram_bufs;
	bool ring_up;
	unsigned int inflight;
	struct uop cancel_op;
	bool cancel_busy;
};

static uint64_t loop_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void loop_update_now(struct loop *loop)
{
	loop->now = loop_clock_ms() - loop->clock_base + loop->warp;
}

/*
 * Newer kernels take cheaper task-running modes; older ones reject the flags
 * with EINVAL, so fall back step by step to a plain ring.
 */
static int loop_setup_ring(struct loop *loop)
{
	static const unsigned int flag_sets[] = {
		IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
			IORING_SETUP_SUBMIT_ALL,
		IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SUBMIT_ALL,
		IORING_SETUP_SUBMIT_ALL,
		0,
	};
	int ret = -EINVAL;

	for (size_t i = 0; i < ARRAY_SIZE(flag_sets); i++) {
		struct io_uring_params p = {
			.flags = flag_sets[i] | IORING_SETUP_CQSIZE,
			.cq_entries = LOOP_CQ_ENTRIES,
		};

		ret = io_uring_queue_init_params(LOOP_SQ_ENTRIES, &loop->ring,
						 &p);
		if (ret == 0) {
			loop->ring_up = true;
			loop->features.ring_flags = flag_sets[i];
			return 0;
		}
		if (ret != -EINVAL)
			break;
	}
	return ret;
}

/*
 * liburing 2.3 has no io_uring_setup_buf_ring(): map a ring of @n entries
 * ourselves, allocate @n buffers of @size bytes, register the ring as
 * buffer group @bgid and hand it every buffer.  Kernels before 5.19
 * refuse, and receivers then fall back to single-shot reads into their own
 * buffers.  @ring is set only on success; @ring_size is what to unmap.
 */
static int loop_setup_buf_ring(struct loop *loop, unsigned int n,
			       unsigned int size, unsigned short bgid,
			       struct io_uring_buf_ring **ring,
			       size_t *ring_size, uint8_t **bufs)
{
	struct io_uring_buf_reg reg = { 0 };
	unsigned int mask = io_uring_buf_ring_mask(n);
	void *mem;
	int ret;

	*ring_size = n * sizeof(struct io_uring_buf);
	mem = mmap(NULL, *ring_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return -errno;
	*bufs = malloc((size_t)n * size);
	if (!*bufs) {
		ret = -ENOMEM;
		goto err_unmap;
	}
	reg.ring_addr = (uintptr_t)mem;
	reg.ring_entries = n;
	reg.bgid = bgid;
	ret = io_uring_register_buf_ring(&loop->ring, &reg, 0);
	if (ret)
		goto err_free;
	*ring = mem;
	io_uring_buf_ring_init(*ring);
	for (unsigned int i = 0; i < n; i++)
		io_uring_buf_ring_add(*ring, *bufs + (size_t)i * size, size,
				      (unsigned short)i, mask, (int)i);
	io_uring_buf_ring_advance(*ring, (int)n);
	return 0;

err_free:
	free(*bufs);
	*bufs = NULL;
err_unmap:
	munmap(mem, *ring_size);
	return ret;
}

/* The ring every stream receiver takes its buffers from. */
static int loop_setup_rx_ring(struct loop *loop)
{
	return loop_setup_buf_ring(loop, LOOP_RX_BUFS, LOOP_RX_BUF_SIZE,
				   LOOP_RX_BUF_GROUP, &loop->rx_ring,
				   &loop->rx_ring_size, &loop->rx_bufs);
}

/* Waits for one completion during probing; the loop is not running yet. */
static int loop_probe_wait(struct loop *loop, struct io_uring_cqe **cqe)
{
	struct __kernel_timespec ts = { .tv_sec = 1 };
	int ret;

	/* liburing versions differ in what a successful wait returns (0 or
	 * the number submitted): look at the CQ itself. */
	ret = io_uring_submit_and_wait_timeout(&loop->ring, cqe, 1, &ts, NULL);
	if (ret < 0 && ret != -ETIME)
		return ret;
	return io_uring_peek_cqe(&loop->ring, cqe);
}

/* Drains every completion left by a probe. */
static void loop_probe_drain(struct loop *loop)
{
	struct __kernel_timespec ts = { .tv_nsec = 20 * 1000 * 1000 };
	struct io_uring_cqe *cqe;

	for (;;) {
		io_uring_submit_and_wait_timeout(&loop->ring, &cqe, 1, &ts,
						 NULL);
		if (io_uring_peek_cqe(&loop->ring, &cqe))
			break;
		if (cqe->flags & IORING_CQE_F_BUFFER)
			loop_rx_buf_return(
				loop, cqe->flags >> IORING_CQE_BUFFER_SHIFT);
		io_uring_cqe_seen(&loop->ring, cqe);
	}
}

/*
 * Multishot receive is an ioprio modifier, invisible to the opcode probe:
 * arm one on a socketpair and see whether the kernel takes it.  The same
 * pair tells whether cancel-by-fd works.
 */
static void loop_probe_features(struct loop *loop)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int sv[2];

	if (!loop->features.buf_ring)
		return;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return;
	sqe = io_uring_get_sqe(&loop->ring);
	io_uring_prep_recv_multishot(sqe, sv[0], NULL, 0, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = LOOP_RX_BUF_GROUP;
	io_uring_sqe_set_data64(sqe, 1);
	if (write(sv[1], "p", 1) == 1 && loop_probe_wait(loop, &cqe) == 0) {
		loop->features.multishot_recv =
			cqe->res == 1 && (cqe->flags & IORING_CQE_F_MORE);
		if (cqe->flags & IORING_CQE_F_BUFFER)
			loop_rx_buf_return(
				loop, cqe->flags >> IORING_CQE_BUFFER_SHIFT);
		io_uring_cqe_seen(&loop->ring, cqe);
	}
	sqe = io_uring_get_sqe(&loop->ring);
	io_uring_prep_cancel_fd(sqe, sv[0], IORING_ASYNC_CANCEL_ALL);
	io_uring_sqe_set_data64(sqe, 2);
	io_uring_submit(&loop->ring);
	while (loop_probe_wait(loop, &cqe) == 0) {
		uint64_t tag = io_uring_cqe_get_data64(cqe);
		int res = cqe->res;

		if (cqe->flags & IORING_CQE_F_BUFFER)
			loop_rx_buf_return(
				loop, cqe->flags >> IORING_CQE_BUFFER_SHIFT);
		io_uring_cqe_seen(&loop->ring, cqe);
		if (tag == 2) {
			loop->features.cancel_fd = res >= 0;
			break;
		}
	}
	close(sv[0]);
	close(sv[1]);
	loop_probe_drain(loop);
	/* The accept flag arrived with multishot receive's buffer rings. */
	loop->features.multishot_accept = loop->features.multishot_recv;
}

/**
 * loop_new() - create the ring and probe the kernel.
 * @err: set to a negative errno on failure
 *
 * Return: new loop, caller owns (free with loop_free()), or NULL.
 */
struct loop *loop_new(int *err)
{
	struct loop *loop = calloc(1, sizeof(*loop));
	int ret;

	if (!loop) {
		*err = -ENOMEM;
		return NULL;
	}
	ret = loop_setup_ring(loop);
	if (ret) {
		free(loop);
		*err = ret;
		return NULL;
	}
	loop->features.buf_ring = loop_setup_rx_ring(loop) == 0;
	loop_probe_features(loop);
	/* Lets the tests exercise the paths older kernels take. */
	if (getenv("VSWITCHD_NO_MULTISHOT")) {
		loop->features.multishot_recv = false;
		loop->features.multishot_accept = false;
	}
	loop->clock_base = loop_clock_ms();
	loop_update_now(loop);
	log_debug("io_uring: flags 0x%x, buffer ring %s, multishot recv %s, "
		  "multishot accept %s, cancel by fd %s",
		  loop->features.ring_flags,
		  loop->features.buf_ring ? "yes" : "no",
		  loop->features.multishot_recv ? "yes" : "no",
		  loop->features.multishot_accept ? "yes" : "no",
		  loop->features.cancel_fd ? "yes" : "no");
	return loop;
}

static void loop_run_deferred(struct loop *loop)
{
	/* A free function may defer more frees: take the list as it grows. */
	for (size_t i = 0; i < loop->n_deferred; i++)
		loop->deferred[i].fn(loop->deferred[i].obj);
	loop->n_deferred = 0;
}

static unsigned int loop_dispatch(struct loop *loop);

static void loop_cancel_done(struct uop *op, int res UNUSED,
			     unsigned int flags UNUSED)
{
	container_of(op, struct loop, cancel_op)->cancel_busy = false;
}

/**
 * loop_drain() - end every request in flight and dispatch its completions.
 * @loop:	the loop, stopped
 * @timeout_ms:	how long to wait at most
 *
 * For a clean exit: the owners have stopped their I/O (shut down their
 * sockets, cancelled their requests); whatever still runs after a short
 * grace is cancelled here, again if a handler re-armed it.  Once nothing is in flight no
 * kernel request holds a socket, a device or a buffer of ours, so closing
 * the descriptors frees them at once: a new vswitchd can bind the same
 * addresses right away (io_uring_queue_exit() with requests in flight
 * tears them down later, in the background).
 *
 * Return: 0, or -ETIMEDOUT with requests still in flight (logged).
 */
int loop_drain(struct loop *loop, unsigned int timeout_ms)
{
	uint64_t start = loop_clock_ms(), end = start + timeout_ms;

	if (!loop->ring_up)
		return 0;
	loop->cancel_op.done = loop_cancel_done;
	while (loop->inflight) {
		struct __kernel_timespec ts = { .tv_nsec = 20 * 1000000 };
		struct io_uring_cqe *cqe;

		if (loop_clock_ms() >= end) {
			log_warn("exit: %u io_uring requests still in flight "
				 "after %u ms",
				 loop->inflight, timeout_ms);
			return -ETIMEDOUT;
		}
		/* The owners' own cancels first (a closing DHCP port finishes
		 * its lease file fsync); then whatever is left. */
		if (!loop->cancel_busy &&
		    loop_clock_ms() >= start + LOOP_DRAIN_GRACE_MS) {
			struct io_uring_sqe *sqe =
				loop_sqe(loop, &loop->cancel_op);

			io_uring_prep_cancel64(sqe, 0,
					       IORING_ASYNC_CANCEL_ANY |
						       IORING_ASYNC_CANCEL_ALL);
			loop->cancel_busy = true;
		}
		io_uring_submit_and_wait_timeout(&loop->ring, &cqe, 1, &ts,
						 NULL);
		loop_update_now(loop);
		loop_dispatch(loop);
		loop_run_deferred(loop);
	}
	return 0;
}

/**
 * loop_exit_ring() - tear down the ring, ending every request in flight.
 * @loop: the loop
 *
 * After this no completion will name any owner, so owners can be freed
 * directly; the loop's timers stay usable until loop_free().
 */
void loop_exit_ring(struct loop *loop)
{
	if (loop->ring_up) {
		io_uring_queue_exit(&loop->ring);
		loop->ring_up = false;
	}
}

void loop_free(struct loop *loop)
{
	if (!loop)
		return;
	loop_run_deferred(loop);
	free(loop->deferred);
	loop_exit_ring(loop);
	if (loop->rx_ring)
		munmap(loop->rx_ring, loop->rx_ring_size);
	free(loop->rx_bufs);
	if (loop->dgram_ring)
		munmap(loop->dgram_ring, loop->dgram_ring_size);
	free(loop->dgram_bufs);
	free(loop);
}

struct io_uring *loop_ring(struct loop *loop)
{
	return &loop->ring;
}

const struct loop_features *loop_features(const struct loop *loop)
{
	return &loop->features;
}

/**
 * loop_sqe() - get a submission entry whose completion goes to @op.
 * @loop:	the loop
 * @op:		completion record, or NULL for fire-and-forget requests
 *
 * Submits what is queued when the SQ is full, so this never fails.
 *
 * Return: a cleared SQE with user_data set.
 */
struct io_uring_sqe *loop_sqe(struct loop *loop, struct uop *op)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&loop->ring);

	while (!sqe) {
		io_uring_submit(&loop->ring);
		sqe = io_uring_get_sqe(&loop->ring);
	}
	io_uring_sqe_set_data(sqe, op);
	/* Every submission ends with one completion without F_MORE. */
	loop->inflight++;
	return sqe;
}

uint64_t loop_now(const struct loop *loop)
{
	return loop->now;
}

/**
 * loop_warp() - move the loop's clock forward (tests and debug/time-warp).
 * @loop:	the loop
 * @ms:		milliseconds to add
 */
void loop_warp(struct loop *loop, uint64_t ms)
{
	loop->warp += ms;
	loop_update_now(loop);
}

void loop_stop(struct loop *loop)
{
	loop->stop = true;
}

bool loop_stopping(const struct loop *loop)
{
	return loop->stop;
}

void loop_timer_init(struct loop_timer *timer, loop_timer_fn *fn)
{
	*timer = (struct loop_timer){ .fn = fn };
}

/**
 * loop_timer_arm() - (re)arm @timer to fire at @deadline.
 * @loop:	the loop
 * @timer:	an initialised timer, armed or not
 * @deadline:	absolute loop_now() time in ms
 */
void loop_timer_arm(struct loop *loop, struct loop_timer *timer,
		    uint64_t deadline)
{
	timer->deadline = deadline;
	if (timer->armed)
		return;
	timer->armed = true;
	list_push(&loop->timers, &timer->link);
}

void loop_timer_cancel(struct loop *loop, struct loop_timer *timer)
{
	if (!timer->armed)
		return;
	list_unlink(&loop->timers, &timer->link);
	timer->armed = false;
}

/* Fires due timers. */
static void loop_run_timers(struct loop *loop)
{
	bool again = true;

	/* A callback may arm or cancel any timer, so restart the scan after
	 * each one fires instead of trusting a saved next pointer. */
	while (again) {
		again = false;
		list_for_each(t, &loop->timers, struct loop_timer, link) {
			if (t->deadline <= loop->now) {
				loop_timer_cancel(loop, t);
				t->fn(t, loop->now);
				again = true;
				break;
			}
		}
	}
}

/* The earliest deadline of the armed timers, or UINT64_MAX. */
static uint64_t loop_next_deadline(const struct loop *loop)
{
	uint64_t next = UINT64_MAX;

	list_for_each(t, &loop->timers, const struct loop_timer, link)
		next = MIN(next, t->deadline);
	return next;
}

void loop_flush_init(struct loop_flush *flush, loop_flush_fn *fn)
{
	*flush = (struct loop_flush){ .fn = fn };
}

/**
 * loop_want_flush() - ask for @flush->fn to run before the loop sleeps.
 * @loop:	the loop
 * @flush:	the port's flush record; queued at most once
 */
void loop_want_flush(struct loop *loop, struct loop_flush *flush)
{
	if (flush->queued)
		return;
	flush->queued = true;
	flush->next = loop->flushes;
	loop->flushes = flush;
}

static void loop_run_flushes(struct loop *loop)
{
	while (loop->flushes) {
		struct loop_flush *f = loop->flushes;

		loop->flushes = f->next;
		f->queued = false;
		f->next = NULL;
		f->fn(f);
	}
}

/**
 * loop_defer_free() - free @obj with @fn once the current batch is done.
 * @loop:	the loop
 * @obj:	object whose requests have all completed
 * @fn:		its destructor
 *
 * Completions later in the same batch may still name objects the handler
 * of an earlier one decided to drop; deferring keeps them valid.
 */
void loop_defer_free(struct loop *loop, void *obj, loop_free_fn *fn)
{
	if (loop->n_deferred == loop->deferred_cap) {
		size_t cap = loop->deferred_cap ? loop->deferred_cap * 2 : 16;
		struct loop_deferred *d =
			realloc(loop->deferred, cap * sizeof(*d));

		if (!d) {
			/* Out of memory: leaking beats a use-after-free. */
			log_err("out of memory deferring a free");
			return;
		}
		loop->deferred = d;
		loop->deferred_cap = cap;
	}
	loop->deferred[loop->n_deferred++] = (struct loop_deferred){ obj, fn };
}

const uint8_t *loop_rx_buf(struct loop *loop, unsigned int bid)
{
	return loop->rx_bufs + (size_t)bid * LOOP_RX_BUF_SIZE;
}

/**
 * loop_rx_buf_return() - give a provided buffer back to the kernel.
 * @loop:	the loop
 * @bid:	buffer id from the completion's flags
 */
void loop_rx_buf_return(struct loop *loop, unsigned int bid)
{
	io_uring_buf_ring_add(loop->rx_ring,
			      loop->rx_bufs + (size_t)bid * LOOP_RX_BUF_SIZE,
			      LOOP_RX_BUF_SIZE, (unsigned short)bid,
			      io_uring_buf_ring_mask(LOOP_RX_BUFS), 0);
	io_uring_buf_ring_advance(loop->rx_ring, 1);
}

/**
 * loop_dgram_bufs() - make sure the datagram buffer group exists.
 * @loop: the loop
 *
 * Datagrams can be up to 64 KiB and must arrive whole (a truncated one is
 * only detectable, not recoverable), so datagram receivers take buffers
 * of LOOP_DGRAM_BUF_SIZE from their own group, LOOP_DGRAM_BUF_GROUP.  It is
 * registered on first use, so a switch without datagram ports does not pay
 * for it.
 *
 * Return: 0, or a negative errno (receivers then use single-shot
 * receives into their own buffer).
 */
int loop_dgram_bufs(struct loop *loop)
{
	if (loop->dgram_ring)
		return 0;
	if (!loop->ring_up || !loop->features.buf_ring)
		return -EOPNOTSUPP;
	return loop_setup_buf_ring(loop, LOOP_DGRAM_BUFS, LOOP_DGRAM_BUF_SIZE,
				   LOOP_DGRAM_BUF_GROUP, &loop->dgram_ring,
				   &loop->dgram_ring_size, &loop->dgram_bufs);
}

/**
 * loop_dgram_buf() - a buffer of the datagram group, by id.
 * @loop:	the loop
 * @bid:	buffer id from the completion's flags
 *
 * Return: the start of the LOOP_DGRAM_BUF_SIZE bytes.
 */
uint8_t *loop_dgram_buf(struct loop *loop, unsigned int bid)
{
	return loop->dgram_bufs + (size_t)bid * LOOP_DGRAM_BUF_SIZE;
}

/**
 * loop_dgram_buf_return() - give a datagram buffer back to the kernel.
 * @loop:	the loop
 * @bid:	buffer id from the completion's flags
 */
void loop_dgram_buf_return(struct loop *loop, unsigned int bid)
{
	io_uring_buf_ring_add(loop->dgram_ring, loop_dgram_buf(loop, bid),
			      LOOP_DGRAM_BUF_SIZE, (unsigned short)bid,
			      io_uring_buf_ring_mask(LOOP_DGRAM_BUFS), 0);
	io_uring_buf_ring_advance(loop->dgram_ring, 1);
}

static unsigned int loop_dispatch(struct loop *loop)
{
	struct io_uring_cqe *cqe;
	unsigned int head, n = 0;

	io_uring_for_each_cqe (&loop->ring, head, cqe) {
		struct uop *op = io_uring_cqe_get_data(cqe);

		if (!(cqe->flags & IORING_CQE_F_MORE) && loop->inflight)
			loop->inflight--;
		/* user_data 0 marks fire-and-forget requests (cancels). */
		if (op)
			op->done(op, cqe->res, cqe->flags);
		n++;
	}
	io_uring_cq_advance(&loop->ring, n);
	return n;
}

/**
 * loop_run() - run until loop_stop().
 * @loop: the loop
 *
 * Return: 0, or a negative errno if the ring itself failed.
 */
int loop_run(struct loop *loop)
{
	while (!loop->stop) {
		struct __kernel_timespec ts, *tsp = NULL;
		struct io_uring_cqe *cqe;
		uint64_t next;
		int ret;

		loop_update_now(loop);
		loop_run_timers(loop);
		loop_run_flushes(loop);
		loop_run_deferred(loop);
		if (loop->stop)
			break;
		/* After the flushes: they arm timers too (slirp's, aging). */
		next = loop_next_deadline(loop);
		if (next != UINT64_MAX) {
			uint64_t wait = next > loop->now ? next - loop->now : 0;

			ts.tv_sec = (long long)(wait / 1000);
			ts.tv_nsec = (long long)(wait % 1000) * 1000000;
			tsp = &ts;
		}
		ret = io_uring_submit_and_wait_timeout(&loop->ring, &cqe, 1,
						       tsp, NULL);
		if (ret < 0 && ret != -ETIME && ret != -EINTR &&
		    ret != -EBUSY && ret != -EAGAIN) {
			log_err_errno(ret, "io_uring wait failed");
			return ret;
		}
		loop_update_now(loop);
		loop_dispatch(loop);
	}
	loop_run_deferred(loop);
	return 0;
}
