/*
 * replay.c - main() for the fuzz harnesses built without libFuzzer.
 *
 * Each harness (tests/fuzz/fuzz-*.c) defines LLVMFuzzerTestOneInput().
 * Linked with this file instead of libFuzzer, it becomes a program that
 * feeds it every file named on the command line, so a crashing input
 * found by the fuzzer can be kept and replayed under the sanitizers of
 * an ordinary build.  Each input is passed in a buffer of exactly its
 * size, so a harness that reads past it shows up under ASan.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/fuzz/fuzz.h"

/* Reads all of @f.  Return: a malloc()ed copy of exactly *@len bytes. */
static uint8_t *read_all(FILE *f, size_t *len)
{
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap), *exact;

	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		cap *= 2;
		exact = realloc(buf, cap);
		if (!exact)
			free(buf);
		buf = exact;
	}
	if (!buf || ferror(f)) {
		free(buf);
		return NULL;
	}
	/* One byte at least, so that an empty input is still a buffer. */
	exact = malloc(n ? n : 1);
	if (exact)
		memcpy(exact, buf, n);
	free(buf);
	*len = n;
	return exact;
}

int main(int argc, char **argv)
{
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *data;
		size_t len = 0;

		if (!f) {
			perror(argv[i]);
			rc = 1;
			continue;
		}
		data = read_all(f, &len);
		fclose(f);
		if (!data) {
			fprintf(stderr, "%s: cannot read it\n", argv[i]);
			rc = 1;
			continue;
		}
		LLVMFuzzerTestOneInput(data, len);
		free(data);
		printf("%s: ok\n", argv[i]);
	}
	return rc;
}
