/*
 * cfg-ports.c - the "ports" array: one key table and parser per port type,
 * and the uniqueness checks across ports.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/cfg-int.h"

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

static int parse_port_name(struct cfg_ctx *ctx, const struct cfg_key *key,
			   const json_t *val, void *base)
{
	struct cfg_quote q, qc;
	const char *s;
	size_t len;
	int r;

	r = cfg_get_string(ctx, val, &s);
	if (r)
		return r;
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

static int parse_max_connections(struct cfg_ctx *ctx, const struct cfg_key *key,
				 const json_t *val, void *base)
{
	return cfg_get_uint(ctx, val, 1, ctx->cfg->sw.max_ports,
			    "at most switch.max_ports", cfg_key_dst(key, base));
}

#define PORT_KEY_NAME                                                          \
	{                                                                      \
		"name", parse_port_name, CFG_V_STR,                            \
			offsetof(struct cfg_port, name), 0, 0, true            \
	}
#define PORT_KEY_TYPE                                                          \
	{                                                                      \
		"type", cfg_parse_nothing, CFG_V_TYPE,                         \
			offsetof(struct cfg_port, type), 0, 0, true            \
	}
#define PORT_KEY_ADDRESS                                                       \
	{                                                                      \
		"address", cfg_parse_address, CFG_V_STR,                       \
			offsetof(struct cfg_port, address), 0, 0, false        \
	}
#define PORT_KEY_PORT(min_)                                                    \
	{                                                                      \
		"port", cfg_parse_u16, CFG_V_U16,                              \
			offsetof(struct cfg_port, port), (min_), 65535, true   \
	}
#define PORT_KEY_PATH(required_)                                               \
	{                                                                      \
		"path", cfg_parse_path, CFG_V_STR,                             \
			offsetof(struct cfg_port, path), 0, 0, (required_)     \
	}
#define PORT_KEY_MODE                                                          \
	{                                                                      \
		"mode", cfg_parse_mode, CFG_V_MODE,                            \
			offsetof(struct cfg_port, mode), 0, 0, false           \
	}
#define PORT_KEY_MAX_CONNECTIONS                                               \
	{                                                                      \
		"max_connections", parse_max_connections, CFG_V_UINT,          \
			offsetof(struct cfg_port, max_connections), 0, 0,      \
			false                                                  \
	}
#define PORT_KEY_RECONNECT(field_)                                             \
	{                                                                      \
#field_, cfg_parse_uint, CFG_V_UINT,                           \
			offsetof(struct cfg_port, field_), CFG_RECONNECT_MIN,  \
			CFG_RECONNECT_MAX, false                               \
	}
#define PORT_KEYS_TX_QUEUE                                                     \
	{ "tx_queue_frames",                                                   \
	  cfg_parse_uint,                                                      \
	  CFG_V_UINT,                                                          \
	  offsetof(struct cfg_port, tx_queue_frames),                          \
	  1,                                                                   \
	  65536,                                                               \
	  false },                                                             \
	{                                                                      \
		"tx_queue_bytes", cfg_parse_tx_queue_bytes, CFG_V_UINT,        \
			offsetof(struct cfg_port, tx_queue_bytes), 0, 0, false \
	}

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

	r = cfg_get_string(ctx, val, &s);
	if (r)
		return r;
	if (strlen(s) < CFG_ADDR_MAX && inet_pton(AF_INET, s, &a4) == 1) {
		if ((ntohl(a4.s_addr) >> 28) != 0xe)
			return cfg_fail(ctx,
					"%s is not an IPv4 multicast "
					"address (224.0.0.0/4)",
					cfg_quoted(&q, s));
	} else if (strlen(s) < CFG_ADDR_MAX &&
		   inet_pton(AF_INET6, s, &a6) == 1) {
		if (a6.s6_addr[0] != 0xff)
			return cfg_fail(ctx,
					"%s is not an IPv6 multicast "
					"address (ff00::/8)",
					cfg_quoted(&q, s));
	} else {
		return cfg_fail(ctx, "%s is not a literal multicast address",
				cfg_quoted(&q, s));
	}
	strlcpy_(cfg_key_dst(key, base), s, CFG_ADDR_MAX);
	return 0;
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

static int parse_ifname(struct cfg_ctx *ctx, const struct cfg_key *key,
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

static int parse_mtu(struct cfg_ctx *ctx, const struct cfg_key *key,
		     const json_t *val, void *base)
{
	/* The largest MTU whose frame, with its tag, still fits max_frame. */
	unsigned int max = ctx->cfg->sw.max_frame - 18;

	/* An MTU of 68 would still make frames the switch drops. */
	if (max < 68)
		return cfg_fail(ctx,
				"switch.max_frame %u leaves no room for the "
				"minimum MTU of 68 (it must be at least 86)",
				ctx->cfg->sw.max_frame);
	return cfg_get_uint(ctx, val, 68, max, "at most switch.max_frame - 18",
			    cfg_key_dst(key, base));
}

#define PORT_KEY_REMOTE_ADDRESS                                                \
	{                                                                      \
		"remote_address", cfg_parse_address, CFG_V_STR,                \
			offsetof(struct cfg_port, remote_address), 0, 0, false \
	}
#define PORT_KEY_REMOTE_PORT                                                   \
	{                                                                      \
		"remote_port", cfg_parse_u16, CFG_V_U16,                       \
			offsetof(struct cfg_port, remote_port), 1, 65535,      \
			false                                                  \
	}
#define PORT_KEY_PEERS                                                         \
	{ "max_peers", parse_max_connections,                                  \
	  CFG_V_UINT,  offsetof(struct cfg_port, max_peers),                   \
	  0,	       0,                                                      \
	  false },                                                             \
	{                                                                      \
		"peer_idle_s", cfg_parse_uint, CFG_V_UINT,                     \
			offsetof(struct cfg_port, peer_idle_s), 0, 86400,      \
			false                                                  \
	}

static const struct cfg_key udp_keys[] = {
	PORT_KEY_NAME,	  PORT_KEY_TYPE,	   PORT_KEY_ADDRESS,
	PORT_KEY_PORT(1), PORT_KEY_REMOTE_ADDRESS, PORT_KEY_REMOTE_PORT,
	PORT_KEY_PEERS,	  PORT_KEYS_TX_QUEUE,
};

static const struct cfg_key unix_dgram_keys[] = {
	PORT_KEY_NAME,
	PORT_KEY_TYPE,
	PORT_KEY_PATH(false),
	PORT_KEY_MODE,
	{ "remote_path", cfg_parse_path, CFG_V_STR,
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
	{ "ttl", cfg_parse_uint, CFG_V_UINT, offsetof(struct cfg_port, ttl), 0,
	  255, false },
	PORT_KEYS_TX_QUEUE,
};

static const struct cfg_key tap_keys[] = {
	PORT_KEY_NAME,
	PORT_KEY_TYPE,
	{ "ifname", parse_ifname, CFG_V_STR, offsetof(struct cfg_port, ifname),
	  0, 0, false },
	{ "mtu", parse_mtu, CFG_V_UINT, offsetof(struct cfg_port, mtu), 0, 0,
	  false },
	{ "offload", cfg_parse_bool, CFG_V_BOOL,
	  offsetof(struct cfg_port, offload), 0, 0, false },
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
		cfg_path_push_key(ctx, "reconnect_min_ms");
		r = cfg_fail(ctx, "%u is greater than reconnect_max_ms (%u%s)",
			     port->reconnect_min_ms, port->reconnect_max_ms,
			     max_given ? "" : ", the default");
	} else {
		cfg_path_push_key(ctx, "reconnect_max_ms");
		r = cfg_fail(ctx,
			     "%u is less than reconnect_min_ms (%u, the "
			     "default)",
			     port->reconnect_max_ms, port->reconnect_min_ms);
	}
	cfg_path_pop(ctx);
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
		cfg_path_push_key(ctx, "interface");
		r = cfg_fail(ctx, "there is no interface %s",
			     cfg_quoted(&q, port->ifname));
		cfg_path_pop(ctx);
	}
	return r;
}

static int tap_parse(struct cfg_ctx *ctx, const json_t *obj,
		     struct cfg_port *port)
{
	struct cfg_quote q;
	int r = parse_port_keys(ctx, obj, port);

	if (r || port->ifname[0])
		return r;
	/* Without "ifname" the device is named after the port. */
	if (strlen(port->name) >= CFG_IFNAME_MAX)
		return cfg_fail(ctx,
				"the port name is too long to name the "
				"device (set \"ifname\", at most %d bytes)",
				CFG_IFNAME_MAX - 1);
	/* Valid port names, but the kernel refuses them as device names. */
	if (!strcmp(port->name, ".") || !strcmp(port->name, ".."))
		return cfg_fail(ctx,
				"the port name %s cannot name the device (set "
				"\"ifname\")",
				cfg_quoted(&q, port->name));
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
bool cfg_key_of_other_type(const struct cfg_port_type_info *pt,
			   const char *name)
{
	for (size_t i = 0; i < cfg_n_port_types; i++) {
		const struct cfg_port_type_info *o = &cfg_port_types[i];

		if (o != pt && cfg_find_key(o->keys, o->n_keys, name))
			return true;
	}
	return false;
}

const struct cfg_port_type_info *cfg_port_type_find(enum cfg_port_type t)
{
	for (size_t i = 0; i < cfg_n_port_types; i++) {
		if (cfg_port_types[i].type == t)
			return &cfg_port_types[i];
	}
	return NULL;
}

const char *cfg_port_type_name(enum cfg_port_type type)
{
	const struct cfg_port_type_info *pt = cfg_port_type_find(type);

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
	cfg_path_push_key(ctx, "type");
	r = cfg_get_string(ctx, type, &s);
	for (size_t i = 0; !r && i < cfg_n_port_types; i++) {
		size_t used = strlen(list);

		if (!strcmp(s, cfg_port_types[i].name))
			pt = &cfg_port_types[i];
		snprintf(list + used, sizeof(list) - used, "%s%s",
			 i ? ", " : "", cfg_port_types[i].name);
	}
	if (!r && !pt)
		r = cfg_fail(ctx, "%s is not a port type (valid types: %s)",
			     cfg_quoted(&q, s), list);
	cfg_path_pop(ctx);
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
	size_t n = cfg->n_ports, dup = 0, orig = 0;
	char(*addrs)[CFG_ADDR_MAX + 8] = NULL;
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
				 cfg_quoted(&q, cfg->ports[dup].name));
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
				 cfg_quoted(&q, cfg->ports[dup].path));
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
	const struct cfg_port_type_info *pt = cfg_port_type_find(port->type);
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
