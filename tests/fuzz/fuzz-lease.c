/*
 * fuzz-lease.c - fuzz the lease-file loader, dhcp_server_load().
 *
 * Built with -DVSW_FUZZ_LIBFUZZER (make fuzz-lease, clang) it is a
 * libFuzzer target; linked with tests/fuzz/replay.c it replays files.
 *
 * Input: the bytes of a lease file.  The loader must
 *  - never crash or read outside what it was given;
 *  - return 0, -EINVAL with a reason ("line N: ..." or "read error") in
 *    its buffer, or -ENOMEM;
 *  - keep what it loaded before a bad line, and what it keeps must round
 *    trip: saved with dhcp_server_save() and loaded into a fresh server
 *    it gives the same leases (address, MAC, client id, host name,
 *    deadline, reserved), and that saved file loads without error.
 * The server has a reservation inside the range and one outside it, so
 * that lines colliding with them are exercised too.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dhcp/dhcp.h"
#include "tests/fuzz/fuzz.h"

enum { MAX_LEASES = 64 };

/* Fixed clocks: deadlines convert exactly, so a round trip is exact. */
static const uint64_t NOW_MS = 5000000;
static const time_t WALL = 1767225600;	/* 2026-01-01 */

struct snapshot {
	size_t n;
	struct dhcp_lease_info l[MAX_LEASES];
};

static void discard(void *aux, const uint8_t *frame, size_t len)
{
	(void)aux, (void)frame, (void)len;
}

static void collect(const struct dhcp_lease_info *info, void *aux)
{
	struct snapshot *s = aux;

	CHECK(s->n < MAX_LEASES);
	s->l[s->n++] = *info;
}

static int by_ip(const void *a, const void *b)
{
	const struct dhcp_lease_info *x = a, *y = b;

	return x->ip < y->ip ? -1 : x->ip > y->ip;
}

static void snap(const struct dhcp_server *srv, struct snapshot *s)
{
	s->n = 0;
	dhcp_server_foreach_lease(srv, collect, s);
	qsort(s->l, s->n, sizeof(s->l[0]), by_ip);
}

/*
 * The format's one ambiguity: "-" stands for no host name, so a host
 * named "-" (a client may send that in option 12, a file may carry "-="
 * which sanitises to it) is saved as "-" and loads back nameless.  Known
 * and left as it is (no behaviour change here); compared as equal.
 */
static const char *host(const char *h)
{
	return strcmp(h, "-") ? h : "";
}

static bool same(const struct dhcp_lease_info *a,
		 const struct dhcp_lease_info *b)
{
	return a->ip == b->ip && !memcmp(a->mac, b->mac, 6) &&
	       !strcmp(host(a->hostname), host(b->hostname)) &&
	       a->client_id_len == b->client_id_len &&
	       !memcmp(a->client_id, b->client_id, a->client_id_len) &&
	       a->expires_ms == b->expires_ms && a->bound == b->bound &&
	       a->reserved == b->reserved;
}

static struct dhcp_server *server(void)
{
	static struct dhcp_reservation res[] = {
		{ .mac = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x01 },
		  .ip = 0x0a000232, .hostname = "fixed" },
		{ .mac = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x02 },
		  .ip = 0x0a000265, .hostname = "" },
	};
	struct dhcp_cfg cfg = {
		.server_mac = { 0x02, 0, 0, 0, 0, 1 },
		.server_ip = 0x0a000201,
		.subnet = 0x0a000200,
		.netmask = 0xffffff00,
		.range_start = 0x0a000264,	/* .100 - .131 */
		.range_end = 0x0a000283,
		.router = 0x0a000202,
		.lease_s = 3600,
		.reservations = res,
		.n_reservations = 2,
	};
	struct dhcp_server *srv = dhcp_server_new(&cfg, discard, NULL);

	CHECK(srv);
	return srv;
}

/* Loads @len bytes of @text into @srv; the reason goes to @err. */
static int load(struct dhcp_server *srv, const char *text, size_t len,
		char *err, size_t err_size)
{
	FILE *f = fmemopen((void *)text, len, "r");
	int r;

	CHECK(f);
	err[0] = '\0';
	r = dhcp_server_load(srv, f, NOW_MS, WALL, err, err_size);
	fclose(f);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct snapshot a, b;
	struct dhcp_server *srv, *again;
	char err[128], *saved = NULL;
	size_t saved_len = 0;
	FILE *out;
	int r;

	if (size > 16384)
		return 0;
	/* fmemopen() wants a buffer even for an empty file. */
	srv = server();
	r = load(srv, size ? (const char *)data : "", size, err, sizeof(err));
	CHECK(r == 0 || r == -EINVAL || r == -ENOMEM);
	if (r == -EINVAL)
		CHECK(!strncmp(err, "line ", 5) || !strcmp(err, "read error"));
	snap(srv, &a);
	for (size_t i = 0; i < a.n; i++)
		CHECK(a.l[i].bound && a.l[i].expires_ms > NOW_MS);

	out = open_memstream(&saved, &saved_len);
	CHECK(out);
	CHECK(dhcp_server_save(srv, out, NOW_MS, WALL) == 0);
	fclose(out);

	again = server();
	r = load(again, saved, saved_len, err, sizeof(err));
	if (r) {
		fprintf(stderr, "saved file refused: %s\n%s", err, saved);
		CHECK(r == 0);
	}
	snap(again, &b);
	CHECK(a.n == b.n);
	for (size_t i = 0; i < a.n; i++)
		CHECK(same(&a.l[i], &b.l[i]));

	free(saved);
	dhcp_server_free(again);
	dhcp_server_free(srv);
	return 0;
}
