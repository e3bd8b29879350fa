/*
 * lease-commit.c - group commit of the DHCP lease file (see the header).
 *
 * The file is a snapshot (dhcp_server_save()) followed by appended lines
 * (dhcp_server_save_lease()), later lines winning on load.  Appending a
 * batch costs a few lines and one fdatasync whatever the number of
 * leases; a snapshot is written when the appended part has grown past
 * the snapshot itself (and at most once a second), after a failure, and
 * first of all, so the file does not grow without bound.  The snapshot
 * goes to "<file>.tmp" (safe-file.h) and, once its fsync completes, is
 * renamed over the file; its descriptor then becomes the one appended
 * to.  The rename and the directory fsync are synchronous (one small
 * metadata write, at most once a second); the data fsyncs, the part that
 * grows with the batch, go through the ring.
 *
 * No buffer is handed to the ring: the fsync has none, the writes are
 * synchronous into the page cache, and the held ACKs live in this
 * object's own queue until released.  The object is busy (one fsync in
 * flight) between lease_commit_kick() and the idle callback; its owner
 * must not free it meanwhile (at exit the port closes like on port del,
 * which waits for the fsync, and the loop drains).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "ports/lease-commit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dhcp/dhcp.h"
#include "switch/config/cfg.h"
#include "switch/base/log.h"
#include "switch/base/loop.h"
#include "switch/base/safe-file.h"
#include "switch/base/util.h"

enum {
	LC_HOLD_FRAMES = 1024,
	LC_FRAME_MAX = 2048,
	LC_SNAPSHOT_GAP_MS = 1000,
	LC_RETRY_MS = 1000,
	LC_APPEND_SLACK = 64 * 1024,
	LC_CHANGED_MAX = 65536,
};

struct lc_frame {
	size_t len;
	uint8_t data[LC_FRAME_MAX];
};

/**
 * struct lease_commit - the lease file's committer.
 * @loop:	event loop
 * @srv:	the server whose leases are written
 * @send:	where durable ACKs go
 * @idle:	told when the batch in flight completed
 * @aux:	their argument
 * @path:	the lease file
 * @tmp:	its temporary name
 * @fd:		the lease file as last installed, positioned at its end;
 *		-1 until the first snapshot
 * @tmp_fd:	the snapshot in flight, else -1
 * @op:		the fsync in flight
 * @retry:	kicks again after a failure
 * @busy:	an fsync is in flight
 * @snapshot_due: the next batch rewrites the whole file
 * @dirty:	leases changed since the last batch started
 * @last_snapshot_ms: when the last snapshot was installed
 * @snapshot_len: its size
 * @appended:	bytes appended since
 * @changed:	addresses whose lines the next batch appends
 * @n_changed:	entries used
 * @cap_changed: entries allocated
 * @q:		held ACKs, a ring
 * @q_head:	oldest
 * @q_len:	held in all
 * @q_batch:	of which in the batch in flight (the oldest)
 * @st:		counters
 */
struct lease_commit {
	struct loop *loop;
	struct dhcp_server *srv;
	lease_commit_send_fn *send;
	lease_commit_idle_fn *idle;
	void *aux;
	char path[CFG_FILE_MAX];
	char tmp[CFG_FILE_MAX + SAFE_FILE_TMP_EXTRA];
	int fd, tmp_fd;
	struct uop op;
	struct loop_timer retry;
	bool busy, snapshot_due, dirty;
	uint64_t last_snapshot_ms;
	size_t snapshot_len, appended;
	uint32_t *changed;
	size_t n_changed, cap_changed;
	struct lc_frame *q;
	unsigned int q_head, q_len, q_batch;
	struct lease_commit_stats st;
};

static void lc_done(struct uop *op, int res, unsigned int flags);

static void lc_retry_fire(struct loop_timer *timer, uint64_t now UNUSED)
{
	struct lease_commit *lc =
		container_of(timer, struct lease_commit, retry);

	lease_commit_kick(lc);
}

/**
 * lease_commit_new() - a committer for the lease file @path.
 * @loop:	event loop
 * @path:	the lease file (checked by the caller with safe_file_check())
 * @srv:	the server
 * @send:	called with each ACK once its lease is durable
 * @idle:	called when a batch in flight completes (then kick again)
 * @aux:	their argument
 *
 * Return: the committer, or NULL (out of memory).
 */
struct lease_commit *lease_commit_new(struct loop *loop, const char *path,
				      struct dhcp_server *srv,
				      lease_commit_send_fn *send,
				      lease_commit_idle_fn *idle, void *aux)
{
	struct lease_commit *lc = calloc(1, sizeof(*lc));

	if (!lc)
		return NULL;
	lc->q = calloc(LC_HOLD_FRAMES, sizeof(*lc->q));
	if (!lc->q) {
		free(lc);
		return NULL;
	}
	lc->loop = loop;
	lc->srv = srv;
	lc->send = send;
	lc->idle = idle;
	lc->aux = aux;
	strlcpy_(lc->path, path, sizeof(lc->path));
	lc->fd = lc->tmp_fd = -1;
	lc->op.done = lc_done;
	lc->snapshot_due = true;
	loop_timer_init(&lc->retry, lc_retry_fire);
	return lc;
}

/**
 * lease_commit_free() - close and free; nothing may be in flight (or the
 * ring is gone).  Held ACKs are dropped.
 * @lc:	committer, or NULL
 */
void lease_commit_free(struct lease_commit *lc)
{
	if (!lc)
		return;
	loop_timer_cancel(lc->loop, &lc->retry);
	if (lc->fd >= 0)
		close(lc->fd);
	if (lc->tmp_fd >= 0) {
		close(lc->tmp_fd);
		unlink(lc->tmp);
	}
	free(lc->changed);
	free(lc->q);
	free(lc);
}

/**
 * lease_commit_hold() - keep an ACK until the next batch is durable.
 * @lc:		committer
 * @frame:	the ACK (copied)
 * @len:	its length
 *
 * Return: 0, or -ENOBUFS (queue full: the ACK is dropped and counted;
 * the client will ask again) or -EMSGSIZE.
 */
int lease_commit_hold(struct lease_commit *lc, const uint8_t *frame,
		      size_t len)
{
	struct lc_frame *f;

	if (len > LC_FRAME_MAX || lc->q_len == LC_HOLD_FRAMES) {
		lc->st.acks_dropped++;
		return len > LC_FRAME_MAX ? -EMSGSIZE : -ENOBUFS;
	}
	f = &lc->q[(lc->q_head + lc->q_len++) % LC_HOLD_FRAMES];
	memcpy(f->data, frame, len);
	f->len = len;
	lc->st.acks_held++;
	lc->dirty = true;
	return 0;
}

/**
 * lease_commit_changed() - the lease of @ip changed; the next batch
 * writes its line.
 * @lc:	committer
 * @ip:	the address
 */
void lease_commit_changed(struct lease_commit *lc, uint32_t ip)
{
	lc->dirty = true;
	if (lc->snapshot_due)
		return;
	if (lc->n_changed == lc->cap_changed) {
		size_t cap = lc->cap_changed ? 2 * lc->cap_changed : 256;
		uint32_t *p = cap <= LC_CHANGED_MAX ?
			realloc(lc->changed, cap * sizeof(*p)) : NULL;

		if (!p) {
			/* Too many for lines: rewrite it all instead. */
			lc->snapshot_due = true;
			lc->n_changed = 0;
			return;
		}
		lc->changed = p;
		lc->cap_changed = cap;
	}
	lc->changed[lc->n_changed++] = ip;
}

/* Releases (@ok) or drops the batch that was in flight. */
static void lc_release(struct lease_commit *lc, unsigned int n, bool ok)
{
	if (ok && n > lc->st.max_batch)
		lc->st.max_batch = n;
	for (unsigned int i = 0; i < n; i++) {
		struct lc_frame *f = &lc->q[lc->q_head];

		lc->q_head = (lc->q_head + 1) % LC_HOLD_FRAMES;
		lc->q_len--;
		if (ok)
			lc->send(lc->aux, f->data, f->len);
		else
			lc->st.acks_dropped++;
	}
}

static void lc_fail(struct lease_commit *lc, int err, const char *what)
{
	static struct log_rl rl = LOG_RL_INIT(5, 10000);

	log_msg_rl(&rl, LOG_LVL_WARN,
		   "dhcp: cannot %s %s: %s (%u ACKs not sent; retrying)", what,
		   lc->path, strerror(-err), lc->q_batch);
	lc->st.errors++;
	lc_release(lc, lc->q_batch, false);
	lc->q_batch = 0;
	if (lc->tmp_fd >= 0) {
		close(lc->tmp_fd);
		lc->tmp_fd = -1;
		unlink(lc->tmp);
	}
	lc->snapshot_due = true;
	lc->dirty = true;
	lc->n_changed = 0;
	loop_timer_arm(lc->loop, &lc->retry,
		       loop_now(lc->loop) + LC_RETRY_MS);
}

/* Writes the batch's lines or snapshot into a memory buffer. */
static int lc_format(struct lease_commit *lc, bool snapshot, char **buf,
		     size_t *len)
{
	uint64_t now = loop_now(lc->loop);
	time_t wall = time(NULL);
	FILE *f = open_memstream(buf, len);
	int ret = 0;

	if (!f)
		return -errno;
	if (snapshot)
		ret = dhcp_server_save(lc->srv, f, now, wall);
	for (size_t i = 0; !snapshot && i < lc->n_changed && !ret; i++)
		ret = dhcp_server_save_lease(lc->srv, f, lc->changed[i], now,
					     wall);
	if (fclose(f) && !ret)
		ret = -EIO;
	if (ret) {
		free(*buf);
		*buf = NULL;
	}
	return ret;
}

static bool lc_snapshot_now(const struct lease_commit *lc)
{
	return lc->snapshot_due || lc->fd < 0 ||
	       (lc->appended > lc->snapshot_len + LC_APPEND_SLACK &&
		loop_now(lc->loop) >= lc->last_snapshot_ms + LC_SNAPSHOT_GAP_MS);
}

/**
 * lease_commit_kick() - end of a batch: if nothing is in flight and
 * anything waits, write it and start its fsync.
 * @lc:	committer
 */
void lease_commit_kick(struct lease_commit *lc)
{
	struct io_uring_sqe *sqe;
	char *buf = NULL;
	size_t len = 0;
	bool snapshot;
	int fd, ret;

	if (lc->busy || lc->retry.armed || !lc->dirty)
		return;
	snapshot = lc_snapshot_now(lc);
	lc->q_batch = lc->q_len;
	lc->dirty = false;
	ret = lc_format(lc, snapshot, &buf, &len);
	if (ret) {
		lc_fail(lc, ret, "format the leases for");
		return;
	}
	if (snapshot) {
		fd = safe_file_create_tmp(lc->path, lc->tmp, sizeof(lc->tmp));
		if (fd < 0) {
			free(buf);
			lc_fail(lc, fd, "create the temporary file of");
			return;
		}
		lc->tmp_fd = fd;
	} else {
		fd = lc->fd;
	}
	ret = safe_file_write_all(fd, buf, len);
	free(buf);
	if (ret) {
		lc_fail(lc, ret, "write");
		return;
	}
	lc->n_changed = 0;
	if (snapshot) {
		lc->snapshot_len = len;
		lc->snapshot_due = false;
	} else {
		lc->appended += len;
	}
	sqe = loop_sqe(lc->loop, &lc->op);
	io_uring_prep_fsync(sqe, fd, snapshot ? 0 : IORING_FSYNC_DATASYNC);
	lc->busy = true;
}

static void lc_done(struct uop *op, int res, unsigned int flags UNUSED)
{
	struct lease_commit *lc = container_of(op, struct lease_commit, op);
	bool ok = res >= 0;

	lc->busy = false;
	if (!ok) {
		lc_fail(lc, res, "fsync");
	} else if (lc->tmp_fd >= 0) {
		int ret = safe_file_install(lc->tmp, lc->path);

		if (ret) {
			close(lc->tmp_fd);
			lc->tmp_fd = -1;
			ok = false;
			lc_fail(lc, ret, "install the new");
		} else {
			if (lc->fd >= 0)
				close(lc->fd);
			lc->fd = lc->tmp_fd;
			lc->tmp_fd = -1;
			lc->appended = 0;
			lc->last_snapshot_ms = loop_now(lc->loop);
			lc->st.snapshots++;
		}
	}
	if (ok) {
		lc->st.commits++;
		lc_release(lc, lc->q_batch, true);
		lc->q_batch = 0;
	}
	lc->idle(lc->aux);
}

/**
 * lease_commit_busy() - a batch is in flight.
 * @lc:	committer
 */
bool lease_commit_busy(const struct lease_commit *lc)
{
	return lc->busy;
}

/**
 * lease_commit_held() - ACKs waiting for a commit.
 * @lc:	committer
 */
unsigned int lease_commit_held(const struct lease_commit *lc)
{
	return lc->q_len;
}

/**
 * lease_commit_sync() - write the whole file now, synchronously (close,
 * exit), then release (@send) or drop every held ACK.
 * @lc:		committer, not busy unless the ring is gone
 * @send:	release the held ACKs if the write succeeds
 *
 * Return: 0 or a negative errno (logged; the ACKs are dropped).
 */
int lease_commit_sync(struct lease_commit *lc, bool send)
{
	char *buf = NULL, err[CFG_FILE_MAX + 64] = "";
	size_t len = 0;
	int ret = lc_format(lc, true, &buf, &len);

	if (!ret)
		ret = safe_file_write(lc->path, buf, len, err, sizeof(err));
	free(buf);
	if (ret) {
		lc->st.errors++;
		log_warn_errno(ret, "dhcp: cannot save leases to %s%s%s",
			       lc->path, err[0] ? ": " : "", err);
	} else {
		lc->st.commits++;
		lc->st.snapshots++;
	}
	lc_release(lc, lc->q_len, !ret && send);
	lc->q_batch = 0;
	lc->n_changed = 0;
	lc->dirty = false;
	/* The file is a new one now: the next batch starts it over. */
	lc->snapshot_due = true;
	if (!lc->busy && lc->fd >= 0) {
		close(lc->fd);
		lc->fd = -1;
	}
	return ret;
}

/**
 * lease_commit_stats() - copy the counters.
 * @lc:	committer
 * @st:	output
 */
void lease_commit_stats(const struct lease_commit *lc,
			struct lease_commit_stats *st)
{
	*st = lc->st;
}
