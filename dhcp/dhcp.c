/*
 * dhcp.c - a transport-free DHCPv4 server (RFC 2131): its state, the
 * protocol and the choice of addresses (see dhcp.h and server.h).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "dhcp/dhcp.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp/lease.h"
#include "dhcp/options.h"
#include "dhcp/proto.h"
#include "dhcp/server.h"
#include "switch/core/eth.h"
#include "switch/core/pkt.h"
#include "switch/base/util.h"

/**
 * dhcp_fail() - format an error message and return -EINVAL.
 * @err:	buffer, or NULL
 * @size:	its size
 * @fmt:	printf format
 *
 * Return: -EINVAL, for the caller to return in turn.
 */
int dhcp_fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (err && size) {
		va_start(ap, fmt);
		vsnprintf(err, size, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/**
 * dhcp_cfg_check() - validate a configuration.
 * @cfg:	configuration
 * @err:	buffer for a message naming the offending value
 * @err_size:	its size
 *
 * Checks that the netmask is contiguous, the server sits in the subnet,
 * the range lies inside the subnet and excludes the network, broadcast,
 * server and router addresses, the lists fit, T1 <= T2 <= lease, and the
 * reservations are assignable addresses with unique MACs and addresses.
 *
 * Return: 0, or -EINVAL with a message in @err.
 */
int dhcp_cfg_check(const struct dhcp_cfg *cfg, char *err, size_t err_size)
{
	uint32_t lease = cfg->lease_s ? cfg->lease_s : DHCP_DEFAULT_LEASE_S;
	char a[PKT_IPV4_STR_LEN];
	uint8_t tmp[4 * 66];

	if (cfg->netmask == 0 || (~cfg->netmask & (~cfg->netmask + 1)))
		return dhcp_fail(err, err_size, "netmask is not contiguous");
	if (~cfg->netmask < 3)
		return dhcp_fail(err, err_size, "subnet too small (/31 or /32)");
	if (cfg->subnet & ~cfg->netmask)
		return dhcp_fail(err, err_size, "subnet has host bits set");
	pkt_ipv4_format(cfg->server_ip, a);
	if (!dhcp_in_subnet(cfg, cfg->server_ip) || cfg->server_ip == cfg->subnet ||
	    cfg->server_ip == dhcp_bcast_of(cfg))
		return dhcp_fail(err, err_size,
			    "server address %s is not a host of the subnet",
			    a);
	if (!eth_is_host_mac(cfg->server_mac))
		return dhcp_fail(err, err_size, "server MAC is not unicast");
	if (cfg->range_start > cfg->range_end)
		return dhcp_fail(err, err_size, "range start is after range end");
	if (!dhcp_in_subnet(cfg, cfg->range_start) ||
	    !dhcp_in_subnet(cfg, cfg->range_end))
		return dhcp_fail(err, err_size, "range is not inside the subnet");
	if (cfg->range_start == cfg->subnet || cfg->range_end == dhcp_bcast_of(cfg))
		return dhcp_fail(err, err_size,
			    "range includes the network or broadcast address");
	if (cfg->server_ip >= cfg->range_start &&
	    cfg->server_ip <= cfg->range_end)
		return dhcp_fail(err, err_size, "range includes the server address %s",
			    a);
	if (cfg->router && cfg->router >= cfg->range_start &&
	    cfg->router <= cfg->range_end) {
		pkt_ipv4_format(cfg->router, a);
		return dhcp_fail(err, err_size, "range includes the router address %s",
			    a);
	}
	if (cfg->n_dns > ARRAY_SIZE(cfg->dns))
		return dhcp_fail(err, err_size, "more than 3 DNS servers");
	if (cfg->n_search > ARRAY_SIZE(cfg->search))
		return dhcp_fail(err, err_size, "more than 4 search domains");
	if (cfg->n_search &&
	    dopt_encode_search(cfg->search, cfg->n_search, tmp,
			       sizeof(tmp)) < 0)
		return dhcp_fail(err, err_size, "search domain is not a valid name");
	if (strnlen(cfg->domain, sizeof(cfg->domain)) >= sizeof(cfg->domain))
		return dhcp_fail(err, err_size, "domain is not terminated");
	if (cfg->mtu && (cfg->mtu < 68 || cfg->mtu > 65535))
		return dhcp_fail(err, err_size, "mtu %u is outside 68..65535",
			    cfg->mtu);
	if ((cfg->t1_s && cfg->t1_s > lease) || (cfg->t2_s && cfg->t2_s > lease) ||
	    (cfg->t1_s && cfg->t2_s && cfg->t1_s > cfg->t2_s))
		return dhcp_fail(err, err_size, "need t1 <= t2 <= lease time");
	for (size_t i = 0; i < cfg->n_reservations; i++) {
		const struct dhcp_reservation *r = &cfg->reservations[i];

		pkt_ipv4_format(r->ip, a);
		if (!dhcp_assignable(cfg, r->ip))
			return dhcp_fail(err, err_size,
				    "reservation %zu: %s is not an assignable address of the subnet",
				    i, a);
		if (!eth_is_host_mac(r->mac))
			return dhcp_fail(err, err_size,
				    "reservation %zu: MAC is not unicast", i);
		for (size_t j = 0; j < i; j++) {
			if (cfg->reservations[j].ip == r->ip)
				return dhcp_fail(err, err_size,
					    "reservation %zu: %s is reserved twice",
					    i, a);
			if (!memcmp(cfg->reservations[j].mac, r->mac, 6))
				return dhcp_fail(err, err_size,
					    "reservation %zu: MAC is reserved twice",
					    i);
		}
	}
	return 0;
}

/**
 * dhcp_res_by_mac() - the reservation for a MAC.
 * @srv:	server
 * @mac:	six bytes
 *
 * Return: the reservation, or NULL.
 */
const struct dhcp_reservation *
dhcp_res_by_mac(const struct dhcp_server *srv, const uint8_t *mac)
{
	for (size_t i = 0; i < srv->cfg.n_reservations; i++)
		if (!memcmp(srv->res[i].mac, mac, 6))
			return &srv->res[i];
	return NULL;
}

/**
 * dhcp_res_by_ip() - the reservation of an address.
 * @srv:	server
 * @ip:		host byte order
 *
 * Return: the reservation, or NULL.
 */
const struct dhcp_reservation *
dhcp_res_by_ip(const struct dhcp_server *srv, uint32_t ip)
{
	for (size_t i = 0; i < srv->cfg.n_reservations; i++)
		if (srv->res[i].ip == ip)
			return &srv->res[i];
	return NULL;
}

/**
 * dhcp_server_new() - create a server.
 * @cfg:	configuration, copied (with its reservations); it should
 *		have passed dhcp_cfg_check()
 * @send:	transmit callback
 * @aux:	its argument
 *
 * Return: the server, or NULL if @cfg is invalid or memory ran out.
 */
struct dhcp_server *dhcp_server_new(const struct dhcp_cfg *cfg,
				    dhcp_send_fn *send, void *aux)
{
	struct dhcp_server *srv;
	int n;

	if (dhcp_cfg_check(cfg, NULL, 0))
		return NULL;
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return NULL;
	srv->cfg = *cfg;
	if (!srv->cfg.lease_s)
		srv->cfg.lease_s = DHCP_DEFAULT_LEASE_S;
	if (!srv->cfg.max_leases ||
	    srv->cfg.max_leases > cfg->range_end - cfg->range_start + 1)
		srv->cfg.max_leases = cfg->range_end - cfg->range_start + 1 +
				      (unsigned int)cfg->n_reservations;
	if (cfg->n_reservations) {
		srv->res = calloc(cfg->n_reservations, sizeof(*srv->res));
		if (!srv->res)
			goto err;
		memcpy(srv->res, cfg->reservations,
		       cfg->n_reservations * sizeof(*srv->res));
		for (size_t i = 0; i < cfg->n_reservations; i++)
			srv->res[i].hostname[sizeof(srv->res[i].hostname) - 1] =
				'\0';
	}
	srv->cfg.reservations = srv->res;
	n = dopt_encode_search(cfg->search, cfg->n_search, srv->search,
			       sizeof(srv->search));
	if (n < 0)
		goto err;
	srv->search_len = (size_t)n;
	srv->send = send;
	srv->aux = aux;
	if (lease_table_init(&srv->leases, cfg->range_start, cfg->range_end))
		goto err;
	return srv;
err:
	free(srv->res);
	free(srv);
	return NULL;
}

/**
 * dhcp_server_free() - destroy a server.
 * @srv:	server, or NULL
 */
void dhcp_server_free(struct dhcp_server *srv)
{
	if (!srv)
		return;
	lease_table_fini(&srv->leases);
	free(srv->res);
	free(srv);
}

/**
 * dhcp_server_stats() - copy the counters.
 * @srv:	server
 * @st:		output
 */
void dhcp_server_stats(const struct dhcp_server *srv, struct dhcp_stats *st)
{
	*st = srv->stats;
}

/**
 * dhcp_server_set_event_fn() - be told of every lease event.
 * @srv:	server
 * @fn:		called from inside dhcp_server_input(); NULL to stop
 * @aux:	passed to @fn
 */
void dhcp_server_set_event_fn(struct dhcp_server *srv, dhcp_event_fn *fn,
			      void *aux)
{
	srv->event = fn;
	srv->event_aux = aux;
}

static void emit(struct dhcp_server *srv, enum dhcp_event_type type,
		 uint32_t ip, const uint8_t *mac, const char *hostname,
		 unsigned int lease_s)
{
	struct dhcp_event ev = { type, ip, mac, hostname ? hostname : "",
				 lease_s };

	if (srv->event)
		srv->event(srv->event_aux, &ev);
}

/**
 * dhcp_server_expire() - reclaim expired offers, leases and quarantines.
 * @srv:	server
 * @now_ms:	monotonic time
 *
 * Cheap when nothing can have expired yet, so it may be called after
 * every message.
 *
 * Return: when to call it again: no later than the next deadline (it may
 * be an earlier one that has since moved), or UINT64_MAX if nothing is
 * pending.
 */
uint64_t dhcp_server_expire(struct dhcp_server *srv, uint64_t now_ms)
{
	return lease_expire(&srv->leases, now_ms);
}

/**
 * dhcp_sanitize_hostname() - copy a client's host name, made safe.
 * @dst:	result, always terminated
 * @size:	its size
 * @src:	option 12 (or a lease file's field)
 * @len:	its length
 *
 * Keeps only [A-Za-z0-9._-], so that lease files and listings never carry
 * spaces or control characters.
 */
void dhcp_sanitize_hostname(char *dst, size_t size, const uint8_t *src,
			      size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 1 < size; i++) {
		uint8_t ch = src[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
		    ch == '_')
			dst[n++] = (char)ch;
	}
	dst[n] = '\0';
}

/* Hands the entry for @ip to the client of @rx, creating it if needed and
 * dropping the client's entry for any other address. */
static struct lease *claim(struct dhcp_server *srv, uint32_t ip,
			   const struct lease_key *key, const uint8_t *mac)
{
	const struct dhcp_reservation *r = dhcp_res_by_ip(srv, ip);
	struct lease *l = lease_find_key(&srv->leases, key);

	if (l && l->ip != ip)
		lease_remove(&srv->leases, l);
	l = lease_find_ip(&srv->leases, ip);
	if (!l) {
		l = lease_add(&srv->leases, ip);
		if (!l)
			return NULL;
	}
	if (!lease_key_eq(&l->key, key)) {
		lease_set_key(&srv->leases, l, key);
		l->state = LEASE_STALE;
		l->hostname[0] = '\0';
	}
	memcpy(l->mac, mac, 6);
	l->reserved = r != NULL;
	if (r && r->hostname[0])
		strlcpy_(l->hostname, r->hostname, sizeof(l->hostname));
	return l;
}

/* True if a stranger may be given @ip now. */
static bool ip_free(const struct dhcp_server *srv, uint32_t ip,
		    uint64_t now_ms)
{
	const struct lease *l = lease_find_ip(&srv->leases, ip);

	if (dhcp_res_by_ip(srv, ip) || !dhcp_assignable(&srv->cfg, ip))
		return false;
	return !l || !lease_active(l, now_ms);
}

/*
 * RFC 2131 §4.3.1: choosing the address for a DHCPOFFER.  Order: the
 * client's static reservation; its current or previous address; the
 * address it asks for (option 50) if free; the first never-used one of
 * its LEASE_CANDIDATES candidates (a function of its key alone, so which
 * of them it gets depends only on whether another client holds one of
 * them, not on who else came before); a never-used address probing
 * linearly from its first candidate; the least recently used stale
 * address.  Returns NULL when the pool is exhausted.
 */
static struct lease *pick(struct dhcp_server *srv, const struct dhcp_rx *rx,
			  uint64_t now_ms)
{
	const struct dhcp_cfg *c = &srv->cfg;
	const struct dhcp_reservation *r = dhcp_res_by_mac(srv, rx->chaddr);
	struct lease *l = lease_find_key(&srv->leases, &rx->key);
	const uint8_t *req = rx->opts.val[DOPT_REQUESTED_IP];
	uint32_t size = c->range_end - c->range_start + 1;
	uint32_t hash, start, best_ip = 0;
	uint64_t best = UINT64_MAX;

	if (r)
		return claim(srv, r->ip, &rx->key, rx->chaddr);
	if (l && l->state != LEASE_DECLINED && l->ip >= c->range_start &&
	    l->ip <= c->range_end && !dhcp_res_by_ip(srv, l->ip))
		return claim(srv, l->ip, &rx->key, rx->chaddr);
	/* Counting is a pass over the table: only when it may be full. */
	if (srv->leases.n >= c->max_leases &&
	    lease_count_active(&srv->leases, now_ms) >= c->max_leases)
		return NULL;
	if (req) {
		uint32_t ip = get_be32(req);

		if (ip >= c->range_start && ip <= c->range_end &&
		    ip_free(srv, ip, now_ms))
			return claim(srv, ip, &rx->key, rx->chaddr);
	}
	/* The client's own candidates first: see lease_candidate(). */
	hash = lease_key_hash(&rx->key);
	for (unsigned int i = 0; i < LEASE_CANDIDATES; i++) {
		uint32_t ip = c->range_start + lease_candidate(hash, i, size);

		if (!lease_find_ip(&srv->leases, ip) &&
		    !dhcp_res_by_ip(srv, ip) && dhcp_assignable(c, ip))
			return claim(srv, ip, &rx->key, rx->chaddr);
	}
	start = lease_candidate(hash, 0, size);
	for (uint32_t i = 0; i < size; i++) {
		uint32_t ip = c->range_start + (start + i) % size;

		if (!lease_find_ip(&srv->leases, ip) &&
		    !dhcp_res_by_ip(srv, ip) && dhcp_assignable(c, ip))
			return claim(srv, ip, &rx->key, rx->chaddr);
	}
	for (size_t i = 0; i < srv->leases.n; i++) {
		const struct lease *s = &srv->leases.leases[i];
		uint64_t when = s->state == LEASE_STALE ? s->stale_ms :
							   s->expires_ms;

		if (s->ip < c->range_start || s->ip > c->range_end ||
		    !ip_free(srv, s->ip, now_ms) || when >= best)
			continue;
		best = when;
		best_ip = s->ip;
	}
	if (best_ip)
		return claim(srv, best_ip, &rx->key, rx->chaddr);
	return NULL;
}

static void bind_lease(struct dhcp_server *srv, struct lease *l,
		       const struct dhcp_rx *rx, uint64_t now_ms)
{
	const uint8_t *h = rx->opts.val[DOPT_HOSTNAME];

	lease_hold(&srv->leases, l, LEASE_BOUND,
		   now_ms + (uint64_t)srv->cfg.lease_s * 1000);
	if (h && !l->reserved)
		dhcp_sanitize_hostname(l->hostname, sizeof(l->hostname), h,
				  rx->opts.len[DOPT_HOSTNAME]);
}

static void ack(struct dhcp_server *srv, const struct dhcp_rx *rx,
		struct lease *l, uint64_t now_ms, bool rapid)
{
	char host[64];

	bind_lease(srv, l, rx, now_ms);
	/* Option 12 only for reservations: the name is ours to give. */
	strlcpy_(host, l->reserved ? l->hostname : "", sizeof(host));
	dhcp_send_reply(srv, rx, DHCP_ACK, l->ip, host, rapid);
	emit(srv, DHCP_EV_BOUND, l->ip, rx->chaddr, l->hostname,
	     srv->cfg.lease_s);
}

static void nak(struct dhcp_server *srv, const struct dhcp_rx *rx)
{
	dhcp_send_reply(srv, rx, DHCP_NAK, 0, NULL, false);
}

static void on_discover(struct dhcp_server *srv, const struct dhcp_rx *rx,
			uint64_t now_ms)
{
	struct lease *l;
	char host[64];

	srv->stats.discover++;
	l = pick(srv, rx, now_ms);
	if (!l) {
		srv->stats.pool_full++;
		emit(srv, DHCP_EV_POOL_FULL, 0, rx->chaddr, NULL, 0);
		return;
	}
	/* RFC 4039 §4: with rapid commit on both sides, ACK at once. */
	if (srv->cfg.rapid_commit && dopt_has(&rx->opts, DOPT_RAPID_COMMIT)) {
		ack(srv, rx, l, now_ms, true);
		return;
	}
	/* An offer never shortens a lease the client already holds. */
	if (!(l->state == LEASE_BOUND && lease_active(l, now_ms))) {
		lease_hold(&srv->leases, l, LEASE_OFFERED,
			   now_ms + DHCP_OFFER_HOLD_MS);
	}
	strlcpy_(host, l->reserved ? l->hostname : "", sizeof(host));
	dhcp_send_reply(srv, rx, DHCP_OFFER, l->ip, host, false);
}

/* True if the client of @rx may (keep) use @ip: the entry for @ip is its
 * own and not quarantined, and no reservation sends it elsewhere. */
static struct lease *owned(struct dhcp_server *srv, const struct dhcp_rx *rx,
			   uint32_t ip)
{
	const struct dhcp_reservation *r = dhcp_res_by_mac(srv, rx->chaddr);
	struct lease *l = lease_find_key(&srv->leases, &rx->key);

	if (!l || l->ip != ip || l->state == LEASE_DECLINED)
		return NULL;
	if (r && r->ip != ip)
		return NULL;
	if (!r && dhcp_res_by_ip(srv, ip))
		return NULL;
	return l;
}

/* ACK the client's own address @ip, NAK anything else. */
static void ack_owned_or_nak(struct dhcp_server *srv, const struct dhcp_rx *rx,
			     uint32_t ip, uint64_t now_ms)
{
	struct lease *l = owned(srv, rx, ip);

	if (l)
		ack(srv, rx, l, now_ms, false);
	else
		nak(srv, rx);
}

/* True if the message carries a server identifier that is not ours: it
 * is meant for another server on the segment, and is none of our business. */
static bool for_other_server(const struct dhcp_server *srv,
			     const struct dhcp_rx *rx)
{
	const uint8_t *sid = rx->opts.val[DOPT_SERVER_ID];

	return sid && get_be32(sid) != srv->cfg.server_ip;
}

static void on_request(struct dhcp_server *srv, const struct dhcp_rx *rx,
		       uint64_t now_ms)
{
	const uint8_t *sid = rx->opts.val[DOPT_SERVER_ID];
	const uint8_t *req = rx->opts.val[DOPT_REQUESTED_IP];
	struct lease *l;

	srv->stats.request++;
	/*
	 * RFC 2131 §4.3.2, SELECTING: "Client inserts the address of the
	 * selected server in 'server identifier', 'ciaddr' MUST be zero,
	 * 'requested IP address' MUST be filled in with the yiaddr value
	 * from the chosen DHCPOFFER."  A request naming another server means
	 * our offer was declined: release it silently.
	 */
	if (sid) {
		if (for_other_server(srv, rx)) {
			l = lease_find_key(&srv->leases, &rx->key);
			if (l && l->state == LEASE_OFFERED) {
				l->state = LEASE_STALE;
				l->stale_ms = now_ms;
			}
			return;
		}
		ack_owned_or_nak(srv, rx, req ? get_be32(req) : rx->ciaddr,
				 now_ms);
		return;
	}
	/*
	 * RFC 2131 §4.3.2, INIT-REBOOT: "'server identifier' MUST NOT be
	 * filled in, 'requested IP address' option MUST be filled in with
	 * client's notion of its previously assigned address. 'ciaddr' MUST
	 * be zero. ... Server SHOULD send a DHCPNAK message to the client if
	 * the 'requested IP address' is incorrect, or is on the wrong
	 * network. ... If the DHCP server has no record of this client, then
	 * it MUST remain silent".
	 */
	if (!rx->ciaddr) {
		uint32_t ip;
		const struct lease *other;

		if (!req) {
			srv->stats.ignored++;
			return;
		}
		ip = get_be32(req);
		if (!dhcp_in_subnet(&srv->cfg, ip) || !dhcp_assignable(&srv->cfg, ip)) {
			nak(srv, rx);
			return;
		}
		l = owned(srv, rx, ip);
		if (l) {
			ack(srv, rx, l, now_ms, false);
			return;
		}
		other = lease_find_ip(&srv->leases, ip);
		if ((other && lease_active(other, now_ms)) ||
		    dhcp_res_by_ip(srv, ip) ||
		    dhcp_res_by_mac(srv, rx->chaddr) ||
		    lease_find_key(&srv->leases, &rx->key))
			nak(srv, rx);
		return;
	}
	/*
	 * RFC 2131 §4.3.2, RENEWING and REBINDING: "'server identifier' MUST
	 * NOT be filled in, 'requested IP address' option MUST NOT be filled
	 * in, 'ciaddr' MUST be filled in with client's IP address."  ACK if
	 * the address is the client's, else NAK.
	 */
	ack_owned_or_nak(srv, rx, rx->ciaddr, now_ms);
}

/* RFC 2131 §4.3.4: DHCPRELEASE frees the client's address (ciaddr). */
static void on_release(struct dhcp_server *srv, const struct dhcp_rx *rx,
		       uint64_t now_ms)
{
	struct lease *l;

	srv->stats.release++;
	if (for_other_server(srv, rx))
		return;
	l = lease_find_key(&srv->leases, &rx->key);
	if (!l || l->ip != rx->ciaddr || l->state == LEASE_DECLINED)
		return;
	l->state = LEASE_STALE;
	l->stale_ms = now_ms;
	l->expires_ms = now_ms;
	emit(srv, DHCP_EV_RELEASED, l->ip, rx->chaddr, l->hostname, 0);
}

/* RFC 2131 §4.3.3: DHCPDECLINE means the address (option 50) is in use
 * by someone else; mark it unavailable for a while. */
static void on_decline(struct dhcp_server *srv, const struct dhcp_rx *rx,
		       uint64_t now_ms)
{
	const uint8_t *req = rx->opts.val[DOPT_REQUESTED_IP];
	struct lease *l;

	srv->stats.decline++;
	if (for_other_server(srv, rx) || !req)
		return;
	l = lease_find_key(&srv->leases, &rx->key);
	if (!l || l->ip != get_be32(req))
		return;
	emit(srv, DHCP_EV_DECLINED, l->ip, rx->chaddr, l->hostname, 0);
	lease_set_key(&srv->leases, l, NULL);
	memset(l->mac, 0, sizeof(l->mac));
	l->hostname[0] = '\0';
	lease_hold(&srv->leases, l, LEASE_DECLINED,
		   now_ms + DHCP_DECLINE_HOLD_MS);
}

/* RFC 2131 §4.3.5: DHCPINFORM gets configuration only: an ACK with no
 * yiaddr and no lease time, unicast to ciaddr. */
static void on_inform(struct dhcp_server *srv, const struct dhcp_rx *rx,
		      uint64_t now_ms UNUSED)
{
	srv->stats.inform++;
	dhcp_send_reply(srv, rx, DHCP_ACK, 0, NULL, false);
}

typedef void dhcp_handler_fn(struct dhcp_server *srv, const struct dhcp_rx *rx,
			     uint64_t now_ms);

/* What a server does with each message type; the others are ignored. */
static dhcp_handler_fn *const handlers[] = {
	[DHCP_DISCOVER] = on_discover, [DHCP_REQUEST] = on_request,
	[DHCP_RELEASE] = on_release,   [DHCP_DECLINE] = on_decline,
	[DHCP_INFORM] = on_inform,
};

/* Option lengths fixed by RFC 2132; anything else is malformed. */
static bool opt_lengths_ok(const struct dopt_table *t)
{
	static const struct {
		uint8_t code, len;
	} fixed[] = {
		{ DOPT_MSG_TYPE, 1 },
		{ DOPT_REQUESTED_IP, 4 },
		{ DOPT_SERVER_ID, 4 },
		{ DOPT_MAX_MSG_SIZE, 2 },
		{ DOPT_RAPID_COMMIT, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
		if (t->val[fixed[i].code] && t->len[fixed[i].code] != fixed[i].len)
			return false;
	/* RFC 2132 §9.14: a client identifier has at least two octets. */
	if (t->val[DOPT_CLIENT_ID] && t->len[DOPT_CLIENT_ID] < 2)
		return false;
	return true;
}

static int malformed(struct dhcp_server *srv)
{
	srv->stats.malformed++;
	return -EINVAL;
}

/* Handles a BOOTP message (UDP payload to port 67). */
static int on_bootp(struct dhcp_server *srv, const uint8_t *src_mac,
		    const uint8_t *msg, size_t len, uint64_t now_ms)
{
	struct dhcp_rx rx;
	const uint8_t *cid;

	if (len < DHCP_MIN_LEN)
		return malformed(srv);
	if (msg[DHCP_OFF_OP] != DHCP_BOOTREQUEST ||
	    msg[DHCP_OFF_HLEN] > DHCP_CHADDR_LEN)
		return malformed(srv);
	memset(&rx, 0, sizeof(rx));
	if (dopt_parse_bootp(&rx.opts, msg, len) || !opt_lengths_ok(&rx.opts))
		return malformed(srv);
	/* Only Ethernet clients; plain BOOTP (no option 53) is not served. */
	if (msg[DHCP_OFF_HTYPE] != 1 || msg[DHCP_OFF_HLEN] != 6 ||
	    !rx.opts.val[DOPT_MSG_TYPE]) {
		srv->stats.ignored++;
		return 0;
	}
	rx.src_mac = src_mac;
	rx.msg = msg;
	rx.len = len;
	rx.type = rx.opts.val[DOPT_MSG_TYPE][0];
	rx.ciaddr = get_be32(msg + DHCP_OFF_CIADDR);
	rx.giaddr = get_be32(msg + DHCP_OFF_GIADDR);
	rx.flags = get_be16(msg + DHCP_OFF_FLAGS);
	rx.chaddr = msg + DHCP_OFF_CHADDR;
	/* RFC 2131 §4.2: the client identifier if sent, else chaddr. */
	cid = rx.opts.val[DOPT_CLIENT_ID];
	if (cid) {
		rx.key.type = LEASE_KEY_CLIENT_ID;
		rx.key.len = rx.opts.len[DOPT_CLIENT_ID];
		memcpy(rx.key.data, cid, rx.key.len);
	} else {
		rx.key.type = LEASE_KEY_CHADDR;
		rx.key.len = 6;
		memcpy(rx.key.data, rx.chaddr, 6);
	}
	if (!eth_is_host_mac(rx.chaddr))
		return malformed(srv);

	if (rx.type < ARRAY_SIZE(handlers) && handlers[rx.type])
		handlers[rx.type](srv, &rx, now_ms);
	else
		srv->stats.ignored++;
	return 0;
}

/**
 * dhcp_server_input() - process one frame received by the server's port.
 * @srv:	server
 * @frame:	Ethernet frame (no FCS), untagged
 * @len:	its length
 * @now_ms:	monotonic time
 *
 * ARP requests for the server address are answered.  IPv4 UDP to port 67
 * sent to 255.255.255.255 or the server address, with the broadcast or
 * the server MAC, is DHCP.  Everything else is counted as ignored.
 *
 * Return: 0, or -EINVAL for a malformed DHCP packet (also counted).
 */
int dhcp_server_input(struct dhcp_server *srv, const uint8_t *frame,
		      size_t len, uint64_t now_ms)
{
	struct pkt_eth eth;
	struct pkt_ipv4 ip;
	struct pkt_udp udp;
	enum pkt_status st;

	if (pkt_eth_parse(frame, len, &eth)) {
		srv->stats.ignored++;
		return 0;
	}
	if (memcmp(frame, dhcp_bcast_mac, 6) &&
	    memcmp(frame, srv->cfg.server_mac, 6)) {
		srv->stats.ignored++;
		return 0;
	}
	/* The port is untagged: a tagged frame is no ARP or IPv4 of ours. */
	if (eth.tpid == 0 && eth.type == PKT_ETHERTYPE_ARP)
		return dhcp_arp_input(srv, &eth);
	st = eth.tpid == 0 && eth.type == PKT_ETHERTYPE_IPV4 ?
		     pkt_ipv4_parse(eth.payload, eth.payload_len, &ip) :
		     PKT_TRUNCATED;
	if ((st != PKT_OK && st != PKT_BAD_LEN) ||
	    ip.proto != PKT_IP_PROTO_UDP) {
		srv->stats.ignored++;
		return 0;
	}
	if (ip.dst != 0xffffffff && ip.dst != srv->cfg.server_ip) {
		srv->stats.ignored++;
		return 0;
	}
	/* From here on it is UDP for us: damage is malformed. */
	if (!pkt_ipv4_csum_ok(&ip) || st == PKT_BAD_LEN ||
	    pkt_ipv4_is_fragment(&ip))
		return malformed(srv);
	st = pkt_udp_parse(ip.payload, ip.payload_len, &udp);
	if (st == PKT_TRUNCATED)
		return malformed(srv);
	if (udp.dport != DHCP_SERVER_PORT) {
		srv->stats.ignored++;
		return 0;
	}
	if (st != PKT_OK || !pkt_udp_csum_ok(&ip, &udp))
		return malformed(srv);
	return on_bootp(srv, eth.src, udp.payload, udp.payload_len, now_ms);
}

static void fill_info(const struct lease *l, struct dhcp_lease_info *info)
{
	memset(info, 0, sizeof(*info));
	info->ip = l->ip;
	memcpy(info->mac, l->mac, 6);
	strlcpy_(info->hostname, l->hostname, sizeof(info->hostname));
	if (l->key.type == LEASE_KEY_CLIENT_ID) {
		memcpy(info->client_id, l->key.data, l->key.len);
		info->client_id_len = l->key.len;
	}
	info->expires_ms = l->expires_ms;
	info->bound = l->state == LEASE_BOUND;
	info->reserved = l->reserved;
}

/**
 * dhcp_server_foreach_lease() - visit every lease and outstanding offer.
 * @srv:	server
 * @fn:		visitor; it must not call back into @srv
 * @aux:	its argument
 *
 * Entries are visited in table order.  Expired entries and quarantined
 * addresses are skipped; to see the state at a given time call
 * dhcp_server_expire() first.
 */
void dhcp_server_foreach_lease(const struct dhcp_server *srv,
			       dhcp_lease_visit_fn *fn, void *aux)
{
	struct dhcp_lease_info info;

	for (size_t i = 0; i < srv->leases.n; i++) {
		const struct lease *l = &srv->leases.leases[i];

		if (l->state != LEASE_OFFERED && l->state != LEASE_BOUND)
			continue;
		fill_info(l, &info);
		fn(&info, aux);
	}
}

