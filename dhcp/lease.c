/*
 * lease.c - the DHCP lease table.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "dhcp/lease.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/**
 * lease_table_init() - create an empty table for a dynamic range.
 * @t:		table
 * @start:	first range address
 * @end:	last range address, >= @start
 *
 * Return: 0 or -ENOMEM.
 */
int lease_table_init(struct lease_table *t, uint32_t start, uint32_t end)
{
	memset(t, 0, sizeof(*t));
	t->start = start;
	t->end = end;
	t->next_ms = UINT64_MAX;
	t->by_off = calloc((size_t)(end - start) + 1, sizeof(*t->by_off));
	return t->by_off ? 0 : -ENOMEM;
}

/**
 * lease_table_fini() - free everything the table owns.
 * @t:		table
 */
void lease_table_fini(struct lease_table *t)
{
	free(t->leases);
	free(t->by_off);
	free(t->by_key);
	memset(t, 0, sizeof(*t));
}

static bool in_range(const struct lease_table *t, uint32_t ip)
{
	return ip >= t->start && ip <= t->end;
}

/**
 * lease_find_ip() - the entry for @ip.
 * @t:		table
 * @ip:		address, host byte order
 *
 * Return: the entry or NULL.
 */
struct lease *lease_find_ip(const struct lease_table *t, uint32_t ip)
{
	if (in_range(t, ip)) {
		uint32_t i = t->by_off[ip - t->start];

		return i ? &t->leases[i - 1] : NULL;
	}
	for (size_t i = 0; i < t->n; i++)
		if (t->leases[i].ip == ip)
			return &t->leases[i];
	return NULL;
}

/**
 * lease_key_eq() - compare two client keys.
 * @a:		key
 * @b:		key
 *
 * Return: true if both have the same type and bytes.
 */
bool lease_key_eq(const struct lease_key *a, const struct lease_key *b)
{
	return a->type == b->type && a->len == b->len &&
	       !memcmp(a->data, b->data, a->len);
}

/* The head of @key's hash chain (the table must have buckets). */
static uint32_t *bucket(const struct lease_table *t,
			const struct lease_key *key)
{
	return &t->by_key[lease_key_hash(key) & (t->n_buckets - 1)];
}

/* Puts entry @i at the head of its key's chain. */
static void key_link(struct lease_table *t, uint32_t i)
{
	struct lease *l = &t->leases[i];
	uint32_t *b;

	if (l->key.type == LEASE_KEY_NONE)
		return;
	b = bucket(t, &l->key);
	l->hnext = *b;
	*b = i + 1;
}

/* Finds the link (bucket or hnext) that points at entry @i. */
static uint32_t *key_link_to(struct lease_table *t, uint32_t i)
{
	uint32_t *p = bucket(t, &t->leases[i].key);

	while (*p != i + 1)
		p = &t->leases[*p - 1].hnext;
	return p;
}

/* Takes entry @i out of its key's chain. */
static void key_unlink(struct lease_table *t, uint32_t i)
{
	if (t->leases[i].key.type == LEASE_KEY_NONE)
		return;
	*key_link_to(t, i) = t->leases[i].hnext;
	t->leases[i].hnext = 0;
}

/**
 * lease_find_key() - the entry last used by a client.
 * @t:		table
 * @key:	client key
 *
 * A client has at most one entry: the server moves the key rather than
 * copying it.
 *
 * Return: the entry or NULL.
 */
struct lease *lease_find_key(const struct lease_table *t,
			     const struct lease_key *key)
{
	uint32_t i;

	if (key->type == LEASE_KEY_NONE || !t->n_buckets)
		return NULL;
	for (i = *bucket(t, key); i; i = t->leases[i - 1].hnext)
		if (lease_key_eq(&t->leases[i - 1].key, key))
			return &t->leases[i - 1];
	return NULL;
}

/**
 * lease_set_key() - give an entry to a client, or to nobody.
 * @t:		table
 * @l:		entry in @t
 * @key:	client key, or NULL for none (LEASE_KEY_NONE)
 */
void lease_set_key(struct lease_table *t, struct lease *l,
		   const struct lease_key *key)
{
	uint32_t i = (uint32_t)(l - t->leases);

	key_unlink(t, i);
	if (key)
		l->key = *key;
	else
		memset(&l->key, 0, sizeof(l->key));
	key_link(t, i);
}

/**
 * lease_hold() - set an entry's state and deadline.
 * @t:		table
 * @l:		entry in @t
 * @state:	LEASE_OFFERED, LEASE_BOUND or LEASE_DECLINED
 * @until_ms:	the deadline
 */
void lease_hold(struct lease_table *t, struct lease *l, enum lease_state state,
		uint64_t until_ms)
{
	l->state = state;
	l->expires_ms = until_ms;
	if (until_ms < t->next_ms)
		t->next_ms = until_ms;
}

/* Makes the entry and bucket arrays room for @cap entries. */
static int grow(struct lease_table *t, size_t cap)
{
	uint32_t *b = calloc(cap, sizeof(*b));
	struct lease *n;

	if (!b)
		return -ENOMEM;
	n = realloc(t->leases, cap * sizeof(*n));
	if (!n) {
		free(b);
		return -ENOMEM;
	}
	free(t->by_key);
	t->leases = n;
	t->cap = cap;
	t->by_key = b;
	t->n_buckets = cap;
	for (uint32_t i = 0; i < t->n; i++)
		key_link(t, i);
	return 0;
}

/**
 * lease_add() - add a zeroed STALE entry for @ip, which must have none.
 * @t:		table
 * @ip:		address
 *
 * Invalidates pointers to other entries.
 *
 * Return: the entry, or NULL if out of memory.
 */
struct lease *lease_add(struct lease_table *t, uint32_t ip)
{
	struct lease *l;

	/* Powers of two, so the bucket count is one too. */
	if (t->n == t->cap && grow(t, t->cap ? t->cap * 2 : 16))
		return NULL;
	l = &t->leases[t->n++];
	memset(l, 0, sizeof(*l));
	l->ip = ip;
	if (in_range(t, ip))
		t->by_off[ip - t->start] = (uint32_t)t->n;
	return l;
}

/**
 * lease_remove() - forget an entry; its address becomes free.
 * @t:		table
 * @l:		entry in @t
 *
 * Invalidates pointers to other entries.
 */
void lease_remove(struct lease_table *t, struct lease *l)
{
	uint32_t i = (uint32_t)(l - t->leases), last = (uint32_t)t->n - 1;

	if (in_range(t, l->ip))
		t->by_off[l->ip - t->start] = 0;
	key_unlink(t, i);
	if (i != last) {
		/* The last entry moves into slot @i: relink it there. */
		if (t->leases[last].key.type != LEASE_KEY_NONE)
			*key_link_to(t, last) = i + 1;
		*l = t->leases[last];
		if (in_range(t, l->ip))
			t->by_off[l->ip - t->start] = i + 1;
	}
	t->n--;
}

/**
 * lease_active() - true if the entry holds its address at @now_ms.
 * @l:		entry
 * @now_ms:	monotonic time
 */
bool lease_active(const struct lease *l, uint64_t now_ms)
{
	return l->state != LEASE_STALE && l->expires_ms > now_ms;
}

/**
 * lease_count_active() - number of entries holding their address.
 * @t:		table
 * @now_ms:	monotonic time
 */
size_t lease_count_active(const struct lease_table *t, uint64_t now_ms)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		n += lease_active(&t->leases[i], now_ms);
	return n;
}

/**
 * lease_expire() - turn entries past their deadline stale.
 * @t:		table
 * @now_ms:	monotonic time
 *
 * Expired offers and leases keep their client (so it gets the address
 * back); expired quarantines are removed, freeing the address.  Before
 * the earliest deadline lease_hold() has seen, there is nothing to do.
 *
 * Return: a time no later than the earliest remaining deadline (exactly
 * it after a pass over the table), or UINT64_MAX if there is none.
 */
uint64_t lease_expire(struct lease_table *t, uint64_t now_ms)
{
	uint64_t next = UINT64_MAX;
	size_t i = 0;

	if (now_ms < t->next_ms)
		return t->next_ms;
	while (i < t->n) {
		struct lease *l = &t->leases[i];

		if (l->state == LEASE_STALE) {
			i++;
			continue;
		}
		if (l->expires_ms > now_ms) {
			if (l->expires_ms < next)
				next = l->expires_ms;
			i++;
			continue;
		}
		if (l->state == LEASE_DECLINED) {
			lease_remove(t, l);
			continue;	/* another entry moved into slot i */
		}
		l->state = LEASE_STALE;
		l->stale_ms = l->expires_ms;
		i++;
	}
	t->next_ms = next;
	return next;
}

/**
 * lease_key_hash() - FNV-1a hash of a client key, for the first offer.
 * @key:	client key
 *
 * Return: a hash that is the same in every process and on every host.
 */
uint32_t lease_key_hash(const struct lease_key *key)
{
	uint32_t h = 2166136261u;

	h = (h ^ key->type) * 16777619u;
	for (size_t i = 0; i < key->len; i++)
		h = (h ^ key->data[i]) * 16777619u;
	return h;
}

/**
 * lease_candidate() - the @i-th address a client would like, as an offset.
 * @hash:	lease_key_hash() of the client's key
 * @i:		0 to LEASE_CANDIDATES - 1
 * @size:	addresses in the range, at least 1
 *
 * Candidate 0 is @hash modulo @size (the first offer of every earlier
 * version); the others are independent mixes of @hash (a SplitMix64
 * finaliser).  The sequence is a function of the key alone, never of
 * which addresses other clients took, so one collision does not push a
 * client onto the next client's first choice (linear probing did).
 *
 * Return: an offset into the range, below @size.
 */
uint32_t lease_candidate(uint32_t hash, unsigned int i, uint32_t size)
{
	uint64_t z;

	if (!i)
		return hash % size;
	z = hash + (uint64_t)i * 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return (uint32_t)(z % size);
}
