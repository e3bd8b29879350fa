/*
 * fuzz.h - what the fuzz harnesses in tests/fuzz/ share.
 *
 * Each harness defines LLVMFuzzerTestOneInput(); libFuzzer calls it (make
 * fuzz-NAME, clang), or replay.c does in ordinary builds.  A harness
 * returns 0 for every input; a broken promise of the code under test
 * aborts through CHECK(), which libFuzzer reports as a crash and keeps
 * the input for.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_TESTS_FUZZ_H
#define VSW_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts, naming the check, when @expr is false. */
#define CHECK(expr)                                                            \
	do {                                                                   \
		if (!(expr)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n",           \
				__FILE__, __LINE__, #expr);                    \
			abort();                                               \
		}                                                              \
	} while (0)

#endif /* VSW_TESTS_FUZZ_H */
