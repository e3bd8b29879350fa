/*
 * vswitchctl.h - pieces shared by the files of the vswitchctl client.
 *
 * vswitchctl is a short-lived command-line tool, so it takes the simple
 * road where the daemon cannot: allocation failure ends the process
 * (xmalloc()), and output goes through stdio.  Everything that comes from
 * the daemon is still treated as untrusted input: a reply is length-capped,
 * parsed by jansson, type-checked member by member, and control characters
 * are stripped before anything reaches the terminal.
 *
 * The pieces:
 *  - vswitchctl-util.c: allocation that ends the process on failure, and
 *    vctl_err() and vctl_malformed() for messages;
 *  - vswitchctl-client.c: finding the socket, connecting with useful error
 *    messages, and one request/reply exchange with a timeout;
 *  - vswitchctl-table.c: aligned tables, key/value blocks and the number,
 *    age and uptime formats;
 *  - vswitchctl-main.c: main() and the global options;
 *  - vswitchctl.c: the subcommand table, usage, dispatch (vctl_run()),
 *    the helpers of the subcommands, and the small subcommands;
 *  - vswitchctl-ports.c, vswitchctl-mac.c, vswitchctl-capture.c: the
 *    other subcommands.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_VSWITCHCTL_H
#define VSW_SWITCH_VSWITCHCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <getopt.h>
#include <stdio.h>

#include <jansson.h>

#include "switch/base/util.h"

/**
 * enum vctl_exit - exit status of vswitchctl, as documented in vswitchctl(8).
 * @VCTL_EXIT_OK:	success
 * @VCTL_EXIT_ERROR:	the daemon answered with an error, or with a reply
 *			that makes no sense; or a local file could not be
 *			read or written
 * @VCTL_EXIT_USAGE:	bad command line
 * @VCTL_EXIT_CONNECT:	cannot connect, or the daemon did not answer (timeout,
 *			connection closed)
 */
enum vctl_exit {
	VCTL_EXIT_OK = 0,
	VCTL_EXIT_ERROR = 1,
	VCTL_EXIT_USAGE = 2,
	VCTL_EXIT_CONNECT = 3,
};

/* Limits from docs/control-protocol.md. */
enum {
	VCTL_REQUEST_MAX = 64 * 1024, /* request line, newline included */
	VCTL_REPLY_MAX = 64 * 1024 * 1024, /* our own cap on one reply line */
};

/**
 * struct vctl_client - one connection to the control socket.
 * @fd:		connected socket, or -1
 * @path:	socket path, for messages
 * @timeout_ms:	longest wait for the daemon at each step; negative: forever
 * @buf:	received bytes not yet consumed
 * @start:	offset of the first unconsumed byte in @buf
 * @len:	offset one past the last received byte in @buf
 * @size:	allocated size of @buf
 *
 * Bytes after a reply line stay in @buf: after a capture reply they are
 * the start of the pcap stream.
 */
struct vctl_client {
	int fd;
	const char *path;
	int timeout_ms;
	char *buf;
	size_t start;
	size_t len;
	size_t size;
};

/* vswitchctl-util.c.  Memory: these never return NULL; they end the
 * process instead. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) PRINTF_FMT(1, 2);

void vctl_out_of_memory(void) __attribute__((noreturn));
void vctl_err(const char *fmt, ...) PRINTF_FMT(1, 2);
int vctl_malformed(void);

/**
 * struct vctl_ctx - state of one vswitchctl run.
 * @socket:	control socket path
 * @timeout_ms:	longest wait for the daemon at each step; negative: forever
 * @json:	print results as JSON
 * @cmd:	the subcommand running
 * @client:	the connection, once made (fd -1 before)
 */
struct vctl_ctx {
	const char *socket;
	int timeout_ms;
	bool json;
	const struct subcommand *cmd;
	struct vctl_client client;
};

/**
 * typedef subcommand_fn - runs one subcommand.
 * @ctx:	options and connection
 * @argc:	number of words in @argv
 * @argv:	the last command word ("show" of "port show"), then the
 *		subcommand's options and arguments, for vctl_getopt()
 *
 * Return: the exit status (enum vctl_exit); the reason for a failure has
 * been printed on stderr.
 */
typedef int subcommand_fn(struct vctl_ctx *ctx, int argc, char **argv);

/**
 * struct subcommand - one line of the command table.
 * @name:	first word on the command line
 * @sub:	second word, or NULL for one-word commands
 * @fn:		runs the command
 * @args:	synopsis of the arguments, for usage text
 * @help:	one-line description
 * @dflt:	runs when @name is followed by no known second word
 *		("vswitchctl mac" is "vswitchctl mac show")
 * @hidden:	left out of the usage text (for the bash completion)
 */
struct subcommand {
	const char *name;
	const char *sub;
	subcommand_fn *fn;
	const char *args;
	const char *help;
	bool dflt;
	bool hidden;
};

/* Long options without a short form; values above any character. */
enum {
	VCTL_OPT_JSON = 0x100,
	VCTL_OPT_PORT,
	VCTL_OPT_VLAN,
	VCTL_OPT_SNAPLEN,
};

/* The subcommands, by file: vswitchctl-ports.c ... */
subcommand_fn cmd_show, cmd_ports, cmd_port_show, cmd_port_add, cmd_port_del,
	cmd_qemu_args, cmd_stats_reset;
/* ... vswitchctl-mac.c ... */
subcommand_fn cmd_mac_show, cmd_mac_flush, cmd_mac_add, cmd_mac_del;
/* ... and vswitchctl-capture.c; the rest are in vswitchctl.c. */
subcommand_fn cmd_capture;

/* vswitchctl.c: dispatch and usage ... */
int vctl_run(struct vctl_ctx *ctx, int argc, char **argv);
void vctl_print_usage(FILE *f, const char *only);
/* ... and helpers for the subcommands */
int vctl_usage_error(struct vctl_ctx *ctx, const char *fmt, ...)
	PRINTF_FMT(2, 3);
int vctl_getopt(struct vctl_ctx *ctx, int argc, char **argv,
		const char *shortopts, const struct option *longopts);
int vctl_no_options(struct vctl_ctx *ctx, int argc, char **argv, int min,
		    int max);
bool vctl_parse_ll(const char *s, long long min, long long max, long long *out);
int vctl_str_arg(struct vctl_ctx *ctx, json_t *args, const char *key,
		 const char *s);
int vctl_operand_args(struct vctl_ctx *ctx, int argc, char **argv, int min,
		      const char *key, json_t **args);
int vctl_operand_request(struct vctl_ctx *ctx, int argc, char **argv, int min,
			 const char *key, const char *method, json_t **reply);
int vctl_str_args(struct vctl_ctx *ctx, json_t **args, const char *key,
		  const char *s);
int vctl_call(struct vctl_ctx *ctx, const char *cmd, json_t *args,
	      json_t **reply);
int vctl_daemon_error(const json_t *reply);
int vctl_request_feature(struct vctl_ctx *ctx, const char *cmd, json_t *args,
			 const char *feature, json_t **result);
int vctl_fetch(struct vctl_ctx *ctx, const char *cmd, json_t *args,
	       json_type type, json_t **result);
int vctl_request(struct vctl_ctx *ctx, const char *cmd, json_t *args,
		 json_t **result);
int vctl_request_quiet(struct vctl_ctx *ctx, const char *cmd, json_t *args);

/**
 * jstr() - a string member of a JSON object.
 * @o:		object (anything else gives NULL)
 * @key:	member name
 *
 * Return: the string, borrowed from @o, or NULL if it is not a string.
 */
static inline const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/**
 * jint() - an integer member of a JSON object.
 * @o:		object (anything else gives false)
 * @key:	member name
 * @v:		set to the value
 *
 * Return: true if the member exists and is an integer.
 */
static inline bool jint(const json_t *o, const char *key, long long *v)
{
	const json_t *j = json_object_get(o, key);

	if (!json_is_integer(j))
		return false;
	*v = json_integer_value(j);
	return true;
}

/**
 * print_json() - a --json result: pretty JSON on stdout, one document.
 * @v:	any JSON value
 */
static inline void print_json(const json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_ENCODE_ANY);
	fputc('\n', stdout);
}

/* vswitchctl-client.c */
const char *vctl_default_socket(char *buf, size_t size);
int vctl_connect(struct vctl_client *c, const char *path, int timeout_ms);
void vctl_close(struct vctl_client *c);
int vctl_send(struct vctl_client *c, const char *cmd, json_t *args);
int vctl_recv(struct vctl_client *c, json_t **reply);
int vctl_read_more(struct vctl_client *c, int timeout_ms);
int vctl_fail(const struct vctl_client *c, int err);

/**
 * struct table - a table of text cells printed with aligned columns.
 * @no_header:	print no title line (for "key: value" blocks)
 * @n_cols:	number of columns
 * @titles:	column titles (owned)
 * @right:	per column: align to the right (numbers)
 * @n_rows:	rows added so far
 * @rows_size:	allocated rows
 * @cells:	@n_rows * @n_cols cell strings (owned; NULL prints as empty)
 * @cur:	next cell of the last row to fill
 *
 * Columns are declared first, then rows are filled cell by cell.  The
 * widths come from the data, two spaces separate columns, and no line
 * ends in spaces.
 */
struct table {
	bool no_header;
	size_t n_cols;
	char **titles;
	bool *right;
	size_t n_rows;
	size_t rows_size;
	char **cells;
	size_t cur;
};

void table_init(struct table *t);
void table_init_kv(struct table *t);
void table_col(struct table *t, const char *title, bool right);
void table_row(struct table *t);
void table_cell(struct table *t, const char *fmt, ...) PRINTF_FMT(2, 3);
void table_cell_str(struct table *t, const char *s);
void table_print(const struct table *t, FILE *f);
void table_fini(struct table *t);

void table_kv_add(struct table *t, const char *key, const char *fmt, ...)
	PRINTF_FMT(3, 4);

char *fmt_age(long long s, char *buf, size_t size);
char *fmt_uptime(long long s, char *buf, size_t size);
char *fmt_value(const json_t *v);
char *fmt_key_words(const char *key);
char *fmt_key_title(const char *key);
char *fmt_members(const json_t *obj, const char *const *skip);
char *fmt_list(const json_t *a);
int table_print_any(const json_t *result);
void fmt_sanitize(char *s);
void print_safe_line(const char *s);

#endif /* VSW_SWITCH_VSWITCHCTL_H */
