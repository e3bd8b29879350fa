/*
 * vswitchctl-main.c - vswitchctl's main(): the global options, then
 * vctl_run() for the subcommand.
 *
 * Apart from the rest so that the fuzz harness of the reply parser
 * (tests/fuzz/fuzz-ctl-reply.c) can run the subcommands without it.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switch/cli/vswitchctl.h"

/* -t: seconds, fractions allowed; 0 waits forever. */
static bool parse_timeout(const char *s, int *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < 0 ||
	    v > INT_MAX / 1000)
		return false;
	/* Rounded up: -t 0.0001 must not mean "forever". */
	*ms = v == 0 ? -1 : (int)(v * 1000 + 0.999);
	return true;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, VCTL_OPT_JSON },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static char *show_argv[] = { "show", NULL };
	struct vctl_ctx ctx = { .timeout_ms = 5000, .client = { .fd = -1 } };
	char sock[4096];
	int opt, ret;

	/* getopt's messages name the program, not the path it ran from. */
	argv[0] = "vswitchctl";
	while ((opt = getopt_long(argc, argv, "+s:t:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			ctx.socket = optarg;
			break;
		case VCTL_OPT_JSON:
			ctx.json = true;
			break;
		case 't':
			if (!parse_timeout(optarg, &ctx.timeout_ms)) {
				vctl_err("bad timeout '%s' (seconds, 0 for "
					 "none)",
					 optarg);
				return VCTL_EXIT_USAGE;
			}
			break;
		case 'h':
			vctl_print_usage(stdout, NULL);
			return VCTL_EXIT_OK;
		case 'V':
			printf("vswitchctl %s\n", PACKAGE_VERSION);
			return VCTL_EXIT_OK;
		default:
			fputs("Try 'vswitchctl help'.\n", stderr);
			return VCTL_EXIT_USAGE;
		}
	}
	if (!ctx.socket)
		ctx.socket = vctl_default_socket(sock, sizeof(sock));
	argc -= optind;
	argv += optind;
	if (!argc) {
		argc = 1;
		argv = show_argv;
	}

	ret = vctl_run(&ctx, argc, argv);
	vctl_close(&ctx.client);
	if (fflush(stdout) || ferror(stdout)) {
		vctl_err("cannot write the output: %s", strerror(errno));
		if (!ret)
			ret = VCTL_EXIT_ERROR;
	}
	return ret;
}
