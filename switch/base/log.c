/*
 * log.c - levelled, rate-limited logging to stderr.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "switch/base/util.h"

static enum log_level log_threshold = LOG_LVL_INFO;

static const char *const log_names[] = {
	[LOG_LVL_ERR] = "error",
	[LOG_LVL_WARN] = "warn",
	[LOG_LVL_INFO] = "info",
	[LOG_LVL_DEBUG] = "debug",
};

void log_set_level(enum log_level level)
{
	log_threshold = level;
}

enum log_level log_get_level(void)
{
	return log_threshold;
}

bool log_enabled(enum log_level level)
{
	return level <= log_threshold;
}

/**
 * log_level_from_name() - parse "error", "warn", "info" or "debug".
 * @name: level name, case-insensitive
 *
 * Return: the level, or -1 if @name is not one.
 */
int log_level_from_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(log_names); i++)
		if (!strcasecmp(name, log_names[i]))
			return (int)i;
	return -1;
}

const char *log_level_name(enum log_level level)
{
	return (unsigned int)level < ARRAY_SIZE(log_names) ? log_names[level]
							     : "?";
}

static uint64_t log_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void log_vemit(enum log_level level, int err, const char *fmt,
		      va_list ap)
{
	/* One fprintf per line so concurrent writers never split a line. */
	char line[1024];
	int n;

	n = snprintf(line, sizeof(line), "vswitchd: %s: ",
		     log_level_name(level));
	if (n < 0)
		return;
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (err) {
		size_t used = strlen(line);

		snprintf(line + used, sizeof(line) - used, ": %s",
			 strerror(err < 0 ? -err : err));
	}
	fprintf(stderr, "%s\n", line);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	log_vemit(level, 0, fmt, ap);
	va_end(ap);
}

void log_msg_errno(enum log_level level, int err, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	log_vemit(level, err, fmt, ap);
	va_end(ap);
}

/**
 * log_msg_rl() - log through a rate limiter.
 * @rl:		the call site's limiter
 * @level:	severity
 * @fmt:	printf format
 *
 * Lets @rl->burst lines through per @rl->interval_ms; the first line of the
 * next interval reports how many were suppressed meanwhile.
 */
void log_msg_rl(struct log_rl *rl, enum log_level level, const char *fmt, ...)
{
	uint64_t now;
	va_list ap;

	if (!log_enabled(level))
		return;
	now = log_clock_ms();
	if (now - rl->window_start >= rl->interval_ms) {
		if (rl->suppressed)
			log_msg(level, "(%lu similar messages suppressed)",
				rl->suppressed);
		rl->window_start = now;
		rl->used = 0;
		rl->suppressed = 0;
	}
	if (rl->used >= rl->burst) {
		rl->suppressed++;
		return;
	}
	rl->used++;
	va_start(ap, fmt);
	log_vemit(level, 0, fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_LVL_ERR, 0, fmt, ap);
	va_end(ap);
	exit(1);
}

/**
 * vsw_bug() - report a broken internal invariant and abort (VSW_BUG_ON).
 * @file:	source file
 * @line:	line
 * @what:	the condition that held
 */
void vsw_bug(const char *file, int line, const char *what)
{
	log_err("BUG at %s:%d: %s", file, line, what);
	abort();
}
