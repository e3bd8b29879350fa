/*
 * internal.c - the internal port, carrying the embedded DHCP server.
 *
 * send() hands a frame straight to the handler (dhcp_server_input() with
 * the loop's clock).  What the handler emits is copied into a bounded
 * queue and injected with vsw_input() on this port from the port's loop
 * flush, so forwarding never re-enters itself; except an ACK that binds
 * or renews a lease: that one is held by the group commit
 * (ports/lease-commit.h) until the lease file has it on disk, and is
 * injected when the batch's fsync completes.  The flush ends the batch.
 * A loop timer runs dhcp_server_expire() at the deadline it returns.
 * Closing (port del, reload, exit) writes the whole file once more.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "ports/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dhcp/dhcp.h"
#include "ports/lease-commit.h"
#include "ports/port.h"
#include "switch/core/port.h"
#include "switch/config/cfg.h"
#include "switch/core/eth.h"
#include "switch/core/fdb.h"
#include "switch/base/log.h"
#include "switch/base/loop.h"
#include "switch/core/pkt.h"
#include "switch/base/safe-file.h"
#include "switch/core/switch.h"
#include "switch/base/util.h"

enum {
	INTERNAL_QUEUE_FRAMES = 64,
	INTERNAL_FRAME_MAX = 2048,
};

struct internal_frame {
	size_t len;
	uint8_t data[INTERNAL_FRAME_MAX];
};

/**
 * struct internal_port - an internal port with a DHCP server behind it.
 * @port:	base
 * @loop:	event loop
 * @srv:	the server
 * @dc:		its configuration (reservations not kept)
 * @lease_file:	where leases persist
 * @flush:	injects the queued frames, ends the commit batch
 * @expire:	runs dhcp_server_expire()
 * @lc:		the lease file's group commit
 * @binds:	the message being handled bound or renewed a lease
 * @closing:	close() waits for the commit in flight
 * @q:		frames emitted by the handler, waiting for the flush
 * @q_head:	first queued frame
 * @q_len:	frames queued
 */
struct internal_port {
	struct port port;
	struct loop *loop;
	struct dhcp_server *srv;
	struct dhcp_cfg dc;
	char lease_file[CFG_FILE_MAX];
	struct loop_flush flush;
	struct loop_timer expire;
	struct lease_commit *lc;
	bool binds, closing;
	struct internal_frame q[INTERNAL_QUEUE_FRAMES];
	unsigned int q_head, q_len;
};

static const struct port_ops internal_ops;

static struct internal_port *ip_of(struct port *port)
{
	return container_of(port, struct internal_port, port);
}

/* dhcp_send_fn: queue what the server says; the flush injects it. */
static void internal_emit(void *aux, const uint8_t *frame, size_t len)
{
	struct internal_port *ip = aux;
	struct internal_frame *f;

	if (ip->port.removing)
		return;
	if (len > INTERNAL_FRAME_MAX) {
		ip->port.stats.rx_too_big++;
		return;
	}
	if (ip->q_len == INTERNAL_QUEUE_FRAMES) {
		ip->port.stats.tx_drop_full++;
		return;
	}
	f = &ip->q[(ip->q_head + ip->q_len++) % INTERNAL_QUEUE_FRAMES];
	memcpy(f->data, frame, len);
	f->len = len;
	if (ip->q_len > ip->port.stats.tx_queue_hwm)
		ip->port.stats.tx_queue_hwm = ip->q_len;
	loop_want_flush(ip->loop, &ip->flush);
}

static void internal_flush(struct loop_flush *flush)
{
	struct internal_port *ip =
		container_of(flush, struct internal_port, flush);

	while (ip->q_len && !ip->port.removing) {
		struct internal_frame *f = &ip->q[ip->q_head];

		ip->q_head = (ip->q_head + 1) % INTERNAL_QUEUE_FRAMES;
		ip->q_len--;
		vsw_input(ip->port.sw, &ip->port, f->data, f->len);
	}
	if (!ip->port.removing && !ip->closing)
		lease_commit_kick(ip->lc);
}

/* lease_commit_send_fn: an ACK whose lease is on disk. */
static void internal_commit_send(void *aux, const uint8_t *frame, size_t len)
{
	struct internal_port *ip = aux;

	if (!ip->port.removing)
		vsw_input(ip->port.sw, &ip->port, frame, len);
}

static void internal_finish_close(struct internal_port *ip);

/* lease_commit_idle_fn: the batch in flight is done; start the next. */
static void internal_commit_idle(void *aux)
{
	struct internal_port *ip = aux;

	if (ip->closing)
		internal_finish_close(ip);
	else
		lease_commit_kick(ip->lc);
}

static void internal_arm_expire(struct internal_port *ip, uint64_t now)
{
	uint64_t next = dhcp_server_expire(ip->srv, now);

	if (next && next != UINT64_MAX)
		loop_timer_arm(ip->loop, &ip->expire, next);
	else
		loop_timer_cancel(ip->loop, &ip->expire);
}

static void internal_expire_fire(struct loop_timer *timer, uint64_t now)
{
	struct internal_port *ip =
		container_of(timer, struct internal_port, expire);

	internal_arm_expire(ip, now);
}

static int internal_send(struct port *port, const uint8_t *frame, size_t len)
{
	struct internal_port *ip = ip_of(port);
	uint64_t now = loop_now(ip->loop);
	unsigned int mark = ip->q_len;
	struct dhcp_stats a, b;

	if (port->removing || ip->closing)
		return -ENOTCONN;
	port->stats.tx_frames++;
	port->stats.tx_bytes += len;
	dhcp_server_stats(ip->srv, &a);
	ip->binds = false;
	dhcp_server_input(ip->srv, frame, len, now);
	dhcp_server_stats(ip->srv, &b);
	/* The ACK of a binding waits for the lease file (RFC 2131 §3.1). */
	while (ip->binds && ip->q_len > mark) {
		struct internal_frame *f =
			&ip->q[(ip->q_head + mark) % INTERNAL_QUEUE_FRAMES];

		if (lease_commit_hold(ip->lc, f->data, f->len))
			port->stats.tx_drop_full++;
		/* Later frames of this message (none today) move up. */
		for (unsigned int i = mark + 1; i < ip->q_len; i++)
			ip->q[(ip->q_head + i - 1) % INTERNAL_QUEUE_FRAMES] =
				ip->q[(ip->q_head + i) % INTERNAL_QUEUE_FRAMES];
		ip->q_len--;
	}
	/* An offer holds an address until a deadline of its own. */
	if (a.offer != b.offer)
		internal_arm_expire(ip, now);
	return 0;
}

/*
 * Lease events: one log line each (a hostile client can make many, so
 * rate-limited), and the address's line in the next commit batch.
 */
static void internal_event(void *aux, const struct dhcp_event *ev)
{
	static struct log_rl lease_rl = LOG_RL_INIT(20, 5000);
	static const char *const what[] = {
		[DHCP_EV_BOUND] = "leased to",
		[DHCP_EV_RELEASED] = "released by",
		[DHCP_EV_DECLINED] = "declined by",
	};
	struct internal_port *ip = aux;
	uint64_t now = loop_now(ip->loop);
	char mac[ETH_MAC_STR_LEN], addr[PKT_IPV4_STR_LEN];

	eth_format_mac(ev->mac, mac);
	if (ev->type == DHCP_EV_POOL_FULL) {
		log_warn_rl(&lease_rl,
			    "dhcp: no free address for %s: the pool "
			    "is full",
			    mac);
		return;
	}
	pkt_ipv4_format(ev->ip, addr);
	if (ev->type == DHCP_EV_BOUND)
		log_info_rl(&lease_rl, "dhcp: %s %s %s%s%s for %us", addr,
			    what[ev->type], mac, *ev->hostname ? " " : "",
			    ev->hostname, ev->lease_s);
	else
		log_info_rl(&lease_rl, "dhcp: %s %s %s", addr, what[ev->type],
			    mac);
	internal_arm_expire(ip, now);
	if (ev->type == DHCP_EV_BOUND)
		ip->binds = true;
	lease_commit_changed(ip->lc, ev->ip);
	loop_want_flush(ip->loop, &ip->flush);
}

static void internal_destroy(struct port *port)
{
	struct internal_port *ip = ip_of(port);

	loop_timer_cancel(ip->loop, &ip->expire);
	lease_commit_free(ip->lc);
	dhcp_server_free(ip->srv);
	port_fini(port);
	free(ip);
}

/* Once no commit is in flight: the whole file, the held ACKs out, away. */
static void internal_finish_close(struct internal_port *ip)
{
	struct port *port = &ip->port;

	lease_commit_sync(ip->lc, true);
	port->removing = true;
	vsw_port_down(port->sw, port);
	loop_timer_cancel(ip->loop, &ip->expire);
	ip->q_len = 0;
	vsw_release_port(port->sw, port);
}

static void internal_close(struct port *port)
{
	struct internal_port *ip = ip_of(port);

	if (port->removing || ip->closing)
		return;
	ip->closing = true;
	if (!lease_commit_busy(ip->lc))
		internal_finish_close(ip);
}

/**
 * internal_dhcp_stats() - the server's counters as a JSON object.
 * @port: the DHCP port
 *
 * Return: new reference, or NULL.
 */
json_t *internal_dhcp_stats(const struct port *port)
{
	const struct internal_port *ip =
		container_of(port, const struct internal_port, port);
	struct lease_commit_stats cs;
	struct dhcp_stats st;

	dhcp_server_stats(ip->srv, &st);
	lease_commit_stats(ip->lc, &cs);
	return json_pack(
		"{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
		"s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"discover", (json_int_t)st.discover, "request",
		(json_int_t)st.request, "release", (json_int_t)st.release,
		"decline", (json_int_t)st.decline, "inform",
		(json_int_t)st.inform, "offer", (json_int_t)st.offer, "ack",
		(json_int_t)st.ack, "nak", (json_int_t)st.nak, "malformed",
		(json_int_t)st.malformed, "pool_full", (json_int_t)st.pool_full,
		"arp_replies", (json_int_t)st.arp_replies, "ignored",
		(json_int_t)st.ignored, "lease_saves", (json_int_t)cs.commits,
		"lease_save_errors", (json_int_t)cs.errors, "lease_snapshots",
		(json_int_t)cs.snapshots, "acks_held", (json_int_t)cs.acks_held,
		"acks_dropped", (json_int_t)cs.acks_dropped, "acks_waiting",
		(json_int_t)lease_commit_held(ip->lc), "max_commit_batch",
		(json_int_t)cs.max_batch);
}

static void internal_show(const struct port *port, json_t *obj)
{
	const struct internal_port *ip =
		container_of(port, const struct internal_port, port);
	char ipb[PKT_IPV4_STR_LEN], mac[18];

	eth_format_mac(ip->dc.server_mac, mac);
	json_object_set_new(obj, "state",
			    json_string(port->removing || ip->closing ? "closing"
								       : "up"));
	json_object_set_new(obj, "handler", json_string("dhcp"));
	pkt_ipv4_format(ip->dc.server_ip, ipb);
	json_object_set_new(obj, "server_ip", json_string(ipb));
	json_object_set_new(obj, "server_mac", json_string(mac));
	json_object_set_new(obj, "lease_file", json_string(ip->lease_file));
	json_object_set_new(obj, "tx_queue", json_integer(ip->q_len));
	json_object_set_new(obj, "dhcp", internal_dhcp_stats(port));
}

static const struct port_ops internal_ops = {
	.type = "internal",
	.send = internal_send,
	.destroy = internal_destroy,
	.close = internal_close,
	.show = internal_show,
};

bool port_is_internal_dhcp(const struct port *port)
{
	return port && port->ops == &internal_ops;
}

struct lease_visit {
	json_t *list;
	uint64_t now;
	const struct fdb *fdb;
};

static void lease_to_json(const struct dhcp_lease_info *li, void *aux)
{
	struct lease_visit *v = aux;
	char ipb[PKT_IPV4_STR_LEN], mac[18], cid[255 * 2 + 1] = "";
	uint64_t left = li->expires_ms > v->now ? li->expires_ms - v->now : 0;
	/* The client's port: where the switch last saw its MAC. */
	const struct port *at = fdb_lookup(v->fdb, li->mac, 0, v->now);

	eth_format_mac(li->mac, mac);
	for (size_t i = 0; i < li->client_id_len; i++)
		snprintf(cid + 2 * i, 3, "%02x", li->client_id[i]);
	json_array_append_new(
		v->list,
		json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:b, s:s}", "ip",
			  pkt_ipv4_format(li->ip, ipb), "mac", mac, "hostname",
			  li->hostname, "client_id", cid, "expires_s",
			  (json_int_t)((left + 999) / 1000), "state",
			  li->bound ? "bound" : "offered", "reserved",
			  li->reserved, "port", at ? at->name : ""));
}

/**
 * internal_dhcp_leases() - the server's leases as a JSON array.
 * @port: the DHCP port
 *
 * Return: new reference, or NULL.
 */
json_t *internal_dhcp_leases(struct port *port)
{
	struct internal_port *ip = ip_of(port);
	struct lease_visit v = { json_array(), loop_now(ip->loop),
				 vsw_fdb(port->sw) };

	if (v.list)
		dhcp_server_foreach_lease(ip->srv, lease_to_json, &v);
	return v.list;
}

static void internal_load(struct internal_port *ip)
{
	char err[256] = "";
	/* Never through a link (refused at create; this closes the race). */
	int fd = open(ip->lease_file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	int ret;

	if (!f) {
		if (fd >= 0)
			close(fd);
		if (errno != ENOENT)
			log_warn_errno(-errno,
				       "dhcp: cannot read %s (starting "
				       "without leases)",
				       ip->lease_file);
		return;
	}
	ret = dhcp_server_load(ip->srv, f, loop_now(ip->loop), time(NULL), err,
			       sizeof(err));
	fclose(f);
	if (ret)
		log_warn("dhcp: %s: %s (leases after it ignored)",
			 ip->lease_file, err[0] ? err : strerror(-ret));
}

/**
 * internal_dhcp_create() - create, register and start the DHCP port.
 * @sw:		the switch
 * @cfg:	validated DHCP configuration
 * @out:	the new port
 *
 * Return: 0, or a negative errno (logged).
 */
int internal_dhcp_create(struct vsw *sw, const struct cfg_dhcp *cfg,
			 struct port **out)
{
	struct internal_port *ip;
	char ipb[PKT_IPV4_STR_LEN], err[CFG_FILE_MAX + 80];
	int ret;

	/* Never written through a link, never onto a device or directory. */
	ret = safe_file_check(cfg->lease_file, err, sizeof(err));
	if (ret) {
		log_err("dhcp: lease_file %s", err);
		return ret;
	}
	ip = calloc(1, sizeof(*ip));
	if (!ip) {
		log_err("dhcp: out of memory");
		return -ENOMEM;
	}
	port_init(&ip->port, &internal_ops, sw, INTERNAL_DHCP_PORT_NAME);
	ip->loop = vsw_loop(sw);
	ip->dc = cfg->dc;
	ip->dc.reservations = NULL;
	ip->dc.n_reservations = 0;
	strlcpy_(ip->lease_file, cfg->lease_file, sizeof(ip->lease_file));
	loop_flush_init(&ip->flush, internal_flush);
	loop_timer_init(&ip->expire, internal_expire_fire);
	ip->srv = dhcp_server_new(&cfg->dc, internal_emit, ip);
	if (ip->srv) {
		dhcp_server_set_event_fn(ip->srv, internal_event, ip);
		ip->lc = lease_commit_new(ip->loop, ip->lease_file, ip->srv,
					  internal_commit_send,
					  internal_commit_idle, ip);
	}
	if (!ip->lc) {
		log_err("dhcp: cannot create the server");
		dhcp_server_free(ip->srv);
		port_fini(&ip->port);
		free(ip);
		return -ENOMEM;
	}
	internal_load(ip);
	ret = vsw_add_port(sw, &ip->port);
	if (ret) {
		log_err_errno(ret, "port %s: cannot create",
			      INTERNAL_DHCP_PORT_NAME);
		internal_destroy(&ip->port);
		return ret;
	}
	snprintf(ip->port.peer, sizeof(ip->port.peer), "dhcp server %s",
		 pkt_ipv4_format(cfg->dc.server_ip, ipb));
	vsw_port_up(sw, &ip->port);
	/* No guest may take the server's MAC over by sending from it. */
	if (fdb_add_static(vsw_fdb(sw), ip->dc.server_mac, 0, &ip->port))
		log_warn("dhcp: cannot pin the server's MAC address");
	internal_arm_expire(ip, loop_now(ip->loop));
	log_info("port %s: DHCP server %s, leases in %s",
		 INTERNAL_DHCP_PORT_NAME, ipb, ip->lease_file);
	*out = &ip->port;
	return 0;
}

/* ----- the "dhcp" section ----- */

static bool dhcp_enabled(const struct vsw_config *cfg)
{
	return cfg->dhcp.enabled;
}

static bool dhcp_same(const struct vsw_config *a, const struct vsw_config *b)
{
	return cfg_dhcp_same(&a->dhcp, &b->dhcp);
}

static void dhcp_carry(struct vsw_config *next, struct vsw_config *running)
{
	free(next->dhcp.dc.reservations);
	next->dhcp = running->dhcp;
	running->dhcp.dc.reservations = NULL;
}

static void dhcp_forget(struct vsw_config *cfg)
{
	free(cfg->dhcp.dc.reservations);
	memset(&cfg->dhcp, 0, sizeof(cfg->dhcp));
}

static int dhcp_create(struct vsw *sw, const struct vsw_config *cfg,
		       struct port **out)
{
	return internal_dhcp_create(sw, &cfg->dhcp, out);
}

/* The server is not removed at runtime: clients hold leases from it. */
const struct port_section_type dhcp_section_type = {
	INTERNAL_DHCP_PORT_NAME, "the DHCP server", false,
	dhcp_enabled, dhcp_same, dhcp_carry, dhcp_forget, dhcp_create,
};
