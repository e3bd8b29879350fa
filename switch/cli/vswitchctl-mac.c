/*
 * vswitchctl-mac.c - vswitchctl's MAC table subcommands: mac show, flush,
 * add and del.
 *
 * The daemon returns the table in hash order; we sort it by port, then
 * MAC, then VLAN, which is how people look for "what is behind port X".
 * Port names sort in version order, so vm/2 comes before vm/10.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "switch/cli/vswitchctl.h"

/**
 * struct mac_row - a MAC table entry, with its sort keys.
 * @mac:	address as the daemon wrote it
 * @port:	port name
 * @vlan:	VLAN ID
 * @e:		the entry (borrowed from the reply)
 */
struct mac_row {
	const char *mac;
	const char *port;
	long long vlan;
	const json_t *e;
};

/* By port (vm/2 before vm/10), then MAC, then VLAN. */
static int mac_row_cmp(const void *a, const void *b)
{
	const struct mac_row *x = a, *y = b;
	int c = strverscmp(x->port, y->port);

	if (!c)
		c = strcasecmp(x->mac, y->mac);
	if (!c)
		c = (x->vlan > y->vlan) - (x->vlan < y->vlan);
	return c;
}

/* --vlan V, shared by the mac subcommands. */
static int vlan_opt(struct vctl_ctx *ctx, json_t *args)
{
	long long v;

	if (!vctl_parse_ll(optarg, 0, 4095, &v))
		return vctl_usage_error(ctx, "bad VLAN '%s' (0 to 4095)",
					optarg);
	json_object_set_new(args, "vlan", json_integer(v));
	return VCTL_EXIT_OK;
}

/* Parses "52:54:00:12:34:56" (or with '-') into lower-case colon form. */
static bool parse_mac(const char *s, char out[18])
{
	static const char hex[] = "0123456789abcdef";

	if (strlen(s) != 17)
		return false;
	for (int i = 0; i < 17; i++) {
		if (i % 3 == 2) {
			if (s[i] != ':' && s[i] != '-')
				return false;
			out[i] = ':';
		} else {
			const char *h = strchr(hex, s[i] | 0x20);

			if (!h || !*h)
				return false;
			out[i] = *h;
		}
	}
	out[17] = '\0';
	return true;
}

/* vswitchctl mac [show]: "mac/show", sorted, with a count line. */
int cmd_mac_show(struct vctl_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, VCTL_OPT_PORT },
		{ "vlan", required_argument, NULL, VCTL_OPT_VLAN },
		{ NULL, 0, NULL, 0 },
	};
	json_t *args = json_object(), *r = NULL, *e;
	struct mac_row *rows = NULL;
	size_t n = 0, i;
	struct table t;
	int opt, ret = 0;

	while (!ret && (opt = vctl_getopt(ctx, argc, argv, "", opts)) != -1) {
		if (opt == VCTL_OPT_PORT)
			ret = vctl_str_arg(ctx, args, "port", optarg);
		else if (opt == VCTL_OPT_VLAN)
			ret = vlan_opt(ctx, args);
		else
			ret = vctl_usage_error(ctx, NULL);
	}
	if (!ret && optind < argc)
		ret = vctl_usage_error(ctx, "unexpected argument '%s'",
				       argv[optind]);
	if (ret) {
		json_decref(args);
		return ret;
	}
	ret = vctl_fetch(ctx, "mac/show", args, JSON_ARRAY, &r);
	if (ret || !r)
		return ret;

	rows = xcalloc(json_array_size(r), sizeof(*rows));
	json_array_foreach(r, i, e) {
		struct mac_row *row = &rows[n++];

		row->mac = jstr(e, "mac");
		row->port = jstr(e, "port");
		if (!row->mac || !row->port || !jint(e, "vlan", &row->vlan)) {
			ret = vctl_malformed();
			goto out;
		}
		row->e = e;
	}
	qsort(rows, n, sizeof(*rows), mac_row_cmp);

	table_init(&t);
	table_col(&t, "MAC", false);
	table_col(&t, "VLAN", true);
	table_col(&t, "PORT", false);
	table_col(&t, "AGE", true);
	table_col(&t, "TYPE", false);
	for (i = 0; i < n; i++) {
		const json_t *entry = rows[i].e;
		bool is_static = json_is_true(json_object_get(entry, "static"));
		long long age;
		char buf[32];

		table_row(&t);
		table_cell_str(&t, rows[i].mac);
		table_cell(&t, "%lld", rows[i].vlan);
		table_cell_str(&t, rows[i].port);
		if (!is_static && jint(entry, "age_s", &age))
			table_cell_str(&t, fmt_age(age, buf, sizeof(buf)));
		else
			table_cell_str(&t, NULL);
		table_cell_str(&t, is_static ? "static" : "learned");
	}
	table_print(&t, stdout);
	table_fini(&t);
	printf("%zu %s\n", n, n == 1 ? "entry" : "entries");
out:
	free(rows);
	json_decref(r);
	return ret;
}

/* vswitchctl mac flush [PORT]: "mac/flush". */
int cmd_mac_flush(struct vctl_ctx *ctx, int argc, char **argv)
{
	json_t *r;
	long long n;
	int ret;

	ret = vctl_operand_request(ctx, argc, argv, 0, "port", "mac/flush", &r);
	if (ret)
		return ret;
	if (ctx->json)
		print_json(r);
	else if (jint(r, "flushed", &n))
		printf("flushed %lld %s\n", n, n == 1 ? "entry" : "entries");
	else
		ret = vctl_malformed();
	json_decref(r);
	return ret;
}

/* mac add MAC PORT [--vlan V] and mac del MAC [--vlan V]. */
static int mac_edit(struct vctl_ctx *ctx, int argc, char **argv, bool add)
{
	static const struct option opts[] = {
		{ "vlan", required_argument, NULL, VCTL_OPT_VLAN },
		{ NULL, 0, NULL, 0 },
	};
	json_t *args = json_object();
	int opt, ret = 0, want = add ? 2 : 1;
	char mac[18];

	while (!ret && (opt = vctl_getopt(ctx, argc, argv, "", opts)) != -1)
		ret = opt == VCTL_OPT_VLAN ? vlan_opt(ctx, args)
					   : vctl_usage_error(ctx, NULL);
	if (!ret && argc - optind < want)
		ret = vctl_usage_error(ctx, "missing argument");
	else if (!ret && argc - optind > want)
		ret = vctl_usage_error(ctx, "unexpected argument '%s'",
				       argv[optind + want]);
	if (!ret && !parse_mac(argv[optind], mac))
		ret = vctl_usage_error(ctx,
				       "bad MAC address '%s' (write it as "
				       "52:54:00:12:34:56)",
				       argv[optind]);
	if (!ret) {
		json_object_set_new(args, "mac", json_string(mac));
		if (add)
			ret = vctl_str_arg(ctx, args, "port", argv[optind + 1]);
	}
	if (ret) {
		json_decref(args);
		return ret;
	}
	return vctl_request_quiet(ctx, add ? "mac/add" : "mac/del", args);
}

/* vswitchctl mac add MAC PORT [--vlan V]: "mac/add". */
int cmd_mac_add(struct vctl_ctx *ctx, int argc, char **argv)
{
	return mac_edit(ctx, argc, argv, true);
}

/* vswitchctl mac del MAC [--vlan V]: "mac/del". */
int cmd_mac_del(struct vctl_ctx *ctx, int argc, char **argv)
{
	return mac_edit(ctx, argc, argv, false);
}
