/*
 * vswitchctl.c - command-line client of vswitchd's control socket.
 *
 * WireGuard's wg.c pattern: a static table maps each subcommand to a
 * function that builds one request, sends it, and prints the reply as a
 * human table, or as pretty JSON with --json.  The table also drives the
 * usage text and the dispatch of two-word commands ("port show").  The
 * wire protocol is docs/control-protocol.md; the user documentation is
 * docs/vswitchctl.8.md.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switch/cli/vswitchctl.h"

/* --- helpers for the subcommands ---------------------------------------- */

/**
 * vctl_usage_error() - report a bad command line.
 * @ctx:	the run, whose @cmd gives the synopsis to print
 * @fmt:	what is wrong (printf format), or NULL if getopt said it
 *
 * Return: VCTL_EXIT_USAGE.
 */
int vctl_usage_error(struct vctl_ctx *ctx, const char *fmt, ...)
{
	const struct subcommand *sc = ctx->cmd;
	va_list ap;

	if (fmt) {
		fputs("vswitchctl: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fprintf(stderr, "usage: vswitchctl %s%s%s%s%s\n", sc->name,
		sc->sub ? " " : "", sc->sub ? sc->sub : "",
		*sc->args ? " " : "", sc->args);
	return VCTL_EXIT_USAGE;
}

/**
 * vctl_getopt() - getopt_long() for a subcommand's options.
 * @ctx:	the run; --json sets its @json
 * @argc:	as for getopt_long()
 * @argv:	as for getopt_long()
 * @shortopts:	as for getopt_long()
 * @longopts:	as for getopt_long() (at most 6), or NULL
 *
 * Every subcommand also takes --json here, so that "vswitchctl ports
 * --json" works as well as "vswitchctl --json ports".
 *
 * Return: as getopt_long(), never VCTL_OPT_JSON.
 */
int vctl_getopt(struct vctl_ctx *ctx, int argc, char **argv,
		const char *shortopts, const struct option *longopts)
{
	struct option all[8];
	size_t n = 0;

	for (; longopts && longopts[n].name && n < ARRAY_SIZE(all) - 2; n++)
		all[n] = longopts[n];
	all[n++] = (struct option){ "json", no_argument, NULL, VCTL_OPT_JSON };
	all[n] = (struct option){ NULL, 0, NULL, 0 };
	for (;;) {
		int opt = getopt_long(argc, argv, shortopts, all, NULL);

		if (opt != VCTL_OPT_JSON)
			return opt;
		ctx->json = true;
	}
}

/**
 * vctl_no_options() - parse the command line of a subcommand that has no
 * options of its own, and check the number of its arguments.
 * @ctx:	the run
 * @argc:	argument count from the subcommand's word on
 * @argv:	arguments from the subcommand's word on
 * @min:	fewest arguments
 * @max:	most arguments
 *
 * The arguments are then argv[optind] to argv[argc - 1].
 *
 * Return: VCTL_EXIT_OK, or VCTL_EXIT_USAGE after saying what is wrong.
 */
int vctl_no_options(struct vctl_ctx *ctx, int argc, char **argv, int min,
		    int max)
{
	if (vctl_getopt(ctx, argc, argv, "", NULL) != -1)
		return vctl_usage_error(ctx, NULL);
	if (argc - optind < min)
		return vctl_usage_error(ctx, "missing argument");
	if (argc - optind > max)
		return vctl_usage_error(ctx, "unexpected argument '%s'",
					argv[optind + max]);
	return VCTL_EXIT_OK;
}

/**
 * vctl_parse_ll() - parse a whole decimal integer within bounds.
 * @s:		text
 * @min:	smallest value accepted
 * @max:	largest value accepted
 * @out:	set to the value on success
 *
 * Return: true on success.
 */
bool vctl_parse_ll(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/**
 * vctl_str_arg() - set a request argument to a command-line string.
 * @ctx:	the run
 * @args:	arguments object of the request
 * @key:	member to set
 * @s:		the string; JSON needs it in UTF-8
 *
 * Return: VCTL_EXIT_OK, or VCTL_EXIT_USAGE if @s is not UTF-8.
 */
int vctl_str_arg(struct vctl_ctx *ctx, json_t *args, const char *key,
		 const char *s)
{
	json_t *j = json_string(s);

	if (!j)
		return vctl_usage_error(ctx, "'%s' is not valid UTF-8", s);
	json_object_set_new(args, key, j);
	return VCTL_EXIT_OK;
}

/**
 * vctl_str_args() - a new arguments object with one string member.
 * @ctx:	the run
 * @args:	set to the new object on success, caller owns
 * @key:	member name
 * @s:		command-line string, which JSON needs in UTF-8
 *
 * Return: VCTL_EXIT_OK, or VCTL_EXIT_USAGE if @s is not UTF-8.
 */
int vctl_str_args(struct vctl_ctx *ctx, json_t **args, const char *key,
		  const char *s)
{
	int ret;

	*args = json_object();
	ret = vctl_str_arg(ctx, *args, key, s);
	if (ret) {
		json_decref(*args);
		*args = NULL;
	}
	return ret;
}

/**
 * vctl_operand_args() - the request arguments of a subcommand that has no
 * options and one operand, required or not.
 * @ctx:	the run
 * @argc:	argument count from the subcommand's word on
 * @argv:	arguments from the subcommand's word on
 * @min:	1 if the operand is required, 0 if it may be left out
 * @key:	the member the operand goes to
 * @args:	set to a new object on success, caller owns: @key set to the
 *		operand, or empty when it was left out; NULL on failure
 *
 * The command line is checked as vctl_no_options() does, before the
 * operand's UTF-8.
 *
 * Return: VCTL_EXIT_OK, or VCTL_EXIT_USAGE after saying what is wrong.
 */
int vctl_operand_args(struct vctl_ctx *ctx, int argc, char **argv, int min,
		      const char *key, json_t **args)
{
	int ret = vctl_no_options(ctx, argc, argv, min, 1);

	*args = NULL;
	if (ret)
		return ret;
	if (optind == argc) {
		*args = json_object();
		return VCTL_EXIT_OK;
	}
	return vctl_str_args(ctx, args, key, argv[optind]);
}

/**
 * vctl_operand_request() - vctl_operand_args(), then the request.
 * @ctx:	the run
 * @argc:	argument count from the subcommand's word on
 * @argv:	arguments from the subcommand's word on
 * @min:	1 if the operand is required, 0 if it may be left out
 * @key:	the member the operand goes to
 * @method:	the request
 * @reply:	set as vctl_request() does
 *
 * Return: as vctl_operand_args(), then as vctl_request().
 */
int vctl_operand_request(struct vctl_ctx *ctx, int argc, char **argv, int min,
			 const char *key, const char *method, json_t **reply)
{
	json_t *args;
	int ret = vctl_operand_args(ctx, argc, argv, min, key, &args);

	return ret ? ret : vctl_request(ctx, method, args, reply);
}

/* --- log level, reload ------------------------------------------------ */

static int cmd_log_level(struct vctl_ctx *ctx, int argc, char **argv)
{
	json_t *r;
	const char *level;
	int ret;

	ret = vctl_operand_request(ctx, argc, argv, 0, "level", "log/level", &r);
	if (ret)
		return ret;
	if (ctx->json)
		print_json(r);
	else if ((level = jstr(r, "level")))
		print_safe_line(level);
	else
		ret = vctl_malformed();
	json_decref(r);
	return ret;
}

/*
 * Every member as a line, lists joined: "added: vm2", "unchanged: 2",
 * "restart required: control.path".
 */
static int cmd_reload(struct vctl_ctx *ctx, int argc, char **argv)
{
	const char *key;
	struct table t;
	json_t *r, *v;
	int ret;

	ret = vctl_no_options(ctx, argc, argv, 0, 0);
	if (!ret)
		ret = vctl_fetch(ctx, "reload", NULL, JSON_OBJECT, &r);
	if (ret || !r)
		return ret;
	table_init_kv(&t);
	json_object_foreach(r, key, v) {
		char *words = fmt_key_words(key);
		char *s = json_is_array(v) ? fmt_list(v) : fmt_value(v);

		table_kv_add(&t, words, "%s", s);
		free(words);
		free(s);
	}
	table_print(&t, stdout);
	table_fini(&t);
	json_decref(r);
	return ret;
}

/* --- leases, forwards: commands of later daemons ------------------------- */

static int feature_list(struct vctl_ctx *ctx, const char *cmd, const char *what)
{
	json_t *r;
	int ret;

	ret = vctl_request_feature(ctx, cmd, NULL, what, &r);
	if (ret)
		return ret;
	if (ctx->json)
		print_json(r);
	else
		ret = table_print_any(r);
	json_decref(r);
	return ret;
}

static int cmd_leases(struct vctl_ctx *ctx, int argc, char **argv)
{
	int ret = vctl_no_options(ctx, argc, argv, 0, 0);

	return ret ? ret : feature_list(ctx, "dhcp/leases", "DHCP leases");
}

static int cmd_forwards_list(struct vctl_ctx *ctx, int argc, char **argv)
{
	int ret = vctl_no_options(ctx, argc, argv, 0, 0);

	return ret ? ret : feature_list(ctx, "forwards/list", "port forwards");
}

/* forwards add JSON, forwards del JSON: the arguments object as is. */
static int forwards_edit(struct vctl_ctx *ctx, int argc, char **argv,
			 const char *cmd)
{
	json_error_t jerr;
	json_t *args, *r;
	int ret;

	ret = vctl_no_options(ctx, argc, argv, 1, 1);
	if (ret)
		return ret;
	args = json_loads(argv[optind], JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(args)) {
		json_decref(args);
		return vctl_usage_error(ctx,
					"the forward must be a JSON object%s%s",
					args ? "" : ": ",
					args ? "" : jerr.text);
	}
	ret = vctl_request_feature(ctx, cmd, args, "port forwards", &r);
	if (ret)
		return ret;
	if (ctx->json)
		print_json(r);
	json_decref(r);
	return ret;
}

static int cmd_forwards_add(struct vctl_ctx *ctx, int argc, char **argv)
{
	return forwards_edit(ctx, argc, argv, "forwards/add");
}

static int cmd_forwards_del(struct vctl_ctx *ctx, int argc, char **argv)
{
	return forwards_edit(ctx, argc, argv, "forwards/del");
}

/* --- raw, help, __complete ---------------------------------------------- */

static int cmd_raw(struct vctl_ctx *ctx, int argc, char **argv)
{
	json_t *args = NULL, *reply, *probe;
	json_error_t jerr;
	int ret;

	ret = vctl_no_options(ctx, argc, argv, 1, 2);
	if (ret)
		return ret;
	/* The command goes into a JSON string, which must be UTF-8. */
	probe = json_string(argv[optind]);
	if (!probe)
		return vctl_usage_error(ctx, "'%s' is not valid UTF-8",
					argv[optind]);
	json_decref(probe);
	if (argc - optind == 2) {
		args = json_loads(argv[optind + 1],
				  JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
				  &jerr);
		if (!args)
			return vctl_usage_error(ctx, "JSON-ARGS: %s",
						jerr.text);
	}
	ret = vctl_call(ctx, argv[optind], args, &reply);
	if (ret)
		return ret;
	/* The whole reply, "ok" and "errno" included: this is for debugging. */
	print_json(reply);
	ret = json_is_true(json_object_get(reply, "ok")) ? VCTL_EXIT_OK
							 : VCTL_EXIT_ERROR;
	json_decref(reply);
	return ret;
}

static int cmd_help(struct vctl_ctx *ctx, int argc, char **argv)
{
	int ret = vctl_no_options(ctx, argc, argv, 0, 1);

	if (ret)
		return ret;
	vctl_print_usage(stdout, optind < argc ? argv[optind] : NULL);
	return VCTL_EXIT_OK;
}

/* For the bash completion: "__complete ports" prints the port names. */
static int cmd_complete(struct vctl_ctx *ctx, int argc, char **argv)
{
	json_t *r, *port;
	size_t i;
	int ret;

	ret = vctl_no_options(ctx, argc, argv, 1, 1);
	if (ret)
		return ret;
	if (strcmp(argv[optind], "ports"))
		return vctl_usage_error(ctx, NULL);
	ret = vctl_request(ctx, "port/list", NULL, &r);
	if (ret)
		return ret;
	json_array_foreach(r, i, port) {
		const char *name = jstr(port, "name");

		/* A name with a space or newline cannot be completed anyway. */
		if (name && !strpbrk(name, " \t\n"))
			print_safe_line(name);
	}
	json_decref(r);
	return VCTL_EXIT_OK;
}

/* --- the command table, usage and main ----------------------------------- */

static const struct subcommand subcommands[] = {
	{ .name = "show",
	  .fn = cmd_show,
	  .args = "",
	  .help = "summary of the switch and its counters" },
	{ .name = "ports",
	  .fn = cmd_ports,
	  .args = "[-s|--stats]",
	  .help = "ports and counters (-s: bytes, drop reasons)" },
	{ .name = "port",
	  .sub = "show",
	  .fn = cmd_port_show,
	  .args = "NAME",
	  .help = "all details and counters of one port" },
	{ .name = "port",
	  .sub = "add",
	  .fn = cmd_port_add,
	  .args = "JSON | -f FILE",
	  .help = "add a port (JSON as in vswitchd.json)" },
	{ .name = "port",
	  .sub = "del",
	  .fn = cmd_port_del,
	  .args = "NAME",
	  .help = "delete a port or close a connection" },
	{ .name = "mac",
	  .sub = "show",
	  .fn = cmd_mac_show,
	  .args = "[--port PORT] [--vlan VLAN]",
	  .help = "the MAC table, sorted by port",
	  .dflt = true },
	{ .name = "mac",
	  .sub = "flush",
	  .fn = cmd_mac_flush,
	  .args = "[PORT]",
	  .help = "forget learned MACs (of PORT, or all)" },
	{ .name = "mac",
	  .sub = "add",
	  .fn = cmd_mac_add,
	  .args = "MAC PORT [--vlan VLAN]",
	  .help = "add a static MAC entry" },
	{ .name = "mac",
	  .sub = "del",
	  .fn = cmd_mac_del,
	  .args = "MAC [--vlan VLAN]",
	  .help = "delete a MAC entry" },
	{ .name = "qemu-args",
	  .fn = cmd_qemu_args,
	  .args = "PORT",
	  .help = "QEMU command line to attach a VM to PORT" },
	{ .name = "stats",
	  .sub = "reset",
	  .fn = cmd_stats_reset,
	  .args = "[PORT]",
	  .help = "zero the counters (of PORT, or all)" },
	{ .name = "log",
	  .sub = "level",
	  .fn = cmd_log_level,
	  .args = "[LEVEL]",
	  .help = "show or set: error, warn, info, debug" },
	{ .name = "reload",
	  .fn = cmd_reload,
	  .args = "",
	  .help = "re-read the config file, apply changes" },
	{ .name = "capture",
	  .fn = cmd_capture,
	  .args = "PORT [-w FILE] [-c COUNT] [--snaplen N]",
	  .help = "copy PORT's frames as pcap to FILE or a pipe" },
	{ .name = "leases",
	  .fn = cmd_leases,
	  .args = "",
	  .help = "list the DHCP leases" },
	{ .name = "forwards",
	  .sub = "list",
	  .fn = cmd_forwards_list,
	  .args = "",
	  .help = "list the port forwards",
	  .dflt = true },
	{ .name = "forwards",
	  .sub = "add",
	  .fn = cmd_forwards_add,
	  .args = "JSON",
	  .help = "add a port forward" },
	{ .name = "forwards",
	  .sub = "del",
	  .fn = cmd_forwards_del,
	  .args = "JSON",
	  .help = "delete a port forward" },
	{ .name = "raw",
	  .fn = cmd_raw,
	  .args = "CMD [JSON-ARGS]",
	  .help = "send any command, print the JSON reply" },
	{ .name = "help",
	  .fn = cmd_help,
	  .args = "[COMMAND]",
	  .help = "this help, or that of one command" },
	{ .name = "__complete",
	  .fn = cmd_complete,
	  .args = "ports",
	  .help = "",
	  .hidden = true },
	{ .name = NULL },
};

static const char usage_head[] =
	"Usage: vswitchctl [OPTIONS] [COMMAND [ARGS]]\n"
	"Inspect and control a running vswitchd.\n"
	"\n"
	"Commands (without one: show):\n";

static const char usage_tail[] =
	"\n"
	"Options:\n"
	"  -s, --socket PATH      control socket (default: $VSWITCHD_CTL,\n"
	"                         else ctl.sock in vswitchd's runtime\n"
	"                         directory: $VSWITCHD_RUNTIME_DIR, else\n"
	"                         /run/vswitchd as root, else\n"
	"                         $XDG_RUNTIME_DIR/vswitchd, else\n"
	"                         /tmp/vswitchd-UID)\n"
	"      --json             print results as JSON\n"
	"  -t, --timeout SECONDS  give up when vswitchd is silent this long\n"
	"                         (default 5; 0: wait forever)\n"
	"  -h, --help             show this help\n"
	"  -V, --version          show the version\n"
	"\n"
	"Exit status: 0 success, 1 vswitchd answered with an error,\n"
	"2 usage error, 3 cannot connect or vswitchd did not answer.\n"
	"See vswitchctl(8).\n";

/**
 * vctl_print_usage() - print the usage text.
 * @f:		where
 * @only:	a command's first word: just the lines of that command; or
 *		NULL for all of it
 */
void vctl_print_usage(FILE *f, const char *only)
{
	enum { SYN_WIDTH = 32 };
	const struct subcommand *sc;
	bool any = false;

	if (!only)
		fputs(usage_head, f);
	for (sc = subcommands; sc->name; sc++) {
		char *syn;

		if (sc->hidden || (only && strcmp(only, sc->name)))
			continue;
		syn = xasprintf("%s%s%s%s%s", sc->name, sc->sub ? " " : "",
				sc->sub ? sc->sub : "", *sc->args ? " " : "",
				sc->args);
		/* A long synopsis gets a line of its own. */
		if (strlen(syn) < SYN_WIDTH)
			fprintf(f, "  %-*s%s\n", SYN_WIDTH, syn, sc->help);
		else
			fprintf(f, "  %s\n  %-*s%s\n", syn, SYN_WIDTH, "",
				sc->help);
		free(syn);
		any = true;
	}
	if (only && !any)
		fprintf(f, "vswitchctl: no command '%s'\n", only);
	if (!only)
		fputs(usage_tail, f);
}

/*
 * Finds the table entry for the words at @argv; *@used is set to the
 * number of words that named it.
 */
static const struct subcommand *find_subcommand(int argc, char **argv,
						int *used)
{
	const struct subcommand *sc, *dflt = NULL;
	bool two_words = false;

	for (sc = subcommands; sc->name; sc++) {
		if (strcmp(sc->name, argv[0]))
			continue;
		if (!sc->sub) {
			*used = 1;
			return sc;
		}
		if (argc > 1 && !strcmp(sc->sub, argv[1])) {
			*used = 2;
			return sc;
		}
		if (sc->dflt)
			dflt = sc;
		two_words = true;
	}
	*used = 1;
	if (dflt || !two_words)
		return dflt;
	vctl_err("'%s' needs a second word%s%s:", argv[0],
		 argc > 1 ? ", not " : "", argc > 1 ? argv[1] : "");
	vctl_print_usage(stderr, argv[0]);
	*used = -1;
	return NULL;
}

/**
 * vctl_run() - run the subcommand that the words at @argv name.
 * @ctx:	the run, its global options set; connects on the first
 *		request unless @ctx->client is connected already
 * @argc:	number of words at @argv, at least one
 * @argv:	the command words, then the subcommand's options and
 *		arguments
 *
 * Return: the exit status (enum vctl_exit), its reason printed on stderr.
 */
int vctl_run(struct vctl_ctx *ctx, int argc, char **argv)
{
	const struct subcommand *sc;
	int used;

	sc = find_subcommand(argc, argv, &used);
	if (!sc) {
		if (used > 0)
			vctl_err("unknown command '%s' (try 'vswitchctl "
				 "help')",
				 argv[0]);
		return VCTL_EXIT_USAGE;
	}
	argc -= used - 1;
	argv += used - 1;
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			vctl_print_usage(stdout, sc->name);
			return VCTL_EXIT_OK;
		}
	}

	ctx->cmd = sc;
	argv[0] = "vswitchctl"; /* for getopt's messages */
	optind = 0; /* GNU getopt: start afresh on the subcommand */
	return sc->fn(ctx, argc, argv);
}
