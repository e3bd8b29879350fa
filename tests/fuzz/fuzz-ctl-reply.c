/*
 * fuzz-ctl-reply.c - fuzz vswitchctl's reply parser and what it prints.
 *
 * Built with -DVSW_FUZZ_LIBFUZZER (make fuzz-ctl-reply, clang) it is a
 * libFuzzer target.  Linked with tests/fuzz/replay.c instead, it replays
 * the files named on its command line.
 *
 * Input: the first byte picks a subcommand (and --json or not); the rest
 * is everything "vswitchd" says on the connection: one reply line per
 * request the subcommand makes, a capture's pcap stream, or garbage.
 * The subcommand runs through vctl_run() exactly as from the command
 * line, its connection one end of a socketpair whose other end holds the
 * input and is then shut down.  Checks: the exit status is one that
 * vswitchctl(8) documents, and nothing from the daemon puts a control
 * character on the terminal (fmt_sanitize()'s promise): stdout and
 * stderr are caught in memory and scanned.  With --json, jansson escapes
 * the C0 controls and the scan is for those (it passes DEL and C1 through:
 * JSON output is for programs).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "switch/cli/vswitchctl.h"
#include "tests/fuzz/fuzz.h"

/* The subcommands, with the arguments that make each send a request. */
static const char *const fz_cmds[][8] = {
	{ "show" },
	{ "ports" },
	{ "ports", "-s" },
	{ "port", "show", "p0" },
	{ "port", "add", "{\"name\":\"x\",\"type\":\"stream\"}" },
	{ "port", "del", "p0" },
	{ "mac" },
	{ "mac", "show", "--port", "p0", "--vlan", "3" },
	{ "mac", "flush" },
	{ "mac", "add", "52:54:00:00:00:01", "p0", "--vlan", "2" },
	{ "mac", "del", "52:54:00:00:00:01" },
	{ "qemu-args", "p0" },
	{ "stats", "reset", "p0" },
	{ "log", "level" },
	{ "log", "level", "debug" },
	{ "reload" },
	{ "capture", "p0", "-w", "/dev/null", "-c", "3" },
	{ "capture", "p0", "-w", "/dev/null", "--snaplen", "100" },
	{ "leases" },
	{ "forwards" },
	{ "forwards", "add", "{\"proto\":\"tcp\",\"host_port\":1}" },
	{ "forwards", "del", "{\"host_port\":1}" },
	{ "raw", "show" },
	{ "raw", "mac/add", "{\"mac\":\"52:54:00:00:00:01\"}" },
	{ "__complete", "ports" },
};

/* True when @buf holds a byte that a terminal may act on. */
static bool fz_has_control(const char *buf, size_t len, bool json)
{
	const unsigned char *p = (const unsigned char *)buf;

	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\n')
			continue;
		if (p[i] < 0x20)
			return true;
		if (json)
			continue;
		if (p[i] == 0x7f ||
		    (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
		     p[i + 1] <= 0x9f))
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *const *words;
	struct vctl_ctx ctx = { .socket = "fuzz.sock", .timeout_ms = 1000 };
	char *argv[8], *out_buf = NULL, *err_buf = NULL;
	size_t out_len = 0, err_len = 0, off = 0;
	FILE *real_out = stdout, *real_err = stderr;
	int sv[2], argc = 0, ret;

	if (!size)
		return 0;
	words = fz_cmds[(data[0] >> 1) % ARRAY_SIZE(fz_cmds)];
	ctx.json = data[0] & 1;
	data++;
	size--;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
	CHECK(fcntl(sv[1], F_SETFL, O_NONBLOCK) == 0);
	/* What does not fit the socket's buffer is left out. */
	while (off < size) {
		ssize_t n = write(sv[1], data + off, size - off);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
	shutdown(sv[1], SHUT_WR);
	CHECK(fcntl(sv[0], F_SETFL, O_NONBLOCK) == 0);
	ctx.client = (struct vctl_client){ .fd = sv[0], .path = ctx.socket,
					   .timeout_ms = ctx.timeout_ms };

	while (argc < 7 && words[argc]) {
		argv[argc] = (char *)words[argc];
		argc++;
	}
	argv[argc] = NULL;

	stdout = open_memstream(&out_buf, &out_len);
	stderr = open_memstream(&err_buf, &err_len);
	CHECK(stdout && stderr);
	ret = vctl_run(&ctx, argc, argv);
	vctl_close(&ctx.client);
	fclose(stdout);
	fclose(stderr);
	stdout = real_out;
	stderr = real_err;
	close(sv[1]);

	CHECK(ret == VCTL_EXIT_OK || ret == VCTL_EXIT_ERROR ||
	      ret == VCTL_EXIT_CONNECT);
	/* raw prints the reply as JSON, --json or not. */
	if (fz_has_control(out_buf, out_len,
			   ctx.json || !strcmp(words[0], "raw")) ||
	    fz_has_control(err_buf, err_len, false)) {
		fprintf(stderr, "stdout:\n%.*s\nstderr:\n%.*s\n", (int)out_len,
			out_buf, (int)err_len, err_buf);
		CHECK(!"a control character reached the terminal");
	}
	free(out_buf);
	free(err_buf);
	return 0;
}
