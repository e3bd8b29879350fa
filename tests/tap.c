/*
 * tap.c - fork-per-case TAP runner (see tap.h).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "tests/tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum {
	TAP_MAX_CASES = 1024,
	TAP_EXIT_SKIP = 77,
	/* A case that hangs fails instead of stalling the suite. */
	TAP_CASE_TIMEOUT_S = 120,
};

struct tap_entry {
	const char *name;
	tap_test_fn *fn;
	const void *data;
};

static struct tap_entry tap_cases[TAP_MAX_CASES];
static unsigned int tap_n_cases;

void tap_add(const char *name, tap_test_fn *fn, const void *data)
{
	if (tap_n_cases == TAP_MAX_CASES) {
		fprintf(stderr, "tap: too many cases\n");
		exit(99);
	}
	tap_cases[tap_n_cases++] = (struct tap_entry){ name, fn, data };
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

void tap_fail_at(const char *file, int line, const char *expr)
{
	tap_diag("check failed at %s:%d: %s", file, line, expr);
	_exit(1);
}

void tap_skip(const char *reason)
{
	/* The parent prints the SKIP line; pass the reason through stdout. */
	printf("# skip reason: %s\n", reason);
	fflush(stdout);
	_exit(TAP_EXIT_SKIP);
}

int tap_run(void)
{
	unsigned int failed = 0;

	printf("TAP version 13\n1..%u\n", tap_n_cases);
	fflush(stdout);
	for (unsigned int i = 0; i < tap_n_cases; i++) {
		const struct tap_entry *tc = &tap_cases[i];
		int status = 0;
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 99;
		}
		if (pid == 0) {
			alarm(TAP_CASE_TIMEOUT_S);
			tc->fn(tc->data);
			fflush(stdout);
			_exit(0);
		}
		if (waitpid(pid, &status, 0) < 0) {
			perror("waitpid");
			return 99;
		}
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			printf("ok %u - %s\n", i + 1, tc->name);
		} else if (WIFEXITED(status) &&
			   WEXITSTATUS(status) == TAP_EXIT_SKIP) {
			printf("ok %u - %s # SKIP\n", i + 1, tc->name);
		} else {
			if (WIFSIGNALED(status))
				tap_diag("killed by signal %d",
					 WTERMSIG(status));
			printf("not ok %u - %s\n", i + 1, tc->name);
			failed++;
		}
		fflush(stdout);
	}
	return failed ? 1 : 0;
}

void tap_add_cases(const struct tap_case *cases, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		tap_add(cases[i].name, cases[i].fn, NULL);
}
