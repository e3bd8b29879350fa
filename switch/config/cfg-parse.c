/*
 * cfg-parse.c - configuration messages and the parsers of generic values.
 *
 * A failure fills ctx->err with "FILE:LINE:COL: path: message"; the
 * position comes from cfg_locate() on the JSON path kept in struct cfg_ctx,
 * so parsers only say what is wrong.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/config/cfg-int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void cfg_path_push_key(struct cfg_ctx *ctx, const char *key)
{
	if (ctx->depth < CFG_PATH_DEPTH)
		ctx->path[ctx->depth] = (struct cfg_path_elem){ key, 0 };
	ctx->depth++;
}

void cfg_path_push_index(struct cfg_ctx *ctx, size_t index)
{
	if (ctx->depth < CFG_PATH_DEPTH)
		ctx->path[ctx->depth] = (struct cfg_path_elem){ NULL, index };
	ctx->depth++;
}

void cfg_path_pop(struct cfg_ctx *ctx)
{
	ctx->depth--;
}

const struct vsw_config *cfg_ctx_config(const struct cfg_ctx *ctx)
{
	return ctx->cfg;
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
const char *cfg_quoted(struct cfg_quote *q, const char *str)
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
		n = snprintf(err->msg, sizeof(err->msg),
			     "%s:%d:%d: ", ctx->source, line, col);
	else
		n = snprintf(err->msg, sizeof(err->msg), "%s: ", ctx->source);
	used = n < 0 ? 0 : MIN((size_t)n, sizeof(err->msg) - 1);
	path_format(ctx, path, sizeof(path));
	if (path[0]) {
		n = snprintf(err->msg + used, sizeof(err->msg) - used,
			     "%s: ", path);
		used += n < 0 ? 0 : MIN((size_t)n, sizeof(err->msg) - 1 - used);
	}
	vsnprintf(err->msg + used, sizeof(err->msg) - used, fmt, ap);
	return -EINVAL;
}

/* Fails at the value at the current path. */
int PRINTF_FMT(2, 3) cfg_fail(struct cfg_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = cfg_vfail(ctx, true, NULL, fmt, ap);
	va_end(ap);
	return r;
}

/* Fails at key @key of the object at the current path. */
int PRINTF_FMT(3, 4)
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
int PRINTF_FMT(2, 3) cfg_fail_nopos(struct cfg_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = cfg_vfail(ctx, false, NULL, fmt, ap);
	va_end(ap);
	return r;
}

int cfg_nomem(struct cfg_ctx *ctx)
{
	cfg_fail_nopos(ctx, "out of memory");
	return -ENOMEM;
}

const char *cfg_json_kind(const json_t *v)
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

int cfg_fail_type(struct cfg_ctx *ctx, const char *expected, const json_t *val)
{
	return cfg_fail(ctx, "expected %s, got %s", expected,
			cfg_json_kind(val));
}

/* Appends "a, b, c" (the names of @keys) to @buf. */
static void key_list(const struct cfg_key *keys, size_t n_keys, char *buf,
		     size_t size)
{
	size_t used = strlen(buf);

	for (size_t i = 0; i < n_keys && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
				 keys[i].name);

		if (n < 0)
			return;
		used += (size_t)n;
	}
}

const struct cfg_key *cfg_find_key(const struct cfg_key *keys, size_t n_keys,
				   const char *name)
{
	for (size_t i = 0; i < n_keys; i++) {
		if (!strcmp(keys[i].name, name))
			return &keys[i];
	}
	return NULL;
}

static int cfg_fail_unknown_key(struct cfg_ctx *ctx, const char *name,
				const struct cfg_key *keys, size_t n_keys)
{
	const struct cfg_port_type *pt = ctx->port_type;
	struct cfg_quote q;
	char list[256] = "";

	key_list(keys, n_keys, list, sizeof(list));
	if (pt && cfg_key_of_other_type(pt, name))
		return cfg_fail_key(ctx, name,
				    "key %s does not apply to a %s port "
				    "(valid keys: %s)",
				    cfg_quoted(&q, name), pt->name, list);
	return cfg_fail_key(ctx, name, "unknown key %s (valid keys: %s)",
			    cfg_quoted(&q, name), list);
}

/*
 * Parses the object @obj with the key table @keys into @base.  Unknown
 * keys fail first, in file order; then each key in table order.
 */
int cfg_parse_object(struct cfg_ctx *ctx, const json_t *obj,
		     const struct cfg_key *keys, size_t n_keys, void *base)
{
	const char *name;
	json_t *val;

	if (!json_is_object(obj))
		return cfg_fail_type(ctx, "an object", obj);
	json_object_foreach ((json_t *)obj, name, val) {
		if (!cfg_find_key(keys, n_keys, name))
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
		cfg_path_push_key(ctx, key->name);
		r = key->parse(ctx, key, val, base);
		cfg_path_pop(ctx);
		if (r)
			return r;
	}
	return 0;
}

/* Checks that @val is an integer in [@min, @max]; @rule explains @min. */
int cfg_get_uint(struct cfg_ctx *ctx, const json_t *val, unsigned int min,
		 unsigned int max, const char *rule, unsigned int *out)
{
	json_int_t v;

	if (!json_is_integer(val))
		return cfg_fail_type(ctx, "an integer", val);
	v = json_integer_value(val);
	if (v < (json_int_t)min || v > (json_int_t)max)
		return cfg_fail(
			ctx,
			"%" JSON_INTEGER_FORMAT " is out of range (%u..%u%s%s)",
			v, min, max, rule ? ", " : "", rule ? rule : "");
	*out = (unsigned int)v;
	return 0;
}

int cfg_parse_uint(struct cfg_ctx *ctx, const struct cfg_key *key,
		   const json_t *val, void *base)
{
	return cfg_get_uint(ctx, val, key->min, key->max, NULL,
			    cfg_key_dst(key, base));
}

int cfg_parse_u16(struct cfg_ctx *ctx, const struct cfg_key *key,
		  const json_t *val, void *base)
{
	unsigned int v = 0;
	int r;

	r = cfg_get_uint(ctx, val, key->min, key->max, NULL, &v);
	if (!r)
		*(uint16_t *)cfg_key_dst(key, base) = (uint16_t)v;
	return r;
}

/* For keys handled before the table is walked (a port's "type"). */
int cfg_parse_nothing(struct cfg_ctx *ctx UNUSED,
		      const struct cfg_key *key UNUSED,
		      const json_t *val UNUSED, void *base UNUSED)
{
	return 0;
}

/* Both the switch-wide and the per-port limit: one frame must fit. */
int cfg_parse_tx_queue_bytes(struct cfg_ctx *ctx, const struct cfg_key *key,
			     const json_t *val, void *base)
{
	return cfg_get_uint(ctx, val, ctx->cfg->sw.max_frame + CFG_FRAME_PREFIX,
			    CFG_TX_QUEUE_BYTES_MAX,
			    "at least switch.max_frame + 4",
			    cfg_key_dst(key, base));
}

/**
 * cfg_string() - the text of a JSON string, as json_string_value() gives it.
 * @ctx:	parse state
 * @val:	the JSON value
 *
 * Like json_string_value(), NULL says it is not a string; the failure has
 * then been reported, and the caller returns -EINVAL (what cfg_fail()
 * returns), which spares every string-valued key an int of its own.
 *
 * Return: the string, or NULL.
 */
const char *cfg_string(struct cfg_ctx *ctx, const json_t *val)
{
	if (!json_is_string(val)) {
		cfg_fail_type(ctx, "a string", val);
		return NULL;
	}
	return json_string_value(val);
}

/* cfg_string() for callers that pass the error on: 0 or -EINVAL. */
int cfg_get_string(struct cfg_ctx *ctx, const json_t *val, const char **out)
{
	*out = cfg_string(ctx, val);
	return *out ? 0 : -EINVAL;
}

/* A UNIX socket path, or a directory that holds them. */
int cfg_parse_path(struct cfg_ctx *ctx, const struct cfg_key *key,
		   const json_t *val, void *base)
{
	struct cfg_quote q;
	const char *s = cfg_string(ctx, val);
	size_t len;

	if (!s)
		return -EINVAL;
	len = strlen(s);
	if (!len)
		return cfg_fail(ctx, "the path is empty");
	if (len > CFG_SUN_PATH_LEN)
		return cfg_fail(ctx,
				"%s is %zu bytes long, more than the %d that "
				"fit in a UNIX socket address",
				cfg_quoted(&q, s), len, CFG_SUN_PATH_LEN);
	strlcpy_(cfg_key_dst(key, base), s, CFG_PATH_MAX);
	return 0;
}

int cfg_parse_mode(struct cfg_ctx *ctx, const struct cfg_key *key,
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
	*(unsigned int *)cfg_key_dst(key, base) = mode;
	return 0;
bad:
	return cfg_fail(ctx, "%s is not an octal file mode (0000..0777)",
			cfg_quoted(&q, json_string_value(val)));
}

int cfg_parse_bool(struct cfg_ctx *ctx, const struct cfg_key *key,
		   const json_t *val, void *base)
{
	if (!json_is_boolean(val))
		return cfg_fail_type(ctx, "true or false", val);
	*(bool *)cfg_key_dst(key, base) = json_is_true(val);
	return 0;
}

int cfg_get_ipv4(struct cfg_ctx *ctx, const json_t *val, uint32_t *out)
{
	struct cfg_quote q;
	struct in_addr a;
	const char *s = cfg_string(ctx, val);

	if (!s)
		return -EINVAL;
	if (inet_pton(AF_INET, s, &a) != 1)
		return cfg_fail(ctx, "%s is not a literal IPv4 address",
				cfg_quoted(&q, s));
	*out = ntohl(a.s_addr);
	return 0;
}

int cfg_parse_ipv4(struct cfg_ctx *ctx, const struct cfg_key *key,
		   const json_t *val, void *base)
{
	return cfg_get_ipv4(ctx, val, cfg_key_dst(key, base));
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

/**
 * cfg_get_address() - a literal address, kept as written.
 * @ctx:	parse state
 * @val:	the JSON value
 * @family:	AF_INET, AF_INET6, or AF_UNSPEC for either
 * @out:	CFG_ADDR_MAX bytes
 *
 * Return: 0 or -EINVAL (reported).
 */
int cfg_get_address(struct cfg_ctx *ctx, const json_t *val, int family,
		    char *out)
{
	static const char *const what[] = { "IPv4 or IPv6", "IPv4", "IPv6" };
	struct in6_addr a;
	struct cfg_quote q;
	const char *s = cfg_string(ctx, val);
	bool ok;

	if (!s)
		return -EINVAL;
	ok = strlen(s) < CFG_ADDR_MAX &&
	     (((family == AF_UNSPEC || family == AF_INET) &&
	       inet_pton(AF_INET, s, &a) == 1) ||
	      ((family == AF_UNSPEC || family == AF_INET6) &&
	       inet_pton(AF_INET6, s, &a) == 1));
	if (!ok)
		return cfg_fail(
			ctx, "%s is not a literal %s address%s",
			cfg_quoted(&q, s),
			what[family == AF_INET ? 1 : family == AF_INET6],
			family == AF_UNSPEC ? address_hint(s) : "");
	strlcpy_(out, s, CFG_ADDR_MAX);
	return 0;
}

/* A literal IPv4 or IPv6 address, kept as written. */
int cfg_parse_address(struct cfg_ctx *ctx, const struct cfg_key *key,
		      const json_t *val, void *base)
{
	return cfg_get_address(ctx, val, AF_UNSPEC, cfg_key_dst(key, base));
}

/*
 * Splits "ADDR/LEN" into @addr (at most @addr_size bytes) and the prefix
 * length; false if the text is not of that shape or LEN exceeds @max.
 */
static bool split_cidr(const char *s, char *addr, size_t addr_size,
		       unsigned int max, unsigned int *len)
{
	const char *slash = strchr(s, '/');
	unsigned long n;
	char *end;

	if (!slash || (size_t)(slash - s) >= addr_size ||
	    !isdigit((unsigned char)slash[1]))
		return false;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	n = strtoul(slash + 1, &end, 10);
	if (*end || n > max)
		return false;
	*len = (unsigned int)n;
	return true;
}

/*
 * What differs between an IPv4 subnet and an IPv6 prefix in CIDR notation:
 * the family, its size, and the words of the messages.
 */
struct cidr_kind {
	int family;
	unsigned int bits;
	const char *what;	/* "is not an %s in CIDR notation" */
	const char *example;
	const char *too_long;	/* "is %s (at most /N)" */
	const char *noun;	/* "the %s is written with zero host bits" */
};

static const struct cidr_kind cidr4 = {
	AF_INET, 32, "IPv4 subnet", "10.0.2.0/24", "too small", "network",
};

static const struct cidr_kind cidr6 = {
	AF_INET6, 128, "IPv6 prefix", "fec0::/64", "too long a prefix", "prefix",
};

/*
 * Parses "ADDR/LEN" of @kind into @addr (a struct in_addr or in6_addr:
 * network byte order either way, so the host bits are checked on bytes)
 * and @len, and refuses a prefix over @max_len or host bits set.  Both
 * are written only on success.
 */
static int get_cidr(struct cfg_ctx *ctx, const json_t *val,
		    const struct cidr_kind *kind, unsigned int max_len,
		    void *addr, unsigned int *len)
{
	char buf[INET6_ADDRSTRLEN];
	uint8_t bytes[16];
	struct cfg_quote q;
	unsigned int n;
	const char *s = cfg_string(ctx, val);

	if (!s)
		return -EINVAL;
	if (!split_cidr(s, buf,
			kind->family == AF_INET ? INET_ADDRSTRLEN : sizeof(buf),
			kind->bits, &n) ||
	    inet_pton(kind->family, buf, bytes) != 1)
		return cfg_fail(ctx,
				"%s is not an %s in CIDR notation "
				"(such as \"%s\")",
				cfg_quoted(&q, s), kind->what, kind->example);
	if (n > max_len)
		return cfg_fail(ctx, "%s is %s (at most /%u)", cfg_quoted(&q, s),
				kind->too_long, max_len);
	for (unsigned int bit = n; bit < kind->bits; bit++)
		if (bytes[bit / 8] & (0x80 >> (bit % 8)))
			return cfg_fail(ctx,
					"%s has host bits set (the %s is "
					"written with zero host bits)",
					cfg_quoted(&q, s), kind->noun);
	memcpy(addr, bytes, kind->bits / 8);
	*len = n;
	return 0;
}

/**
 * cfg_get_cidr4() - an IPv4 network in CIDR notation, host bits zero.
 * @ctx:	parse state
 * @val:	the JSON value
 * @max_len:	longest prefix allowed (the network must hold hosts)
 * @net:	the network, host byte order
 * @mask:	its netmask, host byte order
 *
 * Return: 0 or -EINVAL (reported).
 */
int cfg_get_cidr4(struct cfg_ctx *ctx, const json_t *val, unsigned int max_len,
		  uint32_t *net, uint32_t *mask)
{
	struct in_addr a;
	unsigned int len;
	int r = get_cidr(ctx, val, &cidr4, max_len, &a, &len);

	if (!r) {
		*net = ntohl(a.s_addr);
		*mask = len ? 0xffffffffu << (32 - len) : 0;
	}
	return r;
}

/**
 * cfg_get_cidr6() - an IPv6 prefix in CIDR notation, host bits zero.
 * @ctx:	parse state
 * @val:	the JSON value
 * @max_len:	longest prefix allowed
 * @prefix:	the prefix
 * @len:	its length
 *
 * Return: 0 or -EINVAL (reported).
 */
int cfg_get_cidr6(struct cfg_ctx *ctx, const json_t *val, unsigned int max_len,
		  struct in6_addr *prefix, unsigned int *len)
{
	return get_cidr(ctx, val, &cidr6, max_len, prefix, len);
}

int cfg_get_mac(struct cfg_ctx *ctx, const json_t *val, uint8_t mac[6])
{
	struct cfg_quote q;
	unsigned int b[6];
	const char *s = cfg_string(ctx, val);
	char end;

	if (!s)
		return -EINVAL;
	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &end) != 6)
		return cfg_fail(ctx,
				"%s is not a MAC address "
				"(xx:xx:xx:xx:xx:xx)",
				cfg_quoted(&q, s));
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	if (mac[0] & 1)
		return cfg_fail(ctx,
				"%s is a group address, not a unicast "
				"MAC",
				cfg_quoted(&q, s));
	return 0;
}

int cfg_parse_mac(struct cfg_ctx *ctx, const struct cfg_key *key,
		  const json_t *val, void *base)
{
	return cfg_get_mac(ctx, val, cfg_key_dst(key, base));
}

bool cfg_dns_name_ok(const char *s)
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

int cfg_get_name(struct cfg_ctx *ctx, const json_t *val, char *out)
{
	struct cfg_quote q;
	const char *s = cfg_string(ctx, val);

	if (!s)
		return -EINVAL;
	if (!cfg_dns_name_ok(s))
		return cfg_fail(ctx,
				"%s is not a domain name (1 to 63 "
				"characters of A-Z a-z 0-9 - _ in "
				"dot-separated labels)",
				cfg_quoted(&q, s));
	strlcpy_(out, s, 64);
	return 0;
}

int cfg_parse_domain(struct cfg_ctx *ctx, const struct cfg_key *key,
		     const json_t *val, void *base)
{
	return cfg_get_name(ctx, val, cfg_key_dst(key, base));
}

int cfg_get_array(struct cfg_ctx *ctx, const json_t *val, size_t max)
{
	if (!json_is_array(val))
		return cfg_fail_type(ctx, "an array", val);
	if (json_array_size(val) > max)
		return cfg_fail(ctx, "%zu entries, more than %zu",
				json_array_size(val), max);
	return 0;
}

int cfg_elem_ipv4(struct cfg_ctx *ctx, const json_t *val, void *dst)
{
	return cfg_get_ipv4(ctx, val, dst);
}

int cfg_elem_name(struct cfg_ctx *ctx, const json_t *val, void *dst)
{
	return cfg_get_name(ctx, val, dst);
}

/*
 * An array of at most @max values, each parsed by @fn into consecutive
 * slots of @stride bytes from @first; *@n is set to the count.  Element
 * errors name their index ("dhcp.dns[1]: ...").
 */
int cfg_get_each(struct cfg_ctx *ctx, const json_t *val, size_t max,
		 cfg_elem_fn *fn, void *first, size_t stride, unsigned int *n)
{
	size_t i;
	json_t *v;
	int r;

	r = cfg_get_array(ctx, val, max);
	if (r)
		return r;
	json_array_foreach (val, i, v) {
		cfg_path_push_index(ctx, i);
		r = fn(ctx, v, (char *)first + i * stride);
		cfg_path_pop(ctx);
		if (r)
			return r;
	}
	*n = (unsigned int)json_array_size(val);
	return 0;
}

/**
 * cfg_get_objects() - an array of objects into a new array of structs.
 * @ctx:	parse state
 * @val:	the JSON value
 * @max:	most elements allowed
 * @size:	size of one struct
 * @parse:	parses one object into its (zeroed) struct
 * @check:	checks element @i against those before it; may be NULL
 * @out:	the array (calloc'ed, the config's to free); NULL if empty
 * @n:		elements parsed, also on failure (so @out can be freed)
 *
 * Errors name the element's index ("dhcp.reservations[3].ip: ...").
 *
 * Return: 0, -EINVAL or -ENOMEM.
 */
int cfg_get_objects(struct cfg_ctx *ctx, const json_t *val, size_t max,
		    size_t size, cfg_obj_fn *parse, cfg_check_fn *check,
		    void **out, size_t *n)
{
	size_t i;
	json_t *v;
	int r;

	r = cfg_get_array(ctx, val, max);
	if (r || !json_array_size(val))
		return r;
	*out = calloc(json_array_size(val), size);
	if (!*out)
		return cfg_nomem(ctx);
	json_array_foreach (val, i, v) {
		cfg_path_push_index(ctx, i);
		r = parse(ctx, v, (char *)*out + i * size);
		if (!r && check)
			r = check(ctx, *out, i);
		cfg_path_pop(ctx);
		if (r)
			return r;
		*n = i + 1;
	}
	return 0;
}

void cfg_dump_string(FILE *f, const char *s)
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

void cfg_dump_keys(FILE *f, const char *prefix, const struct cfg_key *keys,
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
			cfg_dump_string(f, p);
			break;
		case CFG_V_MODE:
			fprintf(f, "%04o", *(const unsigned int *)p);
			break;
		case CFG_V_TYPE:
			fputs(cfg_port_type_name(
				      *(const struct cfg_port_type *const *)p),
			      f);
			break;
		case CFG_V_BOOL:
			fputs(*(const bool *)p ? "true" : "false", f);
			break;
		}
		fputc('\n', f);
	}
}

const char *cfg_ip_str(uint32_t ip, char *buf)
{
	struct in_addr a = { htonl(ip) };

	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}
