/*
 * ctl.c - control socket transport (see ctl.h): sockets, framing into
 * lines, the buffers in flight and capture streams.  Each request line
 * goes to ctl_dispatch() and its reply comes back as text; what the
 * commands are is none of this file's business.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/control/ctl.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "switch/core/port.h"
#include "switch/base/unix-sock.h"
#include "switch/config/cfg.h"
#include "switch/control/ctl-dispatch.h"
#include "switch/base/iobuf.h"
#include "switch/base/log.h"
#include "switch/base/loop.h"
#include "switch/base/util.h"

enum {
	CTL_BACKLOG = 16,
	/* Stop taking requests while this much output waits unread. */
	CTL_OUT_PAUSE = 256 * 1024,
	/* A capture never queues more than this; later frames are dropped. */
	CTL_CAPTURE_MAX = 4 << 20,
	CTL_RETRY_MS = 100,
};

/**
 * struct ctl_client - one connected control client.
 * @srv:	its server
 * @fd:		connected socket
 * @rx_op, @tx_op: completion records
 * @flush:	flush record (captures send at the end of a batch)
 * @inflight:	requests in flight
 * @rx_armed, @tx_busy: a recv / send is in flight
 * @closing:	on its way out
 * @close_after_flush: close once the output is sent (line too long)
 * @eof:	the client shut down its sending side; answer what came, then
 *		close
 * @discard:	after an over-long line: ignore input until the client
 *		closes, so it reads our error reply rather than a reset
 * @wr_shut:	our sending side is shut down (after the error reply)
 * @in:		request bytes, at most CTL_MAX_LINE; a recv in flight
 *		fills its tail (so answered lines are consumed, never moved)
 * @out:	reply bytes; a send in flight reads its front
 * @capture:	the port being captured, NULL when not capturing
 * @tap:	tap on @capture
 * @snaplen:	capture snapshot length
 * @cap_hdr_due: the pcap file header goes right after the reply
 * @cap_frames, @cap_drops: capture counters
 * @link:	on the server's client list
 */
struct ctl_client {
	struct ctl_server *srv;
	int fd;
	struct uop rx_op, tx_op;
	struct loop_flush flush;
	unsigned int inflight;
	bool rx_armed, tx_busy, closing, close_after_flush, eof;
	bool discard, wr_shut;
	struct iobuf in;
	struct iobuf out;
	struct port *capture;
	struct port_tap tap;
	uint32_t snaplen;
	bool cap_hdr_due;
	uint64_t cap_frames, cap_drops;
	struct list_node link;
};

/**
 * struct ctl_server - the listening control socket.
 * @reg:	the commands it answers
 * @loop:	event loop
 * @fd:		listening socket
 * @path:	its path
 * @id:		identity of the socket file
 * @accept_op:	completion record of the accept
 * @armed:	an accept is in flight
 * @multishot:	accept with a multishot request
 * @retry:	re-arms accept after a resource shortage
 * @clients:	connected clients
 * @n_clients:	how many
 * @max_clients: limit
 */
struct ctl_server {
	struct ctl_registry reg;
	struct loop *loop;
	int fd;
	char path[CFG_PATH_MAX];
	struct unix_sock_id id;
	struct uop accept_op;
	bool armed, multishot;
	struct loop_timer retry;
	struct list_head clients;
	unsigned int n_clients, max_clients;
};

static struct log_rl ctl_rl = LOG_RL_INIT(5, 5000);

static void ctl_client_rx_done(struct uop *op, int res, unsigned int flags);
static void ctl_client_tx_done(struct uop *op, int res, unsigned int flags);
static void ctl_client_flush(struct loop_flush *flush);
static void ctl_client_process(struct ctl_client *c);
static void ctl_pcap_header(struct ctl_client *c);

/* ---- output ---------------------------------------------------------- */

static void ctl_out_append(struct ctl_client *c, const void *data, size_t n)
{
	if (!iobuf_append(&c->out, data, n)) {
		log_warn_rl(&ctl_rl, "control: out of memory for a reply");
		c->close_after_flush = true;
	}
}

static size_t ctl_out_pending(const struct ctl_client *c)
{
	return iobuf_len(&c->out);
}

static void ctl_client_send(struct ctl_client *c)
{
	struct io_uring_sqe *sqe;
	const uint8_t *p;
	size_t n;

	if (c->tx_busy || c->closing || !ctl_out_pending(c))
		return;
	n = iobuf_send_span(&c->out, &p);
	sqe = loop_sqe(c->srv->loop, &c->tx_op);
	io_uring_prep_send(sqe, c->fd, p, n, MSG_NOSIGNAL);
	c->tx_busy = true;
	c->inflight++;
}

/* Queues a reply line (from ctl-dispatch.c; NULL: it ran out of memory). */
static void ctl_reply(struct ctl_client *c, char *text)
{
	static const char oom[] =
		"{\"ok\":false,\"errno\":12,\"error\":\"out of memory\"}\n";

	if (!text) {
		ctl_out_append(c, oom, sizeof(oom) - 1);
		return;
	}
	ctl_out_append(c, text, strlen(text));
	ctl_out_append(c, "\n", 1);
	free(text);
}

/* ---- client life cycle ------------------------------------------------ */

static void ctl_capture_stop(struct ctl_client *c)
{
	if (!c->capture)
		return;
	log_info("control: capture on port %s ended (%llu frames, %llu "
		 "dropped)",
		 c->capture->name, (unsigned long long)c->cap_frames,
		 (unsigned long long)c->cap_drops);
	port_tap_del(c->capture, &c->tap);
	c->capture = NULL;
}

static void ctl_client_free(struct ctl_client *c)
{
	struct ctl_server *srv = c->srv;

	list_unlink(&srv->clients, &c->link);
	srv->n_clients--;
	iobuf_free(&c->in);
	iobuf_free(&c->out);
	free(c);
}

static void ctl_client_free_deferred(void *obj)
{
	ctl_client_free(obj);
}

static void ctl_client_settle(struct ctl_client *c)
{
	if (!c->closing || c->inflight || c->fd < 0)
		return;
	close(c->fd);
	c->fd = -1;
	loop_defer_free(c->srv->loop, c, ctl_client_free_deferred);
}

static void ctl_client_close(struct ctl_client *c)
{
	struct io_uring_sqe *sqe;

	if (c->closing)
		return;
	c->closing = true;
	ctl_capture_stop(c);
	shutdown(c->fd, SHUT_RDWR);
	if (c->rx_armed) {
		sqe = loop_sqe(c->srv->loop, NULL);
		io_uring_prep_cancel64(sqe, (uint64_t)(uintptr_t)&c->rx_op, 0);
	}
	ctl_client_settle(c);
}

static void ctl_client_arm_rx(struct ctl_client *c)
{
	struct io_uring_sqe *sqe;
	uint8_t *p;
	size_t room;

	if (c->rx_armed || c->closing || iobuf_len(&c->in) >= CTL_MAX_LINE)
		return;
	room = iobuf_recv_span(&c->in, &p);
	if (!room) {
		/* Out of memory: the client cannot be served. */
		iobuf_recv_done(&c->in, 0);
		ctl_client_close(c);
		return;
	}
	sqe = loop_sqe(c->srv->loop, &c->rx_op);
	io_uring_prep_recv(sqe, c->fd, p, room, 0);
	c->rx_armed = true;
	c->inflight++;
}

/* ---- requests --------------------------------------------------------- */

static void ctl_handle_line(struct ctl_client *c, const char *line,
			    size_t len)
{
	ctl_reply(c, ctl_dispatch(&c->srv->reg, c, line, len));
	/* A capture's stream starts right after the reply that started it. */
	if (c->cap_hdr_due) {
		c->cap_hdr_due = false;
		ctl_pcap_header(c);
	}
}

/*
 * Answers complete lines until the output backs up.  Answered lines are
 * consumed from the front of @in, never moved: a recv may be in flight
 * into its tail (armed while the output was paused), see iobuf.h.
 */
static void ctl_client_process(struct ctl_client *c)
{
	struct iobuf *in = &c->in;

	while (!c->closing && !c->capture && !c->close_after_flush &&
	       !c->discard && ctl_out_pending(c) < CTL_OUT_PAUSE) {
		const char *line = (const char *)iobuf_bytes(in);
		const char *nl = memchr(line, '\n', iobuf_len(in));
		size_t len;

		if (!nl)
			break;
		len = (size_t)(nl - line);
		/* Blank lines (a bare Enter in socat) are ignored. */
		if (len && !(len == 1 && line[0] == '\r'))
			ctl_handle_line(c, line, len);
		iobuf_consume(in, len + 1);
	}
	/* At EOF a last line may lack its newline; then we are done. */
	if (c->eof && !c->closing && !c->close_after_flush && !c->discard &&
	    !memchr(iobuf_bytes(in), '\n', iobuf_len(in))) {
		if (iobuf_len(in) && !c->capture)
			ctl_handle_line(c, (const char *)iobuf_bytes(in),
					iobuf_len(in));
		iobuf_consume(in, iobuf_len(in));
		c->close_after_flush = true;
	}
	if (iobuf_len(in) >= CTL_MAX_LINE && !c->close_after_flush &&
	    !memchr(iobuf_bytes(in), '\n', iobuf_len(in))) {
		ctl_reply(c, ctl_reply_error(NULL, -EMSGSIZE,
					     "request line too long (limit "
					     "65536 bytes)"));
		iobuf_consume(in, iobuf_len(in));
		c->discard = true;
	}
	ctl_client_send(c);
	if (c->discard && !ctl_out_pending(c) && !c->wr_shut && !c->closing) {
		shutdown(c->fd, SHUT_WR);
		c->wr_shut = true;
	}
	if (c->close_after_flush && !ctl_out_pending(c))
		ctl_client_close(c);
	else if (!c->close_after_flush && !c->eof)
		ctl_client_arm_rx(c);
}

static void ctl_client_rx_done(struct uop *op, int res, unsigned int flags)
{
	struct ctl_client *c = container_of(op, struct ctl_client, rx_op);

	c->inflight--;
	c->rx_armed = false;
	iobuf_recv_done(&c->in, res > 0 ? (size_t)res : 0);
	if (c->closing) {
		ctl_client_settle(c);
		return;
	}
	if (res == 0 && c->discard) {
		ctl_client_close(c);
		return;
	} else if (res == 0 && !c->capture) {
		c->eof = true;
	} else if (res <= 0 && res != -EAGAIN && res != -EINTR) {
		ctl_client_close(c);
		return;
	}
	if (res > 0) {
		/* A capture stream is one-way: input only tells us it ended. */
		if (c->capture || c->discard)
			iobuf_consume(&c->in, iobuf_len(&c->in));
	}
	ctl_client_process(c);
}

static void ctl_client_tx_done(struct uop *op, int res, unsigned int flags)
{
	struct ctl_client *c = container_of(op, struct ctl_client, tx_op);

	c->inflight--;
	c->tx_busy = false;
	iobuf_send_done(&c->out, res > 0 ? (size_t)res : 0);
	if (c->closing) {
		ctl_client_settle(c);
		return;
	}
	if (res < 0 && res != -EAGAIN && res != -EINTR) {
		ctl_client_close(c);
		return;
	}
	ctl_client_process(c);
}

static void ctl_client_flush(struct loop_flush *flush)
{
	ctl_client_send(container_of(flush, struct ctl_client, flush));
}

/* ---- capture ---------------------------------------------------------- */

/* Classic libpcap file format, microsecond timestamps, link type 1. */
static void ctl_pcap_header(struct ctl_client *c)
{
	uint32_t hdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, c->snaplen, 1 };

	ctl_out_append(c, hdr, sizeof(hdr));
}

static void ctl_capture_frame(struct port_tap *tap, const uint8_t *frame,
			      size_t len)
{
	struct ctl_client *c = container_of(tap, struct ctl_client, tap);
	size_t cap = MIN(len, (size_t)c->snaplen);
	struct timespec ts;
	uint32_t rec[4];

	if (ctl_out_pending(c) + sizeof(rec) + cap > CTL_CAPTURE_MAX) {
		c->cap_drops++;
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	rec[0] = (uint32_t)ts.tv_sec;
	rec[1] = (uint32_t)(ts.tv_nsec / 1000);
	rec[2] = (uint32_t)cap;
	rec[3] = (uint32_t)len;
	ctl_out_append(c, rec, sizeof(rec));
	ctl_out_append(c, frame, cap);
	c->cap_frames++;
	loop_want_flush(c->srv->loop, &c->flush);
}

/* The port went away: end the stream once what was captured is sent. */
static void ctl_capture_detach(struct port_tap *tap)
{
	struct ctl_client *c = container_of(tap, struct ctl_client, tap);

	log_info("control: capture on port %s ended: the port was removed",
		 c->capture->name);
	c->capture = NULL;
	c->close_after_flush = true;
	if (!ctl_out_pending(c))
		ctl_client_close(c);
}

/**
 * ctl_client_start_capture() - turn a client into a pcap stream of a port.
 * @client:	the client that asked
 * @port:	the port to watch
 * @snaplen:	bytes kept of each frame
 *
 * The reply to the capture request goes out first; every later byte on
 * the connection is pcap data, until the client closes it.
 *
 * Return: 0.
 */
int ctl_client_start_capture(struct ctl_client *client, struct port *port,
			     uint32_t snaplen)
{
	client->capture = port;
	client->snaplen = snaplen;
	client->cap_hdr_due = true;
	client->tap.fn = ctl_capture_frame;
	client->tap.detach = ctl_capture_detach;
	port_tap_add(port, &client->tap);
	log_info("control: capture on port %s started", port->name);
	return 0;
}

/* ---- listener --------------------------------------------------------- */

static void ctl_arm_accept(struct ctl_server *srv)
{
	struct io_uring_sqe *sqe = loop_sqe(srv->loop, &srv->accept_op);

	if (srv->multishot)
		io_uring_prep_multishot_accept(sqe, srv->fd, NULL, NULL,
					       SOCK_NONBLOCK | SOCK_CLOEXEC);
	else
		io_uring_prep_accept(sqe, srv->fd, NULL, NULL,
				     SOCK_NONBLOCK | SOCK_CLOEXEC);
	srv->armed = true;
}

static void ctl_take(struct ctl_server *srv, int fd)
{
	struct ctl_client *c;

	if (srv->n_clients >= srv->max_clients) {
		log_warn_rl(&ctl_rl,
			    "control: refusing a client: max_clients (%u) "
			    "reached",
			    srv->max_clients);
		close(fd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	iobuf_init(&c->in, CTL_MAX_LINE);
	iobuf_init(&c->out, 0);
	c->srv = srv;
	c->fd = fd;
	c->rx_op.done = ctl_client_rx_done;
	c->tx_op.done = ctl_client_tx_done;
	loop_flush_init(&c->flush, ctl_client_flush);
	list_push(&srv->clients, &c->link);
	srv->n_clients++;
	ctl_client_arm_rx(c);
}

static void ctl_retry(struct loop_timer *timer, uint64_t now)
{
	struct ctl_server *srv = container_of(timer, struct ctl_server, retry);

	if (!srv->armed)
		ctl_arm_accept(srv);
}

static void ctl_accept_done(struct uop *op, int res, unsigned int flags)
{
	struct ctl_server *srv = container_of(op, struct ctl_server, accept_op);
	bool more = flags & IORING_CQE_F_MORE;

	if (!more)
		srv->armed = false;
	if (res >= 0) {
		ctl_take(srv, res);
	} else if (res == -EINVAL && srv->multishot) {
		srv->multishot = false;
	} else if (res == -ECANCELED) {
		return;
	} else if (res != -EAGAIN && res != -EINTR && res != -ECONNABORTED) {
		log_warn_rl(&ctl_rl, "control: accept: %s", strerror(-res));
		if (!more)
			loop_timer_arm(srv->loop, &srv->retry,
				       loop_now(srv->loop) + CTL_RETRY_MS);
		return;
	}
	if (!more)
		ctl_arm_accept(srv);
}

/**
 * ctl_server_open() - open the control socket and start accepting.
 * @loop:	the event loop
 * @cc:		the socket's configuration
 * @reg:	the commands to answer (copied; its table must outlive the
 *		server)
 * @err:	negative errno on failure (already logged)
 *
 * Return: new server, or NULL.
 */
struct ctl_server *ctl_server_open(struct loop *loop,
				   const struct cfg_control *cc,
				   const struct ctl_registry *reg, int *err)
{
	struct ctl_server *srv = calloc(1, sizeof(*srv));
	int fd;

	if (!srv) {
		*err = -ENOMEM;
		return NULL;
	}
	fd = unix_sock_listen("control socket", cc->path, cc->mode, cc->gid,
			      CTL_BACKLOG, &srv->id);
	if (fd < 0) {
		log_err("cannot create the control socket %s: %s", cc->path,
			unix_sock_strerror(fd));
		free(srv);
		*err = fd;
		return NULL;
	}
	srv->reg = *reg;
	srv->loop = loop;
	srv->fd = fd;
	strlcpy_(srv->path, cc->path, sizeof(srv->path));
	srv->max_clients = cc->max_clients;
	srv->multishot = loop_features(loop)->multishot_accept;
	srv->accept_op.done = ctl_accept_done;
	loop_timer_init(&srv->retry, ctl_retry);
	ctl_arm_accept(srv);
	log_info("control socket: %s", srv->path);
	return srv;
}

const char *ctl_server_path(const struct ctl_server *srv)
{
	return srv->path;
}

/**
 * ctl_server_usage() - how many clients, and how much output waits unsent.
 * @srv:	the server
 * @clients:	set to the number of clients
 * @buffered:	set to the bytes queued for them in all
 */
void ctl_server_usage(const struct ctl_server *srv, unsigned int *clients,
		      size_t *buffered)
{
	*clients = srv->n_clients;
	*buffered = 0;
	list_for_each(c, &srv->clients, const struct ctl_client, link)
		*buffered += ctl_out_pending(c);
}

/**
 * ctl_server_stop() - stop accepting and close every client (exit).
 * @srv: the server, or NULL
 *
 * Their requests end as the loop drains; ctl_server_free() follows.
 */
void ctl_server_stop(struct ctl_server *srv)
{
	struct io_uring_sqe *sqe;

	if (!srv)
		return;
	loop_timer_cancel(srv->loop, &srv->retry);
	list_for_each(c, &srv->clients, struct ctl_client, link)
		ctl_client_close(c);
	if (srv->armed) {
		sqe = loop_sqe(srv->loop, NULL);
		io_uring_prep_cancel64(sqe, (uint64_t)(uintptr_t)&srv->accept_op,
				       IORING_ASYNC_CANCEL_ALL);
	}
}

/**
 * ctl_server_free() - close the socket and every client (exit only).
 * @srv: the server, or NULL
 *
 * Call after ctl_server_stop() and loop_drain() (or loop_exit_ring()):
 * no request may still name a client.
 */
void ctl_server_free(struct ctl_server *srv)
{
	if (!srv)
		return;
	loop_timer_cancel(srv->loop, &srv->retry);
	while (!list_empty(&srv->clients)) {
		struct ctl_client *c =
			list_first(&srv->clients, struct ctl_client, link);

		ctl_capture_stop(c);
		if (c->fd >= 0)
			close(c->fd);
		ctl_client_free(c);
	}
	close(srv->fd);
	unix_sock_unlink(srv->path, &srv->id);
	free(srv);
}
