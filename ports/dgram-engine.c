/*
 * dgram-engine.c - the datagram receive and send engines (see dgram.h),
 * shared by the udp and unix-dgram ports (dgram.c) and mcast (mcast.c).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "ports/dgram.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "switch/core/port.h"
#include "switch/base/log.h"
#include "switch/base/util.h"

/* ----- receive engine ----- */

static void dgram_rx_done(struct uop *op, int res, unsigned int flags);

/**
 * dgram_rx_init() - prepare a receive engine; nothing is armed yet.
 * @rx:		the engine, embedded in its owner
 * @loop:	event loop
 * @fd:		bound datagram socket (stays the caller's)
 * @input:	datagram handler
 * @stopped:	called once the request has ended after dgram_rx_stop()
 *
 * Return: 0 or -ENOMEM.
 */
int dgram_rx_init(struct dgram_rx *rx, struct loop *loop, int fd,
		  dgram_rx_fn *input, dgram_rx_stopped_fn *stopped)
{
	*rx = (struct dgram_rx){ .loop = loop, .fd = fd, .input = input,
				 .stopped = stopped };
	rx->op.done = dgram_rx_done;
	rx->multishot = loop_features(loop)->multishot_recv &&
			loop_dgram_bufs(loop) == 0;
	if (!rx->multishot) {
		rx->buf = malloc(LOOP_DGRAM_BUF_SIZE);
		if (!rx->buf)
			return -ENOMEM;
	}
	return 0;
}

/**
 * dgram_rx_fini() - free the engine's buffer.
 * @rx: the engine, with no request in flight (or the ring torn down)
 */
void dgram_rx_fini(struct dgram_rx *rx)
{
	free(rx->buf);
	rx->buf = NULL;
}

static void dgram_rx_arm(struct dgram_rx *rx)
{
	struct io_uring_sqe *sqe = loop_sqe(rx->loop, &rx->op);

	memset(&rx->msg, 0, sizeof(rx->msg));
	if (rx->multishot) {
		/* Only the lengths of name and control data matter here:
		 * they lay out each provided buffer. */
		rx->msg.msg_namelen = sizeof(struct sockaddr_storage);
		io_uring_prep_recvmsg_multishot(sqe, rx->fd, &rx->msg,
						MSG_TRUNC);
		sqe->flags |= IOSQE_BUFFER_SELECT;
		sqe->buf_group = LOOP_DGRAM_BUF_GROUP;
	} else {
		rx->iov = (struct iovec){ rx->buf, LOOP_DGRAM_BUF_SIZE };
		rx->msg.msg_name = &rx->name;
		rx->msg.msg_namelen = sizeof(rx->name);
		rx->msg.msg_iov = &rx->iov;
		rx->msg.msg_iovlen = 1;
		/* MSG_TRUNC: the result is the datagram's real length. */
		io_uring_prep_recvmsg(sqe, rx->fd, &rx->msg, MSG_TRUNC);
	}
	rx->armed = true;
}

/**
 * dgram_rx_start() - arm the first receive.
 * @rx: the engine
 */
void dgram_rx_start(struct dgram_rx *rx)
{
	if (!rx->armed && !rx->stopping)
		dgram_rx_arm(rx);
}

/**
 * dgram_rx_stop() - cancel the receive; ->stopped() runs when it has ended.
 * @rx: the engine (idempotent)
 */
void dgram_rx_stop(struct dgram_rx *rx)
{
	struct io_uring_sqe *sqe;

	if (rx->stopping)
		return;
	rx->stopping = true;
	if (!rx->armed) {
		rx->stopped(rx);
		return;
	}
	sqe = loop_sqe(rx->loop, NULL);
	io_uring_prep_cancel64(sqe, (uint64_t)(uintptr_t)&rx->op, 0);
}

static void dgram_rx_multishot(struct dgram_rx *rx, int res,
			       unsigned int flags)
{
	unsigned int bid = flags >> IORING_CQE_BUFFER_SHIFT;
	uint8_t *buf = loop_dgram_buf(rx->loop, bid);
	struct io_uring_recvmsg_out *out;

	out = io_uring_recvmsg_validate(buf, res, &rx->msg);
	if (out && !rx->stopping) {
		size_t room = (size_t)res - ((uint8_t *)
			io_uring_recvmsg_payload(out, &rx->msg) - buf);
		socklen_t name_len = MIN(out->namelen, rx->msg.msg_namelen);

		rx->input(rx, io_uring_recvmsg_name(out), name_len,
			  io_uring_recvmsg_payload(out, &rx->msg),
			  out->payloadlen,
			  (out->flags & MSG_TRUNC) || out->payloadlen > room);
	}
	loop_dgram_buf_return(rx->loop, bid);
}

static void dgram_rx_done(struct uop *op, int res, unsigned int flags)
{
	struct dgram_rx *rx = container_of(op, struct dgram_rx, op);
	bool more = flags & IORING_CQE_F_MORE;
	static struct log_rl rl = LOG_RL_INIT(5, 10000);

	if (!more)
		rx->armed = false;
	if (flags & IORING_CQE_F_BUFFER) {
		dgram_rx_multishot(rx, res, flags);
	} else if (res >= 0 && !rx->multishot && !rx->stopping) {
		rx->input(rx, (struct sockaddr *)&rx->name, rx->msg.msg_namelen,
			  rx->buf, (size_t)res,
			  (size_t)res > LOOP_DGRAM_BUF_SIZE ||
				  (rx->msg.msg_flags & MSG_TRUNC));
	} else if (res == -EINVAL && rx->multishot && !rx->stopping) {
		/* A kernel without multishot recvmsg: one at a time. */
		rx->buf = malloc(LOOP_DGRAM_BUF_SIZE);
		if (rx->buf)
			rx->multishot = false;
	} else if (res < 0 && res != -ENOBUFS && res != -EAGAIN &&
		   res != -EINTR && res != -ECANCELED &&
		   res != -ECONNREFUSED) {
		/* ECONNREFUSED is an ICMP error for an earlier send. */
		log_warn_rl(&rl, "datagram receive: %s", strerror(-res));
	}
	if (more)
		return;
	if (rx->stopping)
		rx->stopped(rx);
	else
		dgram_rx_arm(rx);
}

/* ----- send engine ----- */

static void dgram_tx_done(struct uop *op, int res, unsigned int flags);
static void dgram_tx_flush(struct loop_flush *flush);

/**
 * dgram_tx_init() - prepare a send engine.
 * @tx:		the engine, embedded in its owner
 * @port:	port whose counters it keeps
 * @loop:	event loop
 * @fd:		socket to send from (stays the caller's)
 * @dst:	destination of every datagram
 * @stopped:	called once the send in flight has ended after
 *		dgram_tx_stop()
 * @frames:	queue bound in frames
 * @bytes:	queue bound in bytes
 *
 * Return: 0 or -ENOMEM.
 */
int dgram_tx_init(struct dgram_tx *tx, struct port *port, struct loop *loop,
		  int fd, const struct vsw_sockaddr *dst,
		  dgram_tx_stopped_fn *stopped, unsigned int frames,
		  size_t bytes)
{
	*tx = (struct dgram_tx){ .port = port, .loop = loop, .fd = fd,
				 .dst = *dst, .stopped = stopped };
	tx->op.done = dgram_tx_done;
	loop_flush_init(&tx->flush, dgram_tx_flush);
	return txq_init(&tx->txq, bytes, frames);
}

/**
 * dgram_tx_fini() - free the queue.
 * @tx: the engine, with no send in flight (or the ring torn down)
 */
void dgram_tx_fini(struct dgram_tx *tx)
{
	txq_fini(&tx->txq);
}

static void dgram_tx_flush(struct loop_flush *flush)
{
	struct dgram_tx *tx = container_of(flush, struct dgram_tx, flush);
	struct io_uring_sqe *sqe;
	int n;

	if (tx->busy || tx->stopping)
		return;
	n = txq_peek_frame(&tx->txq, tx->iov);
	if (!n)
		return;
	tx->msg = (struct msghdr){ .msg_name = &tx->dst.ss,
				   .msg_namelen = tx->dst.len,
				   .msg_iov = tx->iov,
				   .msg_iovlen = (size_t)n };
	sqe = loop_sqe(tx->loop, &tx->op);
	io_uring_prep_sendmsg(sqe, tx->fd, &tx->msg,
			      MSG_DONTWAIT | MSG_NOSIGNAL);
	txq_send_begin(&tx->txq);
	tx->busy = true;
}

static void dgram_tx_done(struct uop *op, int res, unsigned int flags)
{
	struct dgram_tx *tx = container_of(op, struct dgram_tx, op);
	struct port_stats *st = &tx->port->stats;
	static struct log_rl rl = LOG_RL_INIT(5, 10000);
	uint64_t bytes = 0;

	(void)flags;
	tx->busy = false;
	txq_send_end(&tx->txq);
	if (tx->stopping) {
		txq_clear(&tx->txq);
		tx->stopped(tx);
		return;
	}
	/* Sent or not, the frame is done with: datagrams are not retried. */
	txq_consume(&tx->txq, tx->iov[0].iov_len +
				      (tx->msg.msg_iovlen > 1
					       ? tx->iov[1].iov_len : 0),
		    &bytes);
	if (res >= 0) {
		st->tx_frames++;
		st->tx_bytes += bytes;
	} else if (!port_count_tx_error(tx->port, res)) {
		/* Too big, full, nobody bound there (yet) are counted only:
		 * they happen per frame.  The port stays up either way: a
		 * datagram peer has no connection to lose. */
		log_warn_rl(&rl, "port %s: send to %s: %s", tx->port->name,
			    tx->port->peer, strerror(-res));
	}
	dgram_tx_flush(&tx->flush);
}

/**
 * dgram_tx_send() - queue one frame (port_ops.send helper).
 * @tx:		the engine
 * @frame:	frame, copied
 * @len:	its length
 *
 * Return: 0, -ENOBUFS if the queue is full, -ENOTCONN when stopping.
 */
int dgram_tx_send(struct dgram_tx *tx, const uint8_t *frame, size_t len)
{
	if (tx->stopping)
		return -ENOTCONN;
	if (!txq_push(&tx->txq, NULL, 0, frame, len))
		return -ENOBUFS;
	if (tx->txq.n_frames > tx->port->stats.tx_queue_hwm)
		tx->port->stats.tx_queue_hwm = tx->txq.n_frames;
	loop_want_flush(tx->loop, &tx->flush);
	return 0;
}

/**
 * dgram_tx_stop() - stop sending; ->stopped() runs once nothing is in flight.
 * @tx: the engine (call once)
 */
void dgram_tx_stop(struct dgram_tx *tx)
{
	struct io_uring_sqe *sqe;

	tx->stopping = true;
	/* The queue empties once the send in flight, which reads it, ends. */
	if (!tx->busy) {
		txq_clear(&tx->txq);
		tx->stopped(tx);
		return;
	}
	sqe = loop_sqe(tx->loop, NULL);
	io_uring_prep_cancel64(sqe, (uint64_t)(uintptr_t)&tx->op, 0);
}

/**
 * dgram_tx_show() - add "tx_queue" to a port description.
 * @tx:		the engine
 * @obj:	JSON object
 */
void dgram_tx_show(const struct dgram_tx *tx, json_t *obj)
{
	const struct txq *q = &tx->txq;

	txq_show(q, obj);
}
