/*
 * fuzz-cfg.c - fuzz the configuration loader (switch/cfg*.c).
 *
 * Built with -DVSW_FUZZ_LIBFUZZER (make fuzz-cfg, clang) it is a libFuzzer
 * target; linked with tests/fuzz/replay.c instead, it replays the files
 * named on its command line, so crashers can be kept as regression tests.
 * Give it tests/fuzz/cfg.dict and tests/config/ as seeds: it gets nowhere
 * without mostly valid JSON.
 *
 * The input is the config text, in a NUL-terminated copy of exactly its
 * size.  cfg_load_string() touches no file of ours: the runtime directory
 * is only a string (it need not exist), and the only outside lookups are
 * read-only (getgrnam() for control.group, if_nametoindex() for an mcast
 * interface).  The loader does not log.  What is checked is what cfg.h,
 * dhcp.h and docs/vswitchd.json.5.md promise:
 *
 *  - on failure: -EINVAL or -ENOMEM, the output struct untouched, and a
 *    terminated, non-empty message "SOURCE:LINE:COL: TEXT" (LINE:COL
 *    those of struct vsw_err, LINE a line of the text) or "SOURCE: TEXT"
 *    (line and col 0);
 *  - on success: every documented range and rule holds (unique port
 *    names and unix-listen paths, at least one port and at most
 *    switch.max_ports, fields of other port types empty, the DHCP range
 *    and reservations inside the subnet, the resolved DHCP settings still
 *    pass dhcp_cfg_check(), slirp's addresses hosts of its network, ...);
 *  - cfg_dump() prints "key = value" lines without raw control
 *    characters, and the same text both times and for a second load of
 *    the same input (it is not JSON, so there is no round trip to try);
 *  - cfg_free() zeroes the struct; leaks are LeakSanitizer's business.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp/dhcp.h"
#include "switch/config/cfg-int.h"
#include "switch/config/cfg.h"
#include "switch/base/log.h"
#include "tests/fuzz/fuzz.h"

#define SOURCE "fuzz.json"
#define RUNTIME_DIR "/tmp/vsw-fuzz-cfg"

enum {
	/* Bigger inputs only slow the fuzzer down; 16 MiB is the file limit. */
	MAX_INPUT = 256 << 10,
	MAX_PATH_LEN = CFG_PATH_MAX - 1,
	QUEUE_BYTES_MAX = 1 << 30,
};

/* A char array field is terminated inside its size. */
#define TERMINATED(field) (memchr((field), '\0', sizeof(field)) != NULL)

static bool in_range(unsigned int v, unsigned int min, unsigned int max)
{
	return v >= min && v <= max;
}

static bool is_ipv4(const char *s)
{
	struct in_addr a;

	return inet_pton(AF_INET, s, &a) == 1;
}

static bool is_ipv6(const char *s)
{
	struct in6_addr a;

	return inet_pton(AF_INET6, s, &a) == 1;
}

static bool is_address(const char *s)
{
	return is_ipv4(s) || is_ipv6(s);
}

static bool is_path(const char *s, size_t size)
{
	size_t len = strnlen(s, size);

	return len >= 1 && len <= MAX_PATH_LEN && len < size;
}

static bool contiguous(uint32_t mask)
{
	return !(~mask & (~mask + 1));
}

static unsigned int prefix_len(uint32_t mask)
{
	return (unsigned int)__builtin_popcount(mask);
}

static bool unicast_mac(const uint8_t *mac)
{
	static const uint8_t zero[6];

	return !(mac[0] & 1) && memcmp(mac, zero, 6);
}

/* ------------------------------------------------------------------ */
/* Failure                                                             */
/* ------------------------------------------------------------------ */

/*
 * The length in bytes of line @line (1-based) of @text, without its
 * newline, or -1 if @text has fewer lines.
 */
static long line_length(const char *text, int line)
{
	for (int i = 1; i < line; i++) {
		text = strchr(text, '\n');
		if (!text)
			return -1;
		text++;
	}
	return (long)strcspn(text, "\n");
}

static void check_error(int r, const struct vsw_err *err, const char *text)
{
	size_t slen = strlen(SOURCE);
	const char *rest;
	int line, col, n = 0;

	CHECK(r == -EINVAL || r == -ENOMEM);
	CHECK(TERMINATED(err->msg));
	CHECK(!strncmp(err->msg, SOURCE ":", slen + 1));
	rest = err->msg + slen + 1;
	if (err->line) {
		/* Columns count characters, so at most the bytes (+1: EOF). */
		CHECK(err->line >= 1 && err->col >= 1);
		CHECK(err->col <= line_length(text, err->line) + 1);
		CHECK(isdigit((unsigned char)*rest));
		CHECK(sscanf(rest, "%d:%d:%n", &line, &col, &n) == 2 && n);
		CHECK(line == err->line && col == err->col);
		CHECK(rest[n] == ' ');
		rest += n + 1;
	} else {
		CHECK(err->col == 0);
		CHECK(*rest == ' ');
		rest++;
	}
	CHECK(*rest && *rest != ' ');
}

/* ------------------------------------------------------------------ */
/* Success: the documented rules                                       */
/* ------------------------------------------------------------------ */

static void check_switch(const struct vsw_params *sw)
{
	CHECK(in_range(sw->mac_aging_s, 1, 1000000));
	CHECK(in_range(sw->mac_table_size, 16, 4194304));
	CHECK(in_range(sw->mac_move_holddown_ms, 0, 60000));
	CHECK(in_range(sw->max_frame, 64, 65535));
	CHECK(in_range(sw->max_ports, 2, 65536));
	CHECK(in_range(sw->tx_queue_frames, 1, 65536));
	CHECK(in_range(sw->tx_queue_bytes, sw->max_frame + 4,
		       QUEUE_BYTES_MAX));
}

static void check_control(const struct cfg_control *ctl)
{
	CHECK(is_path(ctl->path, sizeof(ctl->path)));
	CHECK(ctl->mode <= 0777);
	CHECK(TERMINATED(ctl->group));
	CHECK(!ctl->group[0] == (ctl->gid == -1));
	CHECK(ctl->gid >= -1);
	CHECK(in_range(ctl->max_clients, 1, 1024));
}

/* Which fields of struct cfg_port a type uses (the keys of its section). */
enum {
	F_ADDRESS = 1 << 0,
	F_PORT = 1 << 1,
	F_PATH = 1 << 2,
	F_MAX_CONN = 1 << 3,
	F_MODE = 1 << 4,
	F_RECONNECT = 1 << 5,
	F_REMOTE_ADDR = 1 << 6,
	F_REMOTE_PATH = 1 << 7,
	F_PEERS = 1 << 8,
	F_GROUP = 1 << 9,
	F_IFNAME = 1 << 10,
	F_TTL = 1 << 11,
	F_TAP = 1 << 12,
};

static unsigned int port_fields(const struct cfg_port_type *type)
{
	static const struct {
		const char *name;
		unsigned int fields;
	} types[] = {
		{ "tcp-listen", F_ADDRESS | F_PORT | F_MAX_CONN },
		{ "unix-listen", F_PATH | F_MODE | F_MAX_CONN },
		{ "tcp-connect", F_ADDRESS | F_PORT | F_RECONNECT },
		{ "unix-connect", F_PATH | F_RECONNECT },
		{ "udp", F_ADDRESS | F_PORT | F_REMOTE_ADDR | F_PEERS },
		{ "unix-dgram", F_PATH | F_MODE | F_REMOTE_PATH | F_PEERS },
		{ "mcast", F_GROUP | F_PORT | F_IFNAME | F_TTL },
		{ "tap", F_IFNAME | F_TAP },
	};

	for (size_t i = 0; type && i < ARRAY_SIZE(types); i++)
		if (!strcmp(type->name, types[i].name))
			return types[i].fields;
	CHECK(!"unknown port type");
	return 0;
}

static bool is_type(const struct cfg_port *p, const char *name)
{
	return !strcmp(cfg_port_type_name(p->type), name);
}

static bool is_mcast_group(const char *s)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (inet_pton(AF_INET, s, &a4) == 1)
		return (ntohl(a4.s_addr) >> 28) == 0xe;
	return inet_pton(AF_INET6, s, &a6) == 1 && a6.s6_addr[0] == 0xff;
}

static bool is_ifname(const char *s)
{
	size_t len = strnlen(s, CFG_IFNAME_MAX);

	if (!len || len >= CFG_IFNAME_MAX || !strcmp(s, ".") ||
	    !strcmp(s, ".."))
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '/' || c == ':' || c <= ' ' || c >= 0x7f)
			return false;
	}
	return true;
}

static bool is_port_name(const char *s)
{
	size_t len = strnlen(s, CFG_NAME_MAX);

	if (!len || len > CFG_NAME_MAX - 1)
		return false;
	if (!strcmp(s, "dhcp") || !strcmp(s, "slirp"))
		return false;
	for (; *s; s++) {
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return false;
	}
	return true;
}

static void check_port(const struct vsw_config *cfg, const struct cfg_port *p)
{
	unsigned int f = port_fields(p->type);
	unsigned int max_ports = cfg->sw.max_ports;

	CHECK(is_port_name(p->name));
	CHECK(in_range(p->tx_queue_frames, 1, 65536));
	CHECK(in_range(p->tx_queue_bytes, cfg->sw.max_frame + 4,
		       QUEUE_BYTES_MAX));

	CHECK(TERMINATED(p->address));
	CHECK((f & F_ADDRESS) ? is_address(p->address) : !p->address[0]);
	if (!(f & F_PORT))
		CHECK(p->port == 0);
	else if (!is_type(p, "tcp-listen"))
		CHECK(p->port >= 1);
	CHECK((f & F_PATH) ? is_path(p->path, sizeof(p->path)) : !p->path[0]);
	CHECK((f & F_MAX_CONN) ? in_range(p->max_connections, 1, max_ports)
			       : !p->max_connections);
	CHECK((f & F_MODE) ? p->mode <= 0777 : !p->mode);
	if (f & F_RECONNECT) {
		CHECK(in_range(p->reconnect_min_ms, 10, 3600000));
		CHECK(in_range(p->reconnect_max_ms, 10, 3600000));
		CHECK(p->reconnect_min_ms <= p->reconnect_max_ms);
	} else {
		CHECK(!p->reconnect_min_ms && !p->reconnect_max_ms);
	}

	/* udp: remote_port is set exactly when remote_address is. */
	CHECK(TERMINATED(p->remote_address));
	if ((f & F_REMOTE_ADDR) && p->remote_address[0])
		CHECK(is_address(p->remote_address) && p->remote_port >= 1);
	else
		CHECK(!p->remote_address[0] && !p->remote_port);
	CHECK(TERMINATED(p->remote_path));
	if ((f & F_REMOTE_PATH) && p->remote_path[0])
		CHECK(is_path(p->remote_path, sizeof(p->remote_path)));
	else
		CHECK(!p->remote_path[0]);
	if (f & F_PEERS) {
		CHECK(in_range(p->max_peers, 1, max_ports));
		CHECK(p->peer_idle_s <= 86400);
	} else {
		CHECK(!p->max_peers && !p->peer_idle_s);
	}

	CHECK(TERMINATED(p->group));
	CHECK((f & F_GROUP) ? is_mcast_group(p->group) : !p->group[0]);
	CHECK(TERMINATED(p->ifname));
	CHECK((f & F_IFNAME) ? is_ifname(p->ifname) : !p->ifname[0]);
	CHECK((f & F_TTL) ? p->ttl <= 255 : !p->ttl);
	if (f & F_TAP) {
		/* "range 68 to switch.max_frame - 18", 0 leaves the device's. */
		CHECK(!p->mtu || (p->mtu >= 68 && p->mtu + 18 <= cfg->sw.max_frame));
	} else {
		CHECK(!p->mtu && !p->offload);
	}
}

static void check_ports(const struct vsw_config *cfg)
{
	CHECK(cfg->ports && cfg->n_ports >= 1);
	CHECK(cfg->n_ports <= cfg->sw.max_ports);
	for (size_t i = 0; i < cfg->n_ports; i++) {
		const struct cfg_port *p = &cfg->ports[i];

		check_port(cfg, p);
		/* The inputs are small: quadratic is fine here. */
		for (size_t k = 0; k < i; k++) {
			const struct cfg_port *o = &cfg->ports[k];

			CHECK(strcmp(p->name, o->name));
			if (is_type(p, "unix-listen") &&
			    is_type(o, "unix-listen"))
				CHECK(strcmp(p->path, o->path));
		}
	}
}

static bool in_subnet(const struct dhcp_cfg *dc, uint32_t ip)
{
	return (ip & dc->netmask) == dc->subnet;
}

static bool dhcp_host(const struct dhcp_cfg *dc, uint32_t ip)
{
	return in_subnet(dc, ip) && ip != dc->subnet &&
	       ip != (dc->subnet | ~dc->netmask);
}

static void check_dhcp(const struct cfg_dhcp *dh)
{
	const struct dhcp_cfg *dc = &dh->dc;
	char msg[160];

	if (!dh->enabled) {
		CHECK(!dc->reservations && !dc->n_reservations);
		return;
	}
	CHECK(contiguous(dc->netmask) && prefix_len(dc->netmask) <= 30);
	CHECK(!(dc->subnet & ~dc->netmask));
	CHECK(dhcp_host(dc, dc->server_ip));
	CHECK(unicast_mac(dc->server_mac));
	CHECK(dc->range_start <= dc->range_end);
	CHECK(dhcp_host(dc, dc->range_start) && dhcp_host(dc, dc->range_end));
	CHECK(dc->server_ip < dc->range_start || dc->server_ip > dc->range_end);
	if (dc->router)
		CHECK(dc->router < dc->range_start ||
		      dc->router > dc->range_end);
	CHECK(dc->n_dns <= 3 && dc->n_search <= 4);
	CHECK(TERMINATED(dc->domain));
	CHECK(!dc->domain[0] || cfg_dns_name_ok(dc->domain));
	for (unsigned int i = 0; i < dc->n_search; i++)
		CHECK(cfg_dns_name_ok(dc->search[i]));
	CHECK(!dc->mtu || in_range(dc->mtu, 68, 65535));
	CHECK(in_range(dc->lease_s, 60, 31536000));
	CHECK(!dc->n_reservations == !dc->reservations);
	for (size_t i = 0; i < dc->n_reservations; i++) {
		const struct dhcp_reservation *r = &dc->reservations[i];

		CHECK(dhcp_host(dc, r->ip));
		CHECK(unicast_mac(r->mac));
		CHECK(TERMINATED(r->hostname));
		CHECK(!r->hostname[0] || cfg_dns_name_ok(r->hostname));
		for (size_t k = 0; k < i; k++) {
			CHECK(dc->reservations[k].ip != r->ip);
			CHECK(memcmp(dc->reservations[k].mac, r->mac, 6));
		}
	}
	CHECK(TERMINATED(dh->lease_file) && dh->lease_file[0]);
	/* The server is made from exactly this: dhcp_server_new() checks it. */
	CHECK(dhcp_cfg_check(dc, msg, sizeof(msg)) == 0);
}

static bool slirp_host(const struct cfg_slirp *sl, uint32_t ip)
{
	return (ip & sl->netmask) == sl->network && ip != sl->network &&
	       ip != (sl->network | ~sl->netmask);
}

/* The bytes of a literal address, IPv4 ones apart from IPv6 ones. */
static void address_key(const char *s, uint8_t key[17])
{
	memset(key, 0, 17);
	if (inet_pton(AF_INET, s, key) == 1)
		return;
	CHECK(inet_pton(AF_INET6, s, key) == 1);
	key[16] = 6;
}

static void check_forwards(const struct cfg_slirp *sl)
{
	CHECK(sl->n_forwards <= 1024);
	CHECK(!sl->n_forwards == !sl->forwards);
	for (size_t i = 0; i < sl->n_forwards; i++) {
		const struct cfg_forward *fw = &sl->forwards[i];
		uint8_t a[17], b[17];

		CHECK(TERMINATED(fw->host_address) && TERMINATED(fw->guest));
		CHECK(is_address(fw->host_address));
		CHECK(fw->host_port >= 1 && fw->guest_port >= 1);
		CHECK(slirp_host(sl, fw->guest_ip));
		CHECK(fw->guest_ip != sl->gateway && fw->guest_ip != sl->dns);
		address_key(fw->host_address, a);
		/* "A protocol, address and port may be forwarded once." */
		for (size_t k = 0; k < i; k++) {
			const struct cfg_forward *o = &sl->forwards[k];

			address_key(o->host_address, b);
			CHECK(o->udp != fw->udp || o->host_port != fw->host_port ||
			      memcmp(a, b, sizeof(a)));
		}
	}
}

static void check_slirp(const struct vsw_config *cfg)
{
	const struct cfg_slirp *sl = &cfg->slirp;
	const struct dhcp_cfg *dc = &cfg->dhcp.dc;
	unsigned int mtu_max = cfg->sw.max_frame - 14;

	if (!sl->enabled) {
		CHECK(!sl->forwards && !sl->n_forwards);
		return;
	}
#ifndef HAVE_SLIRP
	CHECK(!"slirp section accepted without libslirp");
#endif
	CHECK(contiguous(sl->netmask));
	CHECK(in_range(prefix_len(sl->netmask), 8, 29));
	CHECK(!(sl->network & ~sl->netmask));
	CHECK(slirp_host(sl, sl->gateway) && slirp_host(sl, sl->dns));
	CHECK(sl->gateway != sl->dns);
	CHECK(sl->prefix6_len == 64);
	for (unsigned int bit = 64; bit < 128; bit++)
		CHECK(!(sl->prefix6.s6_addr[bit / 8] & (0x80 >> (bit % 8))));
	if (mtu_max > 65521)
		mtu_max = 65521;
	CHECK(in_range(sl->mtu, 576, mtu_max));
	CHECK(!sl->ipv6 || sl->mtu >= 1280);
	CHECK(TERMINATED(sl->outbound_address));
	CHECK(!sl->outbound_address[0] || is_ipv4(sl->outbound_address));
	CHECK(TERMINATED(sl->outbound_address6));
	CHECK(!sl->outbound_address6[0] || is_ipv6(sl->outbound_address6));
	CHECK(TERMINATED(sl->domain));
	CHECK(!sl->domain[0] || cfg_dns_name_ok(sl->domain));
	CHECK(sl->n_search <= 4);
	for (unsigned int i = 0; i < sl->n_search; i++)
		CHECK(cfg_dns_name_ok(sl->search[i]));
	check_forwards(sl);

	/* slirp's own addresses are not the DHCP server's to hand out. */
	if (cfg->dhcp.enabled) {
		uint32_t own[2] = { sl->gateway, sl->dns };

		for (int i = 0; i < 2; i++) {
			CHECK(own[i] != dc->server_ip);
			CHECK(own[i] < dc->range_start ||
			      own[i] > dc->range_end);
		}
	}
}

static void check_config(const struct vsw_config *cfg)
{
	CHECK(in_range((unsigned int)cfg->log_level, LOG_LVL_ERR,
		       LOG_LVL_DEBUG));
	CHECK(is_path(cfg->runtime_dir, sizeof(cfg->runtime_dir)));
	check_switch(&cfg->sw);
	check_control(&cfg->control);
	check_ports(cfg);
	check_dhcp(&cfg->dhcp);
	check_slirp(cfg);
}

/* ------------------------------------------------------------------ */
/* cfg_dump()                                                          */
/* ------------------------------------------------------------------ */

static char *dump(const struct vsw_config *cfg)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	CHECK(f);
	cfg_dump(cfg, f);
	CHECK(fclose(f) == 0);
	CHECK(buf && strlen(buf) == size);
	return buf;
}

/* One "key = value" per line, strings escaped, a name line per port. */
static void check_dump(const struct vsw_config *cfg, const char *out)
{
	char want[64];

	CHECK(*out && out[strlen(out) - 1] == '\n');
	for (const char *line = out; *line;) {
		size_t len = strcspn(line, "\n");
		const char *eq = strstr(line, " = ");

		CHECK(eq && eq > line && (size_t)(eq - line) < len);
		for (size_t i = 0; i < len; i++)
			CHECK((unsigned char)line[i] >= 0x20 &&
			      line[i] != 0x7f);
		line += len + 1;
	}
	for (size_t i = 0; i < cfg->n_ports; i++) {
		snprintf(want, sizeof(want), "ports[%zu].name = %s\n", i,
			 cfg->ports[i].name);
		CHECK(strstr(out, want));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct vsw_config zero;
	struct vsw_config cfg, again, sentinel;
	struct vsw_err err;
	char *text, *out, *out2;
	int r;

	if (size > MAX_INPUT)
		return 0;
	text = malloc(size + 1);
	CHECK(text);
	memcpy(text, data, size);
	text[size] = '\0';

	memset(&cfg, 0xa5, sizeof(cfg));
	memcpy(&sentinel, &cfg, sizeof(cfg));
	memset(&err, 0x5a, sizeof(err));
	r = cfg_load_string(text, SOURCE, RUNTIME_DIR, &cfg, &err);
	if (r) {
		check_error(r, &err, text);
		CHECK(!memcmp(&cfg, &sentinel, sizeof(cfg)));
		free(text);
		return 0;
	}

	check_config(&cfg);
	out = dump(&cfg);
	check_dump(&cfg, out);
	out2 = dump(&cfg);
	CHECK(!strcmp(out, out2));
	free(out2);

	/* Loading is a pure function of the text. */
	CHECK(cfg_load_string(text, SOURCE, RUNTIME_DIR, &again, &err) == 0);
	out2 = dump(&again);
	CHECK(!strcmp(out, out2));
	free(out2);
	cfg_free(&again);

	free(out);
	cfg_free(&cfg);
	CHECK(!memcmp(&cfg, &zero, sizeof(cfg)));
	free(text);
	return 0;
}
