/*
 * cfg-ports.c - the "ports" array: the type lookup in the port registry,
 * the keys and defaults several port types share, and the uniqueness
 * checks across ports.  Each type's own keys and parser sit in its file
 * in ports/ (see cfg-keys.h).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/config/cfg-int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

static bool name_char_ok(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/**
 * cfg_parse_port_name() - "name": 1 to 24 characters from [A-Za-z0-9_.-].
 * @ctx:	the load
 * @key:	the key
 * @val:	its value
 * @base:	the struct cfg_port being filled
 *
 * "dhcp" and "slirp" are refused: they name the ports of those sections.
 *
 * Return: 0 or -EINVAL.
 */
int cfg_parse_port_name(struct cfg_ctx *ctx, const struct cfg_key *key,
			const json_t *val, void *base)
{
	struct cfg_quote q, qc;
	const char *s = cfg_string(ctx, val);
	size_t len;

	if (!s)
		return -EINVAL;
	len = strlen(s);
	if (!len)
		return cfg_fail(ctx,
				"the name is empty (names are 1 to %d "
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
		return cfg_fail(ctx,
				"%s contains %s (names use only A-Z a-z "
				"0-9 _ . -)",
				cfg_quoted(&q, s), cfg_quoted(&qc, c));
	}
	if (len > CFG_NAME_LEN)
		return cfg_fail(ctx, "%s is %zu characters long, more than %d",
				cfg_quoted(&q, s), len, CFG_NAME_LEN);
	/* Sections may come and go at reload: the names stay theirs. */
	if (!strcmp(s, "dhcp") || !strcmp(s, "slirp"))
		return cfg_fail(ctx,
				"%s is reserved for the port of the \"%s\" "
				"section",
				cfg_quoted(&q, s), s);
	strlcpy_(cfg_key_dst(key, base), s, CFG_NAME_MAX);
	return 0;
}

/**
 * cfg_parse_max_connections() - a count of children, 1 to switch.max_ports.
 * @ctx:	the load
 * @key:	the key ("max_connections", "max_peers")
 * @val:	its value
 * @base:	the struct cfg_port being filled
 *
 * Return: 0 or -EINVAL.
 */
int cfg_parse_max_connections(struct cfg_ctx *ctx, const struct cfg_key *key,
			      const json_t *val, void *base)
{
	return cfg_get_uint(ctx, val, 1, ctx->cfg->sw.max_ports,
			    "at most switch.max_ports", cfg_key_dst(key, base));
}

/* An interface name as the kernel takes it: 1 to 15 bytes, no '/' or space. */
static int check_ifname(struct cfg_ctx *ctx, const char *s)
{
	struct cfg_quote q;
	size_t len = strlen(s);

	if (!len || len >= CFG_IFNAME_MAX)
		return cfg_fail(ctx,
				"%s is not an interface name (1 to %d "
				"bytes)",
				cfg_quoted(&q, s), CFG_IFNAME_MAX - 1);
	for (size_t i = 0; i < len; i++)
		if (s[i] == '/' || s[i] == ':' || (unsigned char)s[i] <= ' ' ||
		    (unsigned char)s[i] >= 0x7f)
			return cfg_fail(ctx,
					"%s is not an interface name (no "
					"'/', ':', spaces or control "
					"characters)",
					cfg_quoted(&q, s));
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return cfg_fail(ctx, "%s is not an interface name",
				cfg_quoted(&q, s));
	return 0;
}

/**
 * cfg_parse_ifname() - a network interface name as the kernel takes it.
 * @ctx:	the load
 * @key:	the key ("interface", "ifname")
 * @val:	its value
 * @base:	the struct cfg_port being filled
 *
 * Return: 0 or -EINVAL.
 */
int cfg_parse_ifname(struct cfg_ctx *ctx, const struct cfg_key *key,
		     const json_t *val, void *base)
{
	const char *s = NULL;
	int r;

	r = cfg_get_string(ctx, val, &s);
	if (!r)
		r = check_ifname(ctx, s);
	if (!r)
		strlcpy_(cfg_key_dst(key, base), s, CFG_IFNAME_MAX);
	return r;
}

/**
 * cfg_port_parse_keys() - parse a port object with its type's key table.
 * @ctx:	the load, parsing a port
 * @obj:	the port object
 * @port:	filled; defaults already set
 *
 * Return: 0, -EINVAL or -ENOMEM.
 */
int cfg_port_parse_keys(struct cfg_ctx *ctx, const json_t *obj,
			struct cfg_port *port)
{
	const struct cfg_port_type *pt = ctx->port_type;

	return cfg_parse_object(ctx, obj, pt->keys, pt->n_keys, port);
}

/**
 * cfg_port_default_path() - the default socket path of a unix-* port.
 * @ctx:	the load
 * @port:	the port, its name parsed; "path" is set on success
 * @ext:	file name extension (".sock")
 *
 * The path is <runtime_dir>/<name><ext>.
 *
 * Return: 0, or -EINVAL when it does not fit a UNIX socket address.
 */
int cfg_port_default_path(struct cfg_ctx *ctx, struct cfg_port *port,
			  const char *ext)
{
	const char *dir = ctx->cfg->runtime_dir;
	size_t dir_len = strlen(dir);
	char path[CFG_PATH_MAX + CFG_NAME_MAX + 8];
	struct cfg_quote q;

	snprintf(path, sizeof(path), "%s%s%s%s", dir,
		 dir_len && dir[dir_len - 1] == '/' ? "" : "/", port->name,
		 ext);
	if (strlen(path) > CFG_SUN_PATH_LEN)
		return cfg_fail(ctx,
				"the default path %s is %zu bytes long, "
				"more than the %d that fit in a UNIX socket "
				"address (set \"path\" or a shorter "
				"runtime_dir)",
				cfg_quoted(&q, path), strlen(path),
				CFG_SUN_PATH_LEN);
	strlcpy_(port->path, path, sizeof(port->path));
	return 0;
}

/* Whether @name is a key of some port type other than @pt. */
bool cfg_key_of_other_type(const struct cfg_port_type *pt, const char *name)
{
	const struct cfg_port_type *o;

	for (size_t i = 0; (o = cfg_port_type_at(i)); i++) {
		if (o != pt && cfg_find_key(o->keys, o->n_keys, name))
			return true;
	}
	return false;
}

const struct cfg_port_type *cfg_port_type_find(const char *name)
{
	const struct cfg_port_type *pt;

	for (size_t i = 0; (pt = cfg_port_type_at(i)); i++) {
		if (!strcmp(pt->name, name))
			return pt;
	}
	return NULL;
}

const char *cfg_port_type_name(const struct cfg_port_type *type)
{
	return type ? type->name : "?";
}

/* Looks up "type" first: it decides which keys are valid. */
static int parse_port(struct cfg_ctx *ctx, const json_t *obj,
		      struct cfg_port *port)
{
	const struct cfg_port_type *pt = NULL, *t;
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
	cfg_path_push_key(ctx, "type");
	r = cfg_get_string(ctx, type, &s);
	for (size_t i = 0; !r && (t = cfg_port_type_at(i)); i++) {
		size_t used = strlen(list);

		if (!strcmp(s, t->name))
			pt = t;
		snprintf(list + used, sizeof(list) - used, "%s%s",
			 i ? ", " : "", t->name);
	}
	if (!r && !pt)
		r = cfg_fail(ctx, "%s is not a port type (valid types: %s)",
			     cfg_quoted(&q, s), list);
	cfg_path_pop(ctx);
	if (r)
		return r;

	port->type = pt;
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
 * sets *@dup, *@orig and the key they share, *@key, if there is one.
 */
static bool find_dup(struct cfg_dup *dups, size_t n, size_t *dup, size_t *orig,
		     const char **key)
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
			*key = dups[i].key;
			found = true;
		}
	}
	return found;
}

/*
 * Fails if two of the @n ports share a value in @dups (filled in port
 * order, NULL for none), at the first port whose @key ("name", "path",
 * "port") repeats that of an earlier one; the value is shown quoted if
 * @quote.  A key not in the file (a default path) is reported at the port
 * object.
 */
static int check_dup(struct cfg_ctx *ctx, const json_t *ports,
		     struct cfg_dup *dups, size_t n, const char *key,
		     bool quote)
{
	size_t dup = 0, orig = 0;
	struct cfg_quote q;
	const char *what = NULL;
	bool given;
	int r;

	if (!find_dup(dups, n, &dup, &orig, &what))
		return 0;
	if (quote)
		what = cfg_quoted(&q, what);
	given = json_object_get(json_array_get(ports, dup), key) != NULL;

	cfg_path_push_index(ctx, dup);
	if (given)
		cfg_path_push_key(ctx, key);
	r = cfg_fail(ctx, "%s%s is already used by ports[%zu]",
		     given ? "" : "the default path ", what, orig);
	if (given)
		cfg_path_pop(ctx);
	cfg_path_pop(ctx);
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
	size_t n = cfg->n_ports;
	char(*addrs)[CFG_ADDR_MAX + 8] = NULL;
	struct cfg_dup *dups;
	int r = 0;

	dups = calloc(n, sizeof(*dups));
	addrs = calloc(n, sizeof(*addrs));
	if (!dups || !addrs) {
		r = cfg_nomem(ctx);
		goto out;
	}

	for (size_t i = 0; i < n; i++)
		dups[i] = (struct cfg_dup){ cfg->ports[i].name, i };
	r = check_dup(ctx, ports, dups, n, "name", true);
	if (r)
		goto out;

	for (size_t i = 0; i < n; i++) {
		const struct cfg_port *p = &cfg->ports[i];

		dups[i] = (struct cfg_dup){
			p->type->unique_path ? p->path : NULL, i
		};
	}
	r = check_dup(ctx, ports, dups, n, "path", true);
	if (r)
		goto out;

	/* Compare addresses in canonical form: "::1" and "0::1" clash. */
	for (size_t i = 0; i < n; i++) {
		const struct cfg_port *p = &cfg->ports[i];
		unsigned char bin[sizeof(struct in6_addr)];
		char text[INET6_ADDRSTRLEN];
		int af = strchr(p->address, ':') ? AF_INET6 : AF_INET;

		dups[i] = (struct cfg_dup){ NULL, i };
		if (!p->type->unique_address || !p->port)
			continue;
		if (inet_pton(af, p->address, bin) != 1 ||
		    !inet_ntop(af, bin, text, sizeof(text)))
			continue;
		snprintf(addrs[i], sizeof(addrs[i]),
			 af == AF_INET6 ? "[%s]:%u" : "%s:%u", text, p->port);
		dups[i].key = addrs[i];
	}
	r = check_dup(ctx, ports, dups, n, "port", false);
out:
	free(addrs);
	free(dups);
	return r;
}

int cfg_parse_ports(struct cfg_ctx *ctx, const struct cfg_key *key UNUSED,
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
		return cfg_fail(ctx,
				"%zu ports configured, more than "
				"switch.max_ports (%u)",
				n, cfg->sw.max_ports);
	cfg->ports = calloc(n, sizeof(*cfg->ports));
	if (!cfg->ports)
		return cfg_nomem(ctx);
	for (size_t i = 0; i < n; i++) {
		cfg_path_push_index(ctx, i);
		r = parse_port(ctx, json_array_get(val, i), &cfg->ports[i]);
		cfg_path_pop(ctx);
		if (r)
			return r;
		cfg->n_ports = i + 1;
	}
	return check_unique(ctx, val);
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
	const struct cfg_port_type *pt = port->type;
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
