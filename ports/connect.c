/*
 * connect.c - tcp-connect and unix-connect ports: vswitchd dials QEMU.
 *
 * For a QEMU started with "-netdev stream,server=on,..." (or "-netdev
 * socket,listen=").  QEMU re-accepts after a disconnect, so this is the
 * attachment that survives restarts on both sides: when the connection
 * drops or cannot be made, the port retries with exponential backoff
 * between reconnect_min_ms and reconnect_max_ms.  The port keeps its name,
 * counters and identity across reconnects; while it is down it is out of
 * forwarding and its MACs are forgotten.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ports/port.h"
#include "switch/core/port.h"
#include "switch/base/sockaddr.h"
#include "ports/stream-conn.h"
#include "switch/base/unix-sock.h"
#include "switch/config/cfg.h"
#include "switch/base/log.h"
#include "switch/core/switch.h"
#include "switch/base/util.h"

enum {
	CONNECT_TIMEOUT_MS = 5000,
	/* A connection that lived this long resets the backoff. */
	CONNECT_STABLE_MS = 10000,
	/* Defaults and bounds of reconnect_min_ms and reconnect_max_ms. */
	CONNECT_DEF_MIN_MS = 100,
	CONNECT_DEF_MAX_MS = 5000,
	CONNECT_RECONNECT_MIN = 10,
	CONNECT_RECONNECT_MAX = 3600000,
};

/**
 * struct connect_port - a connect-out stream port.
 * @conn:	the connection port
 * @addr:	where to connect
 * @cfg:	copy of its configuration
 * @backoff_ms:	delay before the next attempt
 * @pending_fd:	socket of the attempt in flight, -1 if none
 * @connecting:	a connect request is in flight; it holds the port
 *		(port_hold()), and so does the connection it makes, until
 *		connect_closed()
 * @timed_out:	the attempt in flight was cancelled by the timeout
 * @last_err:	errno of the last failed attempt (to log changes only)
 * @connected_at: loop time of the last successful connect
 * @connect_op:	completion record of the connect request
 * @timer:	retry delay, or the timeout of the attempt in flight
 */
struct connect_port {
	struct stream_conn conn;
	struct vsw_sockaddr addr;
	struct cfg_port cfg;
	unsigned int backoff_ms;
	int pending_fd;
	bool connecting, timed_out;
	int last_err;
	uint64_t connected_at;
	struct uop connect_op;
	struct loop_timer timer;
};

static void connect_try(struct connect_port *cp);

static void connect_schedule(struct connect_port *cp)
{
	struct loop *loop = cp->conn.loop;
	/* Up to a quarter of jitter keeps restarted VMs from reconnecting in
	 * lock-step. */
	unsigned int delay = cp->backoff_ms + (unsigned int)random() %
						      (cp->backoff_ms / 4 + 1);

	loop_timer_arm(loop, &cp->timer, loop_now(loop) + delay);
	cp->backoff_ms = MIN(cp->backoff_ms * 2, cp->cfg.reconnect_max_ms);
}

static void connect_failed(struct connect_port *cp, int err)
{
	if (err != cp->last_err)
		log_info("port %s: cannot connect to %s: %s; retrying",
			 cp->conn.port.name, cp->conn.port.peer,
			 strerror(-err));
	cp->last_err = err;
	connect_schedule(cp);
}

static void connect_done(struct uop *op, int res, unsigned int flags)
{
	struct connect_port *cp =
		container_of(op, struct connect_port, connect_op);
	struct loop *loop = cp->conn.loop;
	int fd = cp->pending_fd, one = 1;

	cp->connecting = false;
	cp->pending_fd = -1;
	loop_timer_cancel(loop, &cp->timer);
	if (cp->conn.port.removing) {
		close(fd);
		port_unhold(&cp->conn.port);
		return;
	}
	if (cp->timed_out && res == -ECANCELED)
		res = -ETIMEDOUT;
	if (res < 0) {
		close(fd);
		port_unhold(&cp->conn.port);
		connect_failed(cp, res);
		return;
	}
	/* The connect's hold passes to the connection: connect_closed(). */
	/* A UNIX peer is named by its pid, as listen.c names its own. */
	if (cp->addr.ss.ss_family == AF_UNIX)
		cp->conn.port.pid = unix_sock_peer_pid(fd);
	else
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	cp->last_err = 0;
	cp->connected_at = loop_now(loop);
	log_info("port %s: connected to %s", cp->conn.port.name,
		 cp->conn.port.peer);
	stream_conn_attach(&cp->conn, fd);
}

static void connect_timer_fire(struct loop_timer *timer, uint64_t now)
{
	struct connect_port *cp =
		container_of(timer, struct connect_port, timer);

	if (cp->connecting) {
		struct io_uring_sqe *sqe = loop_sqe(cp->conn.loop, NULL);

		cp->timed_out = true;
		io_uring_prep_cancel64(sqe,
				       (uint64_t)(uintptr_t)&cp->connect_op, 0);
		return;
	}
	connect_try(cp);
}

static void connect_try(struct connect_port *cp)
{
	struct loop *loop = cp->conn.loop;
	struct io_uring_sqe *sqe;
	int fd;

	fd = socket(cp->addr.ss.ss_family,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		connect_failed(cp, -errno);
		return;
	}
	cp->pending_fd = fd;
	cp->connecting = true;
	cp->timed_out = false;
	port_hold(&cp->conn.port);
	sqe = loop_sqe(loop, &cp->connect_op);
	io_uring_prep_connect(sqe, fd, (struct sockaddr *)&cp->addr.ss,
			      cp->addr.len);
	loop_timer_arm(loop, &cp->timer, loop_now(loop) + CONNECT_TIMEOUT_MS);
}

static void connect_closed(struct stream_conn *conn)
{
	struct connect_port *cp = container_of(conn, struct connect_port, conn);

	/* The next connection may reach another process. */
	conn->port.pid = 0;
	if (conn->port.removing) {
		port_unhold(&conn->port);
		return;
	}
	port_unhold(&conn->port);
	if (loop_now(conn->loop) - cp->connected_at >= CONNECT_STABLE_MS)
		cp->backoff_ms = cp->cfg.reconnect_min_ms;
	cp->last_err = 0;
	connect_schedule(cp);
}

static void connect_shutdown(struct port *port)
{
	struct connect_port *cp =
		container_of(port, struct connect_port, conn.port);

	loop_timer_cancel(cp->conn.loop, &cp->timer);
}

static void connect_destroy(struct port *port)
{
	struct connect_port *cp =
		container_of(port, struct connect_port, conn.port);

	connect_shutdown(port);
	if (cp->pending_fd >= 0)
		close(cp->pending_fd);
	stream_conn_fini(&cp->conn);
	port_fini(port);
	free(cp);
}

static void connect_close(struct port *port)
{
	struct connect_port *cp =
		container_of(port, struct connect_port, conn.port);

	if (port->removing)
		return;
	port->removing = true;
	loop_timer_cancel(cp->conn.loop, &cp->timer);
	if (cp->connecting) {
		struct io_uring_sqe *sqe = loop_sqe(cp->conn.loop, NULL);

		io_uring_prep_cancel64(sqe,
				       (uint64_t)(uintptr_t)&cp->connect_op, 0);
		return;
	}
	if (cp->conn.attached) {
		stream_conn_close(&cp->conn, LOG_LVL_INFO,
				  "closed by the administrator", 0);
		return;
	}
	port_settle(port);
}

static void connect_show(const struct port *port, json_t *obj)
{
	const struct connect_port *cp =
		container_of(port, struct connect_port, conn.port);

	stream_conn_show(&cp->conn, obj);
	if (!cp->conn.attached && !port->removing)
		json_object_set_new(obj, "state",
				    json_string(cp->connecting ? "connecting"
							       : "down"));
	if (cp->last_err)
		json_object_set_new(obj, "last_error",
				    json_string(strerror(-cp->last_err)));
}

static void connect_qemu_args(const struct port *port, char *buf, size_t size)
{
	const struct connect_port *cp =
		container_of(port, struct connect_port, conn.port);

	if (cp->cfg.type == &unix_connect_port_type.cfg)
		snprintf(buf, size,
			 "stream,server=on,addr.type=unix,addr.path=%s",
			 cp->cfg.path);
	else
		snprintf(buf, size,
			 "stream,server=on,addr.type=inet,addr.host=%s,"
			 "addr.port=%u",
			 cp->cfg.address, cp->cfg.port);
}

static const struct port_ops connect_ops = {
	.type = "connect",
	.send = stream_conn_send,
	.destroy = connect_destroy,
	.qemu_args = connect_qemu_args,
	.close = connect_close,
	.show = connect_show,
};

/**
 * connect_port_create() - create a tcp-connect or unix-connect port.
 * @sw:		the switch
 * @cfg:	its configuration
 *
 * The first attempt is made from the loop; failing to reach QEMU is not an
 * error (it may not have started yet), only a log line and a retry.
 *
 * Return: 0, or a negative errno after logging what failed.
 */
static int connect_port_create(struct vsw *sw, const struct cfg_port *cfg)
{
	struct connect_port *cp = calloc(1, sizeof(*cp));
	int ret;

	if (!cp)
		return -ENOMEM;
	cp->cfg = *cfg;
	cp->pending_fd = -1;
	cp->backoff_ms = cfg->reconnect_min_ms;
	cp->connect_op.done = connect_done;
	loop_timer_init(&cp->timer, connect_timer_fire);
	ret = stream_conn_init(&cp->conn, &connect_ops, sw, cfg->name,
			       connect_closed, cfg->tx_queue_frames,
			       cfg->tx_queue_bytes);
	if (ret)
		goto err;
	if (cfg->type == &unix_connect_port_type.cfg)
		ret = sockaddr_from_path(&cp->addr, cfg->path);
	else
		ret = sockaddr_from_ip(&cp->addr, cfg->address, cfg->port);
	if (ret)
		goto err;
	sockaddr_format((struct sockaddr *)&cp->addr.ss, cp->addr.len,
			cp->conn.port.peer, sizeof(cp->conn.port.peer));
	ret = port_register(&cp->conn.port, cfg);
	if (ret)
		goto err;
	loop_timer_arm(cp->conn.loop, &cp->timer, loop_now(cp->conn.loop));
	return 0;

err:
	log_err_errno(ret, "port %s: cannot create", cfg->name);
	connect_destroy(&cp->conn.port);
	return ret;
}

/* ----- configuration ----- */

#define CONNECT_KEY_RECONNECT(field_)                                          \
	CFG_PORT_KEY(#field_, cfg_parse_uint, CFG_V_UINT, field_,              \
		     CONNECT_RECONNECT_MIN, CONNECT_RECONNECT_MAX, false)

static const struct cfg_key tcp_connect_keys[] = {
	CFG_PORT_KEY_NAME,
	CFG_PORT_KEY_TYPE,
	CFG_PORT_KEY_ADDRESS,
	CFG_PORT_KEY_PORT(1),
	CONNECT_KEY_RECONNECT(reconnect_min_ms),
	CONNECT_KEY_RECONNECT(reconnect_max_ms),
	CFG_PORT_KEYS_TX_QUEUE,
};

static const struct cfg_key unix_connect_keys[] = {
	CFG_PORT_KEY_NAME,
	CFG_PORT_KEY_TYPE,
	CFG_PORT_KEY_PATH(true),
	CONNECT_KEY_RECONNECT(reconnect_min_ms),
	CONNECT_KEY_RECONNECT(reconnect_max_ms),
	CFG_PORT_KEYS_TX_QUEUE,
};

static int check_reconnect(struct cfg_ctx *ctx, const json_t *obj,
			   const struct cfg_port *port)
{
	bool min_given = json_object_get(obj, "reconnect_min_ms") != NULL;
	bool max_given = json_object_get(obj, "reconnect_max_ms") != NULL;
	int r;

	if (port->reconnect_min_ms <= port->reconnect_max_ms)
		return 0;
	/* Point at whichever of the two the file sets; min if both. */
	if (min_given) {
		cfg_path_push_key(ctx, "reconnect_min_ms");
		r = cfg_fail(ctx, "%u is greater than reconnect_max_ms (%u%s)",
			     port->reconnect_min_ms, port->reconnect_max_ms,
			     max_given ? "" : ", the default");
	} else {
		cfg_path_push_key(ctx, "reconnect_max_ms");
		r = cfg_fail(ctx,
			     "%u is less than reconnect_min_ms (%u, the "
			     "default)",
			     port->reconnect_max_ms, port->reconnect_min_ms);
	}
	cfg_path_pop(ctx);
	return r;
}

static int tcp_connect_parse(struct cfg_ctx *ctx, const json_t *obj,
			     struct cfg_port *port)
{
	int r;

	strlcpy_(port->address, CFG_DEFAULT_ADDRESS, sizeof(port->address));
	port->reconnect_min_ms = CONNECT_DEF_MIN_MS;
	port->reconnect_max_ms = CONNECT_DEF_MAX_MS;
	r = cfg_port_parse_keys(ctx, obj, port);
	return r ? r : check_reconnect(ctx, obj, port);
}

static int unix_connect_parse(struct cfg_ctx *ctx, const json_t *obj,
			      struct cfg_port *port)
{
	int r;

	port->reconnect_min_ms = CONNECT_DEF_MIN_MS;
	port->reconnect_max_ms = CONNECT_DEF_MAX_MS;
	r = cfg_port_parse_keys(ctx, obj, port);
	return r ? r : check_reconnect(ctx, obj, port);
}

const struct port_type tcp_connect_port_type =
	PORT_TYPE("tcp-connect", tcp_connect_parse, tcp_connect_keys,
		  connect_port_create);
const struct port_type unix_connect_port_type =
	PORT_TYPE("unix-connect", unix_connect_parse, unix_connect_keys,
		  connect_port_create);
