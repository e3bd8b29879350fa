/*
 * dhcp.c - a transport-free DHCPv4 server (RFC 2131).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "dhcp/dhcp.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp/lease.h"
#include "dhcp/options.h"
#include "dhcp/proto.h"
#include "switch/csum.h"
#include "switch/eth.h"
#include "switch/pkt.h"
#include "switch/util.h"

/* Room for the largest reply: a 1500-byte IP packet in Ethernet. */
enum { DHCP_FRAME_MAX = PKT_ETH_HLEN + 1500 };

/**
 * struct dhcp_server - server state.
 * @cfg:	copy of the configuration (defaults filled in)
 * @res:	own copy of the reservations
 * @send:	transmit callback
 * @aux:	its argument
 * @leases:	lease table
 * @stats:	counters
 * @search:	option 119 value, encoded once
 * @search_len:	its length, 0 for none
 */
struct dhcp_server {
	struct dhcp_cfg cfg;
	struct dhcp_reservation *res;
	dhcp_send_fn *send;
	void *aux;
	struct lease_table leases;
	struct dhcp_stats stats;
	uint8_t search[4 * 66];
	size_t search_len;
	dhcp_event_fn *event;
	void *event_aux;
};

/* A parsed, validated request. */
struct dhcp_rx {
	const uint8_t *src_mac;
	const uint8_t *msg;
	size_t len;
	struct dopt_table opts;
	uint8_t type;
	uint32_t ciaddr, giaddr;
	uint16_t flags;
	const uint8_t *chaddr;
	struct lease_key key;
};

PRINTF_FMT(3, 4)
static int fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (err && size) {
		va_start(ap, fmt);
		vsnprintf(err, size, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static void fmt_ip(uint32_t ip, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
		 (ip >> 8) & 255, ip & 255);
}

static bool in_subnet(const struct dhcp_cfg *c, uint32_t ip)
{
	return (ip & c->netmask) == c->subnet;
}

static uint32_t bcast_of(const struct dhcp_cfg *c)
{
	return c->subnet | ~c->netmask;
}

/* True for addresses a client may hold: in the subnet, not the network,
 * broadcast, server or router address. */
static bool assignable(const struct dhcp_cfg *c, uint32_t ip)
{
	return in_subnet(c, ip) && ip != c->subnet && ip != bcast_of(c) &&
	       ip != c->server_ip && (!c->router || ip != c->router);
}

/* True for a multicast or all-zero MAC. */
static bool eth_mac_bad(const uint8_t *mac)
{
	static const uint8_t zero[6];

	return (mac[0] & 1) || !memcmp(mac, zero, 6);
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
	char a[16];
	uint8_t tmp[4 * 66];

	if (cfg->netmask == 0 || (~cfg->netmask & (~cfg->netmask + 1)))
		return fail(err, err_size, "netmask is not contiguous");
	if (~cfg->netmask < 3)
		return fail(err, err_size, "subnet too small (/31 or /32)");
	if (cfg->subnet & ~cfg->netmask)
		return fail(err, err_size, "subnet has host bits set");
	fmt_ip(cfg->server_ip, a);
	if (!in_subnet(cfg, cfg->server_ip) || cfg->server_ip == cfg->subnet ||
	    cfg->server_ip == bcast_of(cfg))
		return fail(err, err_size,
			    "server address %s is not a host of the subnet",
			    a);
	if (eth_mac_bad(cfg->server_mac))
		return fail(err, err_size, "server MAC is not unicast");
	if (cfg->range_start > cfg->range_end)
		return fail(err, err_size, "range start is after range end");
	if (!in_subnet(cfg, cfg->range_start) ||
	    !in_subnet(cfg, cfg->range_end))
		return fail(err, err_size, "range is not inside the subnet");
	if (cfg->range_start == cfg->subnet || cfg->range_end == bcast_of(cfg))
		return fail(err, err_size,
			    "range includes the network or broadcast address");
	if (cfg->server_ip >= cfg->range_start &&
	    cfg->server_ip <= cfg->range_end)
		return fail(err, err_size, "range includes the server address %s",
			    a);
	if (cfg->router && cfg->router >= cfg->range_start &&
	    cfg->router <= cfg->range_end) {
		fmt_ip(cfg->router, a);
		return fail(err, err_size, "range includes the router address %s",
			    a);
	}
	if (cfg->n_dns > ARRAY_SIZE(cfg->dns))
		return fail(err, err_size, "more than 3 DNS servers");
	if (cfg->n_search > ARRAY_SIZE(cfg->search))
		return fail(err, err_size, "more than 4 search domains");
	if (cfg->n_search &&
	    dopt_encode_search(cfg->search, cfg->n_search, tmp,
			       sizeof(tmp)) < 0)
		return fail(err, err_size, "search domain is not a valid name");
	if (strnlen(cfg->domain, sizeof(cfg->domain)) >= sizeof(cfg->domain))
		return fail(err, err_size, "domain is not terminated");
	if (cfg->mtu && (cfg->mtu < 68 || cfg->mtu > 65535))
		return fail(err, err_size, "mtu %u is outside 68..65535",
			    cfg->mtu);
	if ((cfg->t1_s && cfg->t1_s > lease) || (cfg->t2_s && cfg->t2_s > lease) ||
	    (cfg->t1_s && cfg->t2_s && cfg->t1_s > cfg->t2_s))
		return fail(err, err_size, "need t1 <= t2 <= lease time");
	for (size_t i = 0; i < cfg->n_reservations; i++) {
		const struct dhcp_reservation *r = &cfg->reservations[i];

		fmt_ip(r->ip, a);
		if (!assignable(cfg, r->ip))
			return fail(err, err_size,
				    "reservation %zu: %s is not an assignable address of the subnet",
				    i, a);
		if (eth_mac_bad(r->mac))
			return fail(err, err_size,
				    "reservation %zu: MAC is not unicast", i);
		for (size_t j = 0; j < i; j++) {
			if (cfg->reservations[j].ip == r->ip)
				return fail(err, err_size,
					    "reservation %zu: %s is reserved twice",
					    i, a);
			if (!memcmp(cfg->reservations[j].mac, r->mac, 6))
				return fail(err, err_size,
					    "reservation %zu: MAC is reserved twice",
					    i);
		}
	}
	return 0;
}

static const struct dhcp_reservation *
reservation_by_mac(const struct dhcp_server *srv, const uint8_t *mac)
{
	for (size_t i = 0; i < srv->cfg.n_reservations; i++)
		if (!memcmp(srv->res[i].mac, mac, 6))
			return &srv->res[i];
	return NULL;
}

static const struct dhcp_reservation *
reservation_by_ip(const struct dhcp_server *srv, uint32_t ip)
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

static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* Wraps a BOOTP message at @frame + 42 in UDP, IPv4 and Ethernet. */
static void send_ip(struct dhcp_server *srv, uint8_t *frame,
		    const uint8_t *dst_mac, uint32_t dst_ip, uint16_t dport,
		    size_t bootp_len)
{
	uint8_t *ip = frame + PKT_ETH_HLEN;
	uint8_t *udp = ip + PKT_IPV4_HLEN_MIN;
	size_t udp_len = PKT_UDP_HLEN + bootp_len;
	uint8_t src[4], dst[4];
	uint16_t c;

	put_be32(src, srv->cfg.server_ip);
	put_be32(dst, dst_ip);
	pkt_eth_write(frame, dst_mac, srv->cfg.server_mac, PKT_ETHERTYPE_IPV4);
	pkt_ipv4_write(ip, (uint16_t)(PKT_IPV4_HLEN_MIN + udp_len),
		       PKT_IPV4_DF, PKT_IP_PROTO_UDP, src, dst);

	put_be16(udp, DHCP_SERVER_PORT);
	put_be16(udp + 2, dport);
	put_be16(udp + 4, (uint16_t)udp_len);
	put_be16(udp + PKT_UDP_CSUM_OFF, 0);
	c = csum_finish(csum_add(csum_pseudo(ip + PKT_IPV4_ADDRS_OFF, 8,
					     PKT_IP_PROTO_UDP,
					     (uint32_t)udp_len),
				 udp, udp_len));
	/* RFC 768: a computed zero is sent as all ones (0 means none). */
	put_be16(udp + PKT_UDP_CSUM_OFF, c ? c : 0xffff);

	srv->send(srv->aux, frame,
		  PKT_ETH_HLEN + PKT_IPV4_HLEN_MIN + udp_len);
}

/* Size of the options area after the cookie that the client accepts.
 * RFC 2131 §2: at least 312 octets of options (cookie included); more only
 * if option 57 says so (RFC 2132 §9.10: it counts the IP and UDP headers). */
static size_t reply_opt_space(const struct dhcp_rx *rx)
{
	size_t space = DHCP_MIN_OPTIONS_LEN - 4;
	size_t cap = DHCP_FRAME_MAX - PKT_ETH_HLEN - PKT_IPV4_HLEN_MIN -
		     PKT_UDP_HLEN - DHCP_MIN_LEN;
	const uint8_t *v = rx->opts.val[DOPT_MAX_MSG_SIZE];

	if (v) {
		size_t mms = get_be16(v);

		if (mms > PKT_IPV4_HLEN_MIN + PKT_UDP_HLEN + DHCP_MIN_LEN &&
		    mms - (PKT_IPV4_HLEN_MIN + PKT_UDP_HLEN + DHCP_MIN_LEN) >
			    space)
			space = mms - (PKT_IPV4_HLEN_MIN + PKT_UDP_HLEN +
				       DHCP_MIN_LEN);
	}
	return MIN(space, cap);
}

/* Puts the configuration options (RFC 2132 §3, §5, §8). */
static void put_config(struct dhcp_server *srv, struct dopt_writer *w,
		       const char *hostname)
{
	const struct dhcp_cfg *c = &srv->cfg;
	uint8_t b[12];

	dopt_put_u32(w, DOPT_SUBNET_MASK, c->netmask);
	if (c->router)
		dopt_put_u32(w, DOPT_ROUTER, c->router);
	if (c->n_dns) {
		for (unsigned int i = 0; i < c->n_dns; i++)
			put_be32(b + 4 * i, c->dns[i]);
		dopt_put(w, DOPT_DNS, b, 4 * (size_t)c->n_dns);
	}
	if (c->domain[0])
		dopt_put(w, DOPT_DOMAIN, c->domain, strlen(c->domain));
	dopt_put_u32(w, DOPT_BROADCAST, bcast_of(c));
	if (c->mtu)
		dopt_put_u16(w, DOPT_MTU, (uint16_t)c->mtu);
	if (hostname && hostname[0])
		dopt_put(w, DOPT_HOSTNAME, hostname, strlen(hostname));
}

/**
 * send_reply() - build and send an OFFER, ACK or NAK for @rx.
 * @srv:	server
 * @rx:		the request
 * @type:	DHCP_OFFER, DHCP_ACK or DHCP_NAK
 * @yiaddr:	address given, 0 for NAK and INFORM
 * @hostname:	option 12 to send, or NULL
 * @rapid:	add option 80 (rapid-commit ACK)
 */
static void send_reply(struct dhcp_server *srv, const struct dhcp_rx *rx,
		       uint8_t type, uint32_t yiaddr, const char *hostname,
		       bool rapid)
{
	uint8_t frame[DHCP_FRAME_MAX];
	uint8_t *msg = frame + PKT_ETH_HLEN + PKT_IPV4_HLEN_MIN +
		       PKT_UDP_HLEN;
	const struct dhcp_cfg *c = &srv->cfg;
	bool inform = rx->type == DHCP_INFORM;
	struct dopt_writer w;
	const uint8_t *dst_mac;
	uint32_t dst_ip, ciaddr;
	uint16_t dport = DHCP_CLIENT_PORT, flags = rx->flags;
	size_t len;

	memset(frame, 0, sizeof(frame));
	/* RFC 2131 §4.3.1, table 3: fields of a reply. */
	ciaddr = type == DHCP_NAK ? 0 : rx->ciaddr;
	msg[DHCP_OFF_OP] = DHCP_BOOTREPLY;
	msg[DHCP_OFF_HTYPE] = rx->msg[DHCP_OFF_HTYPE];
	msg[DHCP_OFF_HLEN] = rx->msg[DHCP_OFF_HLEN];
	memcpy(msg + DHCP_OFF_XID, rx->msg + DHCP_OFF_XID, 4);
	put_be32(msg + DHCP_OFF_CIADDR, ciaddr);
	put_be32(msg + DHCP_OFF_YIADDR, yiaddr);
	put_be32(msg + DHCP_OFF_GIADDR, rx->giaddr);
	memcpy(msg + DHCP_OFF_CHADDR, rx->chaddr, DHCP_CHADDR_LEN);
	put_be32(msg + DHCP_OFF_COOKIE, DHCP_MAGIC_COOKIE);

	dopt_writer_init(&w, msg + DHCP_OFF_OPTIONS, reply_opt_space(rx));
	dopt_put_u8(&w, DOPT_MSG_TYPE, type);
	dopt_put_u32(&w, DOPT_SERVER_ID, c->server_ip);
	if (type != DHCP_NAK) {
		if (!inform) {
			dopt_put_u32(&w, DOPT_LEASE_TIME, c->lease_s);
			if (c->t1_s)
				dopt_put_u32(&w, DOPT_T1, c->t1_s);
			if (c->t2_s)
				dopt_put_u32(&w, DOPT_T2, c->t2_s);
		}
		put_config(srv, &w, hostname);
	}
	/* RFC 6842 §3: echo the client identifier unaltered. */
	if (rx->opts.val[DOPT_CLIENT_ID])
		dopt_put(&w, DOPT_CLIENT_ID, rx->opts.val[DOPT_CLIENT_ID],
			 rx->opts.len[DOPT_CLIENT_ID]);
	/* RFC 4039 §4: the ACK that commits a lease at once carries 80. */
	if (rapid)
		dopt_put(&w, DOPT_RAPID_COMMIT, NULL, 0);
	if (type != DHCP_NAK) {
		uint8_t r[5];

		/* RFC 3442: clients taking 121 ignore 3, so the default
		 * route goes inside it. */
		if (c->router && dopt_encode_routes(c->router, r,
						    sizeof(r)) > 0)
			dopt_put(&w, DOPT_CLASSLESS_ROUTES, r, sizeof(r));
		if (srv->search_len)
			dopt_put(&w, DOPT_DOMAIN_SEARCH, srv->search,
				 srv->search_len);
	}
	len = DHCP_MIN_LEN + dopt_finish(&w);
	/* RFC 1542 §2.1: a BOOTP message is at least 300 octets. */
	if (len < DHCP_BOOTP_MIN_LEN)
		len = DHCP_BOOTP_MIN_LEN;

	/*
	 * RFC 2131 §4.1: "If the 'giaddr' field in a DHCP message from a
	 * client is non-zero, the server sends any return messages to the
	 * 'DHCP server' port on the BOOTP relay agent whose address appears
	 * in 'giaddr'.  If the 'giaddr' field is zero and the 'ciaddr' field
	 * is nonzero, then the server unicasts DHCPOFFER and DHCPACK messages
	 * to the address in 'ciaddr'.  If 'giaddr' is zero and 'ciaddr' is
	 * zero, and the broadcast bit is set, then the server broadcasts
	 * DHCPOFFER and DHCPACK messages to 0xffffffff.  If the broadcast bit
	 * is not set and 'giaddr' is zero and 'ciaddr' is zero, then the
	 * server unicasts DHCPOFFER and DHCPACK messages to the client's
	 * hardware address and 'yiaddr' address.  In all cases, when 'giaddr'
	 * is zero, the server broadcasts any DHCPNAK messages to 0xffffffff."
	 *
	 * §4.3.2: a NAK through a relay sets the broadcast bit so the relay
	 * broadcasts it to the client.
	 */
	if (rx->giaddr) {
		dst_mac = rx->src_mac;
		dst_ip = rx->giaddr;
		dport = DHCP_SERVER_PORT;
		if (type == DHCP_NAK)
			flags |= DHCP_FLAG_BROADCAST;
	} else if (type == DHCP_NAK) {
		dst_mac = bcast_mac;
		dst_ip = 0xffffffff;
	} else if (ciaddr) {
		dst_mac = rx->src_mac;
		dst_ip = ciaddr;
	} else if ((flags & DHCP_FLAG_BROADCAST) || !yiaddr) {
		dst_mac = bcast_mac;
		dst_ip = 0xffffffff;
	} else {
		dst_mac = rx->chaddr;
		dst_ip = yiaddr;
	}
	put_be16(msg + DHCP_OFF_FLAGS, flags);

	if (type == DHCP_OFFER)
		srv->stats.offer++;
	else if (type == DHCP_ACK)
		srv->stats.ack++;
	else
		srv->stats.nak++;
	send_ip(srv, frame, dst_mac, dst_ip, dport, len);
}

/* Copies option 12 into @dst keeping only [A-Za-z0-9._-], so that lease
 * files and listings never carry spaces or control characters. */
static void sanitize_hostname(char *dst, size_t size, const uint8_t *src,
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
	const struct dhcp_reservation *r = reservation_by_ip(srv, ip);
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

	if (reservation_by_ip(srv, ip) || !assignable(&srv->cfg, ip))
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
	const struct dhcp_reservation *r = reservation_by_mac(srv, rx->chaddr);
	struct lease *l = lease_find_key(&srv->leases, &rx->key);
	const uint8_t *req = rx->opts.val[DOPT_REQUESTED_IP];
	uint32_t size = c->range_end - c->range_start + 1;
	uint32_t hash, start, best_ip = 0;
	uint64_t best = UINT64_MAX;

	if (r)
		return claim(srv, r->ip, &rx->key, rx->chaddr);
	if (l && l->state != LEASE_DECLINED && l->ip >= c->range_start &&
	    l->ip <= c->range_end && !reservation_by_ip(srv, l->ip))
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
		    !reservation_by_ip(srv, ip) && assignable(c, ip))
			return claim(srv, ip, &rx->key, rx->chaddr);
	}
	start = lease_candidate(hash, 0, size);
	for (uint32_t i = 0; i < size; i++) {
		uint32_t ip = c->range_start + (start + i) % size;

		if (!lease_find_ip(&srv->leases, ip) &&
		    !reservation_by_ip(srv, ip) && assignable(c, ip))
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
		sanitize_hostname(l->hostname, sizeof(l->hostname), h,
				  rx->opts.len[DOPT_HOSTNAME]);
}

static void ack(struct dhcp_server *srv, const struct dhcp_rx *rx,
		struct lease *l, uint64_t now_ms, bool rapid)
{
	char host[64];

	bind_lease(srv, l, rx, now_ms);
	/* Option 12 only for reservations: the name is ours to give. */
	strlcpy_(host, l->reserved ? l->hostname : "", sizeof(host));
	send_reply(srv, rx, DHCP_ACK, l->ip, host, rapid);
	emit(srv, DHCP_EV_BOUND, l->ip, rx->chaddr, l->hostname,
	     srv->cfg.lease_s);
}

static void nak(struct dhcp_server *srv, const struct dhcp_rx *rx)
{
	send_reply(srv, rx, DHCP_NAK, 0, NULL, false);
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
	send_reply(srv, rx, DHCP_OFFER, l->ip, host, false);
}

/* True if the client of @rx may (keep) use @ip: the entry for @ip is its
 * own and not quarantined, and no reservation sends it elsewhere. */
static struct lease *owned(struct dhcp_server *srv, const struct dhcp_rx *rx,
			   uint32_t ip)
{
	const struct dhcp_reservation *r = reservation_by_mac(srv, rx->chaddr);
	struct lease *l = lease_find_key(&srv->leases, &rx->key);

	if (!l || l->ip != ip || l->state == LEASE_DECLINED)
		return NULL;
	if (r && r->ip != ip)
		return NULL;
	if (!r && reservation_by_ip(srv, ip))
		return NULL;
	return l;
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
		uint32_t ip = req ? get_be32(req) : rx->ciaddr;

		if (get_be32(sid) != srv->cfg.server_ip) {
			l = lease_find_key(&srv->leases, &rx->key);
			if (l && l->state == LEASE_OFFERED) {
				l->state = LEASE_STALE;
				l->stale_ms = now_ms;
			}
			return;
		}
		l = owned(srv, rx, ip);
		if (l)
			ack(srv, rx, l, now_ms, false);
		else
			nak(srv, rx);
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
		if (!in_subnet(&srv->cfg, ip) || !assignable(&srv->cfg, ip)) {
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
		    reservation_by_ip(srv, ip) ||
		    reservation_by_mac(srv, rx->chaddr) ||
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
	l = owned(srv, rx, rx->ciaddr);
	if (l)
		ack(srv, rx, l, now_ms, false);
	else
		nak(srv, rx);
}

/* RFC 2131 §4.3.4: DHCPRELEASE frees the client's address (ciaddr). */
static void on_release(struct dhcp_server *srv, const struct dhcp_rx *rx,
		       uint64_t now_ms)
{
	const uint8_t *sid = rx->opts.val[DOPT_SERVER_ID];
	struct lease *l;

	srv->stats.release++;
	if (sid && get_be32(sid) != srv->cfg.server_ip)
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
	const uint8_t *sid = rx->opts.val[DOPT_SERVER_ID];
	const uint8_t *req = rx->opts.val[DOPT_REQUESTED_IP];
	struct lease *l;

	srv->stats.decline++;
	if ((sid && get_be32(sid) != srv->cfg.server_ip) || !req)
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
static void on_inform(struct dhcp_server *srv, const struct dhcp_rx *rx)
{
	srv->stats.inform++;
	send_reply(srv, rx, DHCP_ACK, 0, NULL, false);
}

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
	if (eth_mac_bad(rx.chaddr))
		return malformed(srv);

	switch (rx.type) {
	case DHCP_DISCOVER:
		on_discover(srv, &rx, now_ms);
		break;
	case DHCP_REQUEST:
		on_request(srv, &rx, now_ms);
		break;
	case DHCP_RELEASE:
		on_release(srv, &rx, now_ms);
		break;
	case DHCP_DECLINE:
		on_decline(srv, &rx, now_ms);
		break;
	case DHCP_INFORM:
		on_inform(srv, &rx);
		break;
	default:
		srv->stats.ignored++;
		break;
	}
	return 0;
}

/* RFC 826: answer a request for the server's address. */
static int on_arp(struct dhcp_server *srv, const struct pkt_eth *eth)
{
	uint8_t out[DHCP_ETH_MIN_FRAME];
	uint8_t *r = out + PKT_ETH_HLEN;
	struct pkt_arp a;

	if (pkt_arp_parse(eth->payload, eth->payload_len, &a) ||
	    a.htype != PKT_ARP_HTYPE_ETH || a.ptype != PKT_ETHERTYPE_IPV4 ||
	    a.hlen != 6 || a.plen != 4 || a.op != PKT_ARP_REQUEST ||
	    get_be32(a.tpa) != srv->cfg.server_ip || eth_mac_bad(a.sha)) {
		srv->stats.ignored++;
		return 0;
	}
	memset(out, 0, sizeof(out));
	pkt_eth_write(out, a.sha, srv->cfg.server_mac, PKT_ETHERTYPE_ARP);
	put_be16(r, PKT_ARP_HTYPE_ETH);
	put_be16(r + 2, PKT_ETHERTYPE_IPV4);
	r[4] = 6;
	r[5] = 4;
	put_be16(r + 6, PKT_ARP_REPLY);
	memcpy(r + 8, srv->cfg.server_mac, 6);
	put_be32(r + 14, srv->cfg.server_ip);
	memcpy(r + 18, a.sha, 10);	/* requester's MAC and IP */
	srv->stats.arp_replies++;
	srv->send(srv->aux, out, sizeof(out));
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
	if (memcmp(frame, bcast_mac, 6) &&
	    memcmp(frame, srv->cfg.server_mac, 6)) {
		srv->stats.ignored++;
		return 0;
	}
	/* The port is untagged: a tagged frame is no ARP or IPv4 of ours. */
	if (eth.tpid == 0 && eth.type == PKT_ETHERTYPE_ARP)
		return on_arp(srv, &eth);
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

/* One lease line; @wall_now 0 writes EXPIRES 0 (see save_lease). */
static void save_line(FILE *f, const struct lease *l, uint64_t now_ms,
		      time_t wall_now)
{
	const uint8_t *m = l->mac;
	int64_t expires = 0;
	char ip[16];

	if (wall_now)
		expires = (int64_t)wall_now +
			  (int64_t)((l->expires_ms - now_ms + 999) / 1000);
	fmt_ip(l->ip, ip);
	fprintf(f, "%s %02x:%02x:%02x:%02x:%02x:%02x %" PRId64 " ", ip, m[0],
		m[1], m[2], m[3], m[4], m[5], expires);
	if (l->key.type == LEASE_KEY_CLIENT_ID)
		for (size_t k = 0; k < l->key.len; k++)
			fprintf(f, "%02x", l->key.data[k]);
	else
		fputc('-', f);
	fprintf(f, " %s\n", l->hostname[0] ? l->hostname : "-");
}

/**
 * dhcp_server_save() - write the bound leases as text.
 * @srv:	server
 * @f:		output; the caller writes a temporary file and renames it
 * @now_ms:	monotonic time, to convert deadlines
 * @wall_now:	wall-clock time at @now_ms
 *
 * Format: a comment line, then one lease per line:
 * "IP MAC EXPIRES CLIENT-ID HOSTNAME", with EXPIRES in Unix seconds,
 * CLIENT-ID in hex and HOSTNAME sanitised, "-" for an empty field.
 *
 * Return: 0, or -EIO if writing failed.
 */
int dhcp_server_save(const struct dhcp_server *srv, FILE *f, uint64_t now_ms,
		     time_t wall_now)
{
	fprintf(f, "# vswitchd dhcp leases v1: ip mac expires client-id hostname\n");
	for (size_t i = 0; i < srv->leases.n; i++) {
		const struct lease *l = &srv->leases.leases[i];

		if (l->state != LEASE_BOUND || !lease_active(l, now_ms))
			continue;
		save_line(f, l, now_ms, wall_now);
	}
	return fflush(f) || ferror(f) ? -EIO : 0;
}

/**
 * dhcp_server_save_lease() - append the line for one address.
 * @srv:	server
 * @f:		output (the lease file, after what is there)
 * @ip:		the address whose lease changed
 * @now_ms:	monotonic time, to convert deadlines
 * @wall_now:	wall-clock time at @now_ms
 *
 * A bound lease gets its line as in dhcp_server_save(); anything else
 * (released, declined, moved away) a line with EXPIRES 0, which
 * dhcp_server_load() takes as "no lease here any more".  A later line for
 * an address or a client replaces earlier ones, so a lease file may be a
 * snapshot followed by such lines.
 *
 * Return: 0, or -EIO if writing failed.
 */
int dhcp_server_save_lease(const struct dhcp_server *srv, FILE *f,
			   uint32_t ip, uint64_t now_ms, time_t wall_now)
{
	const struct lease *l = lease_find_ip(&srv->leases, ip);
	struct lease gone;

	if (!l || l->state != LEASE_BOUND || !lease_active(l, now_ms)) {
		memset(&gone, 0, sizeof(gone));
		gone.ip = ip;
		if (l && l->key.type != LEASE_KEY_NONE) {
			gone.key = l->key;
			memcpy(gone.mac, l->mac, 6);
		}
		save_line(f, &gone, now_ms, 0);
	} else {
		save_line(f, l, now_ms, wall_now);
	}
	return ferror(f) ? -EIO : 0;
}

static bool parse_ip(const char *s, uint32_t *ip)
{
	unsigned int a, b, c, d;
	char tail;

	if (sscanf(s, "%3u.%3u.%3u.%3u%c", &a, &b, &c, &d, &tail) != 4 ||
	    a > 255 || b > 255 || c > 255 || d > 255)
		return false;
	*ip = a << 24 | b << 16 | c << 8 | d;
	return true;
}

static bool parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int m[6];
	char tail;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &m[0], &m[1], &m[2], &m[3],
		   &m[4], &m[5], &tail) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)m[i];
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parses one lease line into @l (key, mac, ip, hostname) and @expires. */
static bool parse_line(char *line, struct lease *l, long long *expires)
{
	char *save = NULL, *f[6];
	int n = 0;
	char *end;

	for (char *t = strtok_r(line, " \t", &save); t;
	     t = strtok_r(NULL, " \t", &save)) {
		if (n == 5)
			return false;
		f[n++] = t;
	}
	if (n != 5 || !parse_ip(f[0], &l->ip) || !parse_mac(f[1], l->mac))
		return false;
	errno = 0;
	*expires = strtoll(f[2], &end, 10);
	if (errno || *end || end == f[2])
		return false;
	if (strcmp(f[3], "-")) {
		size_t hl = strlen(f[3]);

		if (hl % 2 || hl < 4 || hl / 2 > sizeof(l->key.data))
			return false;
		for (size_t i = 0; i < hl / 2; i++) {
			int hi = hexval(f[3][2 * i]), lo = hexval(f[3][2 * i + 1]);

			if (hi < 0 || lo < 0)
				return false;
			l->key.data[i] = (uint8_t)(hi << 4 | lo);
		}
		l->key.type = LEASE_KEY_CLIENT_ID;
		l->key.len = (uint8_t)(hl / 2);
	} else {
		l->key.type = LEASE_KEY_CHADDR;
		l->key.len = 6;
		memcpy(l->key.data, l->mac, 6);
	}
	if (strcmp(f[4], "-"))
		sanitize_hostname(l->hostname, sizeof(l->hostname),
				  (const uint8_t *)f[4], strlen(f[4]));
	return true;
}

/**
 * dhcp_server_load() - restore leases written by dhcp_server_save().
 * @srv:	server, normally fresh
 * @f:		input
 * @now_ms:	monotonic time now
 * @wall_now:	wall-clock time now
 * @err:	buffer for a message naming the bad line
 * @err_size:	its size
 *
 * Blank lines and '#' comments are skipped.  A line for an address or a
 * client already loaded replaces the earlier lease (the file may be a
 * snapshot followed by appended lines, dhcp_server_save_lease()).  Leases
 * that have expired (EXPIRES 0: the lease ended), lie outside the current
 * range (unless reserved for the same MAC) or collide with a reservation
 * for another MAC are dropped silently: the configuration may have
 * changed since the file was written.  A last line without its newline
 * is an append that a crash cut short (its ACK never went out) and is
 * ignored.  A malformed line stops loading; the leases before it stay
 * loaded.
 *
 * Return: 0, or -EINVAL with a message in @err, or -ENOMEM.
 */
int dhcp_server_load(struct dhcp_server *srv, FILE *f, uint64_t now_ms,
		     time_t wall_now, char *err, size_t err_size)
{
	const struct dhcp_cfg *c = &srv->cfg;
	char line[1024];
	unsigned int lineno = 0;

	while (fgets(line, sizeof(line), f)) {
		const struct dhcp_reservation *r;
		struct lease tmp, *l;
		long long expires;
		size_t n = strlen(line);

		lineno++;
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		else if (!feof(f))
			return fail(err, err_size, "line %u: too long", lineno);
		else
			break;	/* torn append */
		if (!n || line[0] == '#')
			continue;
		memset(&tmp, 0, sizeof(tmp));
		if (!parse_line(line, &tmp, &expires))
			return fail(err, err_size, "line %u: malformed lease",
				    lineno);
		/* Later lines win: forget what this one supersedes. */
		l = lease_find_ip(&srv->leases, tmp.ip);
		if (l)
			lease_remove(&srv->leases, l);
		l = lease_find_key(&srv->leases, &tmp.key);
		if (l)
			lease_remove(&srv->leases, l);
		if (expires <= (long long)wall_now ||
		    expires - (long long)wall_now > 100LL * 365 * 86400)
			continue;
		r = reservation_by_ip(srv, tmp.ip);
		if (r && memcmp(r->mac, tmp.mac, 6))
			continue;
		if (!r && (tmp.ip < c->range_start || tmp.ip > c->range_end ||
			   !assignable(c, tmp.ip)))
			continue;
		l = lease_add(&srv->leases, tmp.ip);
		if (!l)
			return -ENOMEM;
		lease_set_key(&srv->leases, l, &tmp.key);
		memcpy(l->mac, tmp.mac, 6);
		l->reserved = r != NULL;
		strlcpy_(l->hostname, r && r->hostname[0] ? r->hostname :
			 tmp.hostname, sizeof(l->hostname));
		lease_hold(&srv->leases, l, LEASE_BOUND,
			   now_ms + (uint64_t)(expires - (long long)wall_now) *
					    1000);
	}
	if (ferror(f))
		return fail(err, err_size, "read error");
	return 0;
}
