/*
 * test-tx-drop.c - port_count_tx_error(): every send errno counts once,
 * under the counter that names what happened, and only the unexpected
 * ones ask to be logged.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "switch/core/port.h"
#include "tests/tap.h"

enum which { TOO_BIG, FULL, NO_PEER, DOWN, ERROR };

static const struct {
	int err;
	enum which counter;
} cases[] = {
	{ -EMSGSIZE, TOO_BIG },	   { -EAGAIN, FULL },
	{ -EWOULDBLOCK, FULL },	   { -ENOBUFS, FULL },
	{ -ENOMEM, FULL },	   { -ECONNREFUSED, NO_PEER },
	{ -ENOENT, NO_PEER },	   { -EHOSTUNREACH, NO_PEER },
	{ -EHOSTDOWN, NO_PEER },   { -ENETUNREACH, NO_PEER },
	{ -ENOTCONN, DOWN },	   { -EIO, DOWN },
	{ -ENETDOWN, DOWN },	   { -EPIPE, DOWN },
	{ -ECANCELED, DOWN },	   { -EPERM, ERROR },
	{ -EACCES, ERROR },	   { -EINVAL, ERROR },
	{ -EBUSY, ERROR },
};

static uint64_t total(const struct port_stats *st)
{
	return st->tx_drop_too_big + st->tx_drop_full + st->tx_drop_no_peer +
	       st->tx_drop_down + st->tx_drop_error;
}

static void test_map(const void *data)
{
	(void)data;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct port port;
		const struct port_stats *st = &port.stats;
		const uint64_t *want[] = {
			[TOO_BIG] = &st->tx_drop_too_big,
			[FULL] = &st->tx_drop_full,
			[NO_PEER] = &st->tx_drop_no_peer,
			[DOWN] = &st->tx_drop_down,
			[ERROR] = &st->tx_drop_error,
		};
		bool expected;

		memset(&port, 0, sizeof(port));
		expected = port_count_tx_error(&port, cases[i].err);
		tap_diag("errno %d", -cases[i].err);
		TAP_CHECK_EQ(*want[cases[i].counter], 1);
		TAP_CHECK_EQ(total(st), 1);
		TAP_CHECK_EQ(expected, cases[i].counter != ERROR);
		TAP_CHECK_EQ(st->tx_frames, 0);
	}
}

static const struct tap_case tests[] = {
	{ "each send errno counts once, under its reason", test_map },
};

int main(void)
{
	TAP_ADD_CASES(tests);
	return tap_run();
}
