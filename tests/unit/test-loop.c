/*
 * test-loop.c - the event loop's timers and flushes, on a real io_uring.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <stdlib.h>

#include "switch/base/loop.h"
#include "switch/base/util.h"
#include "tests/tap.h"

struct ctx {
	struct loop *loop;
	struct loop_timer first, armed_by_flush, safety;
	struct loop_flush flush;
	uint64_t start, fired_at;
	bool safety_fired;
};

static void first_fire(struct loop_timer *t, uint64_t now UNUSED)
{
	struct ctx *c = container_of(t, struct ctx, first);

	loop_want_flush(c->loop, &c->flush);
}

/* A flush arms a timer: the loop must wake for it, not sleep past it. */
static void flush_fn(struct loop_flush *f)
{
	struct ctx *c = container_of(f, struct ctx, flush);

	loop_timer_arm(c->loop, &c->armed_by_flush, loop_now(c->loop) + 10);
}

static void armed_fire(struct loop_timer *t, uint64_t now)
{
	struct ctx *c = container_of(t, struct ctx, armed_by_flush);

	c->fired_at = now;
	loop_stop(c->loop);
}

static void safety_fire(struct loop_timer *t, uint64_t now UNUSED)
{
	struct ctx *c = container_of(t, struct ctx, safety);

	c->safety_fired = true;
	loop_stop(c->loop);
}

static void test_timer_armed_in_flush(const void *data)
{
	struct ctx c = { 0 };
	int err = 0;

	c.loop = loop_new(&err);
	if (!c.loop) {
		tap_skip("io_uring is not available here");
	}
	loop_timer_init(&c.first, first_fire);
	loop_timer_init(&c.armed_by_flush, armed_fire);
	loop_timer_init(&c.safety, safety_fire);
	loop_flush_init(&c.flush, flush_fn);
	c.start = loop_now(c.loop);
	loop_timer_arm(c.loop, &c.first, c.start + 5);
	loop_timer_arm(c.loop, &c.safety, c.start + 3000);
	TAP_CHECK_EQ(loop_run(c.loop), 0);
	TAP_CHECK(!c.safety_fired);
	TAP_CHECK(c.fired_at >= c.start + 15);
	TAP_CHECK(c.fired_at < c.start + 1000);
	loop_exit_ring(c.loop);
	loop_free(c.loop);
}

static const struct tap_case tests[] = {
	{ "a timer armed by a flush wakes the loop",
	  test_timer_armed_in_flush },
};

int main(void)
{
	TAP_ADD_CASES(tests);
	return tap_run();
}
