/*
 * lease-file.c - the DHCP server's lease file: save the leases as text
 * lines and load them back (format in dhcp_server_save()).
 *
 * The loader reads a file that a crash may have cut short or a person
 * may have edited, so it trusts nothing in it; tests/fuzz/fuzz-lease.c
 * holds it to that.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "dhcp/dhcp.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp/lease.h"
#include "dhcp/server.h"
#include "switch/core/eth.h"
#include "switch/core/pkt.h"
#include "switch/base/util.h"

/* One lease line; @wall_now 0 writes EXPIRES 0 (see save_lease). */
static void save_line(FILE *f, const struct lease *l, uint64_t now_ms,
		      time_t wall_now)
{
	const uint8_t *m = l->mac;
	int64_t expires = 0;
	char ip[PKT_IPV4_STR_LEN];

	if (wall_now)
		expires = (int64_t)wall_now +
			  (int64_t)((l->expires_ms - now_ms + 999) / 1000);
	pkt_ipv4_format(l->ip, ip);
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
	if (n != 5 || !parse_ip(f[0], &l->ip) || !eth_parse_mac(f[1], l->mac))
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
			int hi = eth_hex_digit(f[3][2 * i]);
			int lo = eth_hex_digit(f[3][2 * i + 1]);

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
		dhcp_sanitize_hostname(l->hostname, sizeof(l->hostname),
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
			return dhcp_fail(err, err_size, "line %u: too long", lineno);
		else
			break;	/* torn append */
		if (!n || line[0] == '#')
			continue;
		memset(&tmp, 0, sizeof(tmp));
		if (!parse_line(line, &tmp, &expires))
			return dhcp_fail(err, err_size, "line %u: malformed lease",
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
		r = dhcp_res_by_ip(srv, tmp.ip);
		if (r && memcmp(r->mac, tmp.mac, 6))
			continue;
		if (!r && (tmp.ip < c->range_start || tmp.ip > c->range_end ||
			   !dhcp_assignable(c, tmp.ip)))
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
		return dhcp_fail(err, err_size, "read error");
	return 0;
}

