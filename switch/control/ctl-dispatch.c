/*
 * ctl-dispatch.c - request parsing, argument checking and replies (see
 * ctl-dispatch.h).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/control/ctl-dispatch.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/**
 * ctl_fail() - fill a request's error message and return @err.
 * @req:	the request
 * @err:	negative errno
 * @fmt:	message format
 *
 * Return: @err.
 */
int ctl_fail(struct ctl_req *req, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(req->err, sizeof(req->err), fmt, ap);
	va_end(ap);
	return err;
}

/* ---- argument types --------------------------------------------------- */

static int check_string(struct ctl_req *req, const struct ctl_arg *arg,
			json_t *v, struct ctl_val *out)
{
	if (!json_is_string(v))
		return ctl_fail(req, -EINVAL, "argument \"%s\" must be a string",
				arg->name);
	out->str = json_string_value(v);
	return 0;
}

static int check_uint(struct ctl_req *req, const struct ctl_arg *arg,
		      json_t *v, struct ctl_val *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < arg->min ||
	    json_integer_value(v) > arg->max)
		return ctl_fail(req, -EINVAL,
				"argument \"%s\" must be an integer from %lld "
				"to %lld",
				arg->name, (long long)arg->min,
				(long long)arg->max);
	out->num = json_integer_value(v);
	return 0;
}

static int check_json(struct ctl_req *req UNUSED,
		      const struct ctl_arg *arg UNUSED, json_t *v UNUSED,
		      struct ctl_val *out UNUSED)
{
	return 0;
}

const struct ctl_arg_type ctl_type_string = { .check = check_string };
const struct ctl_arg_type ctl_type_uint = { .check = check_uint };
const struct ctl_arg_type ctl_type_json = { .check = check_json };

/* Rejects argument names that @cmd does not declare. */
static int check_names(struct ctl_req *req)
{
	const char *key;
	json_t *val;

	json_object_foreach(req->args, key, val) {
		const struct ctl_arg *a = req->cmd->args;

		while (a && a->name && strcmp(a->name, key))
			a++;
		if (!a || !a->name)
			return ctl_fail(req, -EINVAL, "unknown argument \"%s\"",
					key);
	}
	return 0;
}

/* Checks and converts the declared arguments, in the order declared. */
static int check_values(struct ctl_req *req)
{
	const struct ctl_arg *a = req->cmd->args;

	for (size_t i = 0; a && a[i].name; i++) {
		struct ctl_val *out = &req->val[i];
		json_t *v = json_object_get(req->args, a[i].name);
		int ret;

		/* More declared than struct ctl_req has room for. */
		VSW_BUG_ON(i >= CTL_ARGS_MAX);
		if (!v) {
			if (a[i].required)
				return ctl_fail(req, -EINVAL,
						"missing argument \"%s\"",
						a[i].name);
			continue;
		}
		ret = a[i].type->check(req, &a[i], v, out);
		if (ret)
			return ret;
		out->set = true;
		out->json = v;
	}
	return 0;
}

/* Checks the arguments as @req->cmd declares them, then runs it. */
static int ctl_run(struct ctl_req *req)
{
	const struct ctl_cmd *cmd = req->cmd;
	int ret = 0;

	if (!cmd->own_args)
		ret = check_names(req);
	if (!ret && cmd->ready)
		ret = cmd->ready(req);
	if (!ret && !cmd->own_args)
		ret = check_values(req);
	return ret ? ret : cmd->fn(req);
}

/* ---- the handlers' view of the arguments ------------------------------ */

/**
 * ctl_arg() - a declared argument of the running command.
 * @req:	the request
 * @name:	the argument's name, which the command must declare
 *
 * Return: its checked value (@set false when the request left it out).
 */
const struct ctl_val *ctl_arg(const struct ctl_req *req, const char *name)
{
	const struct ctl_arg *a = req->cmd->args;
	size_t i = 0;

	while (a && a[i].name && strcmp(a[i].name, name))
		i++;
	/* A handler asking for what its command does not declare. */
	VSW_BUG_ON(!a || !a[i].name);
	return &req->val[i];
}

/**
 * ctl_arg_str() - a string argument.
 * @req:	the request
 * @name:	a declared argument of type string, port or MAC
 *
 * Return: the string (borrowed from the request), or NULL when absent.
 */
const char *ctl_arg_str(const struct ctl_req *req, const char *name)
{
	return ctl_arg(req, name)->str;
}

/**
 * ctl_arg_uint() - an unsigned argument.
 * @req:	the request
 * @name:	a declared argument of type uint
 * @dflt:	the value when the request leaves it out
 *
 * Return: its value, within the declared range, or @dflt.
 */
json_int_t ctl_arg_uint(const struct ctl_req *req, const char *name,
			json_int_t dflt)
{
	const struct ctl_val *v = ctl_arg(req, name);

	return v->set ? v->num : dflt;
}

/**
 * ctl_arg_json() - an argument's raw value.
 * @req:	the request
 * @name:	a declared argument
 *
 * Return: the value (borrowed from the request), or NULL when absent.
 */
json_t *ctl_arg_json(const struct ctl_req *req, const char *name)
{
	return ctl_arg(req, name)->json;
}

/* ---- requests and replies --------------------------------------------- */

/**
 * ctl_registry_find() - look a command up by name.
 * @reg:	the commands
 * @name:	"port/show"
 *
 * Return: the command, or NULL.
 */
const struct ctl_cmd *ctl_registry_find(const struct ctl_registry *reg,
					const char *name)
{
	for (size_t i = 0; i < reg->n_cmds; i++)
		if (!strcmp(reg->cmds[i].name, name))
			return &reg->cmds[i];
	return NULL;
}

/* Replies are one line of compact JSON: strings escape their newlines. */
static char *reply_text(json_t *reply, json_t *id)
{
	char *text;

	if (!reply)
		return NULL;
	if (id)
		json_object_set(reply, "id", id);
	text = json_dumps(reply, JSON_COMPACT);
	json_decref(reply);
	return text;
}

/* Length of the well-formed UTF-8 sequence at @p (as jansson accepts it:
 * no overlong forms, surrogates or code points past U+10FFFF), or 0. */
static size_t utf8_seq_len(const unsigned char *p)
{
	uint32_t cp;
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		/* The terminating NUL fails this too. */
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * Makes @s valid UTF-8, each byte of a broken sequence becoming '?'.  A
 * message can quote the request: jansson's parse errors show the raw
 * bytes near the fault, and a message cut to CTL_ERR_MAX (or a name to
 * 64 bytes) can end in half a character; jansson would refuse to build
 * the reply, and the client would get none.
 */
static void utf8_repair(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		size_t n = utf8_seq_len(p);

		if (n)
			p += n;
		else
			*p++ = '?';
	}
}

/**
 * ctl_reply_error() - an error reply.
 * @id:		the request's "id", echoed, or NULL
 * @err:	negative errno
 * @msg:	the message, cut to CTL_ERR_MAX - 1 bytes; bytes that are not
 *		UTF-8 become '?'
 *
 * Return: the reply line without its newline (caller frees), or NULL when
 * out of memory.
 */
char *ctl_reply_error(json_t *id, int err, const char *msg)
{
	char text[CTL_ERR_MAX];

	snprintf(text, sizeof(text), "%s", msg);
	utf8_repair(text);
	return reply_text(json_pack("{s:b, s:i, s:s}", "ok", 0, "errno", -err,
				    "error", text),
			  id);
}

/**
 * ctl_dispatch() - answer one request line.
 * @reg:	the commands
 * @client:	who asked, handed to the command
 * @line:	the request, without its newline
 * @len:	its length
 *
 * Return: the reply line without its newline (caller frees), or NULL when
 * out of memory.
 */
char *ctl_dispatch(const struct ctl_registry *reg, struct ctl_client *client,
		   const char *line, size_t len)
{
	struct ctl_req req = { .d = reg->d, .client = client };
	json_t *msg, *id;
	const char *name;
	json_error_t jerr;
	char why[CTL_ERR_MAX];
	char *text;
	int ret;

	msg = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!msg) {
		snprintf(why, sizeof(why), "malformed request: %s", jerr.text);
		return ctl_reply_error(NULL, -EINVAL, why);
	}
	if (!json_is_object(msg)) {
		text = ctl_reply_error(NULL, -EINVAL,
				       "malformed request: not a JSON object");
		goto out;
	}
	id = json_object_get(msg, "id");
	name = json_string_value(json_object_get(msg, "cmd"));
	if (!name) {
		text = ctl_reply_error(id, -EINVAL, "malformed request: \"cmd\" "
						    "must be a string");
		goto out;
	}
	req.cmd = ctl_registry_find(reg, name);
	if (!req.cmd) {
		snprintf(why, sizeof(why),
			 "unknown command \"%.64s\" (try \"help\")", name);
		text = ctl_reply_error(id, -ENOSYS, why);
		goto out;
	}
	req.args = json_object_get(msg, "args");
	if (req.args && !json_is_object(req.args)) {
		text = ctl_reply_error(id, -EINVAL, "malformed request: "
						    "\"args\" must be an object");
		goto out;
	}
	req.args = req.args ? json_incref(req.args) : json_object();
	ret = req.args ? ctl_run(&req) : -ENOMEM;
	json_decref(req.args);
	if (ret) {
		if (!req.err[0])
			snprintf(req.err, sizeof(req.err), "%s",
				 strerror(-ret));
		json_decref(req.result);
		text = ctl_reply_error(id, ret, req.err);
		goto out;
	}
	text = reply_text(json_pack("{s:b, s:o}", "ok", 1, "result",
				    req.result ? req.result : json_object()),
			  id);
out:
	json_decref(msg);
	return text;
}
