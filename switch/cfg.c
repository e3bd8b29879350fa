/*
 * cfg.c - the configuration file: JSON text to a validated struct vsw_config.
 *
 * See cfg.h.  Objects are parsed from tables of struct cfg_key rather than
 * with json_unpack_ex(JSON_STRICT): the tables give precise messages (an
 * unknown key is named together with the valid ones, a wrong type names
 * both types) and drive cfg_dump() too, so a new key is one table row.
 *
 * Within an object, unknown keys are reported first, in file order; then
 * the keys are parsed in table order, which is also the order of their
 * dependencies (max_frame before tx_queue_bytes, switch before ports).
 * The JSON path of the value being parsed is kept in struct cfg_ctx, so an
 * error can name it and cfg_locate() can find it in the text.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/cfg.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <net/if.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "switch/cfg-locate.h"
#include "switch/log.h"
#include "switch/util.h"

#define CFG_DEFAULT_RUNTIME_DIR "/run/vswitchd"
#define CFG_DEFAULT_ADDRESS "127.0.0.1"

enum {
	CFG_MAX_FILE_SIZE = 16 << 20,
	/* Deepest path: ports[i].key, plus one step to point at a key. */
	CFG_PATH_DEPTH = 4,
	/* Longest string kept in a message; longer ones end in "...". */
	CFG_QUOTE_MAX = 64,
	CFG_SUN_PATH_LEN = CFG_PATH_MAX - 1,
	CFG_NAME_LEN = CFG_NAME_MAX - 1,
	/* The stream framing puts a 4-byte length before each frame. */
	CFG_FRAME_PREFIX = 4,

	CFG_DEF_MAC_AGING_S = 300,
	CFG_DEF_MAC_TABLE_SIZE = 8192,
	CFG_DEF_MAC_MOVE_HOLDDOWN_MS = 1000,
	CFG_DEF_MAX_FRAME = 65535,
	CFG_DEF_MAX_PORTS = 1024,
	CFG_DEF_TX_QUEUE_FRAMES = 256,
	CFG_DEF_TX_QUEUE_BYTES = 4 << 20,
	CFG_DEF_MAX_CONNECTIONS = 64,
	CFG_DEF_MODE = 0600,
	CFG_DEF_RECONNECT_MIN_MS = 100,
	CFG_DEF_RECONNECT_MAX_MS = 5000,
	CFG_DEF_CTL_MAX_CLIENTS = 16,
	CFG_DEF_MAX_PEERS = 64,
	CFG_DEF_PEER_IDLE_S = 300,
	CFG_DEF_TTL = 1,

	CFG_TX_QUEUE_BYTES_MAX = 1 << 30,
	CFG_RECONNECT_MIN = 10,
	CFG_RECONNECT_MAX = 3600000,
};

/**
 * struct cfg_ctx - state of one load.
 * @text:	the source text, for cfg_locate(); NULL when there is none
 * @len:	length of @text
 * @source:	file name (or other name) used in messages
 * @err:	where a failure is reported
 * @path:	JSON path of the value being parsed
 * @depth:	number of valid entries in @path
 * @cfg:	the config being built
 * @port_type:	while a port is parsed, its type's table entry
 */
struct cfg_ctx {
	const char *text;
	size_t len;
	const char *source;
	struct vsw_err *err;
	struct cfg_path_elem path[CFG_PATH_DEPTH];
	size_t depth;
	struct vsw_config *cfg;
	const struct cfg_port_type_info *port_type;
};

/**
 * enum cfg_val - how cfg_dump() prints a key's value.
 * @CFG_V_NONE:	not printed (parsed elsewhere)
 * @CFG_V_UINT:	unsigned int
 * @CFG_V_U16:	uint16_t
 * @CFG_V_STR:	char array
 * @CFG_V_MODE:	unsigned int, in octal
 * @CFG_V_TYPE:	enum cfg_port_type, by name
 * @CFG_V_BOOL:	bool, as true or false
 */
enum cfg_val {
	CFG_V_NONE,
	CFG_V_UINT,
	CFG_V_U16,
	CFG_V_STR,
	CFG_V_MODE,
	CFG_V_TYPE,
	CFG_V_BOOL,
};

struct cfg_key;

/*
 * Parses @val for @key into the struct at @base (the destination is at
 * key->offset).  ctx->path already names @val.
 */
typedef int cfg_key_fn(struct cfg_ctx *ctx, const struct cfg_key *key,
		       const json_t *val, void *base);

/**
 * struct cfg_key - one key of a JSON object.
 * @name:	key as written in the file
 * @parse:	parser for its value
 * @val:	how cfg_dump() prints the value
 * @offset:	offset of the destination in the struct being filled
 * @min:	smallest value, for integer keys
 * @max:	largest value, for integer keys
 * @required:	the key must be present
 */
struct cfg_key {
	const char *name;
	cfg_key_fn *parse;
	enum cfg_val val;
	size_t offset;
	unsigned int min, max;
	bool required;
};

/*
 * Parses a port object of one type into @port, whose type-independent
 * defaults are already set, and applies the type's own defaults and
 * cross-checks.
 */
typedef int cfg_port_parse_fn(struct cfg_ctx *ctx, const json_t *obj,
			      struct cfg_port *port);

/**
 * struct cfg_port_type_info - one row of the port type table.
 * @name:	"type" as written in the file
 * @type:	the enumerator
 * @parse:	parser for a port of this type
 * @keys:	valid keys of such a port, in documentation order
 * @n_keys:	number of @keys
 */
struct cfg_port_type_info {
	const char *name;
	enum cfg_port_type type;
	cfg_port_parse_fn *parse;
	const struct cfg_key *keys;
	size_t n_keys;
};

/**
 * struct cfg_quote - buffer for a string quoted for a message.
 * @s:	the quoted string, NUL-terminated
 */
struct cfg_quote {
	char s[CFG_QUOTE_MAX * 6 + 16];
};

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */

static void path_push_key(struct cfg_ctx *ctx, const char *key)
{
	if (ctx->depth < CFG_PATH_DEPTH)
		ctx->path[ctx->depth] = (struct cfg_path_elem){ key, 0 };
	ctx->depth++;
}

static void path_push_index(struct cfg_ctx *ctx, size_t index)
{
	if (ctx->depth < CFG_PATH_DEPTH)
		ctx->path[ctx->depth] = (struct cfg_path_elem){ NULL, index };
	ctx->depth++;
}

static void path_pop(struct cfg_ctx *ctx)
{
	ctx->depth--;
}

/* Formats the current path as "ports[2].name" into @buf. */
static void path_format(const struct cfg_ctx *ctx, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ctx->depth && i < CFG_PATH_DEPTH; i++) {
		const struct cfg_path_elem *e = &ctx->path[i];
		int n;

		if (e->key)
			n = snprintf(buf + used, size - used, "%s%s",
				     i ? "." : "", e->key);
		else
			n = snprintf(buf + used, size - used, "[%zu]",
				     e->index);
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
}

/*
 * Quotes @str for a message: JSON-style escapes for quotes, backslashes
 * and control characters; strings longer than CFG_QUOTE_MAX bytes are cut
 * (at a character boundary) and marked with "...".
 */
static const char *quote(struct cfg_quote *q, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	char *o = q->s;
	size_t n;

	*o++ = '"';
	for (n = 0; s[n]; n++) {
		unsigned char c = s[n];

		if (n >= CFG_QUOTE_MAX && (c & 0xc0) != 0x80)
			break;
		if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c == '\n') {
			o += sprintf(o, "\\n");
		} else if (c == '\t') {
			o += sprintf(o, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			o += sprintf(o, "\\u%04x", c);
		} else {
			*o++ = (char)c;
		}
	}
	*o++ = '"';
	if (s[n])
		o += sprintf(o, "...");
	*o = '\0';
	return q->s;
}

/*
 * Fills ctx->err and returns -EINVAL.  The position is that of the value
 * at the current path, or with @key, that of the key @key in the object at
 * the current path; with @locate false there is none.  The message starts
 * with the current path, if any.
 */
static int PRINTF_FMT(4, 0)
	cfg_vfail(struct cfg_ctx *ctx, bool locate, const char *key,
		  const char *fmt, va_list ap)
{
	struct vsw_err *err = ctx->err;
	char path[128];
	int line = 0, col = 0;
	size_t used;
	int n;

	if (locate && ctx->text &&
	    ctx->depth + (key != NULL) <= CFG_PATH_DEPTH) {
		size_t depth = ctx->depth;
		struct cfg_path_elem elems[CFG_PATH_DEPTH];

		memcpy(elems, ctx->path, depth * sizeof(elems[0]));
		if (key)
			elems[depth++] = (struct cfg_path_elem){ key, 0 };
		if (!cfg_locate(ctx->text, ctx->len, elems, depth, key != NULL,
				&line, &col))
			line = col = 0;
	}
	err->line = line;
	err->col = col;
	if (line)
		n = snprintf(err->msg, sizeof(err->msg), "%s:%d:%d: ",
			     ctx->source, line, col);
	else
		n = snprintf(err->msg, sizeof(err->msg), "%s: ", ctx->source);
	used = n < 0 ? 0 : MIN((size_t)n, sizeof(err->msg) - 1);
	path_format(ctx, path, sizeof(path));
	if (path[0]) {
		n = snprintf(err->msg + used, sizeof(err->msg) - used, "%s: ",
			     path);
		used += n < 0 ? 0 : MIN((size_t)n, sizeof(err->msg) - 1 - used);
	}
	vsnprintf(err->msg + used, sizeof(err->msg) - used, fmt, ap);
	return -EINVAL;
}

/* Fails at the value at the current path. */
static int PRINTF_FMT(2, 3) cfg_fail(struct cfg_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = cfg_vfail(ctx, true, NULL, fmt, ap);
	va_end(ap);
	return r;
}

/* Fails at key @key of the object at the current path. */
static int PRINTF_FMT(3, 4)
	cfg_fail_key(struct cfg_ctx *ctx, const char *key, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = cfg_vfail(ctx, true, key, fmt, ap);
	va_end(ap);
	return r;
}

/* Fails without a position (the problem is not at one place). */
static int PRINTF_FMT(2, 3)
	cfg_fail_nopos(struct cfg_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = cfg_vfail(ctx, false, NULL, fmt, ap);
	va_end(ap);
	return r;
}

static int cfg_nomem(struct cfg_ctx *ctx)
{
	cfg_fail_nopos(ctx, "out of memory");
	return -ENOMEM;
}

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "an unknown value";
}

static int cfg_fail_type(struct cfg_ctx *ctx, const char *expected,
			 const json_t *val)
{
	return cfg_fail(ctx, "expected %s, got %s", expected, json_kind(val));
}

/* Appends "a, b, c" (the names of @keys) to @buf. */
static void key_list(const struct cfg_key *keys, size_t n_keys, char *buf,
		     size_t size)
{
	size_t used = strlen(buf);

	for (size_t i = 0; i < n_keys && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%s",
				 i ? ", " : "", keys[i].name);

		if (n < 0)
			return;
		used += (size_t)n;
	}
}

/* ------------------------------------------------------------------ */
/* Generic objects and values                                          */
/* ------------------------------------------------------------------ */

static const struct cfg_key *find_key(const struct cfg_key *keys,
				      size_t n_keys, const char *name)
{
	for (size_t i = 0; i < n_keys; i++) {
		if (!strcmp(keys[i].name, name))
			return &keys[i];
	}
	return NULL;
}

static bool key_of_other_type(const struct cfg_port_type_info *pt,
			      const char *name);

static int cfg_fail_unknown_key(struct cfg_ctx *ctx, const char *name,
				const struct cfg_key *keys, size_t n_keys)
{
	const struct cfg_port_type_info *pt = ctx->port_type;
	struct cfg_quote q;
	char list[256] = "";

	key_list(keys, n_keys, list, sizeof(list));
	if (pt && key_of_other_type(pt, name))
		return cfg_fail_key(ctx, name,
				    "key %s does not apply to a %s port "
				    "(valid keys: %s)",
				    quote(&q, name), pt->name, list);
	return cfg_fail_key(ctx, name, "unknown key %s (valid keys: %s)",
			    quote(&q, name), list);
}

/*
 * Parses the object @obj with the key table @keys into @base.  Unknown
 * keys fail first, in file order; then each key in table order.
 */
static int cfg_parse_object(struct cfg_ctx *ctx, const json_t *obj,
			    const struct cfg_key *keys, size_t n_keys,
			    void *base)
{
	const char *name;
	json_t *val;

	if (!json_is_object(obj))
		return cfg_fail_type(ctx, "an object", obj);
	json_object_foreach((json_t *)obj, name, val) {
		if (!find_key(keys, n_keys, name))
			return cfg_fail_unknown_key(ctx, name, keys, n_keys);
	}
	for (size_t i = 0; i < n_keys; i++) {
		const struct cfg_key *key = &keys[i];
		int r;

		val = json_object_get(obj, key->name);
		if (!val) {
			if (key->required)
				return cfg_fail(ctx,
						"missing required key \"%s\"",
						key->name);
			continue;
		}
		path_push_key(ctx, key->name);
		r = key->parse(ctx, key, val, base);
		path_pop(ctx);
		if (r)
			return r;
	}
	return 0;
}

/* Checks that @val is an integer in [@min, @max]; @rule explains @min. */
static int get_uint(struct cfg_ctx *ctx, const json_t *val, unsigned int min,
		    unsigned int max, const char *rule, unsigned int *out)
{
	json_int_t v;

	if (!json_is_integer(val))
		return cfg_fail_type(ctx, "an integer", val);
	v = json_integer_value(val);
	if (v < (json_int_t)min || v > (json_int_t)max)
		return cfg_fail(ctx,
				"%" JSON_INTEGER_FORMAT
				" is out of range (%u..%u%s%s)",
				v, min, max, rule ? ", " : "",
				rule ? rule : "");
	*out = (unsigned int)v;
	return 0;
}

static void *key_dst(const struct cfg_key *key, void *base)
{
	return (char *)base + key->offset;
}

static int parse_uint(struct cfg_ctx *ctx, const struct cfg_key *key,
		      const json_t *val, void *base)
{
	return get_uint(ctx, val, key->min, key->max, NULL,
			key_dst(key, base));
}

static int parse_u16(struct cfg_ctx *ctx, const struct cfg_key *key,
		     const json_t *val, void *base)
{
	unsigned int v = 0;
	int r;

	r = get_uint(ctx, val, key->min, key->max, NULL, &v);
	if (!r)
		*(uint16_t *)key_dst(key, base) = (uint16_t)v;
	return r;
}

/* For keys handled before the table is walked (a port's "type"). */
static int parse_nothing(struct cfg_ctx *ctx UNUSED,
			 const struct cfg_key *key UNUSED,
			 const json_t *val UNUSED, void *base UNUSED)
{
	return 0;
}

/* Both the switch-wide and the per-port limit: one frame must fit. */
static int parse_tx_queue_bytes(struct cfg_ctx *ctx, const struct cfg_key *key,
				const json_t *val, void *base)
{
	return get_uint(ctx, val, ctx->cfg->sw.max_frame + CFG_FRAME_PREFIX,
			CFG_TX_QUEUE_BYTES_MAX, "at least switch.max_frame + 4",
			key_dst(key, base));
}

static int get_string(struct cfg_ctx *ctx, const json_t *val,
		      const char **out)
{
	if (!json_is_string(val))
		return cfg_fail_type(ctx, "a string", val);
	*out = json_string_value(val);
	return 0;
}

/* A UNIX socket path, or a directory that holds them. */
static int parse_path(struct cfg_ctx *ctx, const struct cfg_key *key,
		      const json_t *val, void *base)
{
	struct cfg_quote q;
	const char *s;
	size_t len;
	int r;

	r = get_string(ctx, val, &s);
	if (r)
		return r;
	len = strlen(s);
	if (!len)
		return cfg_fail(ctx, "the path is empty");
	if (len > CFG_SUN_PATH_LEN)
		return cfg_fail(ctx,
				"%s is %zu bytes long, more than the %d that "
				"fit in a UNIX socket address",
				quote(&q, s), len, CFG_SUN_PATH_LEN);
	strlcpy_(key_dst(key, base), s, CFG_PATH_MAX);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Top level and "switch"                                              */
/* ------------------------------------------------------------------ */

static int parse_log_level(struct cfg_ctx *ctx, const struct cfg_key *key,
			   const json_t *val, void *base)
{
	struct cfg_quote q;
	char list[64] = "";
	const char *s;
	int level, r;

	r = get_string(ctx, val, &s);
	if (r)
		return r;
	level = log_level_from_name(s);
	if (level >= 0) {
		*(int *)key_dst(key, base) = level;
		return 0;
	}
	for (int i = LOG_LVL_ERR; i <= LOG_LVL_DEBUG; i++) {
		size_t used = strlen(list);

		snprintf(list + used, sizeof(list) - used, "%s%s",
			 i == LOG_LVL_ERR ? "" : ", ",
			 log_level_name((enum log_level)i));
	}
	return cfg_fail(ctx, "%s is not a log level (valid: %s)", quote(&q, s),
			list);
}

static const struct cfg_key switch_keys[] = {
	{ "mac_aging_s", parse_uint, CFG_V_UINT,
	  offsetof(struct cfg_switch, mac_aging_s), 1, 1000000, false },
	{ "mac_table_size", parse_uint, CFG_V_UINT,
	  offsetof(struct cfg_switch, mac_table_size), 16, 4194304, false },
	{ "mac_move_holddown_ms", parse_uint, CFG_V_UINT,
	  offsetof(struct cfg_switch, mac_move_holddown_ms), 0, 60000, false },
	{ "max_frame", parse_uint, CFG_V_UINT,
	  offsetof(struct cfg_switch, max_frame), 64, 65535, false },
	{ "max_ports", parse_uint, CFG_V_UINT,
	  offsetof(struct cfg_switch, max_ports), 2, 65536, false },
	{ "tx_queue_frames", parse_uint, CFG_V_UINT,
	  offsetof(struct cfg_switch, tx_queue_frames), 1, 65536, false },
	{ "tx_queue_bytes", parse_tx_queue_bytes, CFG_V_UINT,
	  offsetof(struct cfg_switch, tx_queue_bytes), 0, 0, false },
};

static int parse_switch(struct cfg_ctx *ctx, const struct cfg_key *key,
			const json_t *val, void *base)
{
	return cfg_parse_object(ctx, val, switch_keys, ARRAY_SIZE(switch_keys),
				key_dst(key, base));
}

static int parse_mode(struct cfg_ctx *ctx, const struct cfg_key *key,
		      const json_t *val, void *base);

/* A group must exist now: a typo would otherwise surface at bind time. */
static int parse_group(struct cfg_ctx *ctx, const struct cfg_key *key,
		       const json_t *val, void *base)
{
	struct cfg_control *ctl = base;
	struct cfg_quote q;
	struct group *gr;
	const char *s;
	int r;

	r = get_string(ctx, val, &s);
	if (r)
		return r;
	if (!*s || strlen(s) >= sizeof(ctl->group))
		return cfg_fail(ctx, "%s is not a group name", quote(&q, s));
	gr = getgrnam(s);
	if (!gr)
		return cfg_fail(ctx, "there is no group %s", quote(&q, s));
	strlcpy_(ctl->group, s, sizeof(ctl->group));
	ctl->gid = (long)gr->gr_gid;
	return 0;
}

static const struct cfg_key control_keys[] = {
	{ "path", parse_path, CFG_V_STR, offsetof(struct cfg_control, path), 0,
	  0, false },
	{ "mode", parse_mode, CFG_V_MODE, offsetof(struct cfg_control, mode), 0,
	  0, false },
	{ "group", parse_group, CFG_V_STR, offsetof(struct cfg_control, group),
	  0, 0, false },
	{ "max_clients", parse_uint, CFG_V_UINT,
	  offsetof(struct cfg_control, max_clients), 1, 1024, false },
};

static int parse_control(struct cfg_ctx *ctx, const struct cfg_key *key,
			 const json_t *val, void *base)
{
	return cfg_parse_object(ctx, val, control_keys,
				ARRAY_SIZE(control_keys), key_dst(key, base));
}

static int parse_ports(struct cfg_ctx *ctx, const struct cfg_key *key,
		       const json_t *val, void *base);
static int parse_dhcp(struct cfg_ctx *ctx, const struct cfg_key *key,
		      const json_t *val, void *base);

static const struct cfg_key root_keys[] = {
	{ "log_level", parse_log_level, CFG_V_NONE,
	  offsetof(struct vsw_config, log_level), 0, 0, false },
	{ "runtime_dir", parse_path, CFG_V_NONE,
	  offsetof(struct vsw_config, runtime_dir), 0, 0, false },
	{ "switch", parse_switch, CFG_V_NONE, offsetof(struct vsw_config, sw),
	  0, 0, false },
	{ "control", parse_control, CFG_V_NONE,
	  offsetof(struct vsw_config, control), 0, 0, false },
	{ "dhcp", parse_dhcp, CFG_V_NONE, offsetof(struct vsw_config, dhcp),
	  0, 0, false },
	{ "ports", parse_ports, CFG_V_NONE, 0, 0, 0, false },
};

/* ------------------------------------------------------------------ */
/* Ports                                                               */
/* ------------------------------------------------------------------ */

static bool name_char_ok(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

static int parse_port_name(struct cfg_ctx *ctx, const struct cfg_key *key,
			   const json_t *val, void *base)
{
	struct cfg_quote q, qc;
	const char *s;
	size_t len;
	int r;

	r = get_string(ctx, val, &s);
	if (r)
		return r;
	len = strlen(s);
	if (!len)
		return cfg_fail(ctx, "the name is empty (names are 1 to %d "
				"characters from A-Z a-z 0-9 _ . -)",
				CFG_NAME_LEN);
	for (size_t i = 0; i < len; i++) {
		char c[5] = { s[i] };

		if (name_char_ok((unsigned char)s[i]))
			continue;
		/* Show a whole UTF-8 character, not its first byte. */
		for (size_t j = 1; j < 4 && i + j < len; j++) {
			if (((unsigned char)s[i + j] & 0xc0) != 0x80)
				break;
			c[j] = s[i + j];
		}
		return cfg_fail(ctx, "%s contains %s (names use only A-Z a-z "
				"0-9 _ . -)", quote(&q, s), quote(&qc, c));
	}
	if (len > CFG_NAME_LEN)
		return cfg_fail(ctx, "%s is %zu characters long, more than %d",
				quote(&q, s), len, CFG_NAME_LEN);
	strlcpy_(key_dst(key, base), s, CFG_NAME_MAX);
	return 0;
}

/* A hint for the usual mistakes in an address, or "". */
static const char *address_hint(const char *s)
{
	const char *colon = strchr(s, ':');

	if (strchr(s, '%'))
		return " (zone indexes such as %eth0 are not supported)";
	if (colon && !strchr(colon + 1, ':') && strchr(s, '.'))
		return " (put the port number in \"port\")";
	if (colon)
		return "";
	for (; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
			return " (host names are not resolved)";
	}
	return "";
}

static int parse_address(struct cfg_ctx *ctx, const struct cfg_key *key,
			 const json_t *val, void *base)
{
	struct in6_addr a6;
	struct in_addr a4;
	struct cfg_quote q;
	const char *s;
	int r;

	r = get_string(ctx, val, &s);
	if (r)
		return r;
	if (strlen(s) >= CFG_ADDR_MAX ||
	    (inet_pton(AF_INET, s, &a4) != 1 &&
	     inet_pton(AF_INET6, s, &a6) != 1))
		return cfg_fail(ctx, "%s is not a literal IPv4 or IPv6 "
				"address%s", quote(&q, s), address_hint(s));
	strlcpy_(key_dst(key, base), s, CFG_ADDR_MAX);
	return 0;
}

static int parse_mode(struct cfg_ctx *ctx, const struct cfg_key *key,
		      const json_t *val, void *base)
{
	struct cfg_quote q;
	unsigned int mode = 0;
	const char *s;
	size_t len;

	if (!json_is_string(val))
		return cfg_fail_type(ctx, "an octal string such as \"0600\"",
				     val);
	s = json_string_value(val);
	len = strlen(s);
	/* "0600", "600", "0": at most three digits after a leading 0. */
	if (len > 1 && s[0] == '0')
		s++, len--;
	if (!len || len > 3)
		goto bad;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '7')
			goto bad;
		mode = mode << 3 | (unsigned int)(s[i] - '0');
	}
	*(unsigned int *)key_dst(key, base) = mode;
	return 0;
bad:
	return cfg_fail(ctx, "%s is not an octal file mode (0000..0777)",
			quote(&q, json_string_value(val)));
}

static int parse_max_connections(struct cfg_ctx *ctx,
				 const struct cfg_key *key, const json_t *val,
				 void *base)
{
	return get_uint(ctx, val, 1, ctx->cfg->sw.max_ports,
			"at most switch.max_ports", key_dst(key, base));
}

#define PORT_KEY_NAME                                                          \
	{ "name", parse_port_name, CFG_V_STR, offsetof(struct cfg_port, name), \
	  0, 0, true }
#define PORT_KEY_TYPE                                                          \
	{ "type", parse_nothing, CFG_V_TYPE, offsetof(struct cfg_port, type),  \
	  0, 0, true }
#define PORT_KEY_ADDRESS                                                       \
	{ "address", parse_address, CFG_V_STR,                                 \
	  offsetof(struct cfg_port, address), 0, 0, false }
#define PORT_KEY_PORT(min_)                                                    \
	{ "port", parse_u16, CFG_V_U16, offsetof(struct cfg_port, port),       \
	  (min_), 65535, true }
#define PORT_KEY_PATH(required_)                                               \
	{ "path", parse_path, CFG_V_STR, offsetof(struct cfg_port, path), 0,   \
	  0, (required_) }
#define PORT_KEY_MODE                                                          \
	{ "mode", parse_mode, CFG_V_MODE, offsetof(struct cfg_port, mode), 0,  \
	  0, false }
#define PORT_KEY_MAX_CONNECTIONS                                               \
	{ "max_connections", parse_max_connections, CFG_V_UINT,                \
	  offsetof(struct cfg_port, max_connections), 0, 0, false }
#define PORT_KEY_RECONNECT(field_)                                             \
	{ #field_, parse_uint, CFG_V_UINT, offsetof(struct cfg_port, field_),  \
	  CFG_RECONNECT_MIN, CFG_RECONNECT_MAX, false }
#define PORT_KEYS_TX_QUEUE                                                     \
	{ "tx_queue_frames", parse_uint, CFG_V_UINT,                           \
	  offsetof(struct cfg_port, tx_queue_frames), 1, 65536, false },       \
	{ "tx_queue_bytes", parse_tx_queue_bytes, CFG_V_UINT,                  \
	  offsetof(struct cfg_port, tx_queue_bytes), 0, 0, false }

static const struct cfg_key tcp_listen_keys[] = {
	PORT_KEY_NAME,
	PORT_KEY_TYPE,
	PORT_KEY_ADDRESS,
	PORT_KEY_PORT(0),
	PORT_KEY_MAX_CONNECTIONS,
	PORT_KEYS_TX_QUEUE,
};

static const struct cfg_key unix_listen_keys[] = {
	PORT_KEY_NAME,
	PORT_KEY_TYPE,
	PORT_KEY_PATH(false),
	PORT_KEY_MODE,
	PORT_KEY_MAX_CONNECTIONS,
	PORT_KEYS_TX_QUEUE,
};

static const struct cfg_key tcp_connect_keys[] = {
	PORT_KEY_NAME,
	PORT_KEY_TYPE,
	PORT_KEY_ADDRESS,
	PORT_KEY_PORT(1),
	PORT_KEY_RECONNECT(reconnect_min_ms),
	PORT_KEY_RECONNECT(reconnect_max_ms),
	PORT_KEYS_TX_QUEUE,
};

static const struct cfg_key unix_connect_keys[] = {
	PORT_KEY_NAME,
	PORT_KEY_TYPE,
	PORT_KEY_PATH(true),
	PORT_KEY_RECONNECT(reconnect_min_ms),
	PORT_KEY_RECONNECT(reconnect_max_ms),
	PORT_KEYS_TX_QUEUE,
};

/* A multicast group: IPv4 224.0.0.0/4 or IPv6 ff00::/8, literally. */
static int parse_mcast_group(struct cfg_ctx *ctx, const struct cfg_key *key,
			     const json_t *val, void *base)
{
	struct in6_addr a6;
	struct in_addr a4;
	struct cfg_quote q;
	const char *s;
	int r;

	r = get_string(ctx, val, &s);
	if (r)
		return r;
	if (strlen(s) < CFG_ADDR_MAX && inet_pton(AF_INET, s, &a4) == 1) {
		if ((ntohl(a4.s_addr) >> 28) != 0xe)
			return cfg_fail(ctx, "%s is not an IPv4 multicast "
					"address (224.0.0.0/4)", quote(&q, s));
	} else if (strlen(s) < CFG_ADDR_MAX &&
		   inet_pton(AF_INET6, s, &a6) == 1) {
		if (a6.s6_addr[0] != 0xff)
			return cfg_fail(ctx, "%s is not an IPv6 multicast "
					"address (ff00::/8)", quote(&q, s));
	} else {
		return cfg_fail(ctx, "%s is not a literal multicast address",
				quote(&q, s));
	}
	strlcpy_(key_dst(key, base), s, CFG_ADDR_MAX);
	return 0;
}

/* An interface name as the kernel takes it: 1 to 15 bytes, no '/' or space. */
static int check_ifname(struct cfg_ctx *ctx, const char *s)
{
	struct cfg_quote q;
	size_t len = strlen(s);

	if (!len || len >= CFG_IFNAME_MAX)
		return cfg_fail(ctx, "%s is not an interface name (1 to %d "
				"bytes)", quote(&q, s), CFG_IFNAME_MAX - 1);
	for (size_t i = 0; i < len; i++)
		if (s[i] == '/' || s[i] == ':' || (unsigned char)s[i] <= ' ' ||
		    (unsigned char)s[i] >= 0x7f)
			return cfg_fail(ctx, "%s is not an interface name (no "
					"'/', ':', spaces or control "
					"characters)", quote(&q, s));
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return cfg_fail(ctx, "%s is not an interface name",
				quote(&q, s));
	return 0;
}

static int parse_ifname(struct cfg_ctx *ctx, const struct cfg_key *key,
			const json_t *val, void *base)
{
	const char *s = NULL;
	int r;

	r = get_string(ctx, val, &s);
	if (!r)
		r = check_ifname(ctx, s);
	if (!r)
		strlcpy_(key_dst(key, base), s, CFG_IFNAME_MAX);
	return r;
}

static int parse_bool(struct cfg_ctx *ctx, const struct cfg_key *key,
		      const json_t *val, void *base)
{
	if (!json_is_boolean(val))
		return cfg_fail_type(ctx, "true or false", val);
	*(bool *)key_dst(key, base) = json_is_true(val);
	return 0;
}

static int parse_mtu(struct cfg_ctx *ctx, const struct cfg_key *key,
		     const json_t *val, void *base)
{
	/* The largest MTU whose frame, with its tag, still fits max_frame. */
	unsigned int max = ctx->cfg->sw.max_frame - 18;

	return get_uint(ctx, val, 68, max < 68 ? 68 : max,
			"at most switch.max_frame - 18", key_dst(key, base));
}

#define PORT_KEY_REMOTE_ADDRESS                                                \
	{ "remote_address", parse_address, CFG_V_STR,                          \
	  offsetof(struct cfg_port, remote_address), 0, 0, false }
#define PORT_KEY_REMOTE_PORT                                                   \
	{ "remote_port", parse_u16, CFG_V_U16,                                 \
	  offsetof(struct cfg_port, remote_port), 1, 65535, false }
#define PORT_KEY_PEERS                                                         \
	{ "max_peers", parse_max_connections, CFG_V_UINT,                      \
	  offsetof(struct cfg_port, max_peers), 0, 0, false },                 \
	{ "peer_idle_s", parse_uint, CFG_V_UINT,                               \
	  offsetof(struct cfg_port, peer_idle_s), 0, 86400, false }

static const struct cfg_key udp_keys[] = {
	PORT_KEY_NAME,
	PORT_KEY_TYPE,
	PORT_KEY_ADDRESS,
	PORT_KEY_PORT(1),
	PORT_KEY_REMOTE_ADDRESS,
	PORT_KEY_REMOTE_PORT,
	PORT_KEY_PEERS,
	PORT_KEYS_TX_QUEUE,
};

static const struct cfg_key unix_dgram_keys[] = {
	PORT_KEY_NAME,
	PORT_KEY_TYPE,
	PORT_KEY_PATH(false),
	PORT_KEY_MODE,
	{ "remote_path", parse_path, CFG_V_STR,
	  offsetof(struct cfg_port, remote_path), 0, 0, false },
	PORT_KEY_PEERS,
	PORT_KEYS_TX_QUEUE,
};

static const struct cfg_key mcast_keys[] = {
	PORT_KEY_NAME,
	PORT_KEY_TYPE,
	{ "group", parse_mcast_group, CFG_V_STR,
	  offsetof(struct cfg_port, group), 0, 0, true },
	PORT_KEY_PORT(1),
	{ "interface", parse_ifname, CFG_V_STR,
	  offsetof(struct cfg_port, ifname), 0, 0, false },
	{ "ttl", parse_uint, CFG_V_UINT, offsetof(struct cfg_port, ttl), 0, 255,
	  false },
	PORT_KEYS_TX_QUEUE,
};

static const struct cfg_key tap_keys[] = {
	PORT_KEY_NAME,
	PORT_KEY_TYPE,
	{ "ifname", parse_ifname, CFG_V_STR, offsetof(struct cfg_port, ifname),
	  0, 0, false },
	{ "mtu", parse_mtu, CFG_V_UINT, offsetof(struct cfg_port, mtu), 0, 0,
	  false },
	{ "offload", parse_bool, CFG_V_BOOL, offsetof(struct cfg_port, offload),
	  0, 0, false },
	PORT_KEYS_TX_QUEUE,
};

static int parse_port_keys(struct cfg_ctx *ctx, const json_t *obj,
			   struct cfg_port *port)
{
	const struct cfg_port_type_info *pt = ctx->port_type;

	return cfg_parse_object(ctx, obj, pt->keys, pt->n_keys, port);
}

static int check_reconnect(struct cfg_ctx *ctx, const json_t *obj,
			   const struct cfg_port *port)
{
	bool min_given = json_object_get(obj, "reconnect_min_ms") != NULL;
	bool max_given = json_object_get(obj, "reconnect_max_ms") != NULL;
	int r;

	if (port->reconnect_min_ms <= port->reconnect_max_ms)
		return 0;
	/* Point at whichever of the two the file sets; min if both. */
	if (min_given) {
		path_push_key(ctx, "reconnect_min_ms");
		r = cfg_fail(ctx, "%u is greater than reconnect_max_ms (%u%s)",
			     port->reconnect_min_ms, port->reconnect_max_ms,
			     max_given ? "" : ", the default");
	} else {
		path_push_key(ctx, "reconnect_max_ms");
		r = cfg_fail(ctx, "%u is less than reconnect_min_ms (%u, the "
			     "default)", port->reconnect_max_ms,
			     port->reconnect_min_ms);
	}
	path_pop(ctx);
	return r;
}

static int tcp_listen_parse(struct cfg_ctx *ctx, const json_t *obj,
			    struct cfg_port *port)
{
	strlcpy_(port->address, CFG_DEFAULT_ADDRESS, sizeof(port->address));
	port->max_connections =
		MIN(CFG_DEF_MAX_CONNECTIONS, ctx->cfg->sw.max_ports);
	return parse_port_keys(ctx, obj, port);
}

/* The default socket path of a unix-* port: <runtime_dir>/<name><ext>. */
static int default_path(struct cfg_ctx *ctx, struct cfg_port *port,
			const char *ext)
{
	const char *dir = ctx->cfg->runtime_dir;
	size_t dir_len = strlen(dir);
	char path[CFG_PATH_MAX + CFG_NAME_MAX + 8];
	struct cfg_quote q;

	snprintf(path, sizeof(path), "%s%s%s%s", dir,
		 dir_len && dir[dir_len - 1] == '/' ? "" : "/", port->name, ext);
	if (strlen(path) > CFG_SUN_PATH_LEN)
		return cfg_fail(ctx, "the default path %s is %zu bytes long, "
				"more than the %d that fit in a UNIX socket "
				"address (set \"path\" or a shorter "
				"runtime_dir)", quote(&q, path), strlen(path),
				CFG_SUN_PATH_LEN);
	strlcpy_(port->path, path, sizeof(port->path));
	return 0;
}

static int unix_listen_parse(struct cfg_ctx *ctx, const json_t *obj,
			     struct cfg_port *port)
{
	int r;

	port->mode = CFG_DEF_MODE;
	port->max_connections =
		MIN(CFG_DEF_MAX_CONNECTIONS, ctx->cfg->sw.max_ports);
	r = parse_port_keys(ctx, obj, port);
	if (r || port->path[0])
		return r;
	return default_path(ctx, port, ".sock");
}

static int tcp_connect_parse(struct cfg_ctx *ctx, const json_t *obj,
			     struct cfg_port *port)
{
	int r;

	strlcpy_(port->address, CFG_DEFAULT_ADDRESS, sizeof(port->address));
	port->reconnect_min_ms = CFG_DEF_RECONNECT_MIN_MS;
	port->reconnect_max_ms = CFG_DEF_RECONNECT_MAX_MS;
	r = parse_port_keys(ctx, obj, port);
	return r ? r : check_reconnect(ctx, obj, port);
}

static int unix_connect_parse(struct cfg_ctx *ctx, const json_t *obj,
			      struct cfg_port *port)
{
	int r;

	port->reconnect_min_ms = CFG_DEF_RECONNECT_MIN_MS;
	port->reconnect_max_ms = CFG_DEF_RECONNECT_MAX_MS;
	r = parse_port_keys(ctx, obj, port);
	return r ? r : check_reconnect(ctx, obj, port);
}

static void peer_defaults(struct cfg_ctx *ctx, struct cfg_port *port)
{
	port->max_peers = MIN(CFG_DEF_MAX_PEERS, ctx->cfg->sw.max_ports);
	port->peer_idle_s = CFG_DEF_PEER_IDLE_S;
}

static int udp_parse(struct cfg_ctx *ctx, const json_t *obj,
		     struct cfg_port *port)
{
	bool addr = json_object_get(obj, "remote_address") != NULL;
	bool rport = json_object_get(obj, "remote_port") != NULL;
	int r;

	strlcpy_(port->address, CFG_DEFAULT_ADDRESS, sizeof(port->address));
	peer_defaults(ctx, port);
	r = parse_port_keys(ctx, obj, port);
	if (r || addr == rport)
		return r;
	return cfg_fail(ctx, "remote_address and remote_port go together "
			"(a fixed peer needs both)");
}

static int unix_dgram_parse(struct cfg_ctx *ctx, const json_t *obj,
			    struct cfg_port *port)
{
	int r;

	port->mode = CFG_DEF_MODE;
	peer_defaults(ctx, port);
	r = parse_port_keys(ctx, obj, port);
	if (r || port->path[0])
		return r;
	return default_path(ctx, port, ".dgram");
}

static int mcast_parse(struct cfg_ctx *ctx, const json_t *obj,
		       struct cfg_port *port)
{
	struct cfg_quote q;
	int r;

	strlcpy_(port->ifname, "lo", sizeof(port->ifname));
	port->ttl = CFG_DEF_TTL;
	r = parse_port_keys(ctx, obj, port);
	if (r)
		return r;
	/* Joining needs the interface now; a typo must not wait for start. */
	if (!if_nametoindex(port->ifname)) {
		path_push_key(ctx, "interface");
		r = cfg_fail(ctx, "there is no interface %s",
			     quote(&q, port->ifname));
		path_pop(ctx);
	}
	return r;
}

static int tap_parse(struct cfg_ctx *ctx, const json_t *obj,
		     struct cfg_port *port)
{
	int r = parse_port_keys(ctx, obj, port);

	if (r || port->ifname[0])
		return r;
	/* Without "ifname" the device is named after the port. */
	if (strlen(port->name) >= CFG_IFNAME_MAX)
		return cfg_fail(ctx, "the port name is too long to name the "
				"device (set \"ifname\", at most %d bytes)",
				CFG_IFNAME_MAX - 1);
	strlcpy_(port->ifname, port->name, sizeof(port->ifname));
	return 0;
}

/* The port types; the order is that of the documentation. */
static const struct cfg_port_type_info cfg_port_types[] = {
	{ "tcp-listen", CFG_PORT_TCP_LISTEN, tcp_listen_parse, tcp_listen_keys,
	  ARRAY_SIZE(tcp_listen_keys) },
	{ "unix-listen", CFG_PORT_UNIX_LISTEN, unix_listen_parse,
	  unix_listen_keys, ARRAY_SIZE(unix_listen_keys) },
	{ "tcp-connect", CFG_PORT_TCP_CONNECT, tcp_connect_parse,
	  tcp_connect_keys, ARRAY_SIZE(tcp_connect_keys) },
	{ "unix-connect", CFG_PORT_UNIX_CONNECT, unix_connect_parse,
	  unix_connect_keys, ARRAY_SIZE(unix_connect_keys) },
	{ "udp", CFG_PORT_UDP, udp_parse, udp_keys, ARRAY_SIZE(udp_keys) },
	{ "unix-dgram", CFG_PORT_UNIX_DGRAM, unix_dgram_parse, unix_dgram_keys,
	  ARRAY_SIZE(unix_dgram_keys) },
	{ "mcast", CFG_PORT_MCAST, mcast_parse, mcast_keys,
	  ARRAY_SIZE(mcast_keys) },
	{ "tap", CFG_PORT_TAP, tap_parse, tap_keys, ARRAY_SIZE(tap_keys) },
};

static const size_t cfg_n_port_types = ARRAY_SIZE(cfg_port_types);

/* Whether @name is a key of some port type other than @pt. */
static bool key_of_other_type(const struct cfg_port_type_info *pt,
			      const char *name)
{
	for (size_t i = 0; i < cfg_n_port_types; i++) {
		const struct cfg_port_type_info *o = &cfg_port_types[i];

		if (o != pt && find_key(o->keys, o->n_keys, name))
			return true;
	}
	return false;
}

static const struct cfg_port_type_info *port_type_info(enum cfg_port_type t)
{
	for (size_t i = 0; i < cfg_n_port_types; i++) {
		if (cfg_port_types[i].type == t)
			return &cfg_port_types[i];
	}
	return NULL;
}

const char *cfg_port_type_name(enum cfg_port_type type)
{
	const struct cfg_port_type_info *pt = port_type_info(type);

	return pt ? pt->name : "?";
}

/* Looks up "type" first: it decides which keys are valid. */
static int parse_port(struct cfg_ctx *ctx, const json_t *obj,
		      struct cfg_port *port)
{
	const struct cfg_port_type_info *pt = NULL;
	struct cfg_quote q;
	const json_t *type;
	const char *s;
	char list[128] = "";
	int r;

	if (!json_is_object(obj))
		return cfg_fail_type(ctx, "an object", obj);
	type = json_object_get(obj, "type");
	if (!type)
		return cfg_fail(ctx, "missing required key \"type\"");
	path_push_key(ctx, "type");
	r = get_string(ctx, type, &s);
	for (size_t i = 0; !r && i < cfg_n_port_types; i++) {
		size_t used = strlen(list);

		if (!strcmp(s, cfg_port_types[i].name))
			pt = &cfg_port_types[i];
		snprintf(list + used, sizeof(list) - used, "%s%s",
			 i ? ", " : "", cfg_port_types[i].name);
	}
	if (!r && !pt)
		r = cfg_fail(ctx, "%s is not a port type (valid types: %s)",
			     quote(&q, s), list);
	path_pop(ctx);
	if (r)
		return r;

	port->type = pt->type;
	port->tx_queue_frames = ctx->cfg->sw.tx_queue_frames;
	port->tx_queue_bytes = ctx->cfg->sw.tx_queue_bytes;
	ctx->port_type = pt;
	r = pt->parse(ctx, obj, port);
	ctx->port_type = NULL;
	return r;
}

/**
 * struct cfg_dup - one entry of the duplicate search.
 * @key:	the value that must be unique (NULL: not taking part)
 * @index:	port index
 */
struct cfg_dup {
	const char *key;
	size_t index;
};

static int cfg_dup_cmp(const void *a, const void *b)
{
	const struct cfg_dup *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Finds the first port (in file order) whose key repeats that of an
 * earlier port.  Sorts @dups (keys NULL are left out).  Returns true and
 * sets *@dup and *@orig if there is one.
 */
static bool find_dup(struct cfg_dup *dups, size_t n, size_t *dup, size_t *orig)
{
	size_t m = 0;
	bool found = false;

	for (size_t i = 0; i < n; i++) {
		if (dups[i].key)
			dups[m++] = dups[i];
	}
	qsort(dups, m, sizeof(*dups), cfg_dup_cmp);
	for (size_t i = 1, first = 0; i < m; i++) {
		if (strcmp(dups[i].key, dups[first].key)) {
			first = i;
			continue;
		}
		if (!found || dups[i].index < *dup) {
			*dup = dups[i].index;
			*orig = dups[first].index;
			found = true;
		}
	}
	return found;
}

/*
 * Fails for port @dup whose @key ("name", "path", "port") repeats that of
 * port @orig; @what is the shown value.  A key not in the file (a default
 * path) is reported at the port object.
 */
static int cfg_fail_dup(struct cfg_ctx *ctx, const json_t *ports, size_t dup,
			size_t orig, const char *key, const char *what)
{
	bool given = json_object_get(json_array_get(ports, dup), key) != NULL;
	int r;

	path_push_index(ctx, dup);
	if (given)
		path_push_key(ctx, key);
	r = cfg_fail(ctx, "%s%s is already used by ports[%zu]",
		     given ? "" : "the default path ", what, orig);
	if (given)
		path_pop(ctx);
	path_pop(ctx);
	return r;
}

/*
 * Port names must be unique, and so must the sockets of listeners (a
 * second unix-listen port on a path would unlink the first one's socket).
 * Sorting keeps this O(n log n) for large port counts.
 */
static int check_unique(struct cfg_ctx *ctx, const json_t *ports)
{
	const struct vsw_config *cfg = ctx->cfg;
	size_t n = cfg->n_ports, dup = 0, orig = 0;
	char (*addrs)[CFG_ADDR_MAX + 8] = NULL;
	struct cfg_dup *dups;
	struct cfg_quote q;
	int r = 0;

	dups = calloc(n, sizeof(*dups));
	addrs = calloc(n, sizeof(*addrs));
	if (!dups || !addrs) {
		r = cfg_nomem(ctx);
		goto out;
	}

	for (size_t i = 0; i < n; i++)
		dups[i] = (struct cfg_dup){ cfg->ports[i].name, i };
	if (find_dup(dups, n, &dup, &orig)) {
		r = cfg_fail_dup(ctx, ports, dup, orig, "name",
				 quote(&q, cfg->ports[dup].name));
		goto out;
	}

	for (size_t i = 0; i < n; i++) {
		const struct cfg_port *p = &cfg->ports[i];

		dups[i] = (struct cfg_dup){
			p->type == CFG_PORT_UNIX_LISTEN ? p->path : NULL, i
		};
	}
	if (find_dup(dups, n, &dup, &orig)) {
		r = cfg_fail_dup(ctx, ports, dup, orig, "path",
				 quote(&q, cfg->ports[dup].path));
		goto out;
	}

	/* Compare addresses in canonical form: "::1" and "0::1" clash. */
	for (size_t i = 0; i < n; i++) {
		const struct cfg_port *p = &cfg->ports[i];
		unsigned char bin[sizeof(struct in6_addr)];
		char text[INET6_ADDRSTRLEN];
		int af = strchr(p->address, ':') ? AF_INET6 : AF_INET;

		dups[i] = (struct cfg_dup){ NULL, i };
		if (p->type != CFG_PORT_TCP_LISTEN || !p->port)
			continue;
		if (inet_pton(af, p->address, bin) != 1 ||
		    !inet_ntop(af, bin, text, sizeof(text)))
			continue;
		snprintf(addrs[i], sizeof(addrs[i]),
			 af == AF_INET6 ? "[%s]:%u" : "%s:%u", text, p->port);
		dups[i].key = addrs[i];
	}
	if (find_dup(dups, n, &dup, &orig)) {
		char what[CFG_ADDR_MAX + 8];

		snprintf(what, sizeof(what), "%s", addrs[dup]);
		r = cfg_fail_dup(ctx, ports, dup, orig, "port", what);
	}
out:
	free(addrs);
	free(dups);
	return r;
}

static int parse_ports(struct cfg_ctx *ctx, const struct cfg_key *key UNUSED,
		       const json_t *val, void *base)
{
	struct vsw_config *cfg = base;
	size_t n;
	int r;

	if (!json_is_array(val))
		return cfg_fail_type(ctx, "an array", val);
	n = json_array_size(val);
	if (!n)
		return cfg_fail(ctx, "no ports configured");
	if (n > cfg->sw.max_ports)
		return cfg_fail(ctx, "%zu ports configured, more than "
				"switch.max_ports (%u)", n, cfg->sw.max_ports);
	cfg->ports = calloc(n, sizeof(*cfg->ports));
	if (!cfg->ports)
		return cfg_nomem(ctx);
	for (size_t i = 0; i < n; i++) {
		path_push_index(ctx, i);
		r = parse_port(ctx, json_array_get(val, i), &cfg->ports[i]);
		path_pop(ctx);
		if (r)
			return r;
		cfg->n_ports = i + 1;
	}
	return check_unique(ctx, val);
}

/* ------------------------------------------------------------------ */
/* "dhcp"                                                              */
/* ------------------------------------------------------------------ */

static int get_ipv4(struct cfg_ctx *ctx, const json_t *val, uint32_t *out)
{
	struct cfg_quote q;
	struct in_addr a;
	const char *s;
	int r;

	r = get_string(ctx, val, &s);
	if (r)
		return r;
	if (inet_pton(AF_INET, s, &a) != 1)
		return cfg_fail(ctx, "%s is not a literal IPv4 address",
				quote(&q, s));
	*out = ntohl(a.s_addr);
	return 0;
}

static int parse_ipv4(struct cfg_ctx *ctx, const struct cfg_key *key,
		      const json_t *val, void *base)
{
	return get_ipv4(ctx, val, key_dst(key, base));
}

static int get_mac(struct cfg_ctx *ctx, const json_t *val, uint8_t mac[6])
{
	struct cfg_quote q;
	unsigned int b[6];
	const char *s;
	char end;
	int r;

	r = get_string(ctx, val, &s);
	if (r)
		return r;
	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &end) != 6)
		return cfg_fail(ctx, "%s is not a MAC address "
				"(xx:xx:xx:xx:xx:xx)", quote(&q, s));
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	if (mac[0] & 1)
		return cfg_fail(ctx, "%s is a group address, not a unicast "
				"MAC", quote(&q, s));
	return 0;
}

static int parse_mac(struct cfg_ctx *ctx, const struct cfg_key *key,
		     const json_t *val, void *base)
{
	return get_mac(ctx, val, key_dst(key, base));
}

static int parse_cidr(struct cfg_ctx *ctx, const struct cfg_key *key UNUSED,
		      const json_t *val, void *base)
{
	struct cfg_dhcp *dh = base;
	struct cfg_quote q;
	char buf[32], *slash, *end;
	struct in_addr a;
	const char *s;
	unsigned long len;
	uint32_t mask;
	int r;

	r = get_string(ctx, val, &s);
	if (r)
		return r;
	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash)
		goto bad;
	*slash = '\0';
	errno = 0;
	len = strtoul(slash + 1, &end, 10);
	if (inet_pton(AF_INET, buf, &a) != 1 || !slash[1] || *end ||
	    !isdigit((unsigned char)slash[1]) || len > 32)
		goto bad;
	if (len > 30)
		return cfg_fail(ctx, "%s is too small (at most /30)",
				quote(&q, s));
	mask = len ? 0xffffffffu << (32 - len) : 0;
	if (ntohl(a.s_addr) & ~mask)
		return cfg_fail(ctx, "%s has host bits set (the network is "
				"written with zero host bits)", quote(&q, s));
	dh->dc.subnet = ntohl(a.s_addr);
	dh->dc.netmask = mask;
	return 0;
bad:
	return cfg_fail(ctx, "%s is not an IPv4 subnet in CIDR notation "
			"(such as \"10.0.2.0/24\")", quote(&q, s));
}

static bool dns_name_ok(const char *s)
{
	size_t len = strlen(s), label = 0;

	if (!len || len > 63)
		return false;
	for (; *s; s++) {
		if (*s == '.') {
			if (!label)
				return false;
			label = 0;
		} else if (isalnum((unsigned char)*s) || *s == '-' ||
			   *s == '_') {
			label++;
		} else {
			return false;
		}
	}
	return true;
}

static int get_name(struct cfg_ctx *ctx, const json_t *val, char *out)
{
	struct cfg_quote q;
	const char *s;
	int r;

	r = get_string(ctx, val, &s);
	if (r)
		return r;
	if (!dns_name_ok(s))
		return cfg_fail(ctx, "%s is not a domain name (1 to 63 "
				"characters of A-Z a-z 0-9 - _ in "
				"dot-separated labels)", quote(&q, s));
	strlcpy_(out, s, 64);
	return 0;
}

static int parse_domain(struct cfg_ctx *ctx, const struct cfg_key *key,
			const json_t *val, void *base)
{
	return get_name(ctx, val, key_dst(key, base));
}

static int get_array(struct cfg_ctx *ctx, const json_t *val, size_t max)
{
	if (!json_is_array(val))
		return cfg_fail_type(ctx, "an array", val);
	if (json_array_size(val) > max)
		return cfg_fail(ctx, "%zu entries, more than %zu",
				json_array_size(val), max);
	return 0;
}

/* Parses one array element into @dst. */
typedef int cfg_elem_fn(struct cfg_ctx *ctx, const json_t *val, void *dst);

static int elem_ipv4(struct cfg_ctx *ctx, const json_t *val, void *dst)
{
	return get_ipv4(ctx, val, dst);
}

static int elem_name(struct cfg_ctx *ctx, const json_t *val, void *dst)
{
	return get_name(ctx, val, dst);
}

/*
 * An array of at most @max values, each parsed by @fn into consecutive
 * slots of @stride bytes from @first; *@n is set to the count.  Element
 * errors name their index ("dhcp.dns[1]: ...").
 */
static int get_each(struct cfg_ctx *ctx, const json_t *val, size_t max,
		    cfg_elem_fn *fn, void *first, size_t stride,
		    unsigned int *n)
{
	size_t i;
	json_t *v;
	int r;

	r = get_array(ctx, val, max);
	if (r)
		return r;
	json_array_foreach(val, i, v) {
		path_push_index(ctx, i);
		r = fn(ctx, v, (char *)first + i * stride);
		path_pop(ctx);
		if (r)
			return r;
	}
	*n = (unsigned int)json_array_size(val);
	return 0;
}

static int parse_dns(struct cfg_ctx *ctx, const struct cfg_key *key UNUSED,
		     const json_t *val, void *base)
{
	struct dhcp_cfg *dc = &((struct cfg_dhcp *)base)->dc;

	return get_each(ctx, val, ARRAY_SIZE(dc->dns), elem_ipv4, dc->dns,
			sizeof(dc->dns[0]), &dc->n_dns);
}

static int parse_search(struct cfg_ctx *ctx, const struct cfg_key *key UNUSED,
			const json_t *val, void *base)
{
	struct dhcp_cfg *dc = &((struct cfg_dhcp *)base)->dc;

	return get_each(ctx, val, ARRAY_SIZE(dc->search), elem_name,
			dc->search, sizeof(dc->search[0]), &dc->n_search);
}

static int parse_hostname(struct cfg_ctx *ctx, const struct cfg_key *key,
			  const json_t *val, void *base)
{
	return get_name(ctx, val, key_dst(key, base));
}

static const struct cfg_key reservation_keys[] = {
	{ "mac", parse_mac, CFG_V_NONE,
	  offsetof(struct dhcp_reservation, mac), 0, 0, true },
	{ "ip", parse_ipv4, CFG_V_NONE, offsetof(struct dhcp_reservation, ip),
	  0, 0, true },
	{ "hostname", parse_hostname, CFG_V_NONE,
	  offsetof(struct dhcp_reservation, hostname), 0, 0, false },
};

enum { CFG_DHCP_MAX_RESERVATIONS = 4096 };

static int parse_reservations(struct cfg_ctx *ctx,
			      const struct cfg_key *key UNUSED,
			      const json_t *val, void *base)
{
	struct cfg_dhcp *dh = base;
	struct dhcp_reservation *res;
	size_t i, n;
	json_t *v;
	int r;

	r = get_array(ctx, val, CFG_DHCP_MAX_RESERVATIONS);
	if (r)
		return r;
	n = json_array_size(val);
	if (!n)
		return 0;
	res = calloc(n, sizeof(*res));
	if (!res)
		return cfg_nomem(ctx);
	dh->dc.reservations = res;
	json_array_foreach(val, i, v) {
		path_push_index(ctx, i);
		r = cfg_parse_object(ctx, v, reservation_keys,
				     ARRAY_SIZE(reservation_keys), &res[i]);
		for (size_t k = 0; !r && k < i; k++) {
			struct cfg_quote q;
			char ip[INET_ADDRSTRLEN];
			struct in_addr a = { htonl(res[i].ip) };

			if (!memcmp(res[k].mac, res[i].mac, 6))
				r = cfg_fail(ctx, "the MAC is already "
					     "reserved by reservations[%zu]", k);
			else if (res[k].ip == res[i].ip)
				r = cfg_fail(ctx, "%s is already reserved by "
					     "reservations[%zu]",
					     quote(&q, inet_ntop(AF_INET, &a, ip,
								 sizeof(ip))),
					     k);
		}
		path_pop(ctx);
		if (r)
			return r;
		dh->dc.n_reservations = i + 1;
	}
	return 0;
}

static int parse_lease_file(struct cfg_ctx *ctx, const struct cfg_key *key,
			    const json_t *val, void *base)
{
	struct cfg_quote q;
	const char *s;
	int r;

	r = get_string(ctx, val, &s);
	if (r)
		return r;
	if (!*s)
		return cfg_fail(ctx, "the path is empty");
	if (strlen(s) >= CFG_FILE_MAX)
		return cfg_fail(ctx, "%s is %zu bytes long, more than %d",
				quote(&q, s), strlen(s), CFG_FILE_MAX - 1);
	strlcpy_(key_dst(key, base), s, CFG_FILE_MAX);
	return 0;
}

static int parse_bool(struct cfg_ctx *ctx, const struct cfg_key *key,
		      const json_t *val, void *base);

#define DHCP_OFF(f) offsetof(struct cfg_dhcp, dc.f)
static const struct cfg_key dhcp_keys[] = {
	{ "server_ip", parse_ipv4, CFG_V_NONE, DHCP_OFF(server_ip), 0, 0,
	  false },
	{ "server_mac", parse_mac, CFG_V_NONE, DHCP_OFF(server_mac), 0, 0,
	  false },
	{ "subnet", parse_cidr, CFG_V_NONE, 0, 0, 0, false },
	{ "range_start", parse_ipv4, CFG_V_NONE, DHCP_OFF(range_start), 0, 0,
	  false },
	{ "range_end", parse_ipv4, CFG_V_NONE, DHCP_OFF(range_end), 0, 0,
	  false },
	{ "router", parse_ipv4, CFG_V_NONE, DHCP_OFF(router), 0, 0, false },
	{ "dns", parse_dns, CFG_V_NONE, 0, 0, 0, false },
	{ "domain", parse_domain, CFG_V_NONE, DHCP_OFF(domain), 0, 0, false },
	{ "search", parse_search, CFG_V_NONE, 0, 0, 0, false },
	{ "mtu", parse_uint, CFG_V_NONE, DHCP_OFF(mtu), 68, 65535, false },
	{ "lease_s", parse_uint, CFG_V_NONE, DHCP_OFF(lease_s), 60, 31536000,
	  false },
	{ "rapid_commit", parse_bool, CFG_V_NONE, DHCP_OFF(rapid_commit), 0,
	  0, false },
	{ "reservations", parse_reservations, CFG_V_NONE, 0, 0, 0, false },
	{ "lease_file", parse_lease_file, CFG_V_NONE,
	  offsetof(struct cfg_dhcp, lease_file), 0, 0, false },
};
#undef DHCP_OFF

enum {
	CFG_QEMU_NET = 0x0a000200, /* 10.0.2.0/24 */
	CFG_DHCP_FIRST_HOST = 15,
};

static int parse_dhcp(struct cfg_ctx *ctx, const struct cfg_key *key,
		      const json_t *val, void *base)
{
	struct cfg_dhcp *dh = key_dst(key, base);
	struct dhcp_cfg *dc = &dh->dc;
	char msg[160];
	uint32_t bcast;
	int r;

	if (!json_is_object(val))
		return cfg_fail_type(ctx, "an object", val);
	dh->enabled = true;
	dc->subnet = CFG_QEMU_NET;
	dc->netmask = 0xffffff00u;
	dc->lease_s = DHCP_DEFAULT_LEASE_S;
	r = cfg_parse_object(ctx, val, dhcp_keys, ARRAY_SIZE(dhcp_keys), dh);
	if (r)
		return r;
	if (!json_object_get(val, "server_ip")) {
		if (dc->subnet != CFG_QEMU_NET || dc->netmask != 0xffffff00u)
			return cfg_fail(ctx, "missing required key "
					"\"server_ip\" (it defaults to "
					"10.0.2.1 only for subnet "
					"10.0.2.0/24)");
		dc->server_ip = CFG_QEMU_NET + 1;
	}
	if (!json_object_get(val, "server_mac")) {
		/* Like slirp's 52:55:0a:00:02:02 for 10.0.2.2. */
		dc->server_mac[0] = 0x52;
		dc->server_mac[1] = 0x55;
		for (int i = 0; i < 4; i++)
			dc->server_mac[2 + i] =
				(uint8_t)(dc->server_ip >> (24 - 8 * i));
	}
	bcast = dc->subnet | ~dc->netmask;
	if (!json_object_get(val, "range_start"))
		dc->range_start = dc->subnet + CFG_DHCP_FIRST_HOST;
	if (!json_object_get(val, "range_end"))
		dc->range_end = bcast - 1;
	if (!dh->lease_file[0] &&
	    (size_t)snprintf(dh->lease_file, sizeof(dh->lease_file),
			     "%s/dhcp.leases", ctx->cfg->runtime_dir) >=
		    sizeof(dh->lease_file))
		return cfg_fail(ctx, "runtime_dir is too long for the default "
				"lease_file");
	if (dhcp_cfg_check(dc, msg, sizeof(msg)))
		return cfg_fail(ctx, "%s", msg);
	return 0;
}

bool cfg_dhcp_same(const struct cfg_dhcp *a, const struct cfg_dhcp *b)
{
	if (a->enabled != b->enabled)
		return false;
	if (!a->enabled)
		return true;
	if (memcmp(&a->dc, &b->dc, offsetof(struct dhcp_cfg, reservations)) ||
	    a->dc.n_reservations != b->dc.n_reservations ||
	    a->dc.max_leases != b->dc.max_leases ||
	    strcmp(a->lease_file, b->lease_file))
		return false;
	for (size_t i = 0; i < a->dc.n_reservations; i++) {
		const struct dhcp_reservation *ra = &a->dc.reservations[i];
		const struct dhcp_reservation *rb = &b->dc.reservations[i];

		if (memcmp(ra->mac, rb->mac, 6) || ra->ip != rb->ip ||
		    strcmp(ra->hostname, rb->hostname))
			return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */
/* ------------------------------------------------------------------ */

static void cfg_switch_defaults(struct cfg_switch *sw)
{
	*sw = (struct cfg_switch){
		.mac_aging_s = CFG_DEF_MAC_AGING_S,
		.mac_table_size = CFG_DEF_MAC_TABLE_SIZE,
		.mac_move_holddown_ms = CFG_DEF_MAC_MOVE_HOLDDOWN_MS,
		.max_frame = CFG_DEF_MAX_FRAME,
		.max_ports = CFG_DEF_MAX_PORTS,
		.tx_queue_frames = CFG_DEF_TX_QUEUE_FRAMES,
		.tx_queue_bytes = CFG_DEF_TX_QUEUE_BYTES,
	};
}

/* Parses the document @root into ctx->cfg, which starts out zeroed. */
static int cfg_parse_root(struct cfg_ctx *ctx, const json_t *root,
			  const char *runtime_dir)
{
	struct vsw_config *cfg = ctx->cfg;
	struct cfg_quote q;
	int r;

	if (!json_is_object(root))
		return cfg_fail(ctx, "the top level must be an object, got %s",
				json_kind(root));
	if (!runtime_dir || !runtime_dir[0])
		runtime_dir = CFG_DEFAULT_RUNTIME_DIR;
	if (!json_object_get(root, "runtime_dir") &&
	    strlen(runtime_dir) > CFG_SUN_PATH_LEN)
		return cfg_fail_nopos(ctx, "the default runtime directory %s "
				      "is %zu bytes long, more than %d",
				      quote(&q, runtime_dir),
				      strlen(runtime_dir), CFG_SUN_PATH_LEN);
	strlcpy_(cfg->runtime_dir, runtime_dir, sizeof(cfg->runtime_dir));
	cfg->log_level = LOG_LVL_INFO;
	cfg_switch_defaults(&cfg->sw);
	cfg->control.mode = CFG_DEF_MODE;
	cfg->control.gid = -1;
	cfg->control.max_clients = CFG_DEF_CTL_MAX_CLIENTS;

	r = cfg_parse_object(ctx, root, root_keys, ARRAY_SIZE(root_keys), cfg);
	if (r)
		return r;
	if (!cfg->control.path[0] &&
	    (size_t)snprintf(cfg->control.path, sizeof(cfg->control.path),
			     "%s/ctl.sock", cfg->runtime_dir) >=
		    sizeof(cfg->control.path))
		return cfg_fail_nopos(ctx, "runtime_dir %s is too long for the "
				      "control socket path",
				      quote(&q, cfg->runtime_dir));
	if (!cfg->n_ports)
		return cfg_fail_nopos(ctx, "no ports configured (add a "
				      "\"ports\" array)");
	return 0;
}

static bool all_space(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!strchr(" \t\r\n", text[i]) || !text[i])
			return false;
	}
	return true;
}

static int cfg_load_text(const char *text, size_t len, const char *source,
			 const char *runtime_dir, struct vsw_config *out,
			 struct vsw_err *err)
{
	struct vsw_config cfg = { 0 };
	struct cfg_ctx ctx = {
		.text = text,
		.len = len,
		.source = source ? source : "<string>",
		.err = err,
		.cfg = &cfg,
	};
	json_error_t jerr;
	const char *nul;
	json_t *root;
	int r;

	memset(err, 0, sizeof(*err));
	if (all_space(text, len))
		return cfg_fail_nopos(&ctx, "the file is empty (a JSON object "
				      "is expected)");
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		return cfg_fail(&ctx, "the file starts with a byte order mark "
				"(save it as UTF-8 without one)");
	nul = memchr(text, '\0', len);
	if (nul) {
		/* jansson would call it "invalid token near end of file". */
		cfg_offset_position(text, (size_t)(nul - text), &err->line,
				    &err->col);
		snprintf(err->msg, sizeof(err->msg),
			 "%s:%d:%d: the file contains a NUL byte", ctx.source,
			 err->line, err->col);
		return -EINVAL;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (jerr.line > 0) {
			/* Column 0: at the end of the file, after a newline. */
			err->line = jerr.line;
			err->col = MAX(jerr.column, 1);
			snprintf(err->msg, sizeof(err->msg), "%s:%d:%d: %s",
				 ctx.source, err->line, err->col, jerr.text);
		} else {
			snprintf(err->msg, sizeof(err->msg), "%s: %s",
				 ctx.source, jerr.text);
		}
		return -EINVAL;
	}
	r = cfg_parse_root(&ctx, root, runtime_dir);
	json_decref(root);
	if (r) {
		cfg_free(&cfg);
		return r;
	}
	*out = cfg;
	return 0;
}

int cfg_load_string(const char *text, const char *source_name,
		    const char *default_runtime_dir, struct vsw_config *out,
		    struct vsw_err *err)
{
	return cfg_load_text(text, strlen(text), source_name,
			     default_runtime_dir, out, err);
}

/*
 * Reads all of @path into a NUL-terminated buffer (the NUL is not counted
 * in *@len).  Reading until EOF rather than trusting st_size also works
 * for pipes such as /dev/stdin.
 */
static int read_file(const char *path, char **text, size_t *len)
{
	size_t cap = 0, used = 0;
	char *buf = NULL;
	FILE *f;
	int r = 0;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	for (;;) {
		size_t n;

		if (used == cap) {
			/* One byte over the limit tells a file that is over. */
			size_t ncap = MIN(cap ? cap * 2 : 4096,
					  (size_t)CFG_MAX_FILE_SIZE + 1);
			char *nbuf;

			if (cap == ncap) {
				r = -EFBIG;
				break;
			}
			nbuf = realloc(buf, ncap + 1);
			if (!nbuf) {
				r = -ENOMEM;
				break;
			}
			buf = nbuf;
			cap = ncap;
		}
		errno = 0;
		n = fread(buf + used, 1, cap - used, f);
		used += n;
		if (n)
			continue;
		if (ferror(f))
			r = errno ? -errno : -EIO;
		break;
	}
	fclose(f);
	if (!r && used > CFG_MAX_FILE_SIZE)
		r = -EFBIG;
	if (r) {
		free(buf);
		return r;
	}
	buf[used] = '\0';
	*text = buf;
	*len = used;
	return 0;
}

int cfg_load_file(const char *path, const char *default_runtime_dir,
		  struct vsw_config *out, struct vsw_err *err)
{
	char *text = NULL;
	size_t len = 0;
	int r;

	r = read_file(path, &text, &len);
	if (r) {
		memset(err, 0, sizeof(*err));
		if (r == -EFBIG)
			snprintf(err->msg, sizeof(err->msg),
				 "%s: the file is larger than %d MiB", path,
				 CFG_MAX_FILE_SIZE >> 20);
		else
			snprintf(err->msg, sizeof(err->msg), "%s: %s", path,
				 strerror(-r));
		return r;
	}
	r = cfg_load_text(text, len, path, default_runtime_dir, out, err);
	free(text);
	return r;
}

int cfg_default(struct vsw_config *out, const char *runtime_dir)
{
	const char *dir = runtime_dir && runtime_dir[0] ?
				  runtime_dir :
				  CFG_DEFAULT_RUNTIME_DIR;
	size_t dir_len = strlen(dir);
	struct vsw_config cfg = { 0 };
	struct vsw_err err;
	struct cfg_ctx ctx = {
		.source = "built-in default",
		.err = &err,
		.cfg = &cfg,
	};
	char path[CFG_PATH_MAX + 16];
	json_t *root;
	int r;

	/*
	 * The default is an ordinary config, so it is validated as one.  A
	 * @path cut short here fails that validation: @dir is too long.
	 */
	snprintf(path, sizeof(path), "%s%svm.sock", dir,
		 dir[dir_len - 1] == '/' ? "" : "/");
	root = json_pack("{s:{s:s, s:s, s:[s]}, "
			 "s:[{s:s, s:s, s:s, s:i}, {s:s, s:s, s:s}]}",
			 "dhcp", "subnet", "10.0.2.0/24", "router", "10.0.2.2",
			 "dns", "10.0.2.3",
			 "ports",
			 "name", "vm-tcp", "type", "tcp-listen",
			 "address", CFG_DEFAULT_ADDRESS, "port", 7000,
			 "name", "vm-unix", "type", "unix-listen",
			 "path", path);
	if (!root)
		return -ENOMEM;
	r = cfg_parse_root(&ctx, root, dir);
	json_decref(root);
	if (r) {
		cfg_free(&cfg);
		return r == -EINVAL ? -ENAMETOOLONG : r;
	}
	*out = cfg;
	return 0;
}

void cfg_free(struct vsw_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->ports);
	free(cfg->dhcp.dc.reservations);
	memset(cfg, 0, sizeof(*cfg));
}

/* ------------------------------------------------------------------ */
/* Dump                                                                */
/* ------------------------------------------------------------------ */

static void dump_string(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\')
			fputs("\\\\", f);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

static void dump_keys(FILE *f, const char *prefix, const struct cfg_key *keys,
		      size_t n_keys, const void *base)
{
	for (size_t i = 0; i < n_keys; i++) {
		const struct cfg_key *key = &keys[i];
		const void *p = (const char *)base + key->offset;

		if (key->val == CFG_V_NONE)
			continue;
		fprintf(f, "%s%s = ", prefix, key->name);
		switch (key->val) {
		case CFG_V_NONE:
			break;
		case CFG_V_UINT:
			fprintf(f, "%u", *(const unsigned int *)p);
			break;
		case CFG_V_U16:
			fprintf(f, "%u", *(const uint16_t *)p);
			break;
		case CFG_V_STR:
			dump_string(f, p);
			break;
		case CFG_V_MODE:
			fprintf(f, "%04o", *(const unsigned int *)p);
			break;
		case CFG_V_TYPE:
			fputs(cfg_port_type_name(
				      *(const enum cfg_port_type *)p), f);
			break;
		case CFG_V_BOOL:
			fputs(*(const bool *)p ? "true" : "false", f);
			break;
		}
		fputc('\n', f);
	}
}

static const char *ip_str(uint32_t ip, char *buf)
{
	struct in_addr a = { htonl(ip) };

	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static void dump_dhcp(const struct cfg_dhcp *dh, FILE *f)
{
	const struct dhcp_cfg *dc = &dh->dc;
	const uint8_t *m = dc->server_mac;
	char ip[INET_ADDRSTRLEN];
	int plen = __builtin_popcount(dc->netmask);

	fprintf(f, "dhcp.server_ip = %s\n", ip_str(dc->server_ip, ip));
	fprintf(f, "dhcp.server_mac = %02x:%02x:%02x:%02x:%02x:%02x\n", m[0],
		m[1], m[2], m[3], m[4], m[5]);
	fprintf(f, "dhcp.subnet = %s/%d\n", ip_str(dc->subnet, ip), plen);
	fprintf(f, "dhcp.range_start = %s\n", ip_str(dc->range_start, ip));
	fprintf(f, "dhcp.range_end = %s\n", ip_str(dc->range_end, ip));
	if (dc->router)
		fprintf(f, "dhcp.router = %s\n", ip_str(dc->router, ip));
	for (unsigned int i = 0; i < dc->n_dns; i++)
		fprintf(f, "dhcp.dns[%u] = %s\n", i, ip_str(dc->dns[i], ip));
	if (dc->domain[0])
		fprintf(f, "dhcp.domain = %s\n", dc->domain);
	for (unsigned int i = 0; i < dc->n_search; i++)
		fprintf(f, "dhcp.search[%u] = %s\n", i, dc->search[i]);
	if (dc->mtu)
		fprintf(f, "dhcp.mtu = %u\n", dc->mtu);
	fprintf(f, "dhcp.lease_s = %u\n", dc->lease_s);
	fprintf(f, "dhcp.rapid_commit = %s\n",
		dc->rapid_commit ? "true" : "false");
	for (size_t i = 0; i < dc->n_reservations; i++) {
		const struct dhcp_reservation *r = &dc->reservations[i];

		m = r->mac;
		fprintf(f, "dhcp.reservations[%zu] = %02x:%02x:%02x:%02x:%02x:"
			"%02x %s %s\n", i, m[0], m[1], m[2], m[3], m[4], m[5],
			ip_str(r->ip, ip), r->hostname[0] ? r->hostname : "-");
	}
	fputs("dhcp.lease_file = ", f);
	dump_string(f, dh->lease_file);
	fputc('\n', f);
}

void cfg_dump(const struct vsw_config *cfg, FILE *f)
{
	fprintf(f, "log_level = %s\n",
		log_level_name((enum log_level)cfg->log_level));
	fputs("runtime_dir = ", f);
	dump_string(f, cfg->runtime_dir);
	fputc('\n', f);
	dump_keys(f, "switch.", switch_keys, ARRAY_SIZE(switch_keys),
		  &cfg->sw);
	dump_keys(f, "control.", control_keys, ARRAY_SIZE(control_keys),
		  &cfg->control);
	if (cfg->dhcp.enabled)
		dump_dhcp(&cfg->dhcp, f);
	for (size_t i = 0; i < cfg->n_ports; i++) {
		const struct cfg_port *p = &cfg->ports[i];
		const struct cfg_port_type_info *pt = port_type_info(p->type);
		char prefix[32];

		if (!pt)
			continue;
		snprintf(prefix, sizeof(prefix), "ports[%zu].", i);
		dump_keys(f, prefix, pt->keys, pt->n_keys, p);
	}
}

int cfg_parse_port(const json_t *obj, const struct vsw_config *running,
		   struct cfg_port *out, struct vsw_err *err)
{
	struct vsw_config cfg = *running;
	struct cfg_ctx ctx = {
		.source = "port",
		.err = err,
		.cfg = &cfg,
	};
	struct cfg_port port;
	int r;

	memset(err, 0, sizeof(*err));
	memset(&port, 0, sizeof(port));
	cfg.ports = NULL;
	cfg.n_ports = 0;
	r = parse_port(&ctx, obj, &port);
	if (!r)
		*out = port;
	return r;
}

json_t *cfg_port_to_json(const struct cfg_port *port)
{
	const struct cfg_port_type_info *pt = port_type_info(port->type);
	json_t *obj = json_object();

	if (!obj || !pt)
		goto err;
	for (size_t i = 0; i < pt->n_keys; i++) {
		const struct cfg_key *key = &pt->keys[i];
		const void *p = (const char *)port + key->offset;
		json_t *v = NULL;
		char mode[8];

		switch (key->val) {
		case CFG_V_NONE:
			continue;
		case CFG_V_UINT:
			v = json_integer(*(const unsigned int *)p);
			break;
		case CFG_V_U16:
			v = json_integer(*(const uint16_t *)p);
			break;
		case CFG_V_STR:
			v = json_string(p);
			break;
		case CFG_V_MODE:
			snprintf(mode, sizeof(mode), "%04o",
				 *(const unsigned int *)p);
			v = json_string(mode);
			break;
		case CFG_V_TYPE:
			v = json_string(pt->name);
			break;
		case CFG_V_BOOL:
			v = json_boolean(*(const bool *)p);
			break;
		}
		if (json_object_set_new(obj, key->name, v))
			goto err;
	}
	return obj;
err:
	json_decref(obj);
	return NULL;
}
