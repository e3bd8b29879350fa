/*
 * log.h - levelled logging to stderr, with rate limiting for the data path.
 *
 * Everything after start-up that a peer can trigger (a bad frame, a broken
 * connection) must log through the *_rl() variants: a hostile guest must not
 * be able to fill the journal.  A struct log_rl lives next to the call site
 * (usually static) and lets through a burst, then one line per interval with
 * a count of what was suppressed.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_LOG_H
#define VSW_SWITCH_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "switch/base/util.h"

/** enum log_level - severity, most severe first. */
enum log_level {
	LOG_LVL_ERR,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

/**
 * struct log_rl - rate limiter state for one call site.
 * @burst:	lines let through per interval
 * @interval_ms: length of an interval
 * @window_start: start of the current interval (monotonic ms)
 * @used:	lines emitted in this interval
 * @suppressed:	lines swallowed since the last emitted one
 */
struct log_rl {
	unsigned int burst;
	uint64_t interval_ms;
	uint64_t window_start;
	unsigned int used;
	unsigned long suppressed;
};

#define LOG_RL_INIT(burst_, interval_ms_)                                      \
	{ .burst = (burst_), .interval_ms = (interval_ms_) }

void log_set_level(enum log_level level);
enum log_level log_get_level(void);
int log_level_from_name(const char *name);
const char *log_level_name(enum log_level level);
bool log_enabled(enum log_level level);

void log_msg(enum log_level level, const char *fmt, ...) PRINTF_FMT(2, 3);
void log_msg_errno(enum log_level level, int err, const char *fmt, ...)
	PRINTF_FMT(3, 4);
void log_msg_rl(struct log_rl *rl, enum log_level level, const char *fmt, ...)
	PRINTF_FMT(3, 4);

#define log_err(...) log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...)                                                         \
	do {                                                                   \
		if (log_enabled(LOG_LVL_DEBUG))                                \
			log_msg(LOG_LVL_DEBUG, __VA_ARGS__);                   \
	} while (0)
/* @err is a negative errno, as returned by our own APIs. */
#define log_err_errno(err, ...) log_msg_errno(LOG_LVL_ERR, err, __VA_ARGS__)
#define log_warn_errno(err, ...) log_msg_errno(LOG_LVL_WARN, err, __VA_ARGS__)
#define log_warn_rl(rl, ...) log_msg_rl(rl, LOG_LVL_WARN, __VA_ARGS__)
#define log_info_rl(rl, ...) log_msg_rl(rl, LOG_LVL_INFO, __VA_ARGS__)

/* die() is for start-up only (argv, config): after the loop runs, close ports. */
void die(const char *fmt, ...) PRINTF_FMT(1, 2) __attribute__((noreturn));

#endif /* VSW_SWITCH_LOG_H */
