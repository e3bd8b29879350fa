/*
 * listen.c - tcp-listen and unix-listen ports: accept QEMU connections.
 *
 * QEMU started with "-netdev socket,connect=" or "-netdev stream,server=off"
 * connects here; every accepted connection becomes its own switch port,
 * named after the listener ("vm-tcp/3"), so the MAC table and the counters
 * tell VMs apart.  The listener itself carries no frames.  Connections past
 * the listener's limit or the switch's port limit are closed at once and
 * counted as refused.
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
#include <sys/un.h>
#include <unistd.h>

#include "ports/bound-sock.h"
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
	LISTEN_BACKLOG = 64,
	LISTEN_RETRY_MS = 100,
	LISTEN_DEF_MAX_CONNECTIONS = 64,
};

/**
 * struct listen_port - a listener.
 * @port:	base port (carries no frames)
 * @loop:	event loop
 * @sock:	the listening socket (UNIX, else TCP)
 * @max_conns:	connection limit (the connections are the port's children)
 * @next_no:	number for the next connection's name
 * @tx_frames, @tx_bytes: queue bounds for the connections
 * @multishot:	accept with one multishot request
 * @armed:	an accept request is in flight (and holds the port)
 * @accept_op:	its completion record
 * @retry:	re-arms accept after a resource shortage
 */
struct listen_port {
	struct port port;
	struct loop *loop;
	struct bound_sock sock;
	unsigned int max_conns, next_no;
	unsigned int tx_frames;
	size_t tx_bytes;
	bool multishot, armed;
	struct uop accept_op;
	struct loop_timer retry;
};

/**
 * struct accepted_conn - a connection a listener accepted (its child).
 * @conn:	the connection port
 */
struct accepted_conn {
	struct stream_conn conn;
};

static struct log_rl accept_rl = LOG_RL_INIT(5, 5000);

static void accepted_destroy(struct port *port)
{
	struct accepted_conn *ac =
		container_of(port, struct accepted_conn, conn.port);

	stream_conn_fini(&ac->conn);
	port_fini(port);
	free(ac);
}

static void accepted_close(struct port *port)
{
	struct stream_conn *conn = container_of(port, struct stream_conn, port);

	port->removing = true;
	stream_conn_close(conn, LOG_LVL_INFO, "closed by the administrator", 0);
}

static void accepted_show(const struct port *port, json_t *obj)
{
	stream_conn_show(container_of(port, struct stream_conn, port), obj);
}

static const struct port_ops accepted_ops = {
	.type = "stream",
	.send = stream_conn_send,
	.destroy = accepted_destroy,
	.close = accepted_close,
	.show = accepted_show,
};

static void accepted_closed(struct stream_conn *conn)
{
	port_release(&conn->port);
}

static void listen_describe_peer(struct listen_port *l, int fd, char *buf,
				 size_t size, int *pid)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	*pid = 0;
	if (l->sock.is_unix) {
		/* The pid identifies the QEMU behind an anonymous peer. */
		*pid = unix_sock_peer_pid(fd);
		if (*pid)
			snprintf(buf, size, "pid %d", *pid);
		else
			snprintf(buf, size, "%s", l->sock.path);
		return;
	}
	if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0)
		sockaddr_format((struct sockaddr *)&ss, len, buf, size);
	else
		snprintf(buf, size, "?");
}

static void listen_take(struct listen_port *l, int fd)
{
	struct accepted_conn *ac;
	char name[PORT_NAME_MAX], peer[sizeof(ac->conn.port.peer)];
	int one = 1, pid, ret;

	listen_describe_peer(l, fd, peer, sizeof(peer), &pid);
	if (l->port.n_children >= l->max_conns) {
		l->port.stats.refused++;
		log_warn_rl(&accept_rl,
			    "port %s: refusing connection from %s: "
			    "max_connections (%u) reached",
			    l->port.name, peer, l->max_conns);
		close(fd);
		return;
	}
	if (!l->sock.is_unix)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	snprintf(name, sizeof(name), "%.*s/%u", PORT_NAME_MAX - 12, l->port.name,
		 ++l->next_no);
	ac = calloc(1, sizeof(*ac));
	if (!ac) {
		ret = -ENOMEM;
		goto err_close;
	}
	ret = stream_conn_init(&ac->conn, &accepted_ops, l->port.sw, name,
			       accepted_closed, l->tx_frames, l->tx_bytes);
	if (ret)
		goto err_free;
	ac->conn.port.pid = pid;
	strlcpy_(ac->conn.port.peer, peer, sizeof(ac->conn.port.peer));
	ret = vsw_add_port(l->port.sw, &ac->conn.port);
	if (ret)
		goto err_free;
	port_adopt(&l->port, &ac->conn.port);
	l->port.stats.connects++;
	log_info("port %s: connected (%s)", name, peer);
	stream_conn_attach(&ac->conn, fd);
	return;

err_free:
	stream_conn_fini(&ac->conn);
	free(ac);
err_close:
	close(fd);
	l->port.stats.refused++;
	log_warn_rl(&accept_rl, "port %s: refusing connection from %s: %s",
		    l->port.name, peer,
		    ret == -ENOSPC ? "switch max_ports reached"
				   : strerror(-ret));
}

static void listen_arm(struct listen_port *l)
{
	struct io_uring_sqe *sqe = loop_sqe(l->loop, &l->accept_op);

	if (l->multishot)
		io_uring_prep_multishot_accept(sqe, l->sock.fd, NULL, NULL,
					       SOCK_NONBLOCK | SOCK_CLOEXEC);
	else
		io_uring_prep_accept(sqe, l->sock.fd, NULL, NULL,
				     SOCK_NONBLOCK | SOCK_CLOEXEC);
	l->armed = true;
	port_hold(&l->port);
}

static void listen_retry(struct loop_timer *timer, uint64_t now)
{
	struct listen_port *l = container_of(timer, struct listen_port, retry);

	if (!l->armed && l->sock.fd >= 0)
		listen_arm(l);
}

static void listen_accept_done(struct uop *op, int res, unsigned int flags)
{
	struct listen_port *l = container_of(op, struct listen_port, accept_op);
	bool more = flags & IORING_CQE_F_MORE;

	if (l->port.removing) {
		if (res >= 0)
			close(res);
		if (!more) {
			l->armed = false;
			port_unhold(&l->port);
		}
		return;
	}
	if (!more) {
		l->armed = false;
		port_unhold(&l->port);
	}
	if (res >= 0) {
		listen_take(l, res);
	} else if (res == -EINVAL && l->multishot) {
		/* Older kernel: accept one connection per request. */
		l->multishot = false;
	} else if (res == -ECANCELED || l->sock.fd < 0) {
		return;
	} else if (res != -EAGAIN && res != -EINTR &&
		   res != -ECONNABORTED) {
		/* Out of descriptors or memory: back off instead of spinning. */
		log_msg_rl(&accept_rl, LOG_LVL_WARN, "port %s: accept: %s",
			   l->port.name, strerror(-res));
		if (!more)
			loop_timer_arm(l->loop, &l->retry,
				       loop_now(l->loop) + LISTEN_RETRY_MS);
		return;
	}
	if (!more && l->sock.fd >= 0)
		listen_arm(l);
}

static void listen_shutdown(struct port *port)
{
	struct listen_port *l = container_of(port, struct listen_port, port);

	loop_timer_cancel(l->loop, &l->retry);
	bound_sock_close(&l->sock);
}

static void listen_destroy(struct port *port)
{
	struct listen_port *l = container_of(port, struct listen_port, port);

	listen_shutdown(port);
	port_fini(port);
	free(l);
}

/*
 * Removing a listener removes its connections too: their VMs cannot
 * reconnect to a listener that is gone anyway.
 */
static void listen_close(struct port *port)
{
	struct listen_port *l = container_of(port, struct listen_port, port);

	if (port->removing)
		return;
	port->removing = true;
	loop_timer_cancel(l->loop, &l->retry);
	port_close_children(port);
	if (l->armed) {
		struct io_uring_sqe *sqe = loop_sqe(l->loop, NULL);

		io_uring_prep_cancel64(sqe, (uint64_t)(uintptr_t)&l->accept_op,
				       0);
	}
	port_settle(port);
}

static void listen_show(const struct port *port, json_t *obj)
{
	const struct listen_port *l =
		container_of(port, struct listen_port, port);

	json_object_set_new(obj, "state",
			    json_string(port->removing ? "closing"
						       : "listening"));
	json_object_set_new(obj, "address", json_string(l->sock.bound));
	json_object_set_new(obj, "connections", json_integer(port->n_children));
	json_object_set_new(obj, "max_connections",
			    json_integer(l->max_conns));
}

static void listen_qemu_args(const struct port *port, char *buf, size_t size)
{
	const struct listen_port *l =
		container_of(port, struct listen_port, port);

	if (l->sock.is_unix)
		snprintf(buf, size,
			 "stream,server=off,addr.type=unix,addr.path=%s",
			 l->sock.path);
	else
		snprintf(buf, size, "socket,connect=%s", l->sock.bound);
}

static const struct port_ops listen_ops = {
	.type = "listen",
	.destroy = listen_destroy,
	.qemu_args = listen_qemu_args,
	.close = listen_close,
	.finish = listen_shutdown,
	.show = listen_show,
};

/**
 * listen_port_create() - create a tcp-listen or unix-listen port.
 * @sw:		the switch
 * @cfg:	its configuration
 *
 * Return: 0, or a negative errno after logging what failed.
 */
static int listen_port_create(struct vsw *sw, const struct cfg_port *cfg)
{
	struct listen_port *l = calloc(1, sizeof(*l));
	int ret;

	if (!l)
		return -ENOMEM;
	port_init(&l->port, &listen_ops, sw, cfg->name);
	l->loop = vsw_loop(sw);
	l->sock.fd = -1;
	l->sock.is_unix = cfg->type == &unix_listen_port_type.cfg;
	l->max_conns = cfg->max_connections;
	l->tx_frames = cfg->tx_queue_frames;
	l->tx_bytes = cfg->tx_queue_bytes;
	l->multishot = loop_features(l->loop)->multishot_accept;
	l->accept_op.done = listen_accept_done;
	loop_timer_init(&l->retry, listen_retry);

	ret = bound_sock_open(&l->sock, cfg, LISTEN_BACKLOG);
	if (ret)
		goto err;
	ret = port_register(&l->port, cfg);
	if (ret)
		goto err;
	listen_arm(l);
	log_info("port %s: listening on %s", l->port.name, l->sock.bound);
	return 0;

err:
	bound_sock_log_err(&l->sock, cfg, "listen on", ret);
	listen_destroy(&l->port);
	return ret;
}

/* ----- configuration ----- */

static const struct cfg_key tcp_listen_keys[] = {
	CFG_PORT_KEY_NAME,
	CFG_PORT_KEY_TYPE,
	CFG_PORT_KEY_ADDRESS,
	CFG_PORT_KEY_PORT(0),
	CFG_PORT_KEY_MAX_CONNECTIONS,
	CFG_PORT_KEYS_TX_QUEUE,
};

static const struct cfg_key unix_listen_keys[] = {
	CFG_PORT_KEY_NAME,
	CFG_PORT_KEY_TYPE,
	CFG_PORT_KEY_PATH(false),
	CFG_PORT_KEY_MODE,
	CFG_PORT_KEY_MAX_CONNECTIONS,
	CFG_PORT_KEYS_TX_QUEUE,
};

static int tcp_listen_parse(struct cfg_ctx *ctx, const json_t *obj,
			    struct cfg_port *port)
{
	strlcpy_(port->address, CFG_DEFAULT_ADDRESS, sizeof(port->address));
	port->max_connections =
		MIN(LISTEN_DEF_MAX_CONNECTIONS, cfg_ctx_config(ctx)->sw.max_ports);
	return cfg_port_parse_keys(ctx, obj, port);
}

static int unix_listen_parse(struct cfg_ctx *ctx, const json_t *obj,
			     struct cfg_port *port)
{
	int r;

	port->mode = CFG_DEF_MODE;
	port->max_connections =
		MIN(LISTEN_DEF_MAX_CONNECTIONS, cfg_ctx_config(ctx)->sw.max_ports);
	r = cfg_port_parse_keys(ctx, obj, port);
	if (r || port->path[0])
		return r;
	return cfg_port_default_path(ctx, port, ".sock");
}

/* Two listeners cannot share an address and port, nor a socket path. */
const struct port_type tcp_listen_port_type =
	PORT_TYPE("tcp-listen", tcp_listen_parse, tcp_listen_keys,
		  listen_port_create, .unique_address = true);
const struct port_type unix_listen_port_type =
	PORT_TYPE("unix-listen", unix_listen_parse, unix_listen_keys,
		  listen_port_create, .unique_path = true);
