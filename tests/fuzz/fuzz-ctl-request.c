/*
 * fuzz-ctl-request.c - fuzz the control server's request parser and
 * argument checking (ctl_dispatch()).
 *
 * Built with -DVSW_FUZZ_LIBFUZZER (make fuzz-ctl-request, clang) it is a
 * libFuzzer target.  Linked with tests/fuzz/replay.c instead, it replays
 * the files named on its command line.
 *
 * The registry is the daemon's own command table (ctl_cmds_table()) with
 * every handler replaced by a test double: the declarations, the ready
 * hooks and the argument types are the real ones, and the port type looks
 * names up in a real switch core with two ports, but no command runs.
 * Real handlers would change the host (port/add opens sockets and TAP
 * devices, reload reads files, capture needs a connected client), and
 * what is under test is what happens before them.  The double checks
 * that the dispatcher kept its promises: no undeclared argument, every
 * required one present, every value of its type and range, a port
 * argument naming that very port.  Every reply must be one line of JSON:
 * an object with a boolean "ok", an errno and a message when false, the
 * request's "id" echoed.
 *
 * Input: the first byte chooses the mode.  Even: the rest is the request
 * line as it came.  Odd: the rest is the "args" of the command that the
 * byte picks, wrapped here as {"cmd": NAME, "args": REST}, so the fuzzer
 * reaches each command's checks without learning the envelope first.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switch/core/port.h"
#include "switch/config/cfg.h"
#include "switch/ctl-args.h"
#include "switch/control/ctl-dispatch.h"
#include "switch/control/ctl.h"
#include "switch/daemon.h"
#include "switch/core/eth.h"
#include "switch/base/log.h"
#include "switch/base/loop.h"
#include "switch/core/switch.h"
#include "tests/fuzz/fuzz.h"

enum { MAX_CMDS = 32 };

static struct vswd fz_d;
static struct ctl_cmd fz_cmds[MAX_CMDS];
static struct ctl_registry fz_reg;
static struct port fz_ports[2];
static const char *const fz_port_names[] = { "p0", "vm-tcp/1" };

static int fz_send(struct port *port UNUSED, const uint8_t *frame UNUSED,
		   size_t len UNUSED)
{
	return 0;
}

static void fz_destroy(struct port *port UNUSED)
{
}

static void fz_close(struct port *port UNUSED)
{
}

static const struct port_ops fz_ops = {
	.type = "fuzz",
	.send = fz_send,
	.destroy = fz_destroy,
	.close = fz_close,
};

/* What the dispatcher promised the handler; then echo the arguments. */
static int fz_handler(struct ctl_req *req)
{
	const struct ctl_cmd *cmd = req->cmd;
	const struct ctl_arg *a;
	const char *key;
	json_t *v;
	size_t i;

	CHECK(req->d == &fz_d && req->args && json_is_object(req->args));
	if (cmd->own_args) {
		CHECK(!cmd->args);
	} else {
		json_object_foreach(req->args, key, v) {
			for (a = cmd->args; a && a->name; a++)
				if (!strcmp(a->name, key))
					break;
			CHECK(a && a->name);
		}
	}
	for (i = 0, a = cmd->args; a && a->name; a++, i++) {
		const struct ctl_val *val = &req->val[i];

		v = json_object_get(req->args, a->name);
		CHECK(val == ctl_arg(req, a->name));
		CHECK(val->set == (v != NULL));
		CHECK(!a->required || val->set);
		if (!val->set) {
			CHECK(!val->str && !val->ptr && !val->json);
			continue;
		}
		CHECK(val->json == v);
		if (a->type == &ctl_type_string) {
			CHECK(json_is_string(v) &&
			      val->str == json_string_value(v));
		} else if (a->type == &ctl_type_uint) {
			CHECK(json_is_integer(v) && val->num >= a->min &&
			      val->num <= a->max &&
			      val->num == json_integer_value(v));
		} else if (a->type == &ctl_type_port) {
			CHECK(json_is_string(v) && val->ptr);
			CHECK(val->ptr == vsw_find_port(fz_d.sw, val->str));
			CHECK(ctl_arg_port(req, a->name) == val->ptr);
		} else if (a->type == &ctl_type_mac) {
			uint8_t mac[ETH_ADDR_LEN];

			CHECK(json_is_string(v) &&
			      eth_parse_mac(val->str, mac));
			CHECK(!memcmp(mac, ctl_arg_mac(req, a->name), sizeof(mac)));
		} else {
			CHECK(a->type == &ctl_type_json);
		}
	}
	/* Ready hooks run before the values are checked, not after. */
	CHECK(!cmd->ready || cmd->ready(req) == 0);
	req->result = json_incref(req->args);
	return 0;
}

static void fz_init(void)
{
	const struct ctl_cmd *cmds;
	struct vsw_params sc;
	size_t n;
	int err = 0;

	log_set_level(LOG_LVL_ERR);
	CHECK(cfg_default(&fz_d.cfg, NULL) == 0);
	sc = fz_d.cfg.sw;
	fz_d.loop = loop_new(&err);
	if (!fz_d.loop) {
		fprintf(stderr, "fuzz-ctl-request: no io_uring here (%s)\n",
			strerror(-err));
		exit(77);
	}
	fz_d.sw = vsw_new(fz_d.loop, &sc, &err);
	CHECK(fz_d.sw);
	for (size_t i = 0; i < ARRAY_SIZE(fz_ports); i++) {
		port_init(&fz_ports[i], &fz_ops, fz_d.sw, fz_port_names[i]);
		CHECK(vsw_add_port(fz_d.sw, &fz_ports[i]) == 0);
	}
	cmds = ctl_cmds_table(&n);
	CHECK(n <= MAX_CMDS);
	for (size_t i = 0; i < n; i++) {
		fz_cmds[i] = cmds[i];
		fz_cmds[i].fn = fz_handler;
	}
	fz_reg = (struct ctl_registry){ .cmds = fz_cmds, .n_cmds = n,
					.d = &fz_d };
}

/* The request as parsed, or NULL: what the reply must be checked against. */
static json_t *fz_parse(const char *line, size_t len)
{
	json_t *msg = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);

	if (msg && !json_is_object(msg)) {
		json_decref(msg);
		msg = NULL;
	}
	return msg;
}

static void fz_check_reply(const char *line, size_t len, const char *reply)
{
	json_t *r, *msg = fz_parse(line, len), *id = json_object_get(msg, "id");
	const char *name = json_string_value(json_object_get(msg, "cmd"));
	json_t *ok, *args;
	long long e;

	/* No allocation fails here, so there is always a reply. */
	CHECK(reply);
	CHECK(!strchr(reply, '\n'));
	r = json_loads(reply, 0, NULL);
	CHECK(json_is_object(r));
	ok = json_object_get(r, "ok");
	CHECK(json_is_boolean(ok));
	if (id)
		CHECK(json_equal(json_object_get(r, "id"), id));
	else
		CHECK(!json_object_get(r, "id"));
	if (json_is_true(ok)) {
		/* Only the doubles answer ok: they echo the arguments. */
		args = json_object_get(msg, "args");
		CHECK(name && ctl_registry_find(&fz_reg, name));
		CHECK(json_object_size(r) == (id ? 3u : 2u));
		if (args)
			CHECK(json_equal(json_object_get(r, "result"), args));
		else
			CHECK(json_object_size(json_object_get(r, "result")) ==
			      0);
	} else {
		e = json_integer_value(json_object_get(r, "errno"));
		CHECK(e > 0 && e < 4096);
		CHECK(json_string_length(json_object_get(r, "error")) > 0);
		CHECK(json_string_length(json_object_get(r, "error")) <
		      CTL_ERR_MAX);
		CHECK(json_object_size(r) == (id ? 4u : 3u));
		if (name && !ctl_registry_find(&fz_reg, name))
			CHECK(e == ENOSYS);
	}
	json_decref(r);
	json_decref(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	char *line, *reply;
	size_t len;

	if (!ready) {
		fz_init();
		ready = true;
	}
	if (!size)
		return 0;
	/* With an uplink and without: the ready hooks answer both ways. */
	fz_d.slirp = data[size - 1] & 1 ? &fz_ports[0] : NULL;
	if (data[0] & 1) {
		const char *name = fz_cmds[(data[0] >> 1) % fz_reg.n_cmds].name;
		static const char head[] = "{\"cmd\":\"", mid[] = "\",\"args\":";

		len = strlen(head) + strlen(name) + strlen(mid) + size - 1 + 1;
		line = malloc(len);
		CHECK(line);
		snprintf(line, len, "%s%s%s", head, name, mid);
		memcpy(line + strlen(line), data + 1, size - 1);
		line[len - 1] = '}';
	} else {
		len = size - 1;
		line = malloc(len ? len : 1);
		CHECK(line);
		memcpy(line, data + 1, len);
	}
	reply = ctl_dispatch(&fz_reg, NULL, line, len);
	fz_check_reply(line, len, reply);
	free(reply);
	free(line);
	return 0;
}
