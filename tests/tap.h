/*
 * tap.h - a tiny Test Anything Protocol framework for the unit tests.
 *
 * Each test case runs in a forked child, so a crash or a failed check in
 * one case is reported as "not ok" and the others still run.  Output is
 * TAP version 13, read by automake's tap-driver.sh.
 *
 *	static void test_learn(const void *data) { TAP_CHECK(x == 1); }
 *	static const struct tap_case tests[] = {
 *		{ "learn", test_learn },
 *	};
 *	int main(void) { TAP_ADD_CASES(tests); return tap_run(); }
 *
 * TAP_ADD_CASES() adds a table of cases; tap_add() adds one at a time, for
 * cases made at run time (one per seed or per file, say).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_TESTS_TAP_H
#define VSW_TESTS_TAP_H

#include <stdbool.h>

typedef void tap_test_fn(const void *data);

/* A case of a table; its function is called with NULL. */
struct tap_case {
	const char *name;
	tap_test_fn *fn;
};

void tap_add(const char *name, tap_test_fn *fn, const void *data);
int tap_run(void);

/* Adds the n cases of a table, in order, after any added before. */
void tap_add_cases(const struct tap_case *cases, unsigned int n);
#define TAP_ADD_CASES(cases)                                                   \
	tap_add_cases((cases),                                                 \
		      (unsigned int)(sizeof(cases) / sizeof((cases)[0])))

/* Marks the running case as skipped (with a reason) and ends it. */
void tap_skip(const char *reason) __attribute__((noreturn));

void tap_fail_at(const char *file, int line, const char *expr)
	__attribute__((noreturn));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Fails the running case, naming the expression, file and line. */
#define TAP_CHECK(expr)                                                        \
	do {                                                                   \
		if (!(expr))                                                   \
			tap_fail_at(__FILE__, __LINE__, #expr);                \
	} while (0)

#define TAP_CHECK_EQ(a, b)                                                     \
	do {                                                                   \
		long long a_ = (long long)(a), b_ = (long long)(b);            \
		if (a_ != b_) {                                                \
			tap_diag("%s = %lld, %s = %lld", #a, a_, #b, b_);      \
			tap_fail_at(__FILE__, __LINE__, #a " == " #b);         \
		}                                                              \
	} while (0)

#endif /* VSW_TESTS_TAP_H */
