/*
 * fdb.c - the MAC learning table (see fdb.h for the design).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 *
 * Layout.  The entries themselves form an open-addressed hash table: a
 * power-of-two array at most half full, probed linearly from the slot the
 * key hashes to.  A lookup hit therefore reads one 32-byte entry, usually
 * one cache line, which matters once the table outgrows the caches (a
 * separate index of entry numbers would cost a second dependent miss).
 * Deletion shifts the rest of the cluster back (Knuth's algorithm R), so
 * there are no tombstones and probes stay short however long the table
 * lives.  The price is that deletion moves entries, so list links are
 * repaired as entries move and no entry index is kept across a removal.
 * Each entry stores 30 bits of its hash, enough to find its home slot
 * without rehashing when it is shifted or the table is resized.  The
 * array comes from calloc() (all zero is all empty), so pages of a large
 * table are only touched as it fills; large tables also ask for
 * transparent huge pages to spare the TLB.
 *
 * Owners.  Each distinct owner pointer has a record, created on first use
 * and released when its last entry goes.  The record holds the owner's
 * entry counts, its dynamic entries on a list in last-use order, and its
 * static entries on a second list.  Records sit in a small pool found by
 * a chained hash on the pointer, and in a max-heap ordered by the number
 * of dynamic entries, which names the eviction victim in O(1) and costs
 * O(log owners) per count change.  There are at most as many owners as
 * entries, so the pool is bounded; it grows by doubling, which is the only
 * allocation after fdb_new() and happens only for a never-seen owner.
 *
 * Time.  The fdb keeps @clock, the latest time passed to a mutating call,
 * and treats any earlier @now_ms as @clock.  That keeps every owner list
 * sorted by last_seen even if a caller's clock hiccups, which is what lets
 * fdb_expire() stop at the first live entry of each list.
 */
#include "config.h"

#include "switch/core/fdb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "switch/base/util.h"

/* "No entry" / "no owner" in 32-bit index links. */
#define FDB_NIL UINT32_MAX

enum {
	FDB_VLAN_MASK = 0x0fff,
	FDB_E_USED = 1,	      /* slot holds an entry */
	FDB_E_STATIC = 2,     /* added by fdb_add_static() */
	FDB_E_HASH_SHIFT = 2, /* hash bits live above the flags */
	FDB_MIN_SLOTS = 16,
	FDB_MIN_OWNERS = 8,
	FDB_HUGE_PAGE = 2 << 20,
};

/*
 * struct fdb_entry - one slot of the table: a (mac, vlan) -> owner mapping.
 * @mac:	key, Ethernet address
 * @vlan:	key, VLAN ID
 * @owner_idx:	index of the owner record
 * @info:	FDB_E_USED, FDB_E_STATIC, and the low 30 bits of the key's
 *		hash shifted up by FDB_E_HASH_SHIFT; 0 for an empty slot
 * @last_seen:	time of the last learn (dynamic entries), of creation
 *		(static ones)
 * @prev:	previous entry on the owner's dynamic or static list
 * @next:	next entry on that list
 *
 * Kept at 32 bytes so two fit in a cache line.
 */
struct fdb_entry {
	uint8_t mac[6];
	uint16_t vlan;
	uint32_t owner_idx;
	uint32_t info;
	uint64_t last_seen;
	uint32_t prev;
	uint32_t next;
};

_Static_assert(sizeof(struct fdb_entry) == 32, "fdb_entry grew");

/*
 * struct fdb_list - doubly linked list of entries, by index.
 * @head:	first (for dynamic lists: least recently seen) entry
 * @tail:	last entry
 */
struct fdb_list {
	uint32_t head;
	uint32_t tail;
};

/*
 * struct fdb_owner - per-owner accounting.
 * @owner:	the caller's pointer; NULL while the record is free
 * @n_dynamic:	dynamic entries, the eviction heap's key
 * @n_static:	static entries
 * @dyn:	dynamic entries, least recently seen first
 * @statics:	static entries, in no particular order
 * @heap_pos:	position in fdb->owner_heap
 * @hnext:	next record in the hash chain, or on the free list
 */
struct fdb_owner {
	void *owner;
	uint32_t n_dynamic;
	uint32_t n_static;
	struct fdb_list dyn;
	struct fdb_list statics;
	uint32_t heap_pos;
	uint32_t hnext;
};

/**
 * struct fdb - a MAC learning table.
 * @params:	normalised tunables
 * @k0:		first half of the SipHash key
 * @k1:		second half of the SipHash key
 * @entries:	the table, @slot_mask + 1 slots
 * @slot_mask:	table size minus one
 * @n_entries:	entries in use
 * @n_static:	static entries in use
 * @clock:	latest time seen by a mutating call
 * @next_deadline: lower bound on the earliest dynamic expiry
 * @owners:	owner record pool, @owner_cap long
 * @owner_heap:	max-heap of live owner records by n_dynamic
 * @owner_buckets: owner hash chains, @owner_bucket_mask + 1 long
 * @owner_bucket_mask: owner hash size minus one
 * @owner_cap:	records allocated
 * @owner_hwm:	records[0..owner_hwm) have been used at least once
 * @owner_free:	first free record below @owner_hwm, linked by ->hnext
 * @n_owners:	live records, also the heap size
 * @counters:	the event counters of struct fdb_stats; its occupancy fields
 *		stay zero here, fdb_get_stats() fills them from the table
 */
struct fdb {
	struct fdb_params params;
	uint64_t k0;
	uint64_t k1;
	struct fdb_entry *entries;
	uint32_t slot_mask;
	uint32_t n_entries;
	uint32_t n_static;
	uint64_t clock;
	uint64_t next_deadline;
	struct fdb_owner *owners;
	uint32_t *owner_heap;
	uint32_t *owner_buckets;
	uint32_t owner_bucket_mask;
	uint32_t owner_cap;
	uint32_t owner_hwm;
	uint32_t owner_free;
	uint32_t n_owners;
	struct fdb_stats counters;
};

/* ---- Hashing ---------------------------------------------------------- */

static uint64_t rotl64(uint64_t x, unsigned int b)
{
	return (x << b) | (x >> (64 - b));
}

/* One SipRound over the state v[0..3]. */
static void sip_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = rotl64(v[1], 13);
	v[1] ^= v[0];
	v[0] = rotl64(v[0], 32);
	v[2] += v[3];
	v[3] = rotl64(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = rotl64(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = rotl64(v[1], 17);
	v[1] ^= v[2];
	v[2] = rotl64(v[2], 32);
}

/*
 * SipHash-1-3 (Aumasson and Bernstein; the variant Python and Rust use for
 * their hash tables) of the 8-byte message mac[0..5], vlan (little-endian).
 * The key is assembled byte by byte: no unaligned or type-punned loads.
 */
static uint64_t fdb_hash(const struct fdb *fdb, const uint8_t *mac,
			 uint16_t vlan)
{
	uint64_t m = (uint64_t)mac[0] | (uint64_t)mac[1] << 8 |
		     (uint64_t)mac[2] << 16 | (uint64_t)mac[3] << 24 |
		     (uint64_t)mac[4] << 32 | (uint64_t)mac[5] << 40 |
		     (uint64_t)vlan << 48;
	uint64_t b = (uint64_t)8 << 56;
	uint64_t v[4] = {
		fdb->k0 ^ 0x736f6d6570736575ULL,
		fdb->k1 ^ 0x646f72616e646f6dULL,
		fdb->k0 ^ 0x6c7967656e657261ULL,
		fdb->k1 ^ 0x7465646279746573ULL,
	};

	v[3] ^= m;
	sip_round(v);
	v[0] ^= m;
	v[3] ^= b;
	sip_round(v);
	v[0] ^= b;
	v[2] ^= 0xff;
	sip_round(v);
	sip_round(v);
	sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* Owner pointers come from us, not from the network: a plain mixer will do. */
static uint32_t owner_hash(const void *owner)
{
	uint64_t x = (uint64_t)(uintptr_t)owner;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (uint32_t)x;
}

/* splitmix64: expands a test seed, or weak fallback entropy, into a key. */
static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* ---- Small helpers ---------------------------------------------------- */

static bool entry_is_static(const struct fdb_entry *e)
{
	return e->info & FDB_E_STATIC;
}

static bool entry_used(const struct fdb_entry *e)
{
	return e->info & FDB_E_USED;
}

/* The slot entry @e hashes to, for a table of @mask + 1 slots. */
static uint32_t entry_home(const struct fdb_entry *e, uint32_t mask)
{
	return (e->info >> FDB_E_HASH_SHIFT) & mask;
}

static bool entry_expired(const struct fdb *fdb, const struct fdb_entry *e,
			  uint64_t now)
{
	return !entry_is_static(e) && now >= e->last_seen &&
	       now - e->last_seen >= fdb->params.aging_ms;
}

static uint64_t entry_deadline(const struct fdb *fdb, const struct fdb_entry *e)
{
	uint64_t d = e->last_seen + fdb->params.aging_ms;

	return d < e->last_seen ? UINT64_MAX : d;
}

static bool key_equal(const struct fdb_entry *e, const uint8_t *mac,
		      uint16_t vlan)
{
	return e->vlan == vlan && !memcmp(e->mac, mac, sizeof(e->mac));
}

/* Makes the table's notion of time monotonic; see the top of this file. */
static uint64_t fdb_tick(struct fdb *fdb, uint64_t now)
{
	if (likely(now >= fdb->clock))
		fdb->clock = now;
	return fdb->clock;
}

static void params_normalize(struct fdb_params *p)
{
	if (!p->max_entries)
		p->max_entries = FDB_DEFAULT_MAX_ENTRIES;
	if (p->max_entries > FDB_MAX_ENTRIES_LIMIT)
		p->max_entries = FDB_MAX_ENTRIES_LIMIT;
	if (!p->aging_ms)
		p->aging_ms = FDB_DEFAULT_AGING_MS;
}

/* Table size for @cap entries: a power of two, at most half full. */
static uint32_t slots_for(uint32_t cap)
{
	uint32_t n = FDB_MIN_SLOTS;

	while (n < 2 * cap)
		n <<= 1;
	return n;
}

/* Bytes of a table of @n slots, rounded up to whole pages. */
static size_t table_bytes(uint32_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return ((size_t)n * sizeof(struct fdb_entry) + page - 1) & ~(page - 1);
}

/* ---- Hash table ------------------------------------------------------- */

/* Return: the slot holding the key, or FDB_NIL. */
static uint32_t table_find(const struct fdb *fdb, const uint8_t *mac,
			   uint16_t vlan, uint32_t hash)
{
	uint32_t i = hash & fdb->slot_mask;

	for (;;) {
		const struct fdb_entry *e = &fdb->entries[i];

		if (!entry_used(e))
			return FDB_NIL;
		if (key_equal(e, mac, vlan))
			return i;
		i = (i + 1) & fdb->slot_mask;
	}
}

/*
 * Claims the first free slot for a key with hash @hash and fills in the
 * key.  The table is never more than half full, so there is one.
 * Return: the slot.
 */
static uint32_t table_claim(struct fdb *fdb, const uint8_t *mac, uint16_t vlan,
			    uint32_t hash, uint32_t flags)
{
	uint32_t i = hash & fdb->slot_mask;
	struct fdb_entry *e;

	while (entry_used(&fdb->entries[i]))
		i = (i + 1) & fdb->slot_mask;
	e = &fdb->entries[i];
	memcpy(e->mac, mac, sizeof(e->mac));
	e->vlan = vlan;
	e->info = hash << FDB_E_HASH_SHIFT | flags | FDB_E_USED;
	return i;
}

/* ---- Entry lists ------------------------------------------------------ */

static void list_init(struct fdb_list *l)
{
	l->head = l->tail = FDB_NIL;
}

static void list_append(struct fdb *fdb, struct fdb_list *l, uint32_t idx)
{
	struct fdb_entry *e = &fdb->entries[idx];

	e->prev = l->tail;
	e->next = FDB_NIL;
	if (l->tail != FDB_NIL)
		fdb->entries[l->tail].next = idx;
	else
		l->head = idx;
	l->tail = idx;
}

static void list_unlink(struct fdb *fdb, struct fdb_list *l, uint32_t idx)
{
	struct fdb_entry *e = &fdb->entries[idx];

	if (e->prev != FDB_NIL)
		fdb->entries[e->prev].next = e->next;
	else
		l->head = e->next;
	if (e->next != FDB_NIL)
		fdb->entries[e->next].prev = e->prev;
	else
		l->tail = e->prev;
}

/* ---- Owner heap ------------------------------------------------------- */

static void heap_set(struct fdb *fdb, uint32_t pos, uint32_t oi)
{
	fdb->owner_heap[pos] = oi;
	fdb->owners[oi].heap_pos = pos;
}

static void heap_up(struct fdb *fdb, uint32_t pos)
{
	uint32_t oi = fdb->owner_heap[pos];
	uint32_t n = fdb->owners[oi].n_dynamic;

	while (pos > 0) {
		uint32_t parent = (pos - 1) / 2;
		uint32_t po = fdb->owner_heap[parent];

		if (fdb->owners[po].n_dynamic >= n)
			break;
		heap_set(fdb, pos, po);
		pos = parent;
	}
	heap_set(fdb, pos, oi);
}

static void heap_down(struct fdb *fdb, uint32_t pos)
{
	uint32_t oi = fdb->owner_heap[pos];
	uint32_t n = fdb->owners[oi].n_dynamic;

	for (;;) {
		uint32_t c = 2 * pos + 1;

		if (c >= fdb->n_owners)
			break;
		if (c + 1 < fdb->n_owners &&
		    fdb->owners[fdb->owner_heap[c + 1]].n_dynamic >
			    fdb->owners[fdb->owner_heap[c]].n_dynamic)
			c++;
		if (fdb->owners[fdb->owner_heap[c]].n_dynamic <= n)
			break;
		heap_set(fdb, pos, fdb->owner_heap[c]);
		pos = c;
	}
	heap_set(fdb, pos, oi);
}

/* ---- Owner records ---------------------------------------------------- */

static uint32_t owner_find(const struct fdb *fdb, const void *owner)
{
	uint32_t oi =
		fdb->owner_buckets[owner_hash(owner) & fdb->owner_bucket_mask];

	while (oi != FDB_NIL && fdb->owners[oi].owner != owner)
		oi = fdb->owners[oi].hnext;
	return oi;
}

static void owner_buckets_fill(struct fdb *fdb)
{
	for (uint32_t i = 0; i <= fdb->owner_bucket_mask; i++)
		fdb->owner_buckets[i] = FDB_NIL;
	for (uint32_t oi = 0; oi < fdb->owner_hwm; oi++) {
		struct fdb_owner *o = &fdb->owners[oi];
		uint32_t b;

		if (!o->owner)
			continue;
		b = owner_hash(o->owner) & fdb->owner_bucket_mask;
		o->hnext = fdb->owner_buckets[b];
		fdb->owner_buckets[b] = oi;
	}
}

/* Doubles the owner pool.  Free records below owner_hwm keep their links. */
static int owner_pool_grow(struct fdb *fdb)
{
	uint32_t cap = fdb->owner_cap ? 2 * fdb->owner_cap : FDB_MIN_OWNERS;
	struct fdb_owner *owners;
	uint32_t *heap, *buckets;

	/* An owner needs an entry, so max_entries + 1 records always do. */
	if (fdb->owner_cap > fdb->params.max_entries)
		return -ENOSPC;
	buckets = malloc(2 * (size_t)cap * sizeof(*buckets));
	if (!buckets)
		return -ENOMEM;
	heap = realloc(fdb->owner_heap, cap * sizeof(*heap));
	if (!heap)
		goto err_free;
	fdb->owner_heap = heap;
	owners = realloc(fdb->owners, cap * sizeof(*owners));
	if (!owners)
		goto err_free;
	fdb->owners = owners;
	fdb->owner_cap = cap;
	free(fdb->owner_buckets);
	fdb->owner_buckets = buckets;
	fdb->owner_bucket_mask = 2 * cap - 1;
	owner_buckets_fill(fdb);
	return 0;

err_free:
	free(buckets);
	return -ENOMEM;
}

/* Finds or creates the record of @owner.  Return: index, or FDB_NIL. */
static uint32_t owner_get(struct fdb *fdb, void *owner)
{
	uint32_t oi = owner_find(fdb, owner);
	struct fdb_owner *o;
	uint32_t b;

	if (oi != FDB_NIL)
		return oi;
	if (fdb->owner_free != FDB_NIL) {
		oi = fdb->owner_free;
		fdb->owner_free = fdb->owners[oi].hnext;
	} else {
		if (fdb->owner_hwm == fdb->owner_cap && owner_pool_grow(fdb))
			return FDB_NIL;
		oi = fdb->owner_hwm++;
	}
	o = &fdb->owners[oi];
	o->owner = owner;
	o->n_dynamic = 0;
	o->n_static = 0;
	list_init(&o->dyn);
	list_init(&o->statics);
	b = owner_hash(owner) & fdb->owner_bucket_mask;
	o->hnext = fdb->owner_buckets[b];
	fdb->owner_buckets[b] = oi;
	heap_set(fdb, fdb->n_owners++, oi);
	heap_up(fdb, o->heap_pos);
	return oi;
}

/* Releases the record of an owner if it holds no entries any more. */
static void owner_put(struct fdb *fdb, uint32_t oi)
{
	struct fdb_owner *o = &fdb->owners[oi];
	uint32_t *link;
	uint32_t pos, last;

	if (o->n_dynamic || o->n_static)
		return;

	link = &fdb->owner_buckets[owner_hash(o->owner) &
				   fdb->owner_bucket_mask];
	while (*link != oi)
		link = &fdb->owners[*link].hnext;
	*link = o->hnext;

	pos = o->heap_pos;
	last = fdb->owner_heap[--fdb->n_owners];
	if (last != oi) {
		/* A zero count can only sink, so the filler only rises. */
		heap_set(fdb, pos, last);
		heap_up(fdb, pos);
	}

	o->owner = NULL;
	o->hnext = fdb->owner_free;
	fdb->owner_free = oi;
}

static void owner_dyn_add(struct fdb *fdb, uint32_t oi, uint32_t idx)
{
	struct fdb_owner *o = &fdb->owners[oi];

	list_append(fdb, &o->dyn, idx);
	o->n_dynamic++;
	heap_up(fdb, o->heap_pos);
}

/* Unlinks a dynamic entry; the caller calls owner_put() when done. */
static void owner_dyn_del(struct fdb *fdb, uint32_t oi, uint32_t idx)
{
	struct fdb_owner *o = &fdb->owners[oi];

	list_unlink(fdb, &o->dyn, idx);
	o->n_dynamic--;
	heap_down(fdb, o->heap_pos);
}

/* ---- Entries ---------------------------------------------------------- */

/* The list entry @idx is on. */
static struct fdb_list *entry_list(struct fdb *fdb, uint32_t idx)
{
	const struct fdb_entry *e = &fdb->entries[idx];
	struct fdb_owner *o = &fdb->owners[e->owner_idx];

	return entry_is_static(e) ? &o->statics : &o->dyn;
}

/* Moves the entry in slot @from to the empty slot @to, fixing its links. */
static void entry_move(struct fdb *fdb, uint32_t from, uint32_t to)
{
	struct fdb_entry *e = &fdb->entries[to];
	struct fdb_list *l;

	*e = fdb->entries[from];
	l = entry_list(fdb, to);
	if (e->prev != FDB_NIL)
		fdb->entries[e->prev].next = to;
	else
		l->head = to;
	if (e->next != FDB_NIL)
		fdb->entries[e->next].prev = to;
	else
		l->tail = to;
}

/*
 * Removes entry @idx from its owner and the table.  Later entries of the
 * probe cluster may move, so slot numbers held by the caller go stale.
 */
static void entry_remove(struct fdb *fdb, uint32_t idx)
{
	struct fdb_entry *e = &fdb->entries[idx];
	uint32_t oi = e->owner_idx;
	uint32_t mask = fdb->slot_mask;
	uint32_t i = idx, j;

	if (entry_is_static(e)) {
		list_unlink(fdb, &fdb->owners[oi].statics, idx);
		fdb->owners[oi].n_static--;
		fdb->n_static--;
	} else {
		owner_dyn_del(fdb, oi, idx);
	}
	owner_put(fdb, oi);
	fdb->n_entries--;

	/*
	 * Close the hole at i: walk the rest of the cluster and pull back
	 * every entry whose home is not cyclically within (i, j], since a
	 * probe for it would otherwise stop at the hole.
	 */
	for (j = (i + 1) & mask; entry_used(&fdb->entries[j]);
	     j = (j + 1) & mask) {
		uint32_t home = entry_home(&fdb->entries[j], mask);
		bool stays =
			i <= j ? i < home && home <= j : i < home || home <= j;

		if (!stays) {
			entry_move(fdb, j, i);
			i = j;
		}
	}
	fdb->entries[i].info = 0;
}

/* Marks a dynamic entry as just seen, keeping its list in last-use order. */
static void entry_touch(struct fdb *fdb, uint32_t idx, uint64_t now)
{
	struct fdb_entry *e = &fdb->entries[idx];

	/*
	 * Already last, or seen at this very millisecond (so everything
	 * after it has the same time): the order holds without moving, and
	 * we skip touching the neighbours' cache lines.
	 */
	if (e->next != FDB_NIL && e->last_seen != now) {
		struct fdb_owner *o = &fdb->owners[e->owner_idx];

		list_unlink(fdb, &o->dyn, idx);
		list_append(fdb, &o->dyn, idx);
	}
	e->last_seen = now;
}

/*
 * Hands dynamic entry @idx to @owner and marks it seen at @now.
 * Return: 0, or -ENOMEM if @owner needed a record and none could be made.
 */
static int entry_rehome(struct fdb *fdb, uint32_t idx, void *owner,
			uint64_t now)
{
	struct fdb_entry *e = &fdb->entries[idx];
	uint32_t old = e->owner_idx;
	uint32_t oi;

	if (fdb->owners[old].owner == owner) {
		entry_touch(fdb, idx, now);
		return 0;
	}
	oi = owner_get(fdb, owner);
	if (oi == FDB_NIL)
		return -ENOMEM;
	owner_dyn_del(fdb, old, idx);
	owner_put(fdb, old);
	e->owner_idx = oi;
	e->last_seen = now;
	owner_dyn_add(fdb, oi, idx);
	return 0;
}

/*
 * Evicts the least recently seen entry of the owner with the most dynamic
 * entries.  @prefer (an owner record or FDB_NIL) loses a tie.
 * Return: true if an entry was evicted, false if all entries are static.
 */
static bool evict_one(struct fdb *fdb, uint32_t prefer)
{
	uint32_t victim;

	if (!fdb->n_owners)
		return false;
	victim = fdb->owner_heap[0];
	if (prefer != FDB_NIL &&
	    fdb->owners[prefer].n_dynamic >= fdb->owners[victim].n_dynamic)
		victim = prefer;
	if (!fdb->owners[victim].n_dynamic)
		return false;
	entry_remove(fdb, fdb->owners[victim].dyn.head);
	fdb->counters.evicted++;
	return true;
}

/*
 * Frees one entry in a full table for a new key of @owner (may be NULL):
 * reclaims expired entries if any can be due, else evicts.
 * Return: true if there is room now.
 */
static bool make_room(struct fdb *fdb, void *owner)
{
	if (fdb->n_entries < fdb->params.max_entries)
		return true;
	if (fdb->clock >= fdb->next_deadline) {
		fdb_expire(fdb, fdb->clock);
		if (fdb->n_entries < fdb->params.max_entries)
			return true;
	}
	return evict_one(fdb, owner ? owner_find(fdb, owner) : FDB_NIL);
}

/* ---- Life cycle ------------------------------------------------------- */

void fdb_params_init(struct fdb_params *params)
{
	params->max_entries = FDB_DEFAULT_MAX_ENTRIES;
	params->aging_ms = FDB_DEFAULT_AGING_MS;
	params->move_holddown_ms = FDB_DEFAULT_MOVE_HOLDDOWN_MS;
}

/*
 * Allocates an empty table for @cap entries and sets *@mask.  The table
 * is mapped directly, aligned to 2 MiB: slots then never straddle cache
 * lines (malloc's 16-byte header would split every other one), pages are
 * zero (all empty) and only touched as the table fills, and tables of
 * several megabytes can sit on transparent huge pages, so that a random
 * lookup in a big table does not pay a page walk on top of its cache miss.
 * The huge page advice is only a hint.
 * Return: the table, or NULL.
 */
static struct fdb_entry *table_alloc(uint32_t cap, uint32_t *mask)
{
	uint32_t n = slots_for(cap);
	size_t size = table_bytes(n), span = size + FDB_HUGE_PAGE;
	uint8_t *map, *start;

	map = mmap(NULL, span, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return NULL;
	start = (uint8_t *)(((uintptr_t)map + FDB_HUGE_PAGE - 1) &
			    ~(uintptr_t)(FDB_HUGE_PAGE - 1));
	if (start > map)
		munmap(map, (size_t)(start - map));
	if (start + size < map + span)
		munmap(start + size, (size_t)(map + span - (start + size)));
	if (size >= FDB_HUGE_PAGE)
		madvise(start, size, MADV_HUGEPAGE);
	*mask = n - 1;
	return (struct fdb_entry *)start;
}

static void table_free(struct fdb_entry *t, uint32_t mask)
{
	if (t)
		munmap(t, table_bytes(mask + 1));
}

static struct fdb *fdb_create(const struct fdb_params *params, uint64_t k0,
			      uint64_t k1)
{
	struct fdb *fdb = calloc(1, sizeof(*fdb));

	if (!fdb)
		return NULL;
	if (params)
		fdb->params = *params;
	else
		fdb_params_init(&fdb->params);
	params_normalize(&fdb->params);
	fdb->k0 = k0;
	fdb->k1 = k1;
	fdb->owner_free = FDB_NIL;
	fdb->next_deadline = UINT64_MAX;
	fdb->entries = table_alloc(fdb->params.max_entries, &fdb->slot_mask);
	if (!fdb->entries)
		goto err_free;
	if (owner_pool_grow(fdb))
		goto err_free;
	return fdb;

err_free:
	fdb_free(fdb);
	return NULL;
}

struct fdb *fdb_new(const struct fdb_params *params)
{
	uint64_t key[2];
	uint8_t *p = (uint8_t *)key;
	size_t got = 0;

	while (got < sizeof(key)) {
		ssize_t n = getrandom(p + got, sizeof(key) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < sizeof(key)) {
		/*
		 * No getrandom() (a kernel before 3.17, or a seccomp filter):
		 * fall back to the clock, the pid and ASLR.  Weak, but it
		 * still differs per run and is not guessable from a guest.
		 */
		struct timespec ts;
		uint64_t st;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		st = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
		st ^= (uint64_t)getpid() << 32 ^ (uint64_t)(uintptr_t)&ts;
		key[0] = splitmix64(&st);
		key[1] = splitmix64(&st);
	}
	return fdb_create(params, key[0], key[1]);
}

struct fdb *fdb_new_seeded(const struct fdb_params *params, uint64_t seed)
{
	uint64_t k0 = splitmix64(&seed);
	uint64_t k1 = splitmix64(&seed);

	return fdb_create(params, k0, k1);
}

void fdb_free(struct fdb *fdb)
{
	if (!fdb)
		return;
	free(fdb->owner_buckets);
	free(fdb->owner_heap);
	free(fdb->owners);
	table_free(fdb->entries, fdb->slot_mask);
	free(fdb);
}

/* Re-creates list @l of table @old in the current table, in order. */
static void list_migrate(struct fdb *fdb, const struct fdb_entry *old,
			 struct fdb_list *l)
{
	uint32_t i = l->head;

	list_init(l);
	for (; i != FDB_NIL; i = old[i].next) {
		const struct fdb_entry *e = &old[i];
		uint32_t hash = e->info >> FDB_E_HASH_SHIFT;
		uint32_t to = table_claim(fdb, e->mac, e->vlan, hash,
					  e->info & FDB_E_STATIC);

		fdb->entries[to].owner_idx = e->owner_idx;
		fdb->entries[to].last_seen = e->last_seen;
		list_append(fdb, l, to);
	}
}

int fdb_set_params(struct fdb *fdb, const struct fdb_params *params)
{
	struct fdb_params p = *params;
	struct fdb_entry *old, *table = NULL;
	uint32_t mask = 0, old_mask;
	bool resize;

	params_normalize(&p);
	resize = p.max_entries != fdb->params.max_entries;
	if (resize) {
		if (p.max_entries < fdb->n_static)
			return -ENOSPC;
		table = table_alloc(p.max_entries, &mask);
		if (!table)
			return -ENOMEM;
	}

	if (p.aging_ms != fdb->params.aging_ms)
		fdb->next_deadline = 0; /* recomputed by the next expire */
	fdb->params.aging_ms = p.aging_ms;
	fdb->params.move_holddown_ms = p.move_holddown_ms;
	if (!resize)
		return 0;

	fdb_expire(fdb, fdb->clock);
	/* Cannot run dry: there are fewer static entries than p.max_entries. */
	while (fdb->n_entries > p.max_entries && evict_one(fdb, FDB_NIL))
		;

	/*
	 * Rehome every entry into the new table, owner by owner, keeping
	 * list order.  The stored hash bits give the new home slot.
	 */
	old = fdb->entries;
	old_mask = fdb->slot_mask;
	fdb->entries = table;
	fdb->slot_mask = mask;
	fdb->params.max_entries = p.max_entries;
	for (uint32_t oi = 0; oi < fdb->owner_hwm; oi++) {
		struct fdb_owner *o = &fdb->owners[oi];

		if (!o->owner)
			continue;
		list_migrate(fdb, old, &o->dyn);
		list_migrate(fdb, old, &o->statics);
	}
	table_free(old, old_mask);
	return 0;
}

/* ---- Data path -------------------------------------------------------- */

uint32_t fdb_key_hash(const struct fdb *fdb, const uint8_t mac[6],
		      uint16_t vlan)
{
	return (uint32_t)fdb_hash(fdb, mac, vlan & FDB_VLAN_MASK);
}

void fdb_prefetch(const struct fdb *fdb, uint32_t hash)
{
	uint32_t i = hash & fdb->slot_mask;

	__builtin_prefetch(&fdb->entries[i], 1);
	/* A probe often runs on into the next line (two entries a line). */
	__builtin_prefetch(&fdb->entries[((i | 1) + 1) & fdb->slot_mask], 1);
}

void fdb_prefetch_links(const struct fdb *fdb, const uint8_t mac[6],
			uint16_t vlan, uint32_t hash)
{
	uint32_t idx = table_find(fdb, mac, vlan & FDB_VLAN_MASK, hash);
	const struct fdb_entry *e;

	if (idx == FDB_NIL)
		return;
	e = &fdb->entries[idx];
	/* A refresh moves the entry to its list's tail (entry_touch()). */
	if (e->next != FDB_NIL) {
		__builtin_prefetch(&fdb->entries[e->next], 1);
		if (e->prev != FDB_NIL)
			__builtin_prefetch(&fdb->entries[e->prev], 1);
	}
}

enum fdb_learn_result fdb_learn(struct fdb *fdb, const uint8_t mac[6],
				uint16_t vlan, void *owner, uint64_t now_ms)
{
	return fdb_learn_hashed(fdb, mac, vlan, fdb_key_hash(fdb, mac, vlan),
				owner, now_ms);
}

enum fdb_learn_result fdb_learn_hashed(struct fdb *fdb, const uint8_t mac[6],
				       uint16_t vlan, uint32_t hash,
				       void *owner, uint64_t now_ms)
{
	uint32_t idx, oi;
	struct fdb_entry *e;
	uint64_t now;

	if (unlikely(!owner))
		return FDB_LEARN_FAILED;
	now = fdb_tick(fdb, now_ms);
	vlan &= FDB_VLAN_MASK;
	idx = table_find(fdb, mac, vlan, hash);

	if (likely(idx != FDB_NIL)) {
		e = &fdb->entries[idx];
		if (entry_is_static(e))
			return FDB_LEARN_STATIC;
		if (entry_expired(fdb, e, now)) {
			/* Dead already: relearn in place, hold-down or not. */
			if (entry_rehome(fdb, idx, owner, now))
				return FDB_LEARN_FAILED;
			fdb->counters.aged++;
			fdb->counters.learned++;
			return FDB_LEARN_NEW;
		}
		if (likely(fdb->owners[e->owner_idx].owner == owner)) {
			entry_touch(fdb, idx, now);
			return FDB_LEARN_REFRESHED;
		}
		if (now - e->last_seen < fdb->params.move_holddown_ms) {
			fdb->counters.move_held++;
			return FDB_LEARN_HELD;
		}
		if (entry_rehome(fdb, idx, owner, now))
			return FDB_LEARN_FAILED;
		fdb->counters.moved++;
		return FDB_LEARN_MOVED;
	}

	/*
	 * A new key.  Make room before taking the owner record (eviction
	 * may release the very record we would have taken) and before
	 * choosing a slot (eviction moves entries).
	 */
	if (!make_room(fdb, owner))
		return FDB_LEARN_FAILED;
	oi = owner_get(fdb, owner);
	if (oi == FDB_NIL)
		return FDB_LEARN_FAILED;
	idx = table_claim(fdb, mac, vlan, hash, 0);
	e = &fdb->entries[idx];
	e->owner_idx = oi;
	e->last_seen = now;
	owner_dyn_add(fdb, oi, idx);
	fdb->n_entries++;
	fdb->counters.learned++;
	fdb->next_deadline = MIN(fdb->next_deadline, entry_deadline(fdb, e));
	return FDB_LEARN_NEW;
}

void *fdb_lookup(const struct fdb *fdb, const uint8_t mac[6], uint16_t vlan,
		 uint64_t now_ms)
{
	return fdb_lookup_hashed(fdb, mac, vlan, fdb_key_hash(fdb, mac, vlan),
				 now_ms);
}

void *fdb_lookup_hashed(const struct fdb *fdb, const uint8_t mac[6],
			uint16_t vlan, uint32_t hash, uint64_t now_ms)
{
	uint32_t idx;
	const struct fdb_entry *e;

	vlan &= FDB_VLAN_MASK;
	idx = table_find(fdb, mac, vlan, hash);
	if (idx == FDB_NIL)
		return NULL;
	e = &fdb->entries[idx];
	if (entry_expired(fdb, e, now_ms))
		return NULL;
	return fdb->owners[e->owner_idx].owner;
}

uint64_t fdb_expire(struct fdb *fdb, uint64_t now_ms)
{
	uint64_t now = fdb_tick(fdb, now_ms);
	uint64_t next = UINT64_MAX;

	/*
	 * Every owner list is in last-use order, so the expired entries are
	 * a prefix of each and the first live one gives that owner's next
	 * deadline.  Removing entries may release records, but never moves
	 * them, so walking the pool by index is safe.
	 */
	for (uint32_t oi = 0; oi < fdb->owner_hwm; oi++) {
		struct fdb_owner *o = &fdb->owners[oi];

		while (o->owner && o->dyn.head != FDB_NIL) {
			const struct fdb_entry *e = &fdb->entries[o->dyn.head];

			if (!entry_expired(fdb, e, now)) {
				next = MIN(next, entry_deadline(fdb, e));
				break;
			}
			entry_remove(fdb, o->dyn.head);
			fdb->counters.aged++;
		}
	}
	fdb->next_deadline = next;
	return next;
}

/* Removes all of an owner's dynamic entries.  Return: how many. */
static unsigned int flush_dynamic(struct fdb *fdb, uint32_t oi)
{
	struct fdb_owner *o = &fdb->owners[oi];
	unsigned int n = 0;

	/* The last removal may release the record; o->owner then reads NULL. */
	while (o->owner && o->dyn.head != FDB_NIL) {
		entry_remove(fdb, o->dyn.head);
		n++;
	}
	return n;
}

unsigned int fdb_flush_owner(struct fdb *fdb, void *owner)
{
	uint32_t oi = owner ? owner_find(fdb, owner) : FDB_NIL;
	struct fdb_owner *o;
	unsigned int n;

	if (oi == FDB_NIL)
		return 0;
	o = &fdb->owners[oi];
	n = flush_dynamic(fdb, oi);
	while (o->owner && o->statics.head != FDB_NIL) {
		entry_remove(fdb, o->statics.head);
		n++;
	}
	fdb->counters.flushed += n;
	return n;
}

unsigned int fdb_flush_all(struct fdb *fdb)
{
	unsigned int n = 0;

	for (uint32_t oi = 0; oi < fdb->owner_hwm; oi++)
		n += flush_dynamic(fdb, oi);
	fdb->counters.flushed += n;
	return n;
}

/* Puts entry @idx, already marked static, on the static list of @oi. */
static void static_link(struct fdb *fdb, uint32_t oi, uint32_t idx)
{
	struct fdb_entry *e = &fdb->entries[idx];

	e->owner_idx = oi;
	e->last_seen = fdb->clock;
	list_append(fdb, &fdb->owners[oi].statics, idx);
	fdb->owners[oi].n_static++;
}

int fdb_add_static(struct fdb *fdb, const uint8_t mac[6], uint16_t vlan,
		   void *owner)
{
	uint32_t hash, idx, oi, old;
	struct fdb_entry *e;

	if (!owner)
		return -EINVAL;
	vlan &= FDB_VLAN_MASK;
	hash = (uint32_t)fdb_hash(fdb, mac, vlan);
	idx = table_find(fdb, mac, vlan, hash);

	if (idx != FDB_NIL) {
		e = &fdb->entries[idx];
		old = e->owner_idx;
		if (entry_is_static(e) && fdb->owners[old].owner == owner)
			return 0;
		oi = owner_get(fdb, owner);
		if (oi == FDB_NIL)
			return -ENOMEM;
		if (entry_is_static(e)) {
			list_unlink(fdb, &fdb->owners[old].statics, idx);
			fdb->owners[old].n_static--;
		} else {
			owner_dyn_del(fdb, old, idx);
			e->info |= FDB_E_STATIC;
			fdb->n_static++;
		}
		/* Link first: @old may be @oi, and must not be released. */
		static_link(fdb, oi, idx);
		owner_put(fdb, old);
		return 0;
	}

	if (!make_room(fdb, NULL))
		return -ENOSPC;
	oi = owner_get(fdb, owner);
	if (oi == FDB_NIL)
		return -ENOMEM;
	idx = table_claim(fdb, mac, vlan, hash, FDB_E_STATIC);
	static_link(fdb, oi, idx);
	fdb->n_entries++;
	fdb->n_static++;
	return 0;
}

int fdb_del(struct fdb *fdb, const uint8_t mac[6], uint16_t vlan)
{
	uint32_t idx;

	vlan &= FDB_VLAN_MASK;
	idx = table_find(fdb, mac, vlan, (uint32_t)fdb_hash(fdb, mac, vlan));
	if (idx == FDB_NIL)
		return -ENOENT;
	entry_remove(fdb, idx);
	return 0;
}

/* ---- Introspection ---------------------------------------------------- */

static void visit_list(const struct fdb *fdb, const struct fdb_list *l,
		       uint64_t now, fdb_visit_fn *visit, void *aux)
{
	for (uint32_t i = l->head; i != FDB_NIL; i = fdb->entries[i].next) {
		const struct fdb_entry *e = &fdb->entries[i];
		struct fdb_entry_info info;

		if (entry_expired(fdb, e, now))
			continue;
		memcpy(info.mac, e->mac, sizeof(info.mac));
		info.vlan = e->vlan;
		info.owner = fdb->owners[e->owner_idx].owner;
		info.is_static = entry_is_static(e);
		info.age_ms = info.is_static || now < e->last_seen
				      ? 0
				      : now - e->last_seen;
		visit(&info, aux);
	}
}

void fdb_foreach(const struct fdb *fdb, uint64_t now_ms, fdb_visit_fn *visit,
		 void *aux)
{
	for (uint32_t oi = 0; oi < fdb->owner_hwm; oi++) {
		const struct fdb_owner *o = &fdb->owners[oi];

		if (!o->owner)
			continue;
		visit_list(fdb, &o->dyn, now_ms, visit, aux);
		visit_list(fdb, &o->statics, now_ms, visit, aux);
	}
}

void fdb_get_stats(const struct fdb *fdb, struct fdb_stats *stats)
{
	*stats = fdb->counters;
	stats->entries = fdb->n_entries;
	stats->static_entries = fdb->n_static;
	stats->max_entries = fdb->params.max_entries;
}

unsigned int fdb_owner_count(const struct fdb *fdb, void *owner)
{
	uint32_t oi = owner ? owner_find(fdb, owner) : FDB_NIL;

	if (oi == FDB_NIL)
		return 0;
	return fdb->owners[oi].n_dynamic + fdb->owners[oi].n_static;
}
