/*
 * lease.h - the DHCP lease table.
 *
 * One entry per address the server has an opinion about.  An entry is
 * OFFERED (held for a client for a short while), BOUND (leased until
 * @expires_ms), DECLINED (quarantined after a DHCPDECLINE, owned by nobody)
 * or STALE (expired or released, but remembering its last client so that
 * client gets the same address back, and when it went stale so that new
 * clients take the least recently used stale address last).  Times are on
 * the caller's monotonic millisecond clock; an OFFERED, BOUND or DECLINED
 * entry whose deadline has passed counts as stale even before
 * lease_expire() rewrites it, so correctness never depends on the caller
 * running the expiry timer promptly.
 *
 * Entries live in one array (pointers are invalidated by lease_add() and
 * lease_remove()).  Addresses inside the dynamic range are indexed by
 * their offset for O(1) lookup, which keeps the hashed first-offer probe
 * cheap on large ranges; the few addresses outside it (reservations) are
 * found by a linear scan.  Client keys are indexed by a chained hash, so
 * an entry's key changes only through lease_set_key().  Deadlines are set
 * through lease_hold(), which keeps a lower bound of the earliest one:
 * lease_expire() then costs nothing until something may have expired.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_DHCP_LEASE_H
#define VSW_DHCP_LEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** enum lease_state - what an entry means, see the header comment. */
enum lease_state {
	LEASE_STALE,
	LEASE_OFFERED,
	LEASE_BOUND,
	LEASE_DECLINED,
};

/** enum lease_key_type - where a client key came from. */
enum lease_key_type {
	LEASE_KEY_NONE,		/* no client (declined address) */
	LEASE_KEY_CHADDR,	/* htype 1 chaddr, six bytes */
	LEASE_KEY_CLIENT_ID,	/* option 61, verbatim */
};

/**
 * struct lease_key - identity of a client (RFC 2131 §4.2: option 61 if
 * present, else chaddr).
 * @type:	enum lease_key_type
 * @len:	bytes used in @data
 * @data:	the identifier
 */
struct lease_key {
	uint8_t type;
	uint8_t len;
	uint8_t data[255];
};

/**
 * struct lease - one address's entry.
 * @ip:		the address, host byte order
 * @state:	enum lease_state
 * @expires_ms:	deadline of OFFERED, BOUND and DECLINED entries
 * @stale_ms:	when the entry became stale (least recently used first)
 * @key:	the client, type LEASE_KEY_NONE for a declined address
 * @mac:	the client's chaddr
 * @hostname:	from a reservation or the client's option 12, sanitised
 * @reserved:	the address is a static reservation
 * @hnext:	index plus one of the next entry in the same key hash chain
 */
struct lease {
	uint32_t ip;
	enum lease_state state;
	uint64_t expires_ms;
	uint64_t stale_ms;
	struct lease_key key;
	uint8_t mac[6];
	char hostname[64];
	bool reserved;
	uint32_t hnext;
};

/**
 * struct lease_table - all entries.
 * @leases:	entry array
 * @n:		entries in use
 * @cap:	entries allocated
 * @start:	first address of the dynamic range
 * @end:	last address of the dynamic range (inclusive)
 * @by_off:	per range offset, the entry index plus one, 0 if none
 * @by_key:	key hash buckets: index plus one of the first entry, or 0
 * @n_buckets:	buckets in @by_key, a power of two, as many as @cap
 * @next_ms:	no OFFERED, BOUND or DECLINED entry has an earlier deadline
 */
struct lease_table {
	struct lease *leases;
	size_t n, cap;
	uint32_t start, end;
	uint32_t *by_off;
	uint32_t *by_key;
	size_t n_buckets;
	uint64_t next_ms;
};

int lease_table_init(struct lease_table *t, uint32_t start, uint32_t end);
void lease_table_fini(struct lease_table *t);
struct lease *lease_find_ip(const struct lease_table *t, uint32_t ip);
struct lease *lease_find_key(const struct lease_table *t,
			     const struct lease_key *key);
struct lease *lease_add(struct lease_table *t, uint32_t ip);
void lease_remove(struct lease_table *t, struct lease *l);
void lease_set_key(struct lease_table *t, struct lease *l,
		   const struct lease_key *key);
void lease_hold(struct lease_table *t, struct lease *l, enum lease_state state,
		uint64_t until_ms);
bool lease_active(const struct lease *l, uint64_t now_ms);
size_t lease_count_active(const struct lease_table *t, uint64_t now_ms);
uint64_t lease_expire(struct lease_table *t, uint64_t now_ms);
bool lease_key_eq(const struct lease_key *a, const struct lease_key *b);
uint32_t lease_key_hash(const struct lease_key *key);

/* Addresses a client's first offer is chosen from (dhcp.c pick()). */
enum { LEASE_CANDIDATES = 16 };
uint32_t lease_candidate(uint32_t hash, unsigned int i, uint32_t size);

#endif /* VSW_DHCP_LEASE_H */
