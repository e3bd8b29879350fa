/*
 * vswitchctl-ports.c - vswitchctl's switch and port subcommands: show,
 * ports, port show|add|del, qemu-args and stats reset.
 *
 * The tables follow `ip -s link`: the short form fits a terminal, -s adds
 * the byte counts and one column per drop reason.  DROPS sums the drop
 * counters so that a glance tells whether a port loses frames.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "switch/cli/vswitchctl.h"

/* vswitchctl show: "show" as a "key: value" block. */
int cmd_show(struct vctl_ctx *ctx, int argc, char **argv)
{
	static const char *const mac_skip[] = { "entries", "max", "aging_s",
						NULL };
	/* Members shown below in their own way; others are shown as is. */
	static const char *const known[] = {
		"version", "pid",	  "uptime_s", "started",
		"config",  "runtime_dir", "control",  "log_level",
		"ports",   "mac",	  NULL,
	};
	json_t *r, *o, *v;
	const char *key, *s;
	long long a, b;
	struct table t;
	char buf[64];
	int ret;

	ret = vctl_no_options(ctx, argc, argv, 0, 0);
	if (!ret)
		ret = vctl_fetch(ctx, "show", NULL, JSON_OBJECT, &r);
	if (ret || !r)
		return ret;

	table_init_kv(&t);
	if ((s = jstr(r, "version")))
		table_kv_add(&t, "version", "%s", s);
	if (jint(r, "pid", &a))
		table_kv_add(&t, "pid", "%lld", a);
	if (jint(r, "uptime_s", &a)) {
		char since[32];
		struct tm tm;
		time_t t0;

		fmt_uptime(a, buf, sizeof(buf));
		if (jint(r, "started", &b) && (t0 = (time_t)b) == b &&
		    localtime_r(&t0, &tm) &&
		    strftime(since, sizeof(since), "%Y-%m-%d %H:%M:%S", &tm))
			table_kv_add(&t, "uptime", "%s (since %s)", buf, since);
		else
			table_kv_add(&t, "uptime", "%s", buf);
	}
	o = json_object_get(r, "config");
	if (json_is_string(o))
		table_kv_add(&t, "config", "%s", json_string_value(o));
	else if (json_is_null(o))
		table_kv_add(&t, "config", "(built-in default)");
	if ((s = jstr(r, "runtime_dir")))
		table_kv_add(&t, "runtime dir", "%s", s);
	o = json_object_get(r, "control");
	if (json_is_string(o)) {
		table_kv_add(&t, "control", "%s", json_string_value(o));
	} else if (json_is_object(o)) {
		static const char *const ctl_skip[] = { "path", "clients",
							"max_clients", NULL };
		char *m = fmt_members(o, ctl_skip), *clients;

		/* "/run/vswitchd/ctl.sock, 1 of 16 clients, ..." */
		if (jint(o, "clients", &a) && jint(o, "max_clients", &b))
			clients = xasprintf(", %lld of %lld clients", a, b);
		else
			clients = xstrdup("");
		s = jstr(o, "path");
		table_kv_add(&t, "control", "%s%s%s%s", s ? s : "-", clients,
			     *m ? ", " : "", m);
		free(clients);
		free(m);
	}
	if ((s = jstr(r, "log_level")))
		table_kv_add(&t, "log level", "%s", s);
	o = json_object_get(r, "ports");
	if (jint(o, "count", &a) && jint(o, "max", &b))
		table_kv_add(&t, "ports", "%lld of %lld", a, b);
	o = json_object_get(r, "mac");
	if (jint(o, "entries", &a) && jint(o, "max", &b)) {
		long long aging;

		if (jint(o, "aging_s", &aging))
			table_kv_add(&t, "MAC table",
				     "%lld of %lld entries, aging %s", a, b,
				     fmt_age(aging, buf, sizeof(buf)));
		else
			table_kv_add(&t, "MAC table", "%lld of %lld entries", a,
				     b);
	}
	if (json_is_object(o)) {
		char *m = fmt_members(o, mac_skip);

		if (*m)
			table_kv_add(&t, "MAC events", "%s", m);
		free(m);
	}
	/* The rest (forwarding, io_uring, whatever comes later) as is. */
	json_object_foreach(r, key, v) {
		bool skip = false;
		char *m;

		for (const char *const *k = known; *k; k++)
			skip |= !strcmp(*k, key);
		if (skip)
			continue;
		m = json_is_object(v) ? fmt_members(v, NULL) : fmt_value(v);
		table_kv_add(&t, key, "%s", m);
		free(m);
	}
	table_print(&t, stdout);
	table_fini(&t);
	json_decref(r);
	return ret;
}

/* --- ports ------------------------------------------------------------- */

/*
 * The naming rule of the protocol's port stats: every rx_* counter but
 * rx_frames and rx_bytes, and every tx_drop_* one, counts frames that
 * went nowhere, for the reason its name gives.  Going by the rule rather
 * than a list keeps the columns right when the daemon learns new reasons.
 */
static bool is_drop_key(const char *key)
{
	if (!strncmp(key, "rx_", 3))
		return strcmp(key, "rx_frames") && strcmp(key, "rx_bytes");
	return !strncmp(key, "tx_drop", 7);
}

/*
 * DROPS sums the faults only: rx_hairpin (the destination is on the
 * segment the frame came from) and rx_echo (our own multicast heard back)
 * count frames that rightly go nowhere.
 */
static bool is_fault_key(const char *key)
{
	return is_drop_key(key) && strcmp(key, "rx_hairpin") &&
	       strcmp(key, "rx_echo");
}

static long long drop_sum(const json_t *stats)
{
	long long sum = 0;
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)stats, key, v)
		if (is_fault_key(key) && json_is_integer(v))
			sum += json_integer_value(v);
	return sum;
}

/* The PEER column: the peer's address, or the pid of a UNIX peer. */
static char *peer_text(const json_t *port)
{
	const char *peer = jstr(port, "peer");
	long long pid;

	if (jint(port, "pid", &pid))
		return xasprintf("pid=%lld", pid);
	return xstrdup(peer && *peer ? peer : "-");
}

/* An integer member as a cell, "-" if it is missing. */
static void int_cell(struct table *t, const json_t *o, const char *key)
{
	long long v;

	if (jint(o, key, &v))
		table_cell(t, "%lld", v);
	else
		table_cell_str(t, NULL);
}

/* vswitchctl ports [-s]: "port/list" as a table. */
int cmd_ports(struct vctl_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "stats", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	json_t *r, *port, *drops = NULL;
	bool stats = false;
	struct table t;
	const char *key;
	size_t i;
	json_t *v;
	int opt, ret;

	while ((opt = vctl_getopt(ctx, argc, argv, "s", opts)) != -1) {
		if (opt != 's')
			return vctl_usage_error(ctx, NULL);
		stats = true;
	}
	if (optind < argc)
		return vctl_usage_error(ctx, "unexpected argument '%s'",
					argv[optind]);
	ret = vctl_fetch(ctx, "port/list", NULL, JSON_ARRAY, &r);
	if (ret || !r)
		return ret;
	json_array_foreach(r, i, port) {
		if (!json_is_object(port)) {
			ret = vctl_malformed();
			goto out;
		}
	}

	table_init(&t);
	table_col(&t, "NAME", false);
	table_col(&t, "TYPE", false);
	table_col(&t, "STATE", false);
	table_col(&t, "PEER", false);
	table_col(&t, "MACS", true);
	table_col(&t, "RX-FRAMES", true);
	if (stats)
		table_col(&t, "RX-BYTES", true);
	table_col(&t, "TX-FRAMES", true);
	if (stats)
		table_col(&t, "TX-BYTES", true);
	table_col(&t, "DROPS", true);
	if (stats) {
		/* A column per drop reason any port has; an ordered set. */
		drops = json_object();
		json_array_foreach(r, i, port)
			json_object_foreach(json_object_get(port, "stats"), key,
					    v)
				if (is_drop_key(key))
					json_object_set(drops, key,
							json_true());
		json_object_foreach(drops, key, v) {
			char *title = fmt_key_title(key);

			table_col(&t, title, true);
			free(title);
		}
	}

	json_array_foreach(r, i, port) {
		const json_t *st = json_object_get(port, "stats");
		char *peer = peer_text(port);

		table_row(&t);
		table_cell_str(&t, jstr(port, "name"));
		table_cell_str(&t, jstr(port, "type"));
		table_cell_str(&t, jstr(port, "state"));
		table_cell_str(&t, peer);
		free(peer);
		int_cell(&t, port, "macs");
		int_cell(&t, st, "rx_frames");
		if (stats)
			int_cell(&t, st, "rx_bytes");
		int_cell(&t, st, "tx_frames");
		if (stats)
			int_cell(&t, st, "tx_bytes");
		if (json_is_object(st))
			table_cell(&t, "%lld", drop_sum(st));
		else
			table_cell_str(&t, NULL);
		json_object_foreach(drops, key, v)
			int_cell(&t, st, key);
	}
	table_print(&t, stdout);
	table_fini(&t);
out:
	json_decref(drops);
	json_decref(r);
	return ret;
}

/* --- port show | add | del --------------------------------------------- */

/* vswitchctl port show NAME: "port/show", every counter included. */
int cmd_port_show(struct vctl_ctx *ctx, int argc, char **argv)
{
	json_t *args, *r, *v, *q;
	const char *key;
	struct table t;
	int ret;

	ret = vctl_operand_args(ctx, argc, argv, 1, "name", &args);
	if (!ret)
		ret = vctl_fetch(ctx, "port/show", args, JSON_OBJECT, &r);
	if (ret || !r)
		return ret;

	table_init_kv(&t);
	json_object_foreach(r, key, v) {
		char *s;

		if (!strcmp(key, "stats") || !strcmp(key, "tx_queue") ||
		    !strcmp(key, "config"))
			continue;
		s = fmt_value(v);
		table_kv_add(&t, key, "%s", s);
		free(s);
	}
	q = json_object_get(r, "tx_queue");
	if (json_is_object(q)) {
		long long f, mf, b, mb;

		if (jint(q, "frames", &f) && jint(q, "max_frames", &mf) &&
		    jint(q, "bytes", &b) && jint(q, "max_bytes", &mb))
			table_kv_add(&t, "tx_queue",
				     "%lld/%lld frames, %lld/%lld "
				     "bytes",
				     f, mf, b, mb);
		else
			table_kv_add(&t, "tx_queue", "%s", "?");
	}
	/* Every counter, zeros included: "why is nothing arriving?" */
	json_object_foreach(json_object_get(r, "stats"), key, v) {
		char *s = fmt_value(v);

		table_kv_add(&t, key, "%s", s);
		free(s);
	}
	v = json_object_get(r, "config");
	if (v) {
		char *s = fmt_value(v);

		table_kv_add(&t, "config", "%s", s);
		free(s);
	}
	table_print(&t, stdout);
	table_fini(&t);
	json_decref(r);
	return ret;
}

/* vswitchctl port add JSON|-f FILE: "port/add". */
int cmd_port_add(struct vctl_ctx *ctx, int argc, char **argv)
{
	const char *file = NULL;
	json_error_t jerr;
	json_t *port;
	int opt;

	while ((opt = vctl_getopt(ctx, argc, argv, "f:", NULL)) != -1) {
		if (opt != 'f')
			return vctl_usage_error(ctx, NULL);
		file = optarg;
	}
	if (!!file == (argc - optind == 1) || argc - optind > 1)
		return vctl_usage_error(ctx, "give the port as JSON or with -f "
					     "FILE");
	if (!file)
		port = json_loads(argv[optind], JSON_REJECT_DUPLICATES, &jerr);
	else if (!strcmp(file, "-"))
		port = json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr);
	else
		port = json_load_file(file, JSON_REJECT_DUPLICATES, &jerr);
	if (!port) {
		if (file && jerr.line < 0)
			vctl_err("%s", jerr.text); /* cannot read */
		else
			vctl_err("%s:%d:%d: %s", file ? file : "port JSON",
				 jerr.line, jerr.column, jerr.text);
		return file ? VCTL_EXIT_ERROR : VCTL_EXIT_USAGE;
	}
	if (!json_is_object(port)) {
		json_decref(port);
		return vctl_usage_error(ctx, "the port must be a JSON object, "
					     "as in vswitchd.json");
	}
	return vctl_request_quiet(ctx, "port/add",
				  json_pack("{so}", "port", port));
}

/* vswitchctl port del NAME: "port/del". */
int cmd_port_del(struct vctl_ctx *ctx, int argc, char **argv)
{
	json_t *args;
	int ret;

	ret = vctl_operand_args(ctx, argc, argv, 1, "name", &args);
	if (!ret)
		ret = vctl_request_quiet(ctx, "port/del", args);
	return ret;
}

/* vswitchctl qemu-args PORT: the command line alone, ready to paste. */
int cmd_qemu_args(struct vctl_ctx *ctx, int argc, char **argv)
{
	json_t *r;
	const char *s;
	int ret;

	ret = vctl_operand_request(ctx, argc, argv, 1, "port", "qemu-args", &r);
	if (ret)
		return ret;
	if (ctx->json) {
		print_json(r);
	} else if ((s = jstr(r, "command")) || (s = jstr(r, "netdev"))) {
		char *line = xstrdup(s);

		fmt_sanitize(line);
		printf("%s\n", line);
		free(line);
	} else {
		ret = vctl_malformed();
	}
	json_decref(r);
	return ret;
}

/* vswitchctl stats reset [PORT]: "stats/reset". */
int cmd_stats_reset(struct vctl_ctx *ctx, int argc, char **argv)
{
	json_t *args;
	int ret;

	ret = vctl_operand_args(ctx, argc, argv, 0, "port", &args);
	if (ret)
		return ret;
	return vctl_request_quiet(ctx, "stats/reset", args);
}
