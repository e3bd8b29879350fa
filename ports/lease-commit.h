/*
 * lease-commit.h - group commit of the DHCP lease file (RFC 2131 §3.1:
 * the binding is on persistent storage before the DHCPACK goes out).
 *
 * The DHCP port hands every ACK that binds or renews a lease to
 * lease_commit_hold() instead of sending it, and names every address
 * whose lease changed with lease_commit_changed().  At the end of the
 * loop's batch (the port's flush) lease_commit_kick() writes one batch:
 * the changed leases' lines appended to the lease file, or now and then
 * a whole snapshot into a fresh "<file>.tmp" (safe-file.h), and starts an
 * fsync of it through io_uring (IORING_OP_FSYNC), so the loop keeps
 * serving while the disk works: what arrives meanwhile is the next batch.
 * When the fsync completes (and, for a snapshot, the rename and the
 * directory fsync are done) the batch's ACKs are released to the send
 * function.  At most one batch is in flight.
 *
 * A batch that fails (write or fsync error) releases nothing: its ACKs
 * are dropped (counted in acks_dropped) and the next batch, at most a
 * second later, is a whole snapshot.  The clients retransmit their
 * REQUESTs and are ACKed once a commit succeeds.  So no client ever holds
 * an ACK the file does not have.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_PORTS_LEASE_COMMIT_H
#define VSW_PORTS_LEASE_COMMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;
struct dhcp_server;
struct lease_commit;

/**
 * typedef lease_commit_send_fn - an ACK whose lease is now durable.
 * @aux:	the pointer given to lease_commit_new()
 * @frame:	the frame, valid only during the call
 * @len:	its length
 */
typedef void lease_commit_send_fn(void *aux, const uint8_t *frame,
				  size_t len);
/* The batch in flight completed (lease_commit_busy() is now false). */
typedef void lease_commit_idle_fn(void *aux);

/**
 * struct lease_commit_stats - counters.
 * @commits:		batches made durable
 * @snapshots:		of which whole rewrites of the file
 * @errors:		batches that failed
 * @acks_held:		ACKs held for a commit
 * @acks_dropped:	held ACKs dropped (failed batch, full queue, exit)
 * @max_batch:		most ACKs released by one commit
 */
struct lease_commit_stats {
	uint64_t commits, snapshots, errors;
	uint64_t acks_held, acks_dropped, max_batch;
};

struct lease_commit *lease_commit_new(struct loop *loop, const char *path,
				      struct dhcp_server *srv,
				      lease_commit_send_fn *send,
				      lease_commit_idle_fn *idle, void *aux);
void lease_commit_free(struct lease_commit *lc);
int lease_commit_hold(struct lease_commit *lc, const uint8_t *frame,
		      size_t len);
void lease_commit_changed(struct lease_commit *lc, uint32_t ip);
void lease_commit_kick(struct lease_commit *lc);
bool lease_commit_busy(const struct lease_commit *lc);
int lease_commit_sync(struct lease_commit *lc, bool send);
unsigned int lease_commit_held(const struct lease_commit *lc);
void lease_commit_stats(const struct lease_commit *lc,
			struct lease_commit_stats *st);

#endif /* VSW_PORTS_LEASE_COMMIT_H */
