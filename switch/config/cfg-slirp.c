/*
 * cfg-slirp.c - the "slirp" section: the libslirp NAT uplink and its host
 * port forwards.
 *
 * The section is parsed after "dhcp", so it can check the two against each
 * other and fill what the DHCP section left out (router, DNS, domain,
 * search) with slirp's addresses: the guests' default route and resolver
 * are then the uplink without repeating them.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/config/cfg-int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	CFG_SLIRP_DEF_NET =
		0x0a000200, /* 10.0.2.0/24, as QEMU's -netdev user */
	CFG_SLIRP_GATEWAY_HOST = 2,
	CFG_SLIRP_DNS_HOST = 3,
	CFG_SLIRP_DEF_MTU = 1500,
	/* libslirp refuses an interface MTU outside 68..65521. */
	CFG_SLIRP_MTU_MAX = 65521,
	CFG_SLIRP_MAX_FORWARDS = 1024,
};

static const char *ip_text(uint32_t ip, char *buf)
{
	return cfg_ip_str(ip, buf);
}

static int parse_network(struct cfg_ctx *ctx, const struct cfg_key *key UNUSED,
			 const json_t *val, void *base)
{
	struct cfg_slirp *sl = base;

	struct cfg_quote q;
	int r;

	r = cfg_get_cidr4(ctx, val, 29, &sl->network, &sl->netmask);
	/* A network that big would hold every destination: nothing leaves. */
	if (!r && __builtin_popcount(sl->netmask) < 8)
		r = cfg_fail(ctx, "%s is too large (at least /8)",
			     cfg_quoted(&q, json_string_value(val)));
	return r;
}

static int parse_prefix6(struct cfg_ctx *ctx, const struct cfg_key *key UNUSED,
			 const json_t *val, void *base)
{
	struct cfg_slirp *sl = base;
	struct cfg_quote q;
	int r;

	r = cfg_get_cidr6(ctx, val, 128, &sl->prefix6, &sl->prefix6_len);
	if (!r && sl->prefix6_len != 64)
		r = cfg_fail(ctx,
			     "%s: the prefix must be a /64 (guests configure "
			     "their addresses from slirp's router "
			     "advertisements, which need one)",
			     cfg_quoted(&q, json_string_value(val)));
	return r;
}

static int parse_outbound4(struct cfg_ctx *ctx, const struct cfg_key *key,
			   const json_t *val, void *base)
{
	return cfg_get_address(ctx, val, AF_INET, cfg_key_dst(key, base));
}

static int parse_outbound6(struct cfg_ctx *ctx, const struct cfg_key *key,
			   const json_t *val, void *base)
{
	return cfg_get_address(ctx, val, AF_INET6, cfg_key_dst(key, base));
}

static int parse_search(struct cfg_ctx *ctx, const struct cfg_key *key UNUSED,
			const json_t *val, void *base)
{
	struct cfg_slirp *sl = base;

	return cfg_get_each(ctx, val, ARRAY_SIZE(sl->search), cfg_elem_name,
			    sl->search, sizeof(sl->search[0]), &sl->n_search);
}

static int parse_mtu(struct cfg_ctx *ctx, const struct cfg_key *key,
		     const json_t *val, void *base)
{
	/* Frames slirp sends carry 14 bytes of Ethernet header. */
	unsigned int max = MIN(ctx->cfg->sw.max_frame - 14, CFG_SLIRP_MTU_MAX);

	return cfg_get_uint(ctx, val, 576, max, "at most switch.max_frame - 14",
			    cfg_key_dst(key, base));
}

/* ------------------------------------------------------------------ */
/* Forwards                                                            */
/* ------------------------------------------------------------------ */

static int parse_proto(struct cfg_ctx *ctx, const struct cfg_key *key UNUSED,
		       const json_t *val, void *base)
{
	struct cfg_forward *fw = base;
	struct cfg_quote q;
	const char *s = cfg_string(ctx, val);

	if (!s)
		return -EINVAL;
	if (strcmp(s, "tcp") && strcmp(s, "udp"))
		return cfg_fail(ctx, "%s is not a protocol (valid: tcp, udp)",
				cfg_quoted(&q, s));
	fw->udp = !strcmp(s, "udp");
	return 0;
}

static bool in_network(const struct cfg_slirp *sl, uint32_t ip)
{
	return (ip & sl->netmask) == sl->network && ip != sl->network &&
	       ip != (sl->network | ~sl->netmask);
}

/*
 * The guest is an IPv4 address in slirp's network, or the hostname of a
 * DHCP reservation (resolved now: the reservation fixes the address).
 */
static int parse_guest(struct cfg_ctx *ctx, const struct cfg_key *key UNUSED,
		       const json_t *val, void *base)
{
	const struct cfg_slirp *sl = &ctx->cfg->slirp;
	const struct dhcp_cfg *dc = &ctx->cfg->dhcp.dc;
	struct cfg_forward *fw = base;
	char buf[INET_ADDRSTRLEN], net[INET_ADDRSTRLEN];
	struct cfg_quote q;
	struct in_addr a;
	const char *s = cfg_string(ctx, val);

	if (!s)
		return -EINVAL;
	if (inet_pton(AF_INET, s, &a) == 1) {
		fw->guest_ip = ntohl(a.s_addr);
	} else {
		size_t i;

		for (i = 0; ctx->cfg->dhcp.enabled && i < dc->n_reservations;
		     i++)
			if (!strcasecmp(dc->reservations[i].hostname, s))
				break;
		if (!ctx->cfg->dhcp.enabled || i == dc->n_reservations)
			return cfg_fail(ctx,
					"%s is neither an IPv4 address nor "
					"the hostname of a dhcp reservation",
					cfg_quoted(&q, s));
		fw->guest_ip = dc->reservations[i].ip;
	}
	ip_text(fw->guest_ip, buf);
	if (!in_network(sl, fw->guest_ip))
		return cfg_fail(ctx,
				"%s%s%s%s is not a host of slirp's network "
				"%s/%d",
				cfg_quoted(&q, s), strcmp(s, buf) ? " (" : "",
				strcmp(s, buf) ? buf : "",
				strcmp(s, buf) ? ")" : "",
				ip_text(sl->network, net),
				__builtin_popcount(sl->netmask));
	if (fw->guest_ip == sl->gateway || fw->guest_ip == sl->dns)
		return cfg_fail(ctx, "%s is slirp's own address, not a guest's",
				cfg_quoted(&q, s));
	strlcpy_(fw->guest, s, sizeof(fw->guest));
	return 0;
}

#define FWD_OFF(f) offsetof(struct cfg_forward, f)
static const struct cfg_key forward_keys[] = {
	{ "proto", parse_proto, CFG_V_NONE, 0, 0, 0, false },
	{ "host_address", cfg_parse_address, CFG_V_NONE, FWD_OFF(host_address),
	  0, 0, false },
	{ "host_port", cfg_parse_u16, CFG_V_NONE, FWD_OFF(host_port), 1, 65535,
	  true },
	{ "guest", parse_guest, CFG_V_NONE, 0, 0, 0, true },
	{ "guest_port", cfg_parse_u16, CFG_V_NONE, FWD_OFF(guest_port), 1,
	  65535, true },
};
#undef FWD_OFF

static int parse_forward(struct cfg_ctx *ctx, const json_t *val,
			 struct cfg_forward *fw)
{
	memset(fw, 0, sizeof(*fw));
	/* Forwards listen on loopback unless told otherwise. */
	strlcpy_(fw->host_address, "127.0.0.1", sizeof(fw->host_address));
	return cfg_parse_object(ctx, val, forward_keys,
				ARRAY_SIZE(forward_keys), fw);
}

/**
 * cfg_forward_same_host() - whether two forwards claim the same host socket.
 * @a:	forward
 * @b:	forward
 *
 * Return: true for the same protocol, address and port.
 */
bool cfg_forward_same_host(const struct cfg_forward *a,
			   const struct cfg_forward *b)
{
	uint8_t x[16] = { 0 }, y[16] = { 0 };

	if (a->udp != b->udp || a->host_port != b->host_port)
		return false;
	/* The same address may be written two ways ("::1", "0::1"). */
	if (inet_pton(AF_INET, a->host_address, x) != 1)
		inet_pton(AF_INET6, a->host_address, x);
	if (inet_pton(AF_INET, b->host_address, y) != 1)
		inet_pton(AF_INET6, b->host_address, y);
	return !memcmp(x, y, sizeof(x)) &&
	       !strchr(a->host_address, ':') == !strchr(b->host_address, ':');
}

static int forward_parse(struct cfg_ctx *ctx, const json_t *val, void *elem)
{
	return parse_forward(ctx, val, elem);
}

static int forward_check(struct cfg_ctx *ctx, const void *elems, size_t i)
{
	const struct cfg_forward *fw = elems;

	for (size_t k = 0; k < i; k++)
		if (cfg_forward_same_host(&fw[k], &fw[i]))
			return cfg_fail(ctx,
					"%s %s port %u is already forwarded by "
					"forwards[%zu]",
					fw[i].udp ? "udp" : "tcp",
					fw[i].host_address, fw[i].host_port, k);
	return 0;
}

static int parse_forwards(struct cfg_ctx *ctx, const struct cfg_key *key UNUSED,
			  const json_t *val, void *base)
{
	struct cfg_slirp *sl = base;
	void *fw = NULL;
	int r;

	r = cfg_get_objects(ctx, val, CFG_SLIRP_MAX_FORWARDS,
			    sizeof(*sl->forwards), forward_parse, forward_check,
			    &fw, &sl->n_forwards);
	sl->forwards = fw;
	return r;
}

#define SL_OFF(f) offsetof(struct cfg_slirp, f)
static const struct cfg_key slirp_keys[] = {
	{ "network", parse_network, CFG_V_NONE, 0, 0, 0, false },
	{ "gateway", cfg_parse_ipv4, CFG_V_NONE, SL_OFF(gateway), 0, 0, false },
	{ "dns", cfg_parse_ipv4, CFG_V_NONE, SL_OFF(dns), 0, 0, false },
	{ "ipv6", cfg_parse_bool, CFG_V_NONE, SL_OFF(ipv6), 0, 0, false },
	{ "ipv6_prefix", parse_prefix6, CFG_V_NONE, 0, 0, 0, false },
	{ "restrict", cfg_parse_bool, CFG_V_NONE, SL_OFF(restricted), 0, 0,
	  false },
	{ "host_loopback", cfg_parse_bool, CFG_V_NONE, SL_OFF(host_loopback), 0,
	  0, false },
	{ "outbound_address", parse_outbound4, CFG_V_NONE,
	  SL_OFF(outbound_address), 0, 0, false },
	{ "outbound_address6", parse_outbound6, CFG_V_NONE,
	  SL_OFF(outbound_address6), 0, 0, false },
	{ "domain", cfg_parse_domain, CFG_V_NONE, SL_OFF(domain), 0, 0, false },
	{ "search", parse_search, CFG_V_NONE, 0, 0, 0, false },
	{ "mtu", parse_mtu, CFG_V_NONE, SL_OFF(mtu), 0, 0, false },
	/* Last: a forward's guest is checked against the network. */
	{ "forwards", parse_forwards, CFG_V_NONE, 0, 0, 0, false },
};
#undef SL_OFF

static void slirp_defaults(struct cfg_slirp *sl)
{
	static const struct in6_addr fec0 = { { { 0xfe, 0xc0 } } };

	memset(sl, 0, sizeof(*sl));
	sl->enabled = true;
	sl->network = CFG_SLIRP_DEF_NET;
	sl->netmask = 0xffffff00u;
	sl->ipv6 = true;
	sl->prefix6 = fec0;
	sl->prefix6_len = 64;
	sl->host_loopback = true;
	sl->mtu = CFG_SLIRP_DEF_MTU;
}

/* Fails at key @key of the object at the current path, naming it. */
static int PRINTF_FMT(3, 4)
	fail_at(struct cfg_ctx *ctx, const char *key, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_path_push_key(ctx, key);
	r = cfg_fail(ctx, "%s", msg);
	cfg_path_pop(ctx);
	return r;
}

/* Checks an address of slirp's own (@what) against the network. */
static int check_own(struct cfg_ctx *ctx, const struct cfg_slirp *sl,
		     const char *what, uint32_t ip)
{
	char a[INET_ADDRSTRLEN], n[INET_ADDRSTRLEN];

	if (in_network(sl, ip))
		return 0;
	return fail_at(ctx, what,
		       "%s is not a host address of the network "
		       "%s/%d",
		       ip_text(ip, a), ip_text(sl->network, n),
		       __builtin_popcount(sl->netmask));
}

/*
 * With both sections, slirp's addresses must not collide with the DHCP
 * server's, and the DHCP options the file left out default to slirp's.
 */
static int slirp_with_dhcp(struct cfg_ctx *ctx, struct cfg_slirp *sl)
{
	struct dhcp_cfg *dc = &ctx->cfg->dhcp.dc;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN];
	uint32_t own[2] = { sl->gateway, sl->dns };

	if (!ctx->cfg->dhcp.enabled)
		return 0;
	for (int i = 0; i < 2; i++) {
		const char *what = i ? "dns" : "gateway";

		if (own[i] == dc->server_ip)
			return fail_at(ctx, what, "%s is also dhcp.server_ip",
				       ip_text(own[i], a));
		if (own[i] >= dc->range_start && own[i] <= dc->range_end)
			return fail_at(ctx, what,
				       "%s is inside the dhcp range %s-%s, "
				       "which would lease it to a guest (move "
				       "dhcp.range_start or range_end)",
				       ip_text(own[i], a),
				       ip_text(dc->range_start, b),
				       ip_text(dc->range_end, c));
		/*
		 * A reservation would give the address to a guest too (and
		 * the gateway may become dhcp.router, which none may hold).
		 */
		for (size_t k = 0; k < dc->n_reservations; k++)
			if (own[i] == dc->reservations[k].ip)
				return fail_at(ctx, what,
					       "%s is also reserved by "
					       "dhcp.reservations[%zu]",
					       ip_text(own[i], a), k);
	}
	if ((sl->gateway & dc->netmask) != dc->subnet)
		return 0;
	if (!dc->router)
		dc->router = sl->gateway;
	if (!dc->n_dns) {
		dc->dns[0] = sl->dns;
		dc->n_dns = 1;
	}
	if (!dc->domain[0])
		strlcpy_(dc->domain, sl->domain, sizeof(dc->domain));
	if (!dc->n_search) {
		memcpy(dc->search, sl->search, sizeof(dc->search));
		dc->n_search = sl->n_search;
	}
	return 0;
}

int cfg_parse_slirp(struct cfg_ctx *ctx, const struct cfg_key *key,
		    const json_t *val, void *base)
{
	struct cfg_slirp *sl = cfg_key_dst(key, base);
	const json_t *net;
	int r;

	if (!json_is_object(val))
		return cfg_fail_type(ctx, "an object", val);
#ifndef HAVE_SLIRP
	return cfg_fail(ctx, "this vswitchd was built without libslirp "
			     "(configure --without-slirp)");
#endif
	slirp_defaults(sl);
	/* The gateway and DNS follow the network unless given. */
	net = json_object_get(val, "network");
	if (net) {
		cfg_path_push_key(ctx, "network");
		r = parse_network(ctx, NULL, net, sl);
		cfg_path_pop(ctx);
		if (r)
			return r;
	}
	sl->gateway = sl->network + CFG_SLIRP_GATEWAY_HOST;
	sl->dns = sl->network + CFG_SLIRP_DNS_HOST;
	r = cfg_parse_object(ctx, val, slirp_keys, ARRAY_SIZE(slirp_keys), sl);
	if (r)
		return r;
	r = check_own(ctx, sl, "gateway", sl->gateway);
	if (!r)
		r = check_own(ctx, sl, "dns", sl->dns);
	if (!r && sl->gateway == sl->dns)
		r = fail_at(ctx, "dns",
			    "the DNS address must differ from the "
			    "gateway");
	/* The default MTU follows a smaller switch.max_frame. */
	if (!r && !json_object_get(val, "mtu") &&
	    sl->mtu + 14 > ctx->cfg->sw.max_frame) {
		if (ctx->cfg->sw.max_frame < 576 + 14)
			r = fail_at(ctx, "mtu",
				    "switch.max_frame %u leaves no "
				    "room for slirp's minimum MTU of 576",
				    ctx->cfg->sw.max_frame);
		else
			sl->mtu = ctx->cfg->sw.max_frame - 14;
	}
	if (!r && sl->ipv6 && sl->mtu < 1280)
		r = fail_at(ctx, "mtu",
			    "%u is too small for IPv6 (at least "
			    "1280, or set \"ipv6\": false)",
			    sl->mtu);
	if (!r)
		r = slirp_with_dhcp(ctx, sl);
	return r;
}

bool cfg_slirp_same(const struct cfg_slirp *a, const struct cfg_slirp *b)
{
	if (a->enabled != b->enabled)
		return false;
	if (!a->enabled)
		return true;
	if (memcmp(a, b, offsetof(struct cfg_slirp, forwards)) ||
	    a->n_forwards != b->n_forwards)
		return false;
	for (size_t i = 0; i < a->n_forwards; i++) {
		const struct cfg_forward *x = &a->forwards[i];
		const struct cfg_forward *y = &b->forwards[i];

		if (!cfg_forward_same_host(x, y) ||
		    x->guest_ip != y->guest_ip ||
		    x->guest_port != y->guest_port)
			return false;
	}
	return true;
}

void cfg_dump_slirp(const struct cfg_slirp *sl, FILE *f)
{
	char a[INET6_ADDRSTRLEN];

	fprintf(f, "slirp.network = %s/%d\n", ip_text(sl->network, a),
		__builtin_popcount(sl->netmask));
	fprintf(f, "slirp.gateway = %s\n", ip_text(sl->gateway, a));
	fprintf(f, "slirp.dns = %s\n", ip_text(sl->dns, a));
	fprintf(f, "slirp.ipv6 = %s\n", sl->ipv6 ? "true" : "false");
	if (sl->ipv6)
		fprintf(f, "slirp.ipv6_prefix = %s/%u\n",
			inet_ntop(AF_INET6, &sl->prefix6, a, sizeof(a)),
			sl->prefix6_len);
	fprintf(f, "slirp.restrict = %s\n", sl->restricted ? "true" : "false");
	fprintf(f, "slirp.host_loopback = %s\n",
		sl->host_loopback ? "true" : "false");
	if (sl->outbound_address[0])
		fprintf(f, "slirp.outbound_address = %s\n",
			sl->outbound_address);
	if (sl->outbound_address6[0])
		fprintf(f, "slirp.outbound_address6 = %s\n",
			sl->outbound_address6);
	if (sl->domain[0])
		fprintf(f, "slirp.domain = %s\n", sl->domain);
	for (unsigned int i = 0; i < sl->n_search; i++)
		fprintf(f, "slirp.search[%u] = %s\n", i, sl->search[i]);
	fprintf(f, "slirp.mtu = %u\n", sl->mtu);
	for (size_t i = 0; i < sl->n_forwards; i++) {
		const struct cfg_forward *fw = &sl->forwards[i];

		fprintf(f, "slirp.forwards[%zu] = %s %s %u -> %s %u\n", i,
			fw->udp ? "udp" : "tcp", fw->host_address,
			fw->host_port, ip_text(fw->guest_ip, a),
			fw->guest_port);
	}
}

int cfg_parse_forward(const json_t *obj, const struct vsw_config *running,
		      struct cfg_forward *out, struct vsw_err *err)
{
	struct vsw_config cfg = *running;
	struct cfg_ctx ctx = {
		.source = "forward",
		.err = err,
		.cfg = &cfg,
	};
	struct cfg_forward fw;
	int r;

	memset(err, 0, sizeof(*err));
	if (!running->slirp.enabled) {
		snprintf(err->msg, sizeof(err->msg),
			 "there is no slirp uplink (add a \"slirp\" section)");
		return -EINVAL;
	}
	r = parse_forward(&ctx, obj, &fw);
	if (!r)
		*out = fw;
	return r;
}
