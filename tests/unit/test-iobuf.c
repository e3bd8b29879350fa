/*
 * test-iobuf.c - unit tests of the in-flight byte buffer (switch/base/iobuf.c):
 * pinned bytes never move, a layout change under a receive is caught.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "switch/base/iobuf.h"
#include "tests/tap.h"

/* A send in flight keeps reading the bytes it was given while replies are
 * appended and the array grows. */
static void test_send_pinned_survives_growth(const void *data)
{
	struct iobuf b;
	const uint8_t *p;
	size_t n;
	char big[10000];

	(void)data;
	iobuf_init(&b, 0);
	TAP_CHECK(iobuf_append(&b, "hello\n", 6));
	n = iobuf_send_span(&b, &p);
	TAP_CHECK_EQ(n, 6);
	memset(big, 'x', sizeof(big));
	for (int i = 0; i < 20; i++)
		TAP_CHECK(iobuf_append(&b, big, sizeof(big)));
	TAP_CHECK(memcmp(p, "hello\n", 6) == 0);
	iobuf_send_done(&b, 4);
	TAP_CHECK_EQ(iobuf_len(&b), 2 + 20 * sizeof(big));
	TAP_CHECK(memcmp(iobuf_bytes(&b), "o\n", 2) == 0);
	iobuf_free(&b);
}

/* Consuming while a receive is pinned moves no byte; the receive's bytes
 * join the data right after what was there. */
static void test_recv_consume_keeps_offsets(const void *data)
{
	struct iobuf b;
	uint8_t *p;
	size_t room;

	(void)data;
	iobuf_init(&b, 64);
	room = iobuf_recv_span(&b, &p);
	TAP_CHECK_EQ(room, 64);
	memcpy(p, "a\nbc", 4);
	iobuf_recv_done(&b, 4);
	room = iobuf_recv_span(&b, &p);
	TAP_CHECK_EQ(room, 60);
	iobuf_consume(&b, 2); /* "a\n" answered while the recv waits */
	memcpy(p, "d\n", 2);
	iobuf_recv_done(&b, 2);
	TAP_CHECK_EQ(iobuf_len(&b), 4);
	TAP_CHECK(memcmp(iobuf_bytes(&b), "bcd\n", 4) == 0);
	/* The next receive compacts first: the whole bound is usable. */
	iobuf_consume(&b, 4);
	room = iobuf_recv_span(&b, &p);
	TAP_CHECK_EQ(room, 64);
	iobuf_recv_done(&b, 0);
	iobuf_free(&b);
}

/* Runs @fn in a child and checks it died of SIGABRT (VSW_BUG_ON). */
static void expect_bug(void (*fn)(void))
{
	pid_t pid = fork();
	int status;

	TAP_CHECK(pid >= 0);
	if (pid == 0) {
		/* The report on stderr is expected; keep the TAP output tidy. */
		if (!freopen("/dev/null", "w", stderr))
			_exit(1);
		fn();
		_exit(0);
	}
	TAP_CHECK(waitpid(pid, &status, 0) == pid);
	if (!WIFSIGNALED(status))
		tap_diag("exit status 0x%x", status);
	TAP_CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
}

/* A 64-byte buffer holding @held, with a receive span out. */
static void under_recv(struct iobuf *b, const char *held)
{
	uint8_t *p;

	iobuf_init(b, 64);
	if (*held)
		iobuf_append(b, held, strlen(held));
	iobuf_recv_span(b, &p);
}

static void append_under_recv(void)
{
	struct iobuf b;

	under_recv(&b, "");
	iobuf_append(&b, "x", 1); /* would write where the kernel writes */
}

static void free_under_send(void)
{
	struct iobuf b;
	const uint8_t *p;

	iobuf_init(&b, 0);
	iobuf_append(&b, "x", 1);
	iobuf_send_span(&b, &p);
	iobuf_free(&b);
}

static void tail_moved_under_recv(void)
{
	struct iobuf b;

	under_recv(&b, "ab\nc");
	/* What a hand-written compaction of the answered "ab\n" does. */
	memmove(b.data, b.data + 3, 1);
	b.head = 0;
	b.tail = 1;
	iobuf_recv_done(&b, 1);
}

static void test_violations_abort(const void *data)
{
	(void)data;
	expect_bug(append_under_recv);
	expect_bug(free_under_send);
	expect_bug(tail_moved_under_recv);
}

/* The bound holds: a full buffer offers no room. */
static void test_bound(const void *data)
{
	struct iobuf b;
	uint8_t *p;

	(void)data;
	iobuf_init(&b, 8);
	TAP_CHECK_EQ(iobuf_recv_span(&b, &p), 8);
	iobuf_recv_done(&b, 8);
	TAP_CHECK_EQ(iobuf_recv_span(&b, &p), 0);
	iobuf_recv_done(&b, 0);
	TAP_CHECK(!iobuf_append(&b, "x", 1));
	iobuf_free(&b);
}

static const struct tap_case tests[] = {
	{ "send pinned survives growth", test_send_pinned_survives_growth },
	{ "recv: consume keeps offsets",
	  test_recv_consume_keeps_offsets },
	{ "rule violations abort", test_violations_abort },
	{ "bound", test_bound },
};

int main(void)
{
	TAP_ADD_CASES(tests);
	return tap_run();
}
