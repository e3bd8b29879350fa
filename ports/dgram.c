/*
 * dgram.c - the udp and unix-dgram ports: one bound socket whose peers are
 * child ports, on the engines of dgram-engine.c (see dgram.h).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "ports/dgram.h"

#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "ports/bound-sock.h"
#include "ports/port.h"
#include "switch/core/port.h"
#include "switch/config/cfg.h"
#include "switch/base/log.h"
#include "switch/core/switch.h"
#include "switch/base/util.h"

enum {
	DGRAM_SWEEP_MS = 250,
	DGRAM_DEF_MAX_PEERS = 64,
	DGRAM_DEF_PEER_IDLE_S = 300,
};

struct dgram_peer;

/**
 * struct dgram_port - a udp or unix-dgram port (carries no frames itself).
 * @port:	base port
 * @loop:	event loop
 * @sock:	the bound socket (AF_UNIX, else UDP)
 * @rx:		receive engine
 * @peers:	children not being removed (lookup list)
 * @last:	the child that sent last (lookup cache)
 * @fixed:	the fixed remote's child, or NULL
 * @max_peers:	children at once
 * @n_peers:	children on @peers
 * @next_no:	number of the next child's name
 * @idle_ms:	a dynamic child silent this long is removed (0 never)
 * @tx_frames, @tx_bytes: queue bounds of the children
 * @sweep:	idle expiry timer
 */
struct dgram_port {
	struct port port;
	struct loop *loop;
	struct bound_sock sock;
	struct dgram_rx rx;
	struct dgram_peer *peers, *last, *fixed;
	unsigned int max_peers, n_peers, next_no;
	uint64_t idle_ms;
	unsigned int tx_frames;
	size_t tx_bytes;
	struct loop_timer sweep;
};

/**
 * struct dgram_peer - one peer address of a udp or unix-dgram port.
 * @port:	base port ("<name>/<n>"; parent = the dgram_port)
 * @owner:	the dgram_port (valid while the child is not released)
 * @addr:	the peer's address
 * @tx:		send engine towards @addr
 * @last_rx:	loop time of its last datagram
 * @fixed:	the configured remote: never expires
 * @next:	@owner's peer list
 */
struct dgram_peer {
	struct port port;
	struct dgram_port *owner;
	struct vsw_sockaddr addr;
	struct dgram_tx tx;
	uint64_t last_rx;
	bool fixed;
	struct dgram_peer *next;
};

static struct log_rl peer_rl = LOG_RL_INIT(20, 5000);
static struct log_rl drop_rl = LOG_RL_INIT(5, 10000);

static bool addr_equal(const struct sockaddr *a, socklen_t a_len,
		       const struct vsw_sockaddr *b)
{
	const struct sockaddr *bs = (const struct sockaddr *)&b->ss;

	if (a->sa_family != bs->sa_family)
		return false;
	switch (a->sa_family) {
	case AF_INET: {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)bs;

		return x->sin_port == y->sin_port &&
		       x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *x = (const void *)a,
					  *y = (const void *)bs;

		return x->sin6_port == y->sin6_port &&
		       x->sin6_scope_id == y->sin6_scope_id &&
		       !memcmp(&x->sin6_addr, &y->sin6_addr,
			       sizeof(x->sin6_addr));
	}
	case AF_UNIX: {
		/* Paths compare as strings; abstract names byte by byte. */
		size_t off = offsetof(struct sockaddr_un, sun_path);
		const char *x = ((const struct sockaddr_un *)a)->sun_path;
		const char *y = ((const struct sockaddr_un *)bs)->sun_path;
		size_t xl = a_len > off ? a_len - off : 0;
		size_t yl = b->len > off ? b->len - off : 0;

		if (xl && x[0])
			xl = strnlen(x, xl);
		if (yl && y[0])
			yl = strnlen(y, yl);
		return xl == yl && !memcmp(x, y, xl);
	}
	}
	return false;
}

static void peer_destroy(struct port *port)
{
	struct dgram_peer *p = container_of(port, struct dgram_peer, port);

	/* The owner may be gone already (exit): touch only our own. */
	dgram_tx_fini(&p->tx);
	port_fini(port);
	free(p);
}

static void peer_tx_stopped(struct dgram_tx *tx)
{
	struct dgram_peer *p = container_of(tx, struct dgram_peer, tx);

	port_release(&p->port);
}

static void peer_unlink(struct dgram_peer *p)
{
	struct dgram_port *d = p->owner;

	for (struct dgram_peer **pp = &d->peers; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			d->n_peers--;
			break;
		}
	}
	if (d->last == p)
		d->last = NULL;
	if (d->fixed == p)
		d->fixed = NULL;
}

/* Removes a child: out of forwarding and lookup now, freed once idle. */
static void peer_remove(struct dgram_peer *p, const char *why)
{
	if (p->port.removing)
		return;
	p->port.removing = true;
	p->port.stats.disconnects++;
	log_msg_rl(&peer_rl, LOG_LVL_INFO, "port %s (%s): %s", p->port.name,
		   p->port.peer, why);
	peer_unlink(p);
	vsw_port_down(p->port.sw, &p->port);
	dgram_tx_stop(&p->tx);
}

static void peer_close(struct port *port)
{
	peer_remove(container_of(port, struct dgram_peer, port),
		    "closed by the administrator");
}

static int peer_send(struct port *port, const uint8_t *frame, size_t len)
{
	struct dgram_peer *p = container_of(port, struct dgram_peer, port);

	return dgram_tx_send(&p->tx, frame, len);
}

static void peer_show(const struct port *port, json_t *obj)
{
	const struct dgram_peer *p =
		container_of(port, struct dgram_peer, port);
	uint64_t now = loop_now(p->owner->loop);

	json_object_set_new(obj, "state", json_string(port->removing
							      ? "closing"
							      : "up"));
	json_object_set_new(obj, "fixed", json_boolean(p->fixed));
	if (!p->fixed || p->last_rx)
		json_object_set_new(obj, "idle_ms",
				    json_integer((json_int_t)(now - p->last_rx)));
	dgram_tx_show(&p->tx, obj);
}

static const struct port_ops peer_ops = {
	.type = "dgram-peer",
	.send = peer_send,
	.destroy = peer_destroy,
	.close = peer_close,
	.show = peer_show,
};

static struct dgram_peer *peer_new(struct dgram_port *d,
				   const struct sockaddr *addr,
				   socklen_t addr_len, bool fixed)
{
	char name[PORT_NAME_MAX];
	struct dgram_peer *p;
	int ret;

	snprintf(name, sizeof(name), "%.*s/%u", PORT_NAME_MAX - 12,
		 d->port.name, ++d->next_no);
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	port_init(&p->port, &peer_ops, d->port.sw, name);
	p->owner = d;
	p->fixed = fixed;
	memcpy(&p->addr.ss, addr, addr_len);
	p->addr.len = addr_len;
	sockaddr_format(addr, addr_len, p->port.peer, sizeof(p->port.peer));
	ret = dgram_tx_init(&p->tx, &p->port, d->loop, d->sock.fd, &p->addr,
			    peer_tx_stopped, d->tx_frames, d->tx_bytes);
	if (ret)
		goto err;
	ret = vsw_add_port(d->port.sw, &p->port);
	if (ret)
		goto err;
	p->last_rx = loop_now(d->loop);
	p->next = d->peers;
	d->peers = p;
	d->n_peers++;
	port_adopt(&d->port, &p->port);
	p->port.stats.connects++;
	vsw_port_up(d->port.sw, &p->port);
	log_info("port %s: peer %s", name, p->port.peer);
	if (d->idle_ms && !fixed && !d->sweep.armed)
		loop_timer_arm(d->loop, &d->sweep,
			       loop_now(d->loop) + DGRAM_SWEEP_MS);
	return p;

err:
	dgram_tx_fini(&p->tx);
	port_fini(&p->port);
	free(p);
	errno = -ret;
	return NULL;
}

static void dgram_sweep(struct loop_timer *timer, uint64_t now)
{
	struct dgram_port *d = container_of(timer, struct dgram_port, sweep);
	struct dgram_peer *p, *next;
	bool dynamic = false;

	for (p = d->peers; p; p = next) {
		next = p->next;
		if (p->fixed)
			continue;
		if (now - p->last_rx >= d->idle_ms)
			peer_remove(p, "peer silent for peer_idle_s; removed");
		else
			dynamic = true;
	}
	if (dynamic && !d->port.removing)
		loop_timer_arm(d->loop, &d->sweep, now + DGRAM_SWEEP_MS);
}

static struct dgram_peer *dgram_lookup(struct dgram_port *d,
				       const struct sockaddr *from,
				       socklen_t from_len)
{
	if (d->last && addr_equal(from, from_len, &d->last->addr))
		return d->last;
	for (struct dgram_peer *p = d->peers; p; p = p->next)
		if (addr_equal(from, from_len, &p->addr))
			return d->last = p;
	return NULL;
}

/* A datagram from a source that is not a peer yet. */
static struct dgram_peer *dgram_new_source(struct dgram_port *d,
					   const struct sockaddr *from,
					   socklen_t from_len)
{
	char who[128];
	const char *why = NULL;
	struct dgram_peer *p;

	sockaddr_format(from, from_len, who, sizeof(who));
	if (d->fixed || d->port.cfg->remote_address[0] ||
	    d->port.cfg->remote_path[0])
		why = "not the configured remote";
	else if (from->sa_family == AF_UNIX &&
		 (from_len <= offsetof(struct sockaddr_un, sun_path)))
		why = "an unbound socket cannot be answered";
	else if (d->n_peers >= d->max_peers)
		why = "max_peers reached";
	if (!why) {
		p = peer_new(d, from, from_len, false);
		if (p)
			return p;
		why = errno == ENOSPC ? "switch max_ports reached"
				      : strerror(errno);
	}
	d->port.stats.refused++;
	log_warn_rl(&drop_rl, "port %s: dropping datagrams from %s: %s",
		    d->port.name, who[0] ? who : "(unnamed)", why);
	return NULL;
}

static void dgram_input(struct dgram_rx *rx, const struct sockaddr *from,
			socklen_t from_len, const uint8_t *data, size_t len,
			bool truncated)
{
	struct dgram_port *d = container_of(rx, struct dgram_port, rx);
	struct dgram_peer *p;

	if (d->port.removing)
		return;
	p = dgram_lookup(d, from, from_len);
	if (!p) {
		p = dgram_new_source(d, from, from_len);
		if (!p)
			return;
	}
	p->last_rx = loop_now(d->loop);
	if (unlikely(truncated)) {
		p->port.stats.rx_too_big++;
		log_warn_rl(&drop_rl, "port %s (%s): dropped a %zu-byte "
			    "datagram (too big)", p->port.name, p->port.peer,
			    len);
		return;
	}
	/* vsw_input counts runts and frames above max_frame. */
	vsw_input(d->port.sw, &p->port, data, len);
}

static void dgram_shutdown(struct port *port)
{
	struct dgram_port *d = container_of(port, struct dgram_port, port);

	loop_timer_cancel(d->loop, &d->sweep);
	bound_sock_close(&d->sock);
}

static void dgram_destroy(struct port *port)
{
	struct dgram_port *d = container_of(port, struct dgram_port, port);

	dgram_shutdown(port);
	dgram_rx_fini(&d->rx);
	port_fini(port);
	free(d);
}

static void dgram_rx_stopped(struct dgram_rx *rx)
{
	port_unhold(&container_of(rx, struct dgram_port, rx)->port);
}

/* Removing the port removes its peers: they share its socket. */
static void dgram_close(struct port *port)
{
	struct dgram_port *d = container_of(port, struct dgram_port, port);

	if (port->removing)
		return;
	port->removing = true;
	loop_timer_cancel(d->loop, &d->sweep);
	/* The receive holds the port until it has stopped. */
	port_hold(port);
	port_close_children(port);
	dgram_rx_stop(&d->rx);
}

static void dgram_show(const struct port *port, json_t *obj)
{
	const struct dgram_port *d =
		container_of(port, struct dgram_port, port);
	const struct cfg_port *cfg = port->cfg;

	json_object_set_new(obj, "state", json_string(port->removing
							      ? "closing"
							      : "bound"));
	json_object_set_new(obj, "address", json_string(d->sock.bound));
	json_object_set_new(obj, "peers", json_integer(d->n_peers));
	json_object_set_new(obj, "max_peers", json_integer(d->max_peers));
	json_object_set_new(obj, "peer_idle_s",
			    json_integer((json_int_t)(d->idle_ms / 1000)));
	if (d->fixed)
		json_object_set_new(obj, "remote",
				    json_string(d->fixed->port.peer));
	else if (cfg && cfg->remote_path[0])
		json_object_set_new(obj, "remote",
				    json_string(cfg->remote_path));
	json_object_set_new(obj, "receive",
			    json_string(d->rx.multishot ? "multishot"
							: "single-shot"));
}

static void dgram_qemu_args(const struct port *port, char *buf, size_t size)
{
	const struct dgram_port *d =
		container_of(port, struct dgram_port, port);
	const struct cfg_port *cfg = port->cfg;

	if (d->sock.is_unix)
		snprintf(buf, size,
			 "dgram,local.type=unix,local.path=%s,"
			 "remote.type=unix,remote.path=%s",
			 cfg->remote_path[0] ? cfg->remote_path
					     : "<VM-PATH>",
			 d->sock.path);
	else if (cfg->remote_address[0])
		snprintf(buf, size,
			 "dgram,local.type=inet,local.host=%s,local.port=%u,"
			 "remote.type=inet,remote.host=%s,remote.port=%u",
			 cfg->remote_address, cfg->remote_port, cfg->address,
			 cfg->port);
	else
		snprintf(buf, size,
			 "dgram,local.type=inet,local.host=%s,"
			 "local.port=<PEER-PORT>,remote.type=inet,"
			 "remote.host=%s,remote.port=%u",
			 strchr(cfg->address, ':') ? "::1" : "127.0.0.1",
			 cfg->address, cfg->port);
}

static const struct port_ops dgram_ops = {
	.type = "dgram",
	.destroy = dgram_destroy,
	.qemu_args = dgram_qemu_args,
	.close = dgram_close,
	.finish = dgram_shutdown,
	.show = dgram_show,
};

static int dgram_add_fixed(struct dgram_port *d, const struct cfg_port *cfg)
{
	struct vsw_sockaddr sa;
	int ret;

	if (d->sock.is_unix)
		ret = sockaddr_from_path(&sa, cfg->remote_path);
	else
		ret = sockaddr_from_ip(&sa, cfg->remote_address,
				       cfg->remote_port);
	if (ret)
		return ret;
	d->fixed = peer_new(d, (struct sockaddr *)&sa.ss, sa.len, true);
	if (!d->fixed)
		return -errno;
	d->fixed->last_rx = 0;
	return 0;
}

/**
 * dgram_port_create() - create a udp or unix-dgram port.
 * @sw:		the switch
 * @cfg:	its configuration
 *
 * Return: 0, or a negative errno after logging what failed.
 */
static int dgram_port_create(struct vsw *sw, const struct cfg_port *cfg)
{
	struct dgram_port *d = calloc(1, sizeof(*d));
	bool fixed;
	int ret;

	if (!d)
		return -ENOMEM;
	port_init(&d->port, &dgram_ops, sw, cfg->name);
	d->loop = vsw_loop(sw);
	d->sock.fd = -1;
	d->sock.is_unix = cfg->type == &unix_dgram_port_type.cfg;
	d->max_peers = cfg->max_peers;
	d->idle_ms = (uint64_t)cfg->peer_idle_s * 1000;
	d->tx_frames = cfg->tx_queue_frames;
	d->tx_bytes = cfg->tx_queue_bytes;
	loop_timer_init(&d->sweep, dgram_sweep);
	fixed = d->sock.is_unix ? cfg->remote_path[0] : cfg->remote_address[0];

	ret = bound_sock_open(&d->sock, cfg, 0);
	if (ret)
		goto err;
	ret = dgram_rx_init(&d->rx, d->loop, d->sock.fd, dgram_input,
			    dgram_rx_stopped);
	if (ret)
		goto err;
	ret = port_register(&d->port, cfg);
	if (ret)
		goto err;
	if (fixed) {
		ret = dgram_add_fixed(d, cfg);
		if (ret) {
			log_err("port %s: cannot add the fixed remote: %s",
				cfg->name, strerror(-ret));
			vsw_remove_port(sw, &d->port);
			dgram_destroy(&d->port);
			return ret;
		}
	}
	dgram_rx_start(&d->rx);
	log_info("port %s: bound to %s%s%s", d->port.name, d->sock.bound,
		 fixed ? ", remote " : "", fixed ? d->fixed->port.peer : "");
	return 0;

err:
	bound_sock_log_err(&d->sock, cfg, "bind", ret);
	dgram_destroy(&d->port);
	return ret;
}

/* ----- configuration ----- */

#define DGRAM_KEYS_PEERS                                                       \
	CFG_PORT_KEY("max_peers", cfg_parse_max_connections, CFG_V_UINT,      \
		     max_peers, 0, 0, false),                                  \
		CFG_PORT_KEY("peer_idle_s", cfg_parse_uint, CFG_V_UINT,        \
			     peer_idle_s, 0, 86400, false)

static const struct cfg_key udp_keys[] = {
	CFG_PORT_KEY_NAME,
	CFG_PORT_KEY_TYPE,
	CFG_PORT_KEY_ADDRESS,
	CFG_PORT_KEY_PORT(1),
	CFG_PORT_KEY("remote_address", cfg_parse_address, CFG_V_STR,
		     remote_address, 0, 0, false),
	CFG_PORT_KEY("remote_port", cfg_parse_u16, CFG_V_U16, remote_port, 1,
		     65535, false),
	DGRAM_KEYS_PEERS,
	CFG_PORT_KEYS_TX_QUEUE,
};

static const struct cfg_key unix_dgram_keys[] = {
	CFG_PORT_KEY_NAME,
	CFG_PORT_KEY_TYPE,
	CFG_PORT_KEY_PATH(false),
	CFG_PORT_KEY_MODE,
	CFG_PORT_KEY("remote_path", cfg_parse_path, CFG_V_STR, remote_path, 0,
		     0, false),
	DGRAM_KEYS_PEERS,
	CFG_PORT_KEYS_TX_QUEUE,
};

static void peer_defaults(struct cfg_ctx *ctx, struct cfg_port *port)
{
	port->max_peers = MIN(DGRAM_DEF_MAX_PEERS, cfg_ctx_config(ctx)->sw.max_ports);
	port->peer_idle_s = DGRAM_DEF_PEER_IDLE_S;
}

static int udp_parse(struct cfg_ctx *ctx, const json_t *obj,
		     struct cfg_port *port)
{
	bool addr = json_object_get(obj, "remote_address") != NULL;
	bool rport = json_object_get(obj, "remote_port") != NULL;
	int r;

	strlcpy_(port->address, CFG_DEFAULT_ADDRESS, sizeof(port->address));
	peer_defaults(ctx, port);
	r = cfg_port_parse_keys(ctx, obj, port);
	if (r || addr == rport)
		return r;
	return cfg_fail(ctx, "remote_address and remote_port go together "
			     "(a fixed peer needs both)");
}

static int unix_dgram_parse(struct cfg_ctx *ctx, const json_t *obj,
			    struct cfg_port *port)
{
	int r;

	port->mode = CFG_DEF_MODE;
	peer_defaults(ctx, port);
	r = cfg_port_parse_keys(ctx, obj, port);
	if (r || port->path[0])
		return r;
	return cfg_port_default_path(ctx, port, ".dgram");
}

const struct port_type udp_port_type =
	PORT_TYPE("udp", udp_parse, udp_keys, dgram_port_create);
const struct port_type unix_dgram_port_type =
	PORT_TYPE("unix-dgram", unix_dgram_parse, unix_dgram_keys,
		  dgram_port_create);
