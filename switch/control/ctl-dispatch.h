/*
 * ctl-dispatch.h - the control server's dispatcher: one request line in,
 * one reply line out.
 *
 * The commands are a table (struct ctl_cmd), as in Open vSwitch's
 * unixctl: each entry names the command, declares its arguments (name,
 * type, required or not) and gives its handler.  The dispatcher parses
 * the request, looks the command up, rejects unknown argument names
 * (a typo must never silently do something else), checks and converts
 * every declared argument in the order declared, and only then calls the
 * handler, which reads the converted values with ctl_arg_*().  So every
 * command answers a malformed request with the same words, and a handler
 * holds only what is particular to its command.
 *
 * The dispatcher knows neither sockets (ctl.c carries the lines) nor the
 * commands (ctl-cmds.c registers them); argument types that need the
 * daemon (a port name, a MAC) are in ctl-args.h.  The wire format is
 * docs/control-protocol.md.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_CTL_DISPATCH_H
#define VSW_SWITCH_CTL_DISPATCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "switch/base/util.h"

struct vswd;
struct ctl_client;
struct ctl_req;
struct ctl_arg;
struct ctl_cmd;

enum {
	/* Longest error message of a reply (a reload's, too). */
	CTL_ERR_MAX = 256,
	/* Most arguments any command declares. */
	CTL_ARGS_MAX = 8,
};

/**
 * struct ctl_val - one declared argument, checked and converted.
 * @set:	the request gave it
 * @str:	its string (string, port and MAC arguments), borrowed from the
 *		request
 * @num:	its value (unsigned arguments)
 * @ptr:	what it names (a port argument's struct port)
 * @mac:	its address (MAC arguments)
 * @json:	its raw value (every type), borrowed from the request
 */
struct ctl_val {
	bool set;
	const char *str;
	json_int_t num;
	void *ptr;
	uint8_t mac[ETH_ALEN_];
	json_t *json;
};

/**
 * struct ctl_arg_type - how one kind of argument is checked.
 * @check:	called for a present argument with its value @v; fills
 *		@out, or fails the request with ctl_fail() and returns its
 *		negative errno
 */
struct ctl_arg_type {
	int (*check)(struct ctl_req *req, const struct ctl_arg *arg, json_t *v,
		     struct ctl_val *out);
};

/* A JSON string. */
extern const struct ctl_arg_type ctl_type_string;
/* A JSON integer from the declaration's @min to @max. */
extern const struct ctl_arg_type ctl_type_uint;
/* Any JSON value, checked by the handler (a port object to parse). */
extern const struct ctl_arg_type ctl_type_json;

/**
 * struct ctl_arg - one declared argument of a command.
 * @name:	its name in "args"; NULL ends a declaration list
 * @type:	its type
 * @required:	absence is an error ("missing argument")
 * @min, @max:	the range of a ctl_type_uint argument
 */
struct ctl_arg {
	const char *name;
	const struct ctl_arg_type *type;
	bool required;
	json_int_t min, max;
};

/*
 * A command's declaration list, for struct ctl_cmd's @args:
 * CTL_ARGS(CTL_ARG("port", ctl_type_port, true), CTL_UINT("vlan", 0, 4095)).
 */
#define CTL_ARGS(...) ((const struct ctl_arg[]){ __VA_ARGS__, { .name = NULL } })
#define CTL_ARG(n, t, req) { .name = (n), .type = &(t), .required = (req) }
/* An optional unsigned argument from @lo to @hi. */
#define CTL_UINT(n, lo, hi)                                                    \
	{ .name = (n), .type = &ctl_type_uint, .min = (lo), .max = (hi) }

/**
 * struct ctl_req - one request being answered.
 * @d:		the daemon the commands serve (opaque to the dispatcher)
 * @client:	who asked (for commands that change the connection)
 * @cmd:	the command
 * @args:	the "args" object (never NULL: empty when absent)
 * @val:	the declared arguments, converted, in the order declared
 * @result:	set by the command on success (a new reference), or NULL
 *		for {}
 * @err:	set by the command on failure
 */
struct ctl_req {
	struct vswd *d;
	struct ctl_client *client;
	const struct ctl_cmd *cmd;
	json_t *args;
	struct ctl_val val[CTL_ARGS_MAX];
	json_t *result;
	char err[CTL_ERR_MAX];
};

/* Runs a command: 0, or a negative errno with req->err filled. */
typedef int ctl_cmd_fn(struct ctl_req *req);

/**
 * struct ctl_cmd - one entry of the command table.
 * @name:	"port/show"
 * @synopsis:	argument summary for help
 * @help:	one line of help
 * @fn:		the handler, called once the arguments are checked
 * @args:	the declared arguments (CTL_ARGS()), or NULL for none: any
 *		argument is then "unknown"
 * @ready:	or NULL: whether the command can run now (a slirp uplink is
 *		there), asked after the argument names are checked and
 *		before their values are
 * @own_args:	the handler checks "args" itself (it hands them to the
 *		configuration parser, whose words they must be); @args is
 *		then NULL and nothing is checked here
 */
struct ctl_cmd {
	const char *name;
	const char *synopsis;
	const char *help;
	ctl_cmd_fn *fn;
	const struct ctl_arg *args;
	ctl_cmd_fn *ready;
	bool own_args;
};

/**
 * struct ctl_registry - the commands a server answers.
 * @cmds:	the table
 * @n_cmds:	its length
 * @d:		handed to every handler as req->d
 */
struct ctl_registry {
	const struct ctl_cmd *cmds;
	size_t n_cmds;
	struct vswd *d;
};

const struct ctl_cmd *ctl_registry_find(const struct ctl_registry *reg,
					const char *name);
char *ctl_dispatch(const struct ctl_registry *reg, struct ctl_client *client,
		   const char *line, size_t len);
char *ctl_reply_error(json_t *id, int err, const char *msg);

int ctl_fail(struct ctl_req *req, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

const struct ctl_val *ctl_arg(const struct ctl_req *req, const char *name);
const char *ctl_arg_str(const struct ctl_req *req, const char *name);
json_int_t ctl_arg_uint(const struct ctl_req *req, const char *name,
			json_int_t dflt);
json_t *ctl_arg_json(const struct ctl_req *req, const char *name);

#endif /* VSW_SWITCH_CTL_DISPATCH_H */
