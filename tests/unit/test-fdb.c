/*
 * test-fdb.c - unit tests for the MAC learning table (switch/core/fdb.c).
 *
 * Time is injected: every test picks its own @now values.  The last cases
 * run thousands of random operations against a plain array model of the
 * documented semantics and compare every lookup, counter and deadline.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/core/fdb.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "switch/base/util.h"
#include "tests/tap.h"

/* Stand-ins for ports: the fdb only compares their addresses. */
static int ports[8];
#define A ((void *)&ports[0])
#define B ((void *)&ports[1])
#define C ((void *)&ports[2])

/* Writes a locally administered unicast address numbered @n to @mac. */
static uint8_t *mac_of(uint32_t n, uint8_t mac[6])
{
	mac[0] = 0x02;
	mac[1] = 0x5a;
	put_be32(mac + 2, n);
	return mac;
}

static void *lookup_n(const struct fdb *fdb, uint32_t n, uint16_t vlan,
		      uint64_t now)
{
	uint8_t mac[6];

	mac_of(n, mac);
	return fdb_lookup(fdb, mac, vlan, now);
}

static enum fdb_learn_result learn_n(struct fdb *fdb, uint32_t n,
				     uint16_t vlan, void *owner, uint64_t now)
{
	uint8_t mac[6];

	mac_of(n, mac);
	return fdb_learn(fdb, mac, vlan, owner, now);
}

static struct fdb *new_fdb(unsigned int max, uint64_t aging, uint64_t hold)
{
	struct fdb_params p = {
		.max_entries = max,
		.aging_ms = aging,
		.move_holddown_ms = hold,
	};
	struct fdb *fdb = fdb_new(&p);

	TAP_CHECK(fdb != NULL);
	return fdb;
}

static struct fdb_stats stats_of(const struct fdb *fdb)
{
	struct fdb_stats st;

	memset(&st, 0xa5, sizeof(st));
	fdb_get_stats(fdb, &st);
	return st;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Data-driven cases: a table of steps run against one fdb, each step an
 * operation on the address numbered @n (mac_of()) in @vlan and the answer
 * it must give.  A failing step is reported at its own line in the table.
 */
enum step_op {
	OP_LEARN,	/* fdb_learn(n, vlan, owner, now) == want */
	OP_LOOKUP,	/* fdb_lookup(n, vlan, now) == owner */
	OP_EXPIRE,	/* fdb_expire(now) == want (the next deadline) */
	OP_OWNED,	/* fdb_owner_count(owner) == want */
	OP_STAT,	/* the fdb_stats member @stat == want */
	OP_STATIC,	/* fdb_add_static(n, vlan, owner) == want */
	OP_DEL,		/* fdb_del(n, vlan) == want */
	OP_FLUSH_OWNER,	/* fdb_flush_owner(owner) == want */
	OP_FLUSH_ALL,	/* fdb_flush_all() == want */
};

enum step_stat {
	ST_LEARNED, ST_MOVED, ST_MOVE_HELD, ST_AGED, ST_EVICTED, ST_FLUSHED,
	ST_ENTRIES, ST_STATIC_ENTRIES,
};

struct step {
	int line;
	enum step_op op;
	uint32_t n;
	uint16_t vlan;
	void *owner;
	uint64_t now;
	enum step_stat stat;
	long long want;
};

#define LEARN(n_, vlan_, owner_, now_, res)                                    \
	{ __LINE__, OP_LEARN, (n_), (vlan_), (owner_), (now_), 0,              \
	  FDB_LEARN_##res }
#define LOOKUP(n_, vlan_, now_, owner_)                                        \
	{ __LINE__, OP_LOOKUP, (n_), (vlan_), (owner_), (now_), 0, 0 }
#define EXPIRE(now_, next)                                                     \
	{ __LINE__, OP_EXPIRE, 0, 0, NULL, (now_), 0, (long long)(next) }
#define OWNED(owner_, count)                                                   \
	{ __LINE__, OP_OWNED, 0, 0, (owner_), 0, 0, (count) }
#define STAT(member, value)                                                    \
	{ __LINE__, OP_STAT, 0, 0, NULL, 0, ST_##member, (value) }
#define STATIC(n_, vlan_, owner_, ret)                                         \
	{ __LINE__, OP_STATIC, (n_), (vlan_), (owner_), 0, 0, (ret) }
#define DEL(n_, vlan_, ret)                                                    \
	{ __LINE__, OP_DEL, (n_), (vlan_), NULL, 0, 0, (ret) }
#define FLUSH_OWNER(owner_, count)                                             \
	{ __LINE__, OP_FLUSH_OWNER, 0, 0, (owner_), 0, 0, (count) }
#define FLUSH_ALL(count)                                                       \
	{ __LINE__, OP_FLUSH_ALL, 0, 0, NULL, 0, 0, (count) }

static long long stat_of(const struct fdb *fdb, enum step_stat stat)
{
	struct fdb_stats st = stats_of(fdb);

	switch (stat) {
	case ST_LEARNED:	return (long long)st.learned;
	case ST_MOVED:		return (long long)st.moved;
	case ST_MOVE_HELD:	return (long long)st.move_held;
	case ST_AGED:		return (long long)st.aged;
	case ST_EVICTED:	return (long long)st.evicted;
	case ST_FLUSHED:	return (long long)st.flushed;
	case ST_ENTRIES:	return st.entries;
	case ST_STATIC_ENTRIES:	return st.static_entries;
	}
	return -1;
}

static void run_steps(struct fdb *fdb, const struct step *steps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct step *s = &steps[i];
		uint8_t mac[6];
		long long got = 0;
		void *who = NULL;

		mac_of(s->n, mac);
		switch (s->op) {
		case OP_LEARN:
			got = fdb_learn(fdb, mac, s->vlan, s->owner, s->now);
			break;
		case OP_LOOKUP:
			who = fdb_lookup(fdb, mac, s->vlan, s->now);
			if (who != s->owner) {
				tap_diag("step %zu: lookup of %u/%u at %llu: "
					 "owner %p, want %p", i, s->n,
					 s->vlan, (unsigned long long)s->now,
					 who, s->owner);
				tap_fail_at(__FILE__, s->line, "LOOKUP");
			}
			continue;
		case OP_EXPIRE:
			got = (long long)fdb_expire(fdb, s->now);
			break;
		case OP_OWNED:
			got = fdb_owner_count(fdb, s->owner);
			break;
		case OP_STAT:
			got = stat_of(fdb, s->stat);
			break;
		case OP_STATIC:
			got = fdb_add_static(fdb, mac, s->vlan, s->owner);
			break;
		case OP_DEL:
			got = fdb_del(fdb, mac, s->vlan);
			break;
		case OP_FLUSH_OWNER:
			got = fdb_flush_owner(fdb, s->owner);
			break;
		case OP_FLUSH_ALL:
			got = fdb_flush_all(fdb);
			break;
		}
		if (got != s->want) {
			tap_diag("step %zu: got %lld, want %lld", i, got,
				 s->want);
			tap_fail_at(__FILE__, s->line, "step");
		}
	}
}

#define RUN_STEPS(fdb, steps) run_steps((fdb), (steps), ARRAY_SIZE(steps))

static void test_learn_lookup(const void *data UNUSED)
{
	struct fdb *fdb = new_fdb(16, 1000, 0);
	uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	uint8_t other[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x57 };

	TAP_CHECK(fdb_lookup(fdb, mac, 1, 0) == NULL);
	TAP_CHECK_EQ(fdb_learn(fdb, mac, 1, A, 10), FDB_LEARN_NEW);
	TAP_CHECK(fdb_lookup(fdb, mac, 1, 10) == A);
	TAP_CHECK(fdb_lookup(fdb, other, 1, 10) == NULL);
	TAP_CHECK_EQ(fdb_learn(fdb, other, 1, B, 10), FDB_LEARN_NEW);
	TAP_CHECK(fdb_lookup(fdb, other, 1, 10) == B);
	TAP_CHECK(fdb_lookup(fdb, mac, 1, 10) == A);
	TAP_CHECK_EQ(stats_of(fdb).entries, 2);
	TAP_CHECK_EQ(stats_of(fdb).learned, 2);
	TAP_CHECK_EQ(fdb_owner_count(fdb, A), 1);
	TAP_CHECK_EQ(fdb_owner_count(fdb, B), 1);
	TAP_CHECK_EQ(fdb_owner_count(fdb, C), 0);
	fdb_free(fdb);
}

/* The batch interface: the same answers as fdb_learn()/fdb_lookup(). */
static void test_hashed(const void *data UNUSED)
{
	struct fdb *fdb = new_fdb(16, 1000, 0);
	uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	uint32_t h = fdb_key_hash(fdb, mac, 1);

	/* The VLAN's bits above 12 are not part of the key. */
	TAP_CHECK_EQ(fdb_key_hash(fdb, mac, 1 | 0xf000), h);
	TAP_CHECK(fdb_key_hash(fdb, mac, 2) != h ||
		  fdb_key_hash(fdb, mac, 3) != h);
	/* Prefetching unknown keys and empty slots is harmless. */
	fdb_prefetch(fdb, h);
	fdb_prefetch_links(fdb, mac, 1, h);
	TAP_CHECK(fdb_lookup_hashed(fdb, mac, 1, h, 0) == NULL);
	TAP_CHECK_EQ(fdb_learn_hashed(fdb, mac, 1, h, A, 10), FDB_LEARN_NEW);
	TAP_CHECK(fdb_lookup(fdb, mac, 1, 10) == A);
	TAP_CHECK_EQ(fdb_learn(fdb, mac, 1, A, 20), FDB_LEARN_REFRESHED);
	fdb_prefetch_links(fdb, mac, 1, h);
	TAP_CHECK(fdb_lookup_hashed(fdb, mac, 1, h, 20) == A);
	/* Hashes survive a resize. */
	learn_n(fdb, 12, 5, B, 30);
	TAP_CHECK(fdb_lookup_hashed(fdb, mac, 1, h, 30) == A);
	fdb_free(fdb);
}

static void test_vlan_key(const void *data UNUSED)
{
	static const struct step steps[] = {
		LEARN(7, 1, A, 0, NEW),
		LEARN(7, 2, B, 0, NEW),
		LEARN(7, 0, C, 0, NEW),
		LOOKUP(7, 1, 0, A),
		LOOKUP(7, 2, 0, B),
		LOOKUP(7, 0, 0, C),
		LOOKUP(7, 3, 0, NULL),
		LOOKUP(7, 4095, 0, NULL),
		/* The same address in another VLAN is not a move. */
		STAT(MOVED, 0),
		STAT(ENTRIES, 3),
		/* Only the 12 VLAN ID bits count. */
		LOOKUP(7, 0x1001, 0, A),
		LEARN(7, 0xf002, B, 1, REFRESHED),
	};
	struct fdb *fdb = new_fdb(16, 1000, 0);

	RUN_STEPS(fdb, steps);
	fdb_free(fdb);
}

static void test_refresh_vs_new(const void *data UNUSED)
{
	static const struct step steps[] = {
		LEARN(1, 5, A, 0, NEW),
		LEARN(1, 5, A, 0, REFRESHED),
		LEARN(1, 5, A, 400, REFRESHED),
		LEARN(2, 5, A, 400, NEW),
		STAT(ENTRIES, 2),
		STAT(LEARNED, 2),
		/* The refresh at 400 restarted the idle timer. */
		LOOKUP(1, 5, 1399, A),
		LOOKUP(1, 5, 1400, NULL),
	};
	struct fdb *fdb = new_fdb(16, 1000, 0);

	RUN_STEPS(fdb, steps);
	fdb_free(fdb);
}

static void test_aging(const void *data UNUSED)
{
	static const struct step steps[] = {
		EXPIRE(0, UINT64_MAX),
		LEARN(1, 1, A, 0, NEW),
		LOOKUP(1, 1, 999, A),
		/* Expired: hidden from lookup before fdb_expire() has run. */
		LOOKUP(1, 1, 1000, NULL),
		STAT(ENTRIES, 1),

		EXPIRE(500, 1000),
		LEARN(1, 1, A, 500, REFRESHED),
		EXPIRE(600, 1500),
		LEARN(2, 1, A, 700, NEW),
		EXPIRE(1000, 1500),
		EXPIRE(1499, 1500),
		STAT(AGED, 0),
		STAT(ENTRIES, 2),

		EXPIRE(1500, 1700),
		STAT(AGED, 1),
		STAT(ENTRIES, 1),
		LOOKUP(2, 1, 1600, A),
		EXPIRE(1700, UINT64_MAX),
		STAT(AGED, 2),
		STAT(ENTRIES, 0),
		OWNED(A, 0),

		/*
		 * An expired entry is relearned in place, on any owner, without
		 * hold-down and without counting as a move.
		 */
		LEARN(3, 1, A, 2000, NEW),
		LOOKUP(3, 1, 3000, NULL),
		LEARN(3, 1, B, 3000, NEW),
		LOOKUP(3, 1, 3000, B),
		STAT(AGED, 3),
		STAT(MOVED, 0),
		STAT(MOVE_HELD, 0),
		OWNED(A, 0),
		OWNED(B, 1),
		EXPIRE(3000, 4000),

		/* Deadlines come from each owner's oldest entry. */
		LEARN(4, 1, C, 3200, NEW),
		LEARN(3, 1, B, 3300, REFRESHED),
		EXPIRE(3300, 4200),
	};
	struct fdb *fdb = new_fdb(16, 1000, 5000);

	RUN_STEPS(fdb, steps);
	fdb_free(fdb);
}

static void test_clock_backwards(const void *data UNUSED)
{
	static const struct step steps[] = {
		LEARN(1, 1, A, 5000, NEW),
		/* An earlier time is taken as the latest one seen. */
		LEARN(2, 1, A, 100, NEW),
		LOOKUP(2, 1, 5999, A),
		LOOKUP(2, 1, 6000, NULL),
		/* A lookup "in the past" does not see entries as expired. */
		LOOKUP(1, 1, 0, A),
		EXPIRE(10, 6000),
		STAT(ENTRIES, 2),
	};
	struct fdb *fdb = new_fdb(16, 1000, 0);

	RUN_STEPS(fdb, steps);
	fdb_free(fdb);
}

static void test_move_holddown(const void *data UNUSED)
{
	static const struct step steps[] = {
		LEARN(9, 1, A, 0, NEW),
		LEARN(9, 1, B, 100, HELD),
		LOOKUP(9, 1, 100, A),
		LEARN(9, 1, A, 1000, REFRESHED),
		/* 2500 is past the first learn but within 2 s of the refresh. */
		LEARN(9, 1, B, 2500, HELD),
		LOOKUP(9, 1, 2500, A),
		LEARN(9, 1, B, 2999, HELD),
		LEARN(9, 1, B, 3000, MOVED),
		LOOKUP(9, 1, 3000, B),
		OWNED(A, 0),
		OWNED(B, 1),
		/* Moving back is held too: no flapping. */
		LEARN(9, 1, A, 3100, HELD),
		LEARN(9, 1, A, 5000, MOVED),
		LOOKUP(9, 1, 5000, A),
		STAT(MOVED, 2),
		STAT(MOVE_HELD, 4),
		STAT(LEARNED, 1),
		STAT(ENTRIES, 1),
	};
	struct fdb *fdb = new_fdb(16, 100000, 2000);

	RUN_STEPS(fdb, steps);
	fdb_free(fdb);
}

static void test_move_no_holddown(const void *data UNUSED)
{
	static const struct step steps[] = {
		LEARN(9, 1, A, 0, NEW),
		LEARN(9, 1, B, 0, MOVED),
		LOOKUP(9, 1, 0, B),
		LEARN(9, 1, A, 0, MOVED),
		LOOKUP(9, 1, 0, A),
		OWNED(A, 1),
		OWNED(B, 0),
		STAT(MOVED, 2),
		/* A move restarts the idle timer. */
		LEARN(9, 1, B, 50000, MOVED),
		LOOKUP(9, 1, 149999, B),
		EXPIRE(50000, 150000),
	};
	struct fdb *fdb = new_fdb(16, 100000, 0);

	RUN_STEPS(fdb, steps);
	fdb_free(fdb);
}

static void test_static_entries(const void *data UNUSED)
{
	static const struct step steps[] = {
		STATIC(0, 1, A, 0),
		STATIC(0, 1, A, 0),
		STATIC(0, 1, NULL, -EINVAL),
		STAT(STATIC_ENTRIES, 1),
		STAT(ENTRIES, 1),
		/* No move, no refresh. */
		LEARN(0, 1, B, 10, STATIC),
		LEARN(0, 1, A, 10, STATIC),
		LOOKUP(0, 1, 10, A),
		/* No aging. */
		LOOKUP(0, 1, 1000000000000ULL, A),
		EXPIRE(1000000, UINT64_MAX),
		STAT(ENTRIES, 1),

		/* No eviction: a full table evicts a dynamic entry instead. */
		LEARN(1, 1, B, 1000001, NEW),
		LEARN(2, 1, B, 1000002, NEW),
		LEARN(3, 1, B, 1000003, NEW),
		LEARN(4, 1, A, 1000004, NEW),
		STAT(EVICTED, 1),
		LOOKUP(1, 1, 1000004, NULL),
		LOOKUP(0, 1, 1000004, A),

		/* A static entry replaces a dynamic one, and may change owner. */
		STATIC(2, 1, A, 0),
		LOOKUP(2, 1, 1000004, A),
		LEARN(2, 1, B, 1000005, STATIC),
		STATIC(2, 1, C, 0),
		LOOKUP(2, 1, 1000005, C),
		STAT(STATIC_ENTRIES, 2),
		OWNED(A, 2),
		OWNED(B, 1),
		OWNED(C, 1),

		/* flush_all leaves static entries alone. */
		FLUSH_ALL(2),
		STAT(ENTRIES, 2),
		LOOKUP(2, 1, 1000005, C),

		/* Deletion. */
		DEL(2, 1, 0),
		DEL(2, 1, -ENOENT),
		LOOKUP(2, 1, 1000005, NULL),
		OWNED(C, 0),
		STAT(STATIC_ENTRIES, 1),
		DEL(0, 1, 0),
		STAT(STATIC_ENTRIES, 0),
		STAT(ENTRIES, 0),
		/* Deleted statics can be learned again. */
		LEARN(0, 1, B, 1000006, NEW),
	};
	struct fdb *fdb = new_fdb(4, 1000, 0);

	RUN_STEPS(fdb, steps);
	fdb_free(fdb);
}

static void test_static_full(const void *data UNUSED)
{
	static const struct step steps[] = {
		STATIC(0, 1, A, 0),
		STATIC(1, 1, B, 0),
		STATIC(2, 1, A, -ENOSPC),
		LEARN(2, 1, C, 0, FAILED),
		LOOKUP(2, 1, 0, NULL),
		OWNED(C, 0),
		STAT(ENTRIES, 2),
		STAT(EVICTED, 0),
		/* Replacing an existing static needs no room. */
		STATIC(1, 1, C, 0),
		OWNED(B, 0),
		OWNED(C, 1),
		/* A NULL owner is refused. */
		LEARN(1, 2, NULL, 0, FAILED),
	};
	struct fdb *fdb = new_fdb(2, 1000, 0);

	RUN_STEPS(fdb, steps);
	fdb_free(fdb);
}

static void test_cap_fairness(const void *data UNUSED)
{
	struct fdb *fdb = new_fdb(100, 1000000, 0);
	uint64_t t = 1;

	for (uint32_t i = 0; i < 80; i++)
		TAP_CHECK_EQ(learn_n(fdb, i, 1, A, t++), FDB_LEARN_NEW);
	for (uint32_t i = 1000; i < 1020; i++)
		TAP_CHECK_EQ(learn_n(fdb, i, 1, B, t++), FDB_LEARN_NEW);
	TAP_CHECK_EQ(stats_of(fdb).entries, 100);
	TAP_CHECK_EQ(stats_of(fdb).evicted, 0);

	/* B learns: A, the biggest, loses its least recently seen entry. */
	TAP_CHECK_EQ(learn_n(fdb, 1020, 1, B, t++), FDB_LEARN_NEW);
	TAP_CHECK_EQ(stats_of(fdb).evicted, 1);
	TAP_CHECK(lookup_n(fdb, 0, 1, t) == NULL);
	TAP_CHECK(lookup_n(fdb, 1, 1, t) == A);
	TAP_CHECK_EQ(fdb_owner_count(fdb, A), 79);
	TAP_CHECK_EQ(fdb_owner_count(fdb, B), 21);
	for (uint32_t i = 1000; i <= 1020; i++)
		TAP_CHECK(lookup_n(fdb, i, 1, t) == B);

	/* A refresh saves entry 1; entry 2 is now A's oldest. */
	TAP_CHECK_EQ(learn_n(fdb, 1, 1, A, t++), FDB_LEARN_REFRESHED);
	TAP_CHECK_EQ(learn_n(fdb, 1021, 1, B, t++), FDB_LEARN_NEW);
	TAP_CHECK(lookup_n(fdb, 1, 1, t) == A);
	TAP_CHECK(lookup_n(fdb, 2, 1, t) == NULL);
	TAP_CHECK_EQ(fdb_owner_count(fdb, A), 78);

	/* A moved entry counts for its new owner. */
	TAP_CHECK_EQ(learn_n(fdb, 3, 1, B, t++), FDB_LEARN_MOVED);
	TAP_CHECK_EQ(fdb_owner_count(fdb, A), 77);
	TAP_CHECK_EQ(fdb_owner_count(fdb, B), 23);
	TAP_CHECK_EQ(stats_of(fdb).entries, 100);
	TAP_CHECK_EQ(stats_of(fdb).evicted, 2);

	/* Expired entries are reclaimed before anything is evicted. */
	t += 1000000;
	TAP_CHECK_EQ(learn_n(fdb, 5000, 1, C, t), FDB_LEARN_NEW);
	TAP_CHECK_EQ(stats_of(fdb).evicted, 2);
	TAP_CHECK_EQ(stats_of(fdb).aged, 100);
	TAP_CHECK_EQ(stats_of(fdb).entries, 1);
	fdb_free(fdb);
}

static void test_flood_fairness(const void *data UNUSED)
{
	struct fdb *fdb = new_fdb(100, 1000000, 0);
	uint64_t t = 1;

	for (uint32_t i = 0; i < 60; i++)
		TAP_CHECK_EQ(learn_n(fdb, i, 1, A, t++), FDB_LEARN_NEW);
	for (uint32_t i = 0; i < 30; i++)
		TAP_CHECK_EQ(learn_n(fdb, 1000 + i, 1, B, t++), FDB_LEARN_NEW);

	/* C floods 10 000 random source addresses. */
	for (uint32_t i = 0; i < 10000; i++) {
		unsigned int a = fdb_owner_count(fdb, A);
		unsigned int c = fdb_owner_count(fdb, C);

		TAP_CHECK_EQ(learn_n(fdb, 0x01000000 + i * 7919, 1, C, t++),
			     FDB_LEARN_NEW);
		/* Once C is the biggest, it only evicts its own. */
		if (c >= a)
			TAP_CHECK_EQ(fdb_owner_count(fdb, A), a);
		TAP_CHECK_EQ(fdb_owner_count(fdb, B), 30);
		TAP_CHECK(fdb_owner_count(fdb, A) >= 35);
	}
	TAP_CHECK_EQ(fdb_owner_count(fdb, A), 35);
	TAP_CHECK_EQ(fdb_owner_count(fdb, C), 35);
	TAP_CHECK_EQ(stats_of(fdb).entries, 100);
	TAP_CHECK_EQ(stats_of(fdb).evicted, 10000 - 10);
	for (uint32_t i = 0; i < 30; i++)
		TAP_CHECK(lookup_n(fdb, 1000 + i, 1, t) == B);
	/* A kept its 35 most recent entries. */
	for (uint32_t i = 0; i < 60; i++)
		TAP_CHECK(lookup_n(fdb, i, 1, t) == (i < 25 ? NULL : A));
	/* And C its 35 most recent. */
	for (uint32_t i = 10000 - 35; i < 10000; i++)
		TAP_CHECK(lookup_n(fdb, 0x01000000 + i * 7919, 1, t) == C);
	TAP_CHECK(lookup_n(fdb, 0x01000000 + (10000 - 36) * 7919, 1, t) ==
		  NULL);
	fdb_free(fdb);
}

static void test_flush_owner(const void *data UNUSED)
{
	struct fdb *fdb = new_fdb(64, 1000, 0);
	uint8_t mac[6];

	for (uint32_t i = 0; i < 10; i++)
		learn_n(fdb, i, 1, A, 0);
	for (uint32_t i = 10; i < 15; i++)
		learn_n(fdb, i, 1, B, 0);
	TAP_CHECK_EQ(fdb_add_static(fdb, mac_of(100, mac), 2, A), 0);
	TAP_CHECK_EQ(fdb_add_static(fdb, mac_of(101, mac), 2, B), 0);
	/* An expired entry still belongs to its owner until reclaimed. */
	TAP_CHECK_EQ(fdb_owner_count(fdb, A), 11);

	TAP_CHECK_EQ(fdb_flush_owner(fdb, A), 11);
	TAP_CHECK_EQ(fdb_owner_count(fdb, A), 0);
	for (uint32_t i = 0; i < 10; i++)
		TAP_CHECK(lookup_n(fdb, i, 1, 0) == NULL);
	TAP_CHECK(lookup_n(fdb, 100, 2, 0) == NULL);
	for (uint32_t i = 10; i < 15; i++)
		TAP_CHECK(lookup_n(fdb, i, 1, 0) == B);
	TAP_CHECK(lookup_n(fdb, 101, 2, 0) == B);
	TAP_CHECK_EQ(stats_of(fdb).entries, 6);
	TAP_CHECK_EQ(stats_of(fdb).static_entries, 1);
	TAP_CHECK_EQ(stats_of(fdb).flushed, 11);
	TAP_CHECK_EQ(fdb_flush_owner(fdb, A), 0);
	TAP_CHECK_EQ(fdb_flush_owner(fdb, C), 0);
	TAP_CHECK_EQ(fdb_flush_owner(fdb, NULL), 0);
	TAP_CHECK_EQ(fdb_flush_owner(fdb, B), 6);
	TAP_CHECK_EQ(stats_of(fdb).entries, 0);
	TAP_CHECK_EQ(stats_of(fdb).flushed, 17);
	/* The freed owner records are reused. */
	TAP_CHECK_EQ(learn_n(fdb, 1, 1, C, 1), FDB_LEARN_NEW);
	TAP_CHECK(lookup_n(fdb, 1, 1, 1) == C);
	fdb_free(fdb);
}

static void test_flush_all(const void *data UNUSED)
{
	struct fdb *fdb = new_fdb(64, 1000, 0);
	uint8_t mac[6];

	for (uint32_t i = 0; i < 20; i++)
		learn_n(fdb, i, 1, ports + i % 5, 0);
	TAP_CHECK_EQ(fdb_add_static(fdb, mac_of(100, mac), 1, A), 0);
	TAP_CHECK_EQ(fdb_flush_all(fdb), 20);
	for (uint32_t i = 0; i < 20; i++)
		TAP_CHECK(lookup_n(fdb, i, 1, 0) == NULL);
	TAP_CHECK(lookup_n(fdb, 100, 1, 0) == A);
	TAP_CHECK_EQ(stats_of(fdb).entries, 1);
	TAP_CHECK_EQ(stats_of(fdb).flushed, 20);
	TAP_CHECK_EQ(fdb_owner_count(fdb, A), 1);
	TAP_CHECK_EQ(fdb_owner_count(fdb, B), 0);
	TAP_CHECK_EQ(fdb_flush_all(fdb), 0);
	TAP_CHECK_EQ(fdb_expire(fdb, 0), UINT64_MAX);
	fdb_free(fdb);
}

/* Collects what fdb_foreach() shows. */
struct seen {
	unsigned int n;
	struct fdb_entry_info infos[16];
};

static void collect(const struct fdb_entry_info *info, void *aux)
{
	struct seen *s = aux;

	TAP_CHECK(s->n < ARRAY_SIZE(s->infos));
	s->infos[s->n++] = *info;
}

static const struct fdb_entry_info *find_seen(const struct seen *s,
					      uint32_t n, uint16_t vlan)
{
	uint8_t mac[6];

	mac_of(n, mac);
	for (unsigned int i = 0; i < s->n; i++)
		if (!memcmp(s->infos[i].mac, mac, 6) &&
		    s->infos[i].vlan == vlan)
			return &s->infos[i];
	return NULL;
}

static void test_foreach_skips_expired(const void *data UNUSED)
{
	struct fdb *fdb = new_fdb(16, 1000, 0);
	struct seen s = { 0 };
	const struct fdb_entry_info *i2, *i3;
	uint8_t mac[6];

	learn_n(fdb, 1, 1, A, 0);
	learn_n(fdb, 2, 7, B, 600);
	TAP_CHECK_EQ(fdb_add_static(fdb, mac_of(3, mac), 9, C), 0);
	fdb_foreach(fdb, 1200, collect, &s);
	TAP_CHECK_EQ(s.n, 2);
	TAP_CHECK(find_seen(&s, 1, 1) == NULL);
	i2 = find_seen(&s, 2, 7);
	i3 = find_seen(&s, 3, 9);
	TAP_CHECK(i2 && i3);
	TAP_CHECK(i2->owner == B);
	TAP_CHECK(!i2->is_static);
	TAP_CHECK_EQ(i2->age_ms, 600);
	TAP_CHECK(i3->owner == C);
	TAP_CHECK(i3->is_static);
	TAP_CHECK_EQ(i3->age_ms, 0);

	/* Before expiry all three show, with their ages. */
	memset(&s, 0, sizeof(s));
	fdb_foreach(fdb, 900, collect, &s);
	TAP_CHECK_EQ(s.n, 3);
	TAP_CHECK(find_seen(&s, 1, 1) != NULL);
	TAP_CHECK_EQ(find_seen(&s, 1, 1)->age_ms, 900);
	TAP_CHECK(find_seen(&s, 1, 1)->owner == A);
	fdb_free(fdb);
}

static void test_stats(const void *data UNUSED)
{
	struct fdb *fdb = new_fdb(3, 1000, 100);
	struct fdb_stats st;
	uint8_t mac[6];

	st = stats_of(fdb);
	TAP_CHECK_EQ(st.learned, 0);
	TAP_CHECK_EQ(st.entries, 0);
	TAP_CHECK_EQ(st.max_entries, 3);

	learn_n(fdb, 1, 1, A, 0);	/* learned 1 */
	learn_n(fdb, 2, 1, A, 0);	/* learned 2 */
	learn_n(fdb, 2, 1, B, 50);	/* held */
	learn_n(fdb, 2, 1, B, 100);	/* moved */
	learn_n(fdb, 3, 1, B, 100);	/* learned 3 */
	learn_n(fdb, 4, 1, B, 100);	/* learned 4, evicts B's 2 */
	fdb_expire(fdb, 1000);		/* ages 1 */
	fdb_add_static(fdb, mac_of(5, mac), 1, C);
	fdb_flush_owner(fdb, B);	/* flushes 3 and 4 */
	st = stats_of(fdb);
	TAP_CHECK_EQ(st.learned, 4);
	TAP_CHECK_EQ(st.moved, 1);
	TAP_CHECK_EQ(st.move_held, 1);
	TAP_CHECK_EQ(st.evicted, 1);
	TAP_CHECK_EQ(st.aged, 1);
	TAP_CHECK_EQ(st.flushed, 2);
	TAP_CHECK_EQ(st.entries, 1);
	TAP_CHECK_EQ(st.static_entries, 1);
	TAP_CHECK_EQ(st.max_entries, 3);
	TAP_CHECK(lookup_n(fdb, 2, 1, 1000) == NULL);
	fdb_free(fdb);
}

static void test_set_params(const void *data UNUSED)
{
	struct fdb *fdb = new_fdb(10, 100000, 0);
	struct fdb_params p = { .max_entries = 6, .aging_ms = 100000 };
	uint8_t mac[6];

	for (uint32_t i = 0; i < 8; i++)
		learn_n(fdb, i, 1, A, 1 + i);
	learn_n(fdb, 100, 1, B, 20);
	learn_n(fdb, 101, 1, B, 21);

	/* Shrinking evicts fairly: A's four oldest. */
	TAP_CHECK_EQ(fdb_set_params(fdb, &p), 0);
	TAP_CHECK_EQ(stats_of(fdb).max_entries, 6);
	TAP_CHECK_EQ(stats_of(fdb).entries, 6);
	TAP_CHECK_EQ(stats_of(fdb).evicted, 4);
	for (uint32_t i = 0; i < 8; i++)
		TAP_CHECK(lookup_n(fdb, i, 1, 30) == (i < 4 ? NULL : A));
	TAP_CHECK(lookup_n(fdb, 100, 1, 30) == B);
	TAP_CHECK(lookup_n(fdb, 101, 1, 30) == B);
	/* LRU order survived the rebuild: 4 is still A's oldest. */
	TAP_CHECK_EQ(learn_n(fdb, 200, 1, B, 30), FDB_LEARN_NEW);
	TAP_CHECK(lookup_n(fdb, 4, 1, 30) == NULL);
	TAP_CHECK(lookup_n(fdb, 5, 1, 30) == A);

	/* Growing keeps everything. */
	p.max_entries = 1000;
	TAP_CHECK_EQ(fdb_set_params(fdb, &p), 0);
	TAP_CHECK_EQ(stats_of(fdb).entries, 6);
	for (uint32_t i = 0; i < 500; i++)
		TAP_CHECK_EQ(learn_n(fdb, 1000 + i, 1, C, 40), FDB_LEARN_NEW);
	TAP_CHECK_EQ(stats_of(fdb).evicted, 5);
	TAP_CHECK(lookup_n(fdb, 5, 1, 40) == A);
	TAP_CHECK(lookup_n(fdb, 1499, 1, 40) == C);

	/* Not below the static entries; nothing changes on error. */
	TAP_CHECK_EQ(fdb_add_static(fdb, mac_of(300, mac), 1, A), 0);
	TAP_CHECK_EQ(fdb_add_static(fdb, mac_of(301, mac), 1, A), 0);
	p.max_entries = 1;
	p.aging_ms = 5;
	TAP_CHECK_EQ(fdb_set_params(fdb, &p), -ENOSPC);
	TAP_CHECK_EQ(stats_of(fdb).max_entries, 1000);
	TAP_CHECK(lookup_n(fdb, 5, 1, 40 + 50) == A);

	/* Down to exactly the statics: all dynamic entries go. */
	p.max_entries = 2;
	p.aging_ms = 100000;
	TAP_CHECK_EQ(fdb_set_params(fdb, &p), 0);
	TAP_CHECK_EQ(stats_of(fdb).entries, 2);
	TAP_CHECK_EQ(learn_n(fdb, 1, 1, A, 50), FDB_LEARN_FAILED);
	TAP_CHECK(lookup_n(fdb, 300, 1, 50) == A);

	/* A shorter aging time applies to existing entries at once. */
	p.max_entries = 0; /* the default */
	TAP_CHECK_EQ(fdb_set_params(fdb, &p), 0);
	TAP_CHECK_EQ(stats_of(fdb).max_entries, FDB_DEFAULT_MAX_ENTRIES);
	TAP_CHECK_EQ(learn_n(fdb, 1, 1, A, 50), FDB_LEARN_NEW);
	TAP_CHECK_EQ(fdb_expire(fdb, 50), 100050);
	p.aging_ms = 10;
	TAP_CHECK_EQ(fdb_set_params(fdb, &p), 0);
	TAP_CHECK(lookup_n(fdb, 1, 1, 59) == A);
	TAP_CHECK(lookup_n(fdb, 1, 1, 60) == NULL);
	TAP_CHECK_EQ(fdb_expire(fdb, 55), 60);
	TAP_CHECK_EQ(learn_n(fdb, 2, 1, A, 58), FDB_LEARN_NEW);
	TAP_CHECK_EQ(fdb_expire(fdb, 60), 68);
	TAP_CHECK_EQ(stats_of(fdb).entries, 3);
	fdb_free(fdb);
}

static void test_defaults(const void *data UNUSED)
{
	struct fdb_params p;
	struct fdb *fdb = fdb_new(NULL);

	TAP_CHECK(fdb != NULL);
	TAP_CHECK_EQ(stats_of(fdb).max_entries, 8192);
	/* Default hold-down is on. */
	TAP_CHECK_EQ(learn_n(fdb, 1, 1, A, 0), FDB_LEARN_NEW);
	TAP_CHECK_EQ(learn_n(fdb, 1, 1, B, 1), FDB_LEARN_HELD);
	TAP_CHECK(lookup_n(fdb, 1, 1, 299999) == A);
	TAP_CHECK(lookup_n(fdb, 1, 1, 300000) == NULL);
	fdb_free(fdb);
	fdb_free(NULL);

	fdb_params_init(&p);
	TAP_CHECK_EQ(p.max_entries, 8192);
	TAP_CHECK_EQ(p.aging_ms, 300000);
	TAP_CHECK_EQ(p.move_holddown_ms, FDB_DEFAULT_MOVE_HOLDDOWN_MS);

	/* Zero means default; too big is clamped. */
	memset(&p, 0, sizeof(p));
	p.max_entries = FDB_MAX_ENTRIES_LIMIT + 1u;
	fdb = fdb_new_seeded(&p, 1);
	TAP_CHECK(fdb != NULL);
	TAP_CHECK_EQ(stats_of(fdb).max_entries, FDB_MAX_ENTRIES_LIMIT);
	TAP_CHECK_EQ(learn_n(fdb, 1, 1, A, 0), FDB_LEARN_NEW);
	TAP_CHECK_EQ(learn_n(fdb, 1, 1, B, 0), FDB_LEARN_MOVED);
	TAP_CHECK_EQ(fdb_expire(fdb, 0), 300000);
	fdb_free(fdb);
}

/* Fills a table of @n entries, checks it and reports lookup speed. */
static void fill_and_check(uint32_t n)
{
	struct fdb_params p = { .max_entries = n, .aging_ms = 1000000 };
	struct fdb *fdb = fdb_new(&p);
	uint64_t t0, t1;
	uintptr_t sum = 0;

	TAP_CHECK(fdb != NULL);
	t0 = now_ns();
	for (uint32_t i = 0; i < n; i++)
		if (learn_n(fdb, i, (uint16_t)(i & 7), ports + (i & 7), 1) !=
		    FDB_LEARN_NEW)
			TAP_CHECK_EQ(i, UINT32_MAX);
	t1 = now_ns();
	tap_diag("%u learns: %.1f ns each", n, (double)(t1 - t0) / n);
	TAP_CHECK_EQ(stats_of(fdb).entries, n);
	TAP_CHECK_EQ(stats_of(fdb).evicted, 0);

	t0 = now_ns();
	for (uint32_t i = 0; i < n; i++) {
		void *o = lookup_n(fdb, i, (uint16_t)(i & 7), 2);

		if (o != ports + (i & 7))
			TAP_CHECK_EQ(i, UINT32_MAX);
		sum += (uintptr_t)o;
	}
	t1 = now_ns();
	tap_diag("%u hits: %.1f ns each", n, (double)(t1 - t0) / n);
	TAP_CHECK(sum != 0);
	/* Misses: same addresses, wrong VLAN. */
	for (uint32_t i = 0; i < n; i++)
		if (lookup_n(fdb, i, (uint16_t)(8 + (i & 7)), 2))
			TAP_CHECK_EQ(i, UINT32_MAX);

	TAP_CHECK_EQ(learn_n(fdb, n, 0, A, 3), FDB_LEARN_NEW);
	TAP_CHECK_EQ(stats_of(fdb).evicted, 1);
	TAP_CHECK_EQ(fdb_flush_owner(fdb, ports + 3), n / 8);
	fdb_free(fdb);
}

static void test_million(const void *data UNUSED)
{
	fill_and_check(1u << 20);
}

static void test_four_million(const void *data UNUSED)
{
	fill_and_check(4u << 20);
}

/* ---- Index churn -------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static uint32_t rng_below(uint64_t *s, uint32_t n)
{
	return (uint32_t)((rng_next(s) >> 32) * n >> 32);
}

/* Flushes owner @o from @fdb and from the presence model. */
static void churn_flush(struct fdb *fdb, bool *present, uint32_t keys,
			unsigned int *count, uint32_t o)
{
	unsigned int n = 0;

	for (uint32_t j = 0; j < keys; j++) {
		if (present[j] && (j & 7) == o) {
			present[j] = false;
			n++;
		}
	}
	TAP_CHECK_EQ(fdb_flush_owner(fdb, ports + o), n);
	*count -= n;
}

static void test_index_churn(const void *data UNUSED)
{
	enum { CAP = 512, KEYS = 2048, OPS = 200000 };
	struct fdb_params p = { .max_entries = CAP, .aging_ms = 1000 };
	struct fdb *fdb = fdb_new_seeded(&p, 42);
	static bool present[KEYS];
	unsigned int count = 0;
	uint64_t s = 0x9e3779b97f4a7c15ULL;

	TAP_CHECK(fdb != NULL);
	/*
	 * Keep the table as full as it gets (half) while churning, so
	 * deletions shift long clusters, and flush whole owners now and
	 * then, which walks the lists the shifts had to repair.
	 */
	for (uint32_t op = 0; op < OPS; op++) {
		uint32_t k = rng_below(&s, KEYS);
		uint8_t mac[6];

		mac_of(k >> 2, mac);
		if (present[k]) {
			TAP_CHECK_EQ(fdb_del(fdb, mac, (uint16_t)(k & 3)), 0);
			present[k] = false;
			count--;
		} else if (count < CAP) {
			TAP_CHECK_EQ(fdb_learn(fdb, mac, (uint16_t)(k & 3),
					       ports + (k & 7), 0),
				     FDB_LEARN_NEW);
			present[k] = true;
			count++;
		} else {
			TAP_CHECK_EQ(fdb_del(fdb, mac, (uint16_t)(k & 3)),
				     -ENOENT);
		}
		if (op % 4096 && op != OPS - 1)
			continue;
		if (op % 8192 == 0)
			churn_flush(fdb, present, KEYS, &count, op / 8192 % 8);
		TAP_CHECK_EQ(stats_of(fdb).entries, count);
		for (uint32_t j = 0; j < KEYS; j++)
			TAP_CHECK(lookup_n(fdb, j >> 2, (uint16_t)(j & 3), 0) ==
				  (present[j] ? ports + (j & 7) : NULL));
	}
	TAP_CHECK_EQ(stats_of(fdb).evicted, 0);
	for (uint32_t o = 0; o < 8; o++)
		churn_flush(fdb, present, KEYS, &count, o);
	TAP_CHECK_EQ(stats_of(fdb).entries, 0);
	for (uint32_t j = 0; j < KEYS; j++)
		TAP_CHECK(lookup_n(fdb, j >> 2, (uint16_t)(j & 3), 0) == NULL);
	fdb_free(fdb);
}

/* ---- Randomised comparison with a reference model ---------------------- */

enum {
	M_MACS = 48,
	M_VLANS = 3,
	M_KEYS = M_MACS * M_VLANS,
	M_OWNERS = 5,
	M_CAP = 64, /* the table is at most half full: 128 slots */
	M_OPS = 6000,
};

/*
 * The model stores one slot per possible key and scans them all; it
 * follows the semantics in fdb.h, not the implementation.  @seq orders a
 * owner's dynamic entries by last use, ties broken by order of arrival.
 */
struct m_entry {
	bool used;
	bool is_static;
	int owner;
	uint64_t last_seen;
	uint64_t seq;
};

struct model {
	struct m_entry e[M_KEYS];
	uint64_t clock, seq, aging, hold;
	uint64_t learned, moved, move_held, aged, evicted, flushed;
	int pending[M_OWNERS]; /* tied eviction candidates (key or -1) */
};

static void m_key(int k, uint8_t mac[6], uint16_t *vlan)
{
	mac_of((uint32_t)(k / M_VLANS), mac);
	*vlan = (uint16_t)(1 + 100 * (k % M_VLANS));
}

static bool m_expired(const struct model *m, const struct m_entry *e,
		      uint64_t now)
{
	return e->used && !e->is_static && now >= e->last_seen &&
	       now - e->last_seen >= m->aging;
}

static unsigned int m_count(const struct model *m, bool dyn_only)
{
	unsigned int n = 0;

	for (int k = 0; k < M_KEYS; k++)
		n += m->e[k].used && !(dyn_only && m->e[k].is_static);
	return n;
}

static unsigned int m_owner_dyn(const struct model *m, int o)
{
	unsigned int n = 0;

	for (int k = 0; k < M_KEYS; k++)
		n += m->e[k].used && !m->e[k].is_static && m->e[k].owner == o;
	return n;
}

static uint64_t m_reap(struct model *m)
{
	uint64_t next = UINT64_MAX;

	for (int k = 0; k < M_KEYS; k++) {
		struct m_entry *e = &m->e[k];

		if (m_expired(m, e, m->clock)) {
			e->used = false;
			m->aged++;
		} else if (e->used && !e->is_static) {
			next = MIN(next, e->last_seen + m->aging);
		}
	}
	return next;
}

/* The least recently used dynamic entry of owner @o, or -1. */
static int m_lru(const struct model *m, int o)
{
	int best = -1;

	for (int k = 0; k < M_KEYS; k++) {
		const struct m_entry *e = &m->e[k];

		if (!e->used || e->is_static || e->owner != o)
			continue;
		if (best < 0 || e->last_seen < m->e[best].last_seen ||
		    (e->last_seen == m->e[best].last_seen &&
		     e->seq < m->e[best].seq))
			best = k;
	}
	return best;
}

/*
 * Makes room for a new key of owner @learner (-1 for none).  When several
 * owners tie for the most entries, the victim is any of their oldest, so
 * they are left in @pending for m_settle() to resolve against the fdb.
 * Return: false if only static entries are left.
 */
static bool m_make_room(struct model *m, int learner)
{
	unsigned int max = 0, mine;
	int n = 0;

	for (int o = 0; o < M_OWNERS; o++)
		m->pending[o] = -1;
	if (m_count(m, false) < M_CAP)
		return true;
	m_reap(m);
	if (m_count(m, false) < M_CAP)
		return true;
	for (int o = 0; o < M_OWNERS; o++)
		max = MAX(max, m_owner_dyn(m, o));
	if (!max)
		return false;
	mine = learner >= 0 ? m_owner_dyn(m, learner) : 0;
	if (learner >= 0 && mine >= max) {
		m->e[m_lru(m, learner)].used = false;
		m->evicted++;
		return true;
	}
	for (int o = 0; o < M_OWNERS; o++)
		if (m_owner_dyn(m, o) == max)
			m->pending[n++] = m_lru(m, o);
	if (n == 1) {
		m->e[m->pending[0]].used = false;
		m->pending[0] = -1;
	}
	m->evicted++;
	return true;
}

/* Resolves a tied eviction: exactly one candidate must have gone. */
static void m_settle(struct model *m, const struct fdb *fdb)
{
	int gone = -1;
	bool tied = m->pending[0] >= 0;

	for (int i = 0; i < M_OWNERS && m->pending[i] >= 0; i++) {
		uint8_t mac[6];
		uint16_t vlan;

		m_key(m->pending[i], mac, &vlan);
		if (!fdb_lookup(fdb, mac, vlan, m->clock)) {
			TAP_CHECK(gone < 0);
			gone = m->pending[i];
		}
		m->pending[i] = -1;
	}
	TAP_CHECK(!tied || gone >= 0);
	if (gone >= 0)
		m->e[gone].used = false;
}

static enum fdb_learn_result m_learn(struct model *m, int k, int o,
				     uint64_t now)
{
	struct m_entry *e = &m->e[k];

	m->clock = MAX(m->clock, now);
	now = m->clock;
	if (e->used) {
		if (e->is_static)
			return FDB_LEARN_STATIC;
		if (m_expired(m, e, now)) {
			m->aged++;
			m->learned++;
			e->owner = o;
			e->last_seen = now;
			e->seq = ++m->seq;
			return FDB_LEARN_NEW;
		}
		if (e->owner == o) {
			/* Same millisecond: the entry keeps its place. */
			if (e->last_seen != now)
				e->seq = ++m->seq;
			e->last_seen = now;
			return FDB_LEARN_REFRESHED;
		}
		if (now - e->last_seen < m->hold) {
			m->move_held++;
			return FDB_LEARN_HELD;
		}
		m->moved++;
		e->owner = o;
		e->last_seen = now;
		e->seq = ++m->seq;
		return FDB_LEARN_MOVED;
	}
	if (!m_make_room(m, o))
		return FDB_LEARN_FAILED;
	*e = (struct m_entry){ .used = true, .owner = o, .last_seen = now,
			       .seq = ++m->seq };
	m->learned++;
	return FDB_LEARN_NEW;
}

static int m_add_static(struct model *m, int k, int o)
{
	struct m_entry *e = &m->e[k];

	if (e->used) {
		e->is_static = true;
		e->owner = o;
		return 0;
	}
	if (!m_make_room(m, -1))
		return -ENOSPC;
	*e = (struct m_entry){ .used = true, .is_static = true, .owner = o };
	return 0;
}

static unsigned int m_flush(struct model *m, int o)
{
	unsigned int n = 0;

	for (int k = 0; k < M_KEYS; k++) {
		struct m_entry *e = &m->e[k];

		if (e->used && (o < 0 ? !e->is_static : e->owner == o)) {
			e->used = false;
			n++;
		}
	}
	m->flushed += n;
	return n;
}

static void m_compare(const struct model *m, const struct fdb *fdb,
		      uint64_t now)
{
	struct fdb_stats st = stats_of(fdb);

	for (int k = 0; k < M_KEYS; k++) {
		const struct m_entry *e = &m->e[k];
		void *want = e->used && !m_expired(m, e, now) ? ports + e->owner
							      : NULL;
		uint8_t mac[6];
		uint16_t vlan;

		m_key(k, mac, &vlan);
		if (fdb_lookup(fdb, mac, vlan, now) != want) {
			tap_diag("key %d: lookup differs from the model", k);
			TAP_CHECK(fdb_lookup(fdb, mac, vlan, now) == want);
		}
	}
	for (int o = 0; o < M_OWNERS; o++) {
		unsigned int n = 0;

		for (int k = 0; k < M_KEYS; k++)
			n += m->e[k].used && m->e[k].owner == o;
		TAP_CHECK_EQ(fdb_owner_count(fdb, ports + o), n);
	}
	TAP_CHECK_EQ(st.entries, m_count(m, false));
	TAP_CHECK_EQ(st.static_entries,
		     m_count(m, false) - m_count(m, true));
	TAP_CHECK_EQ(st.learned, m->learned);
	TAP_CHECK_EQ(st.moved, m->moved);
	TAP_CHECK_EQ(st.move_held, m->move_held);
	TAP_CHECK_EQ(st.aged, m->aged);
	TAP_CHECK_EQ(st.evicted, m->evicted);
	TAP_CHECK_EQ(st.flushed, m->flushed);
}

static void test_random_model(const void *data)
{
	uint64_t s = *(const uint64_t *)data;
	struct fdb_params p = {
		.max_entries = M_CAP,
		.aging_ms = 6000,
		.move_holddown_ms = 300,
	};
	struct fdb *fdb = fdb_new_seeded(&p, s);
	static struct model m;
	uint64_t t = 1000;

	TAP_CHECK(fdb != NULL);
	memset(&m, 0, sizeof(m));
	m.aging = p.aging_ms;
	m.hold = p.move_holddown_ms;
	for (int o = 0; o < M_OWNERS; o++)
		m.pending[o] = -1;

	for (int op = 0; op < M_OPS; op++) {
		uint32_t r = rng_below(&s, 1000);
		int k = (int)rng_below(&s, M_KEYS);
		int o = (int)rng_below(&s, M_OWNERS);
		uint64_t now = t;
		uint8_t mac[6];
		uint16_t vlan;

		/* Time mostly creeps, sometimes jumps, sometimes lags. */
		if (rng_below(&s, 3) == 0)
			t += rng_below(&s, 120);
		if (rng_below(&s, 50) == 0)
			t += rng_below(&s, 3000);
		now = t;
		if (rng_below(&s, 10) == 0)
			now = t - rng_below(&s, 200);
		m_key(k, mac, &vlan);

		if (r < 700) {
			enum fdb_learn_result want = m_learn(&m, k, o, now);
			enum fdb_learn_result got =
				fdb_learn(fdb, mac, vlan, ports + o, now);

			if (got != want)
				tap_diag("op %d: learn key %d owner %d", op, k,
					 o);
			TAP_CHECK_EQ(got, want);
			m_settle(&m, fdb);
		} else if (r < 800) {
			m.clock = MAX(m.clock, now);
			TAP_CHECK_EQ(fdb_expire(fdb, now), m_reap(&m));
		} else if (r < 860) {
			int want = m.e[k].used ? 0 : -ENOENT;

			m.e[k].used = false;
			TAP_CHECK_EQ(fdb_del(fdb, mac, vlan), want);
		} else if (r < 900) {
			int want = m_add_static(&m, k, o);

			TAP_CHECK_EQ(fdb_add_static(fdb, mac, vlan, ports + o),
				     want);
			m_settle(&m, fdb);
		} else if (r < 920) {
			TAP_CHECK_EQ(fdb_flush_owner(fdb, ports + o),
				     m_flush(&m, o));
		} else if (r < 925) {
			TAP_CHECK_EQ(fdb_flush_all(fdb), m_flush(&m, -1));
		} else if (r < 935) {
			p.aging_ms = 1000 + rng_below(&s, 8000);
			p.move_holddown_ms = rng_below(&s, 3) * 200;
			m.aging = p.aging_ms;
			m.hold = p.move_holddown_ms;
			TAP_CHECK_EQ(fdb_set_params(fdb, &p), 0);
		}
		m_compare(&m, fdb, t);
		if (rng_below(&s, 8) == 0)
			m_compare(&m, fdb, t + rng_below(&s, 4000));
	}
	/* The run must have exercised every path. */
	TAP_CHECK(m.moved > 0 && m.move_held > 0 && m.aged > 0);
	TAP_CHECK(m.evicted > 0 && m.flushed > 0);
	tap_diag("learned %llu moved %llu held %llu aged %llu evicted %llu",
		 (unsigned long long)m.learned, (unsigned long long)m.moved,
		 (unsigned long long)m.move_held, (unsigned long long)m.aged,
		 (unsigned long long)m.evicted);
	fdb_free(fdb);
}

static const uint64_t seeds[] = { 1, 0xdeadbeef, 20260101 };

static const struct tap_case tests[] = {
	{ "learn and lookup", test_learn_lookup },
	{ "VLAN is part of the key", test_vlan_key },
	{ "hashed learn and lookup, prefetch", test_hashed },
	{ "refresh vs new", test_refresh_vs_new },
	{ "aging with injected time", test_aging },
	{ "clock going backwards", test_clock_backwards },
	{ "move hold-down", test_move_holddown },
	{ "move without hold-down", test_move_no_holddown },
	{ "static entries", test_static_entries },
	{ "table full of static entries", test_static_full },
	{ "cap and fair eviction", test_cap_fairness },
	{ "flood only evicts the biggest owner", test_flood_fairness },
	{ "flush owner", test_flush_owner },
	{ "flush all", test_flush_all },
	{ "foreach skips expired", test_foreach_skips_expired },
	{ "stats counters", test_stats },
	{ "set_params resize and aging", test_set_params },
	{ "defaults and limits", test_defaults },
	{ "index churn at full load", test_index_churn },
	{ "1M entries learn and lookup", test_million },
	{ "4M entries learn and lookup", test_four_million },
};

int main(void)
{
	TAP_ADD_CASES(tests);
	for (unsigned int i = 0; i < ARRAY_SIZE(seeds); i++)
		tap_add("random operations against a model", test_random_model,
			&seeds[i]);
	return tap_run();
}
