/*
 * cfg-dhcp.c - the "dhcp" section: the embedded server's subnet, range,
 * options and reservations, checked by dhcp_cfg_check().
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/config/cfg-int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int parse_cidr(struct cfg_ctx *ctx, const struct cfg_key *key UNUSED,
		      const json_t *val, void *base)
{
	struct cfg_dhcp *dh = base;
	int r = cfg_get_cidr4(ctx, val, 30, &dh->dc.subnet, &dh->dc.netmask);

	if (!r && !dh->dc.netmask)
		return cfg_fail(ctx, "a /0 subnet is all of IPv4, not a LAN "
				     "(at least /1)");
	return r;
}

static int parse_dns(struct cfg_ctx *ctx, const struct cfg_key *key UNUSED,
		     const json_t *val, void *base)
{
	struct dhcp_cfg *dc = &((struct cfg_dhcp *)base)->dc;

	return cfg_get_each(ctx, val, ARRAY_SIZE(dc->dns), cfg_elem_ipv4,
			    dc->dns, sizeof(dc->dns[0]), &dc->n_dns);
}

static int parse_search(struct cfg_ctx *ctx, const struct cfg_key *key UNUSED,
			const json_t *val, void *base)
{
	struct dhcp_cfg *dc = &((struct cfg_dhcp *)base)->dc;

	return cfg_get_each(ctx, val, ARRAY_SIZE(dc->search), cfg_elem_name,
			    dc->search, sizeof(dc->search[0]), &dc->n_search);
}

static int parse_hostname(struct cfg_ctx *ctx, const struct cfg_key *key,
			  const json_t *val, void *base)
{
	return cfg_get_name(ctx, val, cfg_key_dst(key, base));
}

static const struct cfg_key reservation_keys[] = {
	{ "mac", cfg_parse_mac, CFG_V_NONE,
	  offsetof(struct dhcp_reservation, mac), 0, 0, true },
	{ "ip", cfg_parse_ipv4, CFG_V_NONE,
	  offsetof(struct dhcp_reservation, ip), 0, 0, true },
	{ "hostname", parse_hostname, CFG_V_NONE,
	  offsetof(struct dhcp_reservation, hostname), 0, 0, false },
};

enum { CFG_DHCP_MAX_RESERVATIONS = 4096 };

static int reservation_parse(struct cfg_ctx *ctx, const json_t *val, void *elem)
{
	return cfg_parse_object(ctx, val, reservation_keys,
				ARRAY_SIZE(reservation_keys), elem);
}

static int reservation_check(struct cfg_ctx *ctx, const void *elems, size_t i)
{
	const struct dhcp_reservation *res = elems;
	char ip[INET_ADDRSTRLEN];
	struct cfg_quote q;

	for (size_t k = 0; k < i; k++) {
		if (!memcmp(res[k].mac, res[i].mac, 6))
			return cfg_fail(ctx,
					"the MAC is already reserved by "
					"reservations[%zu]",
					k);
		if (res[k].ip == res[i].ip)
			return cfg_fail(
				ctx,
				"%s is already reserved by "
				"reservations[%zu]",
				cfg_quoted(&q, cfg_ip_str(res[i].ip, ip)), k);
	}
	return 0;
}

static int parse_reservations(struct cfg_ctx *ctx,
			      const struct cfg_key *key UNUSED,
			      const json_t *val, void *base)
{
	struct dhcp_cfg *dc = &((struct cfg_dhcp *)base)->dc;
	void *res = NULL;
	int r;

	/* Stored even on failure: cfg_free() frees what was parsed. */
	r = cfg_get_objects(ctx, val, CFG_DHCP_MAX_RESERVATIONS,
			    sizeof(*dc->reservations), reservation_parse,
			    reservation_check, &res, &dc->n_reservations);
	dc->reservations = res;
	return r;
}

static int parse_lease_file(struct cfg_ctx *ctx, const struct cfg_key *key,
			    const json_t *val, void *base)
{
	struct cfg_quote q;
	const char *s = cfg_string(ctx, val);

	if (!s)
		return -EINVAL;
	if (!*s)
		return cfg_fail(ctx, "the path is empty");
	if (strlen(s) >= CFG_FILE_MAX)
		return cfg_fail(ctx, "%s is %zu bytes long, more than %d",
				cfg_quoted(&q, s), strlen(s), CFG_FILE_MAX - 1);
	strlcpy_(cfg_key_dst(key, base), s, CFG_FILE_MAX);
	return 0;
}

#define DHCP_OFF(f) offsetof(struct cfg_dhcp, dc.f)
static const struct cfg_key dhcp_keys[] = {
	{ "server_ip", cfg_parse_ipv4, CFG_V_NONE, DHCP_OFF(server_ip), 0, 0,
	  false },
	{ "server_mac", cfg_parse_mac, CFG_V_NONE, DHCP_OFF(server_mac), 0, 0,
	  false },
	{ "subnet", parse_cidr, CFG_V_NONE, 0, 0, 0, false },
	{ "range_start", cfg_parse_ipv4, CFG_V_NONE, DHCP_OFF(range_start), 0,
	  0, false },
	{ "range_end", cfg_parse_ipv4, CFG_V_NONE, DHCP_OFF(range_end), 0, 0,
	  false },
	{ "router", cfg_parse_ipv4, CFG_V_NONE, DHCP_OFF(router), 0, 0, false },
	{ "dns", parse_dns, CFG_V_NONE, 0, 0, 0, false },
	{ "domain", cfg_parse_domain, CFG_V_NONE, DHCP_OFF(domain), 0, 0,
	  false },
	{ "search", parse_search, CFG_V_NONE, 0, 0, 0, false },
	{ "mtu", cfg_parse_uint, CFG_V_NONE, DHCP_OFF(mtu), 68, 65535, false },
	{ "lease_s", cfg_parse_uint, CFG_V_NONE, DHCP_OFF(lease_s), 60,
	  31536000, false },
	{ "rapid_commit", cfg_parse_bool, CFG_V_NONE, DHCP_OFF(rapid_commit), 0,
	  0, false },
	{ "reservations", parse_reservations, CFG_V_NONE, 0, 0, 0, false },
	{ "lease_file", parse_lease_file, CFG_V_NONE,
	  offsetof(struct cfg_dhcp, lease_file), 0, 0, false },
};
#undef DHCP_OFF

enum {
	CFG_QEMU_NET = 0x0a000200, /* 10.0.2.0/24 */
	CFG_DHCP_FIRST_HOST = 15,
};

int cfg_parse_dhcp(struct cfg_ctx *ctx, const struct cfg_key *key,
		   const json_t *val, void *base)
{
	struct cfg_dhcp *dh = cfg_key_dst(key, base);
	struct dhcp_cfg *dc = &dh->dc;
	char msg[160];
	uint32_t bcast;
	int r;

	if (!json_is_object(val))
		return cfg_fail_type(ctx, "an object", val);
	dh->enabled = true;
	dc->subnet = CFG_QEMU_NET;
	dc->netmask = 0xffffff00u;
	dc->lease_s = DHCP_DEFAULT_LEASE_S;
	r = cfg_parse_object(ctx, val, dhcp_keys, ARRAY_SIZE(dhcp_keys), dh);
	if (r)
		return r;
	if (!json_object_get(val, "server_ip")) {
		if (dc->subnet != CFG_QEMU_NET || dc->netmask != 0xffffff00u)
			return cfg_fail(ctx, "missing required key "
					     "\"server_ip\" (it defaults to "
					     "10.0.2.1 only for subnet "
					     "10.0.2.0/24)");
		dc->server_ip = CFG_QEMU_NET + 1;
	}
	if (!json_object_get(val, "server_mac")) {
		/* Like slirp's 52:55:0a:00:02:02 for 10.0.2.2. */
		dc->server_mac[0] = 0x52;
		dc->server_mac[1] = 0x55;
		for (int i = 0; i < 4; i++)
			dc->server_mac[2 + i] =
				(uint8_t)(dc->server_ip >> (24 - 8 * i));
	}
	bcast = dc->subnet | ~dc->netmask;
	if (!json_object_get(val, "range_start"))
		dc->range_start = dc->subnet + CFG_DHCP_FIRST_HOST;
	if (!json_object_get(val, "range_end"))
		dc->range_end = bcast - 1;
	if (!dh->lease_file[0] &&
	    (size_t)snprintf(dh->lease_file, sizeof(dh->lease_file),
			     "%s/dhcp.leases",
			     ctx->cfg->runtime_dir) >= sizeof(dh->lease_file))
		return cfg_fail(ctx, "runtime_dir is too long for the default "
				     "lease_file");
	if (dhcp_cfg_check(dc, msg, sizeof(msg)))
		return cfg_fail(ctx, "%s", msg);
	return 0;
}

bool cfg_dhcp_same(const struct cfg_dhcp *a, const struct cfg_dhcp *b)
{
	if (a->enabled != b->enabled)
		return false;
	if (!a->enabled)
		return true;
	if (memcmp(&a->dc, &b->dc, offsetof(struct dhcp_cfg, reservations)) ||
	    a->dc.n_reservations != b->dc.n_reservations ||
	    a->dc.max_leases != b->dc.max_leases ||
	    strcmp(a->lease_file, b->lease_file))
		return false;
	for (size_t i = 0; i < a->dc.n_reservations; i++) {
		const struct dhcp_reservation *ra = &a->dc.reservations[i];
		const struct dhcp_reservation *rb = &b->dc.reservations[i];

		if (memcmp(ra->mac, rb->mac, 6) || ra->ip != rb->ip ||
		    strcmp(ra->hostname, rb->hostname))
			return false;
	}
	return true;
}

void cfg_dump_dhcp(const struct cfg_dhcp *dh, FILE *f)
{
	const struct dhcp_cfg *dc = &dh->dc;
	const uint8_t *m = dc->server_mac;
	char ip[INET_ADDRSTRLEN];
	int plen = __builtin_popcount(dc->netmask);

	fprintf(f, "dhcp.server_ip = %s\n", cfg_ip_str(dc->server_ip, ip));
	fprintf(f, "dhcp.server_mac = %02x:%02x:%02x:%02x:%02x:%02x\n", m[0],
		m[1], m[2], m[3], m[4], m[5]);
	fprintf(f, "dhcp.subnet = %s/%d\n", cfg_ip_str(dc->subnet, ip), plen);
	fprintf(f, "dhcp.range_start = %s\n", cfg_ip_str(dc->range_start, ip));
	fprintf(f, "dhcp.range_end = %s\n", cfg_ip_str(dc->range_end, ip));
	if (dc->router)
		fprintf(f, "dhcp.router = %s\n", cfg_ip_str(dc->router, ip));
	for (unsigned int i = 0; i < dc->n_dns; i++)
		fprintf(f, "dhcp.dns[%u] = %s\n", i,
			cfg_ip_str(dc->dns[i], ip));
	if (dc->domain[0])
		fprintf(f, "dhcp.domain = %s\n", dc->domain);
	for (unsigned int i = 0; i < dc->n_search; i++)
		fprintf(f, "dhcp.search[%u] = %s\n", i, dc->search[i]);
	if (dc->mtu)
		fprintf(f, "dhcp.mtu = %u\n", dc->mtu);
	fprintf(f, "dhcp.lease_s = %u\n", dc->lease_s);
	fprintf(f, "dhcp.rapid_commit = %s\n",
		dc->rapid_commit ? "true" : "false");
	for (size_t i = 0; i < dc->n_reservations; i++) {
		const struct dhcp_reservation *r = &dc->reservations[i];

		m = r->mac;
		fprintf(f,
			"dhcp.reservations[%zu] = %02x:%02x:%02x:%02x:%02x:"
			"%02x %s %s\n",
			i, m[0], m[1], m[2], m[3], m[4], m[5],
			cfg_ip_str(r->ip, ip),
			r->hostname[0] ? r->hostname : "-");
	}
	fputs("dhcp.lease_file = ", f);
	cfg_dump_string(f, dh->lease_file);
	fputc('\n', f);
}
