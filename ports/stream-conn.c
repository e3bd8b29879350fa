/*
 * stream-conn.c - QEMU stream connection port engine (see stream-conn.h).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "ports/stream-conn.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "switch/base/log.h"
#include "switch/core/switch.h"
#include "switch/base/util.h"

/* Connection events, not per-frame ones: generous, but still bounded. */
static struct log_rl conn_rl = LOG_RL_INIT(50, 5000);

static void conn_rx_done(struct uop *op, int res, unsigned int flags);
static void conn_tx_done(struct uop *op, int res, unsigned int flags);
static void conn_flush(struct loop_flush *flush);

/**
 * stream_conn_init() - prepare a connection port with no socket yet.
 * @conn:	the connection, embedded in its owner
 * @ops:	port type operations (send must be stream_conn_send)
 * @sw:		the switch
 * @name:	port name
 * @closed:	hook called when a connection has fully closed
 * @tx_frames:	transmit queue bound in frames
 * @tx_bytes:	transmit queue bound in bytes
 *
 * Return: 0 or -ENOMEM.
 */
int stream_conn_init(struct stream_conn *conn, const struct port_ops *ops,
		     struct vsw *sw, const char *name,
		     stream_conn_closed_fn *closed, unsigned int tx_frames,
		     size_t tx_bytes)
{
	port_init(&conn->port, ops, sw, name);
	conn->loop = vsw_loop(sw);
	conn->closed = closed;
	conn->fd = -1;
	conn->rx_op.done = conn_rx_done;
	conn->tx_op.done = conn_tx_done;
	loop_flush_init(&conn->flush, conn_flush);
	stream_dec_init(&conn->dec, vsw_get_params(sw)->max_frame);
	if (!loop_features(conn->loop)->multishot_recv) {
		conn->rx_buf = malloc(LOOP_RX_BUF_SIZE);
		if (!conn->rx_buf)
			return -ENOMEM;
	}
	return txq_init(&conn->txq, tx_bytes, tx_frames);
}

/**
 * stream_conn_fini() - release what stream_conn_init() allocated.
 * @conn: the connection; its socket must be closed or never opened
 */
void stream_conn_fini(struct stream_conn *conn)
{
	if (conn->fd >= 0)
		close(conn->fd);
	conn->fd = -1;
	stream_dec_fini(&conn->dec);
	txq_fini(&conn->txq);
	free(conn->rx_buf);
	conn->rx_buf = NULL;
}

static void conn_arm_rx(struct stream_conn *conn)
{
	struct io_uring_sqe *sqe = loop_sqe(conn->loop, &conn->rx_op);

	if (conn->rx_buf) {
		io_uring_prep_recv(sqe, conn->fd, conn->rx_buf,
				   LOOP_RX_BUF_SIZE, 0);
	} else {
		io_uring_prep_recv_multishot(sqe, conn->fd, NULL, 0, 0);
		sqe->flags |= IOSQE_BUFFER_SELECT;
		sqe->buf_group = LOOP_RX_BUF_GROUP;
	}
	conn->inflight++;
}

/**
 * stream_conn_attach() - start using a connected socket.
 * @conn:	an idle connection (never attached, or fully closed)
 * @fd:		connected stream socket; the connection owns it from now on
 */
void stream_conn_attach(struct stream_conn *conn, int fd)
{
	conn->fd = fd;
	conn->attached = true;
	conn->closing = false;
	conn->tx_busy = false;
	stream_dec_reset(&conn->dec);
	txq_clear(&conn->txq);
	conn->port.stats.connects++;
	conn_arm_rx(conn);
	vsw_port_up(conn->port.sw, &conn->port);
}

static void conn_finish_close(struct stream_conn *conn)
{
	close(conn->fd);
	conn->fd = -1;
	conn->attached = false;
	txq_clear(&conn->txq);
	conn->closed(conn);
}

/**
 * stream_conn_close() - drop the connection (idempotent).
 * @conn:	the connection
 * @level:	log level of the line that says why
 * @why:	reason for the log line
 * @err:	negative errno behind it, or 0
 *
 * The port leaves forwarding now; the owner's closed() hook runs once the
 * requests in flight have ended, possibly later in this batch.
 */
void stream_conn_close(struct stream_conn *conn, enum log_level level,
		       const char *why, int err)
{
	struct io_uring_sqe *sqe;

	if (!conn->attached || conn->closing)
		return;
	conn->closing = true;
	conn->port.stats.disconnects++;
	if (err)
		log_msg_rl(&conn_rl, level, "port %s (%s): %s: %s",
			   conn->port.name, conn->port.peer, why,
			   strerror(-err));
	else
		log_msg_rl(&conn_rl, level, "port %s (%s): %s", conn->port.name,
			   conn->port.peer, why);
	vsw_port_down(conn->port.sw, &conn->port);
	/* Shutting the socket down completes a pending recv or send at once;
	 * the cancel covers a recv that is between polls. */
	shutdown(conn->fd, SHUT_RDWR);
	if (conn->inflight) {
		sqe = loop_sqe(conn->loop, NULL);
		io_uring_prep_cancel64(sqe, (uint64_t)(uintptr_t)&conn->rx_op,
				       0);
		return;
	}
	conn_finish_close(conn);
}

/* The connection's requests have ended: finish a pending close. */
static void conn_settle(struct stream_conn *conn)
{
	if (conn->closing && conn->attached && !conn->inflight)
		conn_finish_close(conn);
}

/*
 * Frames decoded in place stay valid until the receive buffer goes back:
 * they are batched (see vsw_batch_add()).  A gathered one lives in the
 * decoder's buffer, which the next frame reuses: it goes alone, after
 * the batch before it.
 */
static void conn_frame(void *aux, const uint8_t *frame, size_t len)
{
	struct stream_conn *conn = aux;

	if (frame == conn->dec.buf)
		vsw_input(conn->port.sw, &conn->port, frame, len);
	else
		vsw_batch_add(conn->port.sw, &conn->port, frame, len);
}

static void conn_rx_data(struct stream_conn *conn, const uint8_t *data,
			 size_t len)
{
	int ret;

	if (conn->closing)
		return;
	ret = stream_dec_feed(&conn->dec, data, len, conn_frame, conn);
	vsw_batch_flush(conn->port.sw);
	if (unlikely(conn->dec.oversized)) {
		static struct log_rl big_rl = LOG_RL_INIT(5, 10000);

		conn->port.stats.rx_too_big += conn->dec.oversized;
		conn->dec.oversized = 0;
		log_warn_rl(&big_rl,
			    "port %s (%s): dropped a frame above max_frame "
			    "(%u bytes)",
			    conn->port.name, conn->port.peer,
			    conn->dec.max_frame);
	}
	if (ret) {
		char why[128];

		if (ret == -EPROTO)
			conn->port.stats.rx_bad_len++;
		snprintf(why, sizeof(why), "%s; closing the connection",
			 stream_dec_error(&conn->dec, ret));
		stream_conn_close(conn, LOG_LVL_WARN, why, 0);
	}
}

static void conn_rx_done(struct uop *op, int res, unsigned int flags)
{
	struct stream_conn *conn = container_of(op, struct stream_conn, rx_op);
	bool more = flags & IORING_CQE_F_MORE;

	if (!more)
		conn->inflight--;
	if (res > 0) {
		if (flags & IORING_CQE_F_BUFFER) {
			unsigned int bid = flags >> IORING_CQE_BUFFER_SHIFT;

			conn_rx_data(conn, loop_rx_buf(conn->loop, bid),
				     (size_t)res);
			loop_rx_buf_return(conn->loop, bid);
		} else if (conn->rx_buf) {
			conn_rx_data(conn, conn->rx_buf, (size_t)res);
		}
	} else if (res == 0) {
		stream_conn_close(conn, LOG_LVL_INFO,
				  "peer closed the connection", 0);
	} else if (res != -ENOBUFS && res != -EAGAIN && res != -EINTR &&
		   res != -ECANCELED) {
		stream_conn_close(conn, LOG_LVL_WARN, "receive failed", res);
	}
	/* A multishot recv that ended (buffers ran dry, CQ overflow) or a
	 * single-shot one that completed is re-armed while we still care. */
	if (!more) {
		if (conn->closing)
			conn_settle(conn);
		else if (conn->attached)
			conn_arm_rx(conn);
	}
}

static void conn_flush(struct loop_flush *flush)
{
	struct stream_conn *conn =
		container_of(flush, struct stream_conn, flush);
	struct io_uring_sqe *sqe;
	const uint8_t *data;
	size_t len;

	if (conn->tx_busy || conn->closing || !conn->attached)
		return;
	len = txq_peek(&conn->txq, &data);
	if (!len)
		return;
	sqe = loop_sqe(conn->loop, &conn->tx_op);
	io_uring_prep_send(sqe, conn->fd, data, len, MSG_NOSIGNAL);
	txq_send_begin(&conn->txq);
	conn->tx_busy = true;
	conn->inflight++;
}

static void conn_tx_done(struct uop *op, int res, unsigned int flags)
{
	struct stream_conn *conn = container_of(op, struct stream_conn, tx_op);
	struct port_stats *st = &conn->port.stats;

	conn->inflight--;
	conn->tx_busy = false;
	txq_send_end(&conn->txq);
	if (res > 0) {
		st->tx_frames +=
			txq_consume(&conn->txq, (size_t)res, &st->tx_bytes);
	} else if (res != -EAGAIN && res != -EINTR && res != -ECANCELED) {
		stream_conn_close(conn, LOG_LVL_WARN, "send failed",
				  res ? res : -EPIPE);
	}
	if (conn->closing)
		conn_settle(conn);
	else if (!txq_empty(&conn->txq))
		conn_flush(&conn->flush);
}

/*
 * A queue past half full within one batch of completions means a burst is
 * arriving faster than the loop would flush it (a batch can carry
 * megabytes of input).  Push what the socket takes right now, so a peer
 * that reads promptly loses nothing; a peer that does not read stays
 * behind the normal io_uring send and its queue's bound.
 */
static void conn_send_now(struct stream_conn *conn)
{
	struct port_stats *st = &conn->port.stats;

	while (!conn->tx_busy && !txq_empty(&conn->txq)) {
		const uint8_t *data;
		size_t len = txq_peek(&conn->txq, &data);
		ssize_t n =
			send(conn->fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n <= 0)
			return; /* full or failing: the io_uring send decides */
		st->tx_frames +=
			txq_consume(&conn->txq, (size_t)n, &st->tx_bytes);
		if ((size_t)n < len)
			return;
	}
}

/**
 * stream_conn_send() - port_ops.send for stream connections.
 * @port:	a struct stream_conn's port
 * @frame:	frame, copied
 * @len:	its length
 *
 * Return: 0, -ENOBUFS if the queue is full, -ENOTCONN if not connected.
 */
int stream_conn_send(struct port *port, const uint8_t *frame, size_t len)
{
	struct stream_conn *conn = container_of(port, struct stream_conn, port);
	uint8_t hdr[STREAM_HDR_LEN];

	if (!conn->attached || conn->closing)
		return -ENOTCONN;
	stream_put_hdr(hdr, (uint32_t)len);
	if (!txq_push(&conn->txq, hdr, sizeof(hdr), frame, len))
		return -ENOBUFS;
	if (conn->txq.n_frames > port->stats.tx_queue_hwm)
		port->stats.tx_queue_hwm = conn->txq.n_frames;
	if (unlikely(conn->txq.n_frames > conn->txq.max_frames / 2 ||
		     conn->txq.tail - conn->txq.head > conn->txq.size / 2))
		conn_send_now(conn);
	loop_want_flush(conn->loop, &conn->flush);
	return 0;
}

/**
 * stream_conn_show() - describe the connection for the control socket.
 * @conn:	the connection
 * @obj:	JSON object to add "state" and "tx_queue" to
 */
void stream_conn_show(const struct stream_conn *conn, json_t *obj)
{
	const struct txq *q = &conn->txq;
	const char *state = conn->closing    ? "closing"
			    : conn->attached ? "up"
					     : "down";

	json_object_set_new(obj, "state", json_string(state));
	txq_show(q, obj);
}
