/*
 * fdb.h - the MAC learning table (forwarding database).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 *
 * The fdb maps a key (Ethernet address, VLAN) to an opaque owner pointer,
 * which the switch core uses for its ports.  The fdb never dereferences an
 * owner; it only compares and hashes the pointer.  It does no I/O and never
 * reads a clock: every call that cares about time takes @now_ms, a
 * monotonic millisecond count chosen by the caller, so tests can drive
 * aging with made-up times.
 *
 * Entries.  A dynamic entry is created or refreshed by fdb_learn() for
 * each source address the switch sees.  A static entry, added by
 * fdb_add_static(), never ages, never moves and is never evicted; only
 * fdb_del() and fdb_flush_owner() remove it.  The VLAN is part of the key,
 * so one address may live on different owners in different VLANs.  VLAN
 * IDs are 12 bits; higher bits are ignored.
 *
 * Aging.  A dynamic entry expires once it has been idle (not refreshed by
 * fdb_learn()) for aging_ms, that is from now_ms >= last_seen + aging_ms
 * on.  fdb_lookup() and fdb_foreach() check this themselves, so an expired
 * entry is never used even if fdb_expire() has not run yet (Linux bridge's
 * has_expired()).  fdb_expire() reclaims expired entries and returns the
 * next deadline, which the caller turns into a timer instead of polling.
 * Each owner keeps its dynamic entries on a list ordered by last use (a
 * refresh moves the entry to the tail), so fdb_expire() only looks at the
 * head of each owner's list: it costs O(owners + expired), not O(entries).
 *
 * Capacity and eviction.  The table holds at most max_entries entries,
 * static ones included, in memory allocated when the table is created:
 * learning never calls malloc() per entry.  When the table is full, a new
 * address first reclaims expired entries and, if that frees nothing,
 * evicts one dynamic entry from the owner that holds the most dynamic
 * entries, choosing that owner's least recently seen entry (the fairness
 * rule of Open vSwitch's mac-learning).  If the learning owner itself ties
 * for the most, it loses its own entry.  So a guest flooding random source
 * addresses first eats into the biggest owner and, once it is the biggest
 * itself, only churns its own entries; it can never empty a smaller port.
 *
 * Moves and hold-down.  An address seen on a different owner moves to it,
 * unless the move hold-down applies: an entry learned, refreshed or moved
 * on its current owner less than move_holddown_ms ago stays put
 * (FDB_LEARN_HELD), so the clock restarts with every frame from the
 * current owner.
 * This damps flapping in a loop and stops a guest from stealing an address
 * that is still in active use elsewhere (vde_switch's min_persistence).  A
 * genuinely moved host is accepted once its old port has been silent for
 * the hold-down time.  The fdb does not log; the caller logs moves, rate
 * limited, from the FDB_LEARN_MOVED result.
 *
 * Hashing.  The key is hashed with SipHash-1-3 under a 128-bit key from
 * getrandom(), so a guest cannot choose addresses that collide and turn
 * lookups into linear scans.  The entries themselves form an open-addressed
 * table (linear probing, at most half full), so a lookup usually reads a
 * single cache line.  Memory is 64 bytes per entry of capacity, taken
 * from the system as the table fills.
 *
 * Concurrency: none.  The fdb belongs to the single data-path thread.
 */
#ifndef VSW_SWITCH_FDB_H
#define VSW_SWITCH_FDB_H

#include <stdbool.h>
#include <stdint.h>

/**
 * enum fdb_defaults - default and limit values for struct fdb_params.
 * @FDB_DEFAULT_MAX_ENTRIES:	default capacity (as Open vSwitch's
 *				MAC_DEFAULT_MAX)
 * @FDB_MAX_ENTRIES_LIMIT:	largest accepted capacity; more is clamped
 * @FDB_DEFAULT_AGING_MS:	default idle time before expiry (five minutes)
 * @FDB_DEFAULT_MOVE_HOLDDOWN_MS: hold-down used by fdb_params_init()
 */
enum fdb_defaults {
	FDB_DEFAULT_MAX_ENTRIES = 8192,
	FDB_MAX_ENTRIES_LIMIT = 1 << 24,
	FDB_DEFAULT_AGING_MS = 300000,
	FDB_DEFAULT_MOVE_HOLDDOWN_MS = 3000,
};

/**
 * struct fdb_params - tunables of a table.
 * @max_entries:	capacity, static entries included; 0 selects
 *			FDB_DEFAULT_MAX_ENTRIES, values above
 *			FDB_MAX_ENTRIES_LIMIT are clamped
 * @aging_ms:		idle time after which a dynamic entry expires; 0
 *			selects FDB_DEFAULT_AGING_MS
 * @move_holddown_ms:	an entry refreshed by its owner less than this long
 *			ago does not move to another owner; 0 disables the
 *			hold-down
 */
struct fdb_params {
	unsigned int max_entries;
	uint64_t aging_ms;
	uint64_t move_holddown_ms;
};

/**
 * enum fdb_learn_result - what fdb_learn() did.
 * @FDB_LEARN_REFRESHED: known on this owner; its idle timer restarted
 * @FDB_LEARN_NEW:	not known (or known but expired); entry created
 * @FDB_LEARN_MOVED:	known on another owner; moved to this one
 * @FDB_LEARN_HELD:	known on another owner within the hold-down time;
 *			nothing changed
 * @FDB_LEARN_STATIC:	a static entry has this key; nothing changed
 * @FDB_LEARN_FAILED:	not learned: the table is full of static entries,
 *			@owner was NULL, or memory for a new owner ran out
 */
enum fdb_learn_result {
	FDB_LEARN_REFRESHED,
	FDB_LEARN_NEW,
	FDB_LEARN_MOVED,
	FDB_LEARN_HELD,
	FDB_LEARN_STATIC,
	FDB_LEARN_FAILED,
};

/**
 * struct fdb_stats - counters and occupancy of a table.
 * @learned:	entries created by fdb_learn()
 * @moved:	entries moved to another owner
 * @move_held:	moves refused by the hold-down
 * @aged:	dynamic entries that expired (reclaimed by fdb_expire(), by
 *		a full table, or relearned in place by fdb_learn())
 * @evicted:	dynamic entries dropped to make room in a full table
 * @flushed:	entries removed by fdb_flush_owner() and fdb_flush_all()
 * @entries:	entries stored now, static ones included; an expired entry
 *		counts until it is reclaimed
 * @static_entries: static entries stored now
 * @max_entries: capacity
 */
struct fdb_stats {
	uint64_t learned;
	uint64_t moved;
	uint64_t move_held;
	uint64_t aged;
	uint64_t evicted;
	uint64_t flushed;
	unsigned int entries;
	unsigned int static_entries;
	unsigned int max_entries;
};

/**
 * struct fdb_entry_info - one entry, as shown to an fdb_foreach() visitor.
 * @mac:	Ethernet address
 * @vlan:	VLAN ID, 0..4095
 * @owner:	owner pointer given to fdb_learn() or fdb_add_static()
 * @is_static:	true for an entry added by fdb_add_static()
 * @age_ms:	time since the entry was last refreshed; 0 for static entries
 */
struct fdb_entry_info {
	uint8_t mac[6];
	uint16_t vlan;
	void *owner;
	bool is_static;
	uint64_t age_ms;
};

struct fdb;

/**
 * typedef fdb_visit_fn - fdb_foreach() callback.
 * @info:	the entry; valid only during the call
 * @aux:	the caller's pointer passed to fdb_foreach()
 *
 * The visitor must not modify the table.
 */
typedef void fdb_visit_fn(const struct fdb_entry_info *info, void *aux);

/**
 * fdb_params_init() - fill in the default parameters.
 * @params:	filled with FDB_DEFAULT_MAX_ENTRIES, FDB_DEFAULT_AGING_MS and
 *		FDB_DEFAULT_MOVE_HOLDDOWN_MS
 */
void fdb_params_init(struct fdb_params *params);

/**
 * fdb_new() - create an empty table with a random hash key.
 * @params:	tunables, or NULL for the defaults of fdb_params_init()
 *
 * The hash key comes from getrandom().  The open-addressed entry array
 * (a power of two of at least twice max_entries slots, 2 MiB-aligned) and
 * the owner records are allocated here; untouched pages stay virtual, so
 * a large capacity costs memory only as it fills.
 *
 * Return: new table, caller owns (fdb_free()); NULL if out of memory.
 */
struct fdb *fdb_new(const struct fdb_params *params);

/**
 * fdb_new_seeded() - create an empty table with a fixed hash key.
 * @params:	as for fdb_new()
 * @seed:	hash key seed; the same seed gives the same hash layout
 *
 * For tests and benchmarks that need reproducible behaviour.  Do not use
 * it for tables that learn from the network.
 *
 * Return: new table, caller owns (fdb_free()); NULL if out of memory.
 */
struct fdb *fdb_new_seeded(const struct fdb_params *params, uint64_t seed);

/**
 * fdb_free() - destroy a table.
 * @fdb:	table, or NULL
 */
void fdb_free(struct fdb *fdb);

/**
 * fdb_set_params() - change the tunables of a live table.
 * @fdb:	table
 * @params:	new tunables, normalised as for fdb_new()
 *
 * A new aging time applies to existing entries at once.  A new capacity
 * reallocates the table (O(entries)); shrinking it first reclaims expired
 * entries and then evicts by the fairness rule until the entries fit.
 *
 * Return: 0; -ENOSPC if the new capacity is smaller than the number of
 * static entries; -ENOMEM.  On error nothing has changed.
 */
int fdb_set_params(struct fdb *fdb, const struct fdb_params *params);

/**
 * fdb_learn() - learn that @mac in @vlan is reachable through @owner.
 * @fdb:	table
 * @mac:	source Ethernet address; the caller filters out multicast
 *		and its own addresses
 * @vlan:	VLAN ID; bits above the low 12 are ignored
 * @owner:	owner (port) the frame came from; must not be NULL
 * @now_ms:	current monotonic time; a time earlier than one passed to a
 *		previous fdb_learn() or fdb_expire() is treated as that time
 *
 * Expected O(1).  When the table is full, a new key first reclaims expired
 * entries (O(owners + expired)) and then evicts (O(log owners)).
 *
 * Return: what happened; see enum fdb_learn_result.
 */
enum fdb_learn_result fdb_learn(struct fdb *fdb, const uint8_t mac[6],
				uint16_t vlan, void *owner, uint64_t now_ms);

/**
 * fdb_lookup() - find the owner of a destination.
 * @fdb:	table
 * @mac:	destination Ethernet address
 * @vlan:	VLAN ID; bits above the low 12 are ignored
 * @now_ms:	current monotonic time
 *
 * Expected O(1).  An expired entry is reported as unknown even before
 * fdb_expire() has reclaimed it.
 *
 * Return: the owner, or NULL if the key is unknown or expired.
 */
void *fdb_lookup(const struct fdb *fdb, const uint8_t mac[6], uint16_t vlan,
		 uint64_t now_ms);

/**
 * fdb_key_hash() - the table's hash of a key, for the *_hashed calls.
 * @fdb:	table
 * @mac:	Ethernet address
 * @vlan:	VLAN ID; bits above the low 12 are ignored
 *
 * A batch of frames is handled in passes so that the memory the table
 * needs is fetched for all of them at once, instead of one cache miss
 * after another: hash every key and fdb_prefetch() its slot; then
 * fdb_prefetch_links() for the sources to be learned; then learn and look
 * up with fdb_learn_hashed() and fdb_lookup_hashed().  A hash stays valid
 * for the table's life (resizes included); the prefetches are only hints.
 *
 * Return: the hash.
 */
uint32_t fdb_key_hash(const struct fdb *fdb, const uint8_t mac[6],
		      uint16_t vlan);

/**
 * fdb_prefetch() - start fetching the slot a key hashes to.
 * @fdb:	table
 * @hash:	fdb_key_hash() of the key
 */
void fdb_prefetch(const struct fdb *fdb, uint32_t hash);

/**
 * fdb_prefetch_links() - start fetching what refreshing a key will touch.
 * @fdb:	table
 * @mac:	Ethernet address
 * @vlan:	VLAN ID
 * @hash:	fdb_key_hash() of the key
 *
 * A refresh moves the entry to the end of its owner's list, which writes
 * its list neighbours.
 */
void fdb_prefetch_links(const struct fdb *fdb, const uint8_t mac[6],
			uint16_t vlan, uint32_t hash);

/**
 * fdb_learn_hashed() - fdb_learn() with the key's hash computed already.
 * @fdb:	table
 * @mac:	source Ethernet address
 * @vlan:	VLAN ID
 * @hash:	fdb_key_hash() of (@mac, @vlan)
 * @owner:	the port it was seen on
 * @now_ms:	current monotonic time
 *
 * Return: as fdb_learn().
 */
enum fdb_learn_result fdb_learn_hashed(struct fdb *fdb, const uint8_t mac[6],
				       uint16_t vlan, uint32_t hash,
				       void *owner, uint64_t now_ms);

/**
 * fdb_lookup_hashed() - fdb_lookup() with the key's hash computed already.
 * @fdb:	table
 * @mac:	destination Ethernet address
 * @vlan:	VLAN ID
 * @hash:	fdb_key_hash() of (@mac, @vlan)
 * @now_ms:	current monotonic time
 *
 * Return: as fdb_lookup().
 */
void *fdb_lookup_hashed(const struct fdb *fdb, const uint8_t mac[6],
			uint16_t vlan, uint32_t hash, uint64_t now_ms);

/**
 * fdb_expire() - reclaim expired dynamic entries.
 * @fdb:	table
 * @now_ms:	current monotonic time
 *
 * Costs O(owners + expired entries).  Each reclaimed entry counts in
 * &fdb_stats.aged.  Call it again at the returned time; refreshes only
 * push deadlines later, so waking at the returned time is never too late.
 *
 * Return: the earliest time at which a remaining dynamic entry will
 * expire, or UINT64_MAX if there are none.
 */
uint64_t fdb_expire(struct fdb *fdb, uint64_t now_ms);

/**
 * fdb_flush_owner() - remove every entry of an owner that is going away.
 * @fdb:	table
 * @owner:	owner
 *
 * Removes the owner's static entries too.  After this call the fdb holds
 * no reference to @owner, so the caller may free it.
 *
 * Return: number of entries removed (also added to &fdb_stats.flushed).
 */
unsigned int fdb_flush_owner(struct fdb *fdb, void *owner);

/**
 * fdb_flush_all() - remove every dynamic entry.
 * @fdb:	table
 *
 * Static entries stay.
 *
 * Return: number of entries removed (also added to &fdb_stats.flushed).
 */
unsigned int fdb_flush_all(struct fdb *fdb);

/**
 * fdb_add_static() - add or replace a static entry.
 * @fdb:	table
 * @mac:	Ethernet address
 * @vlan:	VLAN ID; bits above the low 12 are ignored
 * @owner:	owner; must not be NULL
 *
 * A dynamic entry with the same key becomes static; a static one changes
 * owner.  In a full table, one dynamic entry is evicted by the fairness
 * rule to make room.
 *
 * Return: 0; -EINVAL if @owner is NULL; -ENOSPC if the table is full of
 * static entries; -ENOMEM if memory for a new owner ran out.
 */
int fdb_add_static(struct fdb *fdb, const uint8_t mac[6], uint16_t vlan,
		   void *owner);

/**
 * fdb_del() - remove one entry, static or dynamic.
 * @fdb:	table
 * @mac:	Ethernet address
 * @vlan:	VLAN ID; bits above the low 12 are ignored
 *
 * Return: 0, or -ENOENT if no entry (expired or not) has this key.
 */
int fdb_del(struct fdb *fdb, const uint8_t mac[6], uint16_t vlan);

/**
 * fdb_foreach() - visit every entry that has not expired.
 * @fdb:	table
 * @now_ms:	current monotonic time, to skip expired entries and
 *		compute ages
 * @visit:	called once per entry, grouped by owner, in no defined order
 * @aux:	passed to @visit
 *
 * O(owners + entries).  For fdb/show; sort the output if order matters.
 */
void fdb_foreach(const struct fdb *fdb, uint64_t now_ms, fdb_visit_fn *visit,
		 void *aux);

/**
 * fdb_get_stats() - read the counters.
 * @fdb:	table
 * @stats:	filled in
 */
void fdb_get_stats(const struct fdb *fdb, struct fdb_stats *stats);

/**
 * fdb_owner_count() - count the entries that point at an owner.
 * @fdb:	table
 * @owner:	owner
 *
 * O(1).  Counts dynamic and static entries; an expired entry counts until
 * it is reclaimed (run fdb_expire() first for an exact figure).
 *
 * Return: number of entries held by @owner.
 */
unsigned int fdb_owner_count(const struct fdb *fdb, void *owner);

#endif /* VSW_SWITCH_FDB_H */
