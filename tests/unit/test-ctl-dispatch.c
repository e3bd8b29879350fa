/*
 * test-ctl-dispatch.c - unit tests of the control dispatcher
 * (switch/control/ctl-dispatch.c) and of the daemon's command table.
 *
 * The dispatcher runs against a registry of its own here, with the
 * generic argument types only, so no daemon is needed: the order of the
 * checks (names, then the ready hook, then the values in declared order)
 * and the exact replies are what the protocol promises.  The daemon's
 * table is checked for what help shows: each command's synopsis names
 * exactly the arguments it declares.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switch/control/ctl-dispatch.h"
#include "switch/control/ctl.h"
#include "tests/tap.h"

static int ready_calls, fn_calls;
static bool ready_fails;

static int t_ready(struct ctl_req *req)
{
	ready_calls++;
	return ready_fails ? ctl_fail(req, -ENOENT, "not ready") : 0;
}

static int t_fn(struct ctl_req *req)
{
	const char *s = ctl_arg_str(req, "s");

	fn_calls++;
	req->result = json_pack("{s:s, s:I}", "s", s ? s : "-", "n",
				(json_int_t)ctl_arg_uint(req, "n", 7));
	return 0;
}

static int t_fail(struct ctl_req *req)
{
	(void)req;
	return -EBUSY;
}

static const struct ctl_cmd t_cmds[] = {
	{ .name = "t/args",
	  .synopsis = "s [n]",
	  .help = "",
	  .fn = t_fn,
	  .args = CTL_ARGS(CTL_ARG("s", ctl_type_string, true),
			   CTL_UINT("n", 1, 9)),
	  .ready = t_ready },
	{ .name = "t/fail", .synopsis = "", .help = "", .fn = t_fail },
};

static const struct ctl_registry t_reg = { .cmds = t_cmds, .n_cmds = 2 };

/* Dispatches @line; checks the reply is @want. */
static void expect(const char *line, const char *want)
{
	char *got = ctl_dispatch(&t_reg, NULL, line, strlen(line));

	TAP_CHECK(got);
	if (got && strcmp(got, want))
		tap_diag("request %s\n  got  %s\n  want %s", line, got, want);
	TAP_CHECK(got && !strcmp(got, want));
	free(got);
}

static void test_envelope(const void *data)
{
	(void)data;
	expect("[1]", "{\"ok\":false,\"errno\":22,\"error\":\"malformed request: "
		      "not a JSON object\"}");
	expect("{\"cmd\":1,\"id\":3}",
	       "{\"ok\":false,\"errno\":22,\"error\":\"malformed request: "
	       "\\\"cmd\\\" must be a string\",\"id\":3}");
	expect("{\"cmd\":\"x\"}", "{\"ok\":false,\"errno\":38,\"error\":"
				  "\"unknown command \\\"x\\\" (try "
				  "\\\"help\\\")\"}");
	expect("{\"cmd\":\"t/args\",\"args\":[]}",
	       "{\"ok\":false,\"errno\":22,\"error\":\"malformed request: "
	       "\\\"args\\\" must be an object\"}");
	expect("{\"cmd\":\"t/fail\",\"id\":\"a\"}",
	       "{\"ok\":false,\"errno\":16,\"error\":\"Device or resource "
	       "busy\",\"id\":\"a\"}");
	/* A message quoting bytes that are not UTF-8 still makes a reply. */
	expect("\"\\\xc7\xa3\"", "{\"ok\":false,\"errno\":22,\"error\":"
				 "\"malformed request: invalid escape near "
				 "'\\\"\\\\?'\"}");
}

static void test_order(const void *data)
{
	(void)data;
	ready_calls = fn_calls = 0;
	ready_fails = true;
	/* Names first, then readiness, then the values in declared order. */
	expect("{\"cmd\":\"t/args\",\"args\":{\"n\":0,\"x\":1}}",
	       "{\"ok\":false,\"errno\":22,\"error\":\"unknown argument "
	       "\\\"x\\\"\"}");
	TAP_CHECK_EQ(ready_calls, 0);
	expect("{\"cmd\":\"t/args\",\"args\":{\"n\":0}}",
	       "{\"ok\":false,\"errno\":2,\"error\":\"not ready\"}");
	ready_fails = false;
	expect("{\"cmd\":\"t/args\",\"args\":{\"n\":0}}",
	       "{\"ok\":false,\"errno\":22,\"error\":\"missing argument "
	       "\\\"s\\\"\"}");
	expect("{\"cmd\":\"t/args\",\"args\":{\"n\":0,\"s\":1}}",
	       "{\"ok\":false,\"errno\":22,\"error\":\"argument \\\"s\\\" "
	       "must be a string\"}");
	expect("{\"cmd\":\"t/args\",\"args\":{\"n\":0,\"s\":\"a\"}}",
	       "{\"ok\":false,\"errno\":22,\"error\":\"argument \\\"n\\\" "
	       "must be an integer from 1 to 9\"}");
	TAP_CHECK_EQ(fn_calls, 0);
	expect("{\"cmd\":\"t/args\",\"args\":{\"s\":\"a\"},\"id\":[1]}",
	       "{\"ok\":true,\"result\":{\"s\":\"a\",\"n\":7},\"id\":[1]}");
	expect("{\"cmd\":\"t/args\",\"args\":{\"s\":\"b\",\"n\":9}}",
	       "{\"ok\":true,\"result\":{\"s\":\"b\",\"n\":9}}");
	TAP_CHECK_EQ(fn_calls, 2);
}

/* help's synopsis of each command names exactly what it declares. */
static void test_table_synopsis(const void *data)
{
	size_t n;
	const struct ctl_cmd *cmds = ctl_cmds_table(&n);

	(void)data;
	for (size_t i = 0; i < n; i++) {
		char syn[256], *save = NULL, *w;
		size_t words = 0, declared = 0;

		TAP_CHECK(!cmds[i].own_args || !cmds[i].args);
		for (const struct ctl_arg *a = cmds[i].args; a && a->name; a++)
			declared++;
		TAP_CHECK(declared <= CTL_ARGS_MAX);
		if (cmds[i].own_args)
			continue;
		snprintf(syn, sizeof(syn), "%s", cmds[i].synopsis);
		for (w = strtok_r(syn, " []", &save); w;
		     w = strtok_r(NULL, " []", &save)) {
			const struct ctl_arg *a = cmds[i].args;

			while (a && a->name && strcmp(a->name, w))
				a++;
			if (!a || !a->name)
				tap_diag("%s: \"%s\" is not declared",
					 cmds[i].name, w);
			TAP_CHECK(a && a->name);
			words++;
		}
		TAP_CHECK_EQ(words, declared);
		for (size_t k = 0; k < i; k++)
			TAP_CHECK(strcmp(cmds[k].name, cmds[i].name));
	}
}

static const struct tap_case tests[] = {
	{ "envelope and replies", test_envelope },
	{ "order of the checks", test_order },
	{ "table: synopsis names the declarations", test_table_synopsis },
};

int main(void)
{
	TAP_ADD_CASES(tests);
	return tap_run();
}
