/*
 * cfg-int.h - what the parts of the configuration parser share.
 *
 * cfg.c holds the top level, loading and cfg_dump(); cfg-parse.c the
 * messages and the parsers of generic values (integers, strings,
 * addresses, arrays); cfg-ports.c the port types; cfg-dhcp.c the "dhcp"
 * section.  Nothing here is for use outside switch/cfg*.c.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_CFG_INT_H
#define VSW_SWITCH_CFG_INT_H

#include <jansson.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "switch/cfg-locate.h"
#include "switch/cfg.h"
#include "switch/util.h"

#define CFG_DEFAULT_RUNTIME_DIR "/run/vswitchd"
#define CFG_DEFAULT_ADDRESS	"127.0.0.1"

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

/* Parses one array element into @dst. */
typedef int cfg_elem_fn(struct cfg_ctx *ctx, const json_t *val, void *dst);
/* Parses one object of an array into @elem. */
typedef int cfg_obj_fn(struct cfg_ctx *ctx, const json_t *val, void *elem);
/* Checks element @i of @elems against the ones before it. */
typedef int cfg_check_fn(struct cfg_ctx *ctx, const void *elems, size_t i);

static inline void *cfg_key_dst(const struct cfg_key *key, void *base)
{
	return (char *)base + key->offset;
}

/* cfg-parse.c: messages (each returns -EINVAL, or -ENOMEM) */
void cfg_path_push_key(struct cfg_ctx *ctx, const char *key);
void cfg_path_push_index(struct cfg_ctx *ctx, size_t index);
void cfg_path_pop(struct cfg_ctx *ctx);
const char *cfg_quoted(struct cfg_quote *q, const char *str);
int PRINTF_FMT(2, 3) cfg_fail(struct cfg_ctx *ctx, const char *fmt, ...);
int PRINTF_FMT(3, 4) cfg_fail_key(struct cfg_ctx *ctx, const char *key,
				  const char *fmt, ...);
int PRINTF_FMT(2, 3) cfg_fail_nopos(struct cfg_ctx *ctx, const char *fmt, ...);
int cfg_nomem(struct cfg_ctx *ctx);
const char *cfg_json_kind(const json_t *v);
int cfg_fail_type(struct cfg_ctx *ctx, const char *expected, const json_t *val);
const struct cfg_key *cfg_find_key(const struct cfg_key *keys, size_t n_keys,
				   const char *name);
int cfg_parse_object(struct cfg_ctx *ctx, const json_t *obj,
		     const struct cfg_key *keys, size_t n_keys, void *base);
int cfg_get_uint(struct cfg_ctx *ctx, const json_t *val, unsigned int min,
		 unsigned int max, const char *rule, unsigned int *out);
int cfg_parse_uint(struct cfg_ctx *ctx, const struct cfg_key *key,
		   const json_t *val, void *base);
int cfg_parse_u16(struct cfg_ctx *ctx, const struct cfg_key *key,
		  const json_t *val, void *base);
int cfg_parse_nothing(struct cfg_ctx *ctx, const struct cfg_key *key,
		      const json_t *val, void *base);
int cfg_parse_tx_queue_bytes(struct cfg_ctx *ctx, const struct cfg_key *key,
			     const json_t *val, void *base);
int cfg_get_string(struct cfg_ctx *ctx, const json_t *val, const char **out);
int cfg_parse_path(struct cfg_ctx *ctx, const struct cfg_key *key,
		   const json_t *val, void *base);
int cfg_parse_mode(struct cfg_ctx *ctx, const struct cfg_key *key,
		   const json_t *val, void *base);
int cfg_parse_bool(struct cfg_ctx *ctx, const struct cfg_key *key,
		   const json_t *val, void *base);
int cfg_get_ipv4(struct cfg_ctx *ctx, const json_t *val, uint32_t *out);
int cfg_parse_ipv4(struct cfg_ctx *ctx, const struct cfg_key *key,
		   const json_t *val, void *base);
int cfg_get_address(struct cfg_ctx *ctx, const json_t *val, int family,
		    char *out);
int cfg_parse_address(struct cfg_ctx *ctx, const struct cfg_key *key,
		      const json_t *val, void *base);
int cfg_get_cidr4(struct cfg_ctx *ctx, const json_t *val, unsigned int max_len,
		  uint32_t *net, uint32_t *mask);
int cfg_get_cidr6(struct cfg_ctx *ctx, const json_t *val, unsigned int max_len,
		  struct in6_addr *prefix, unsigned int *len);
int cfg_get_mac(struct cfg_ctx *ctx, const json_t *val, uint8_t mac[6]);
int cfg_parse_mac(struct cfg_ctx *ctx, const struct cfg_key *key,
		  const json_t *val, void *base);
bool cfg_dns_name_ok(const char *s);
int cfg_get_name(struct cfg_ctx *ctx, const json_t *val, char *out);
int cfg_parse_domain(struct cfg_ctx *ctx, const struct cfg_key *key,
		     const json_t *val, void *base);
int cfg_get_array(struct cfg_ctx *ctx, const json_t *val, size_t max);
int cfg_elem_ipv4(struct cfg_ctx *ctx, const json_t *val, void *dst);
int cfg_elem_name(struct cfg_ctx *ctx, const json_t *val, void *dst);
int cfg_get_each(struct cfg_ctx *ctx, const json_t *val, size_t max,
		 cfg_elem_fn *fn, void *first, size_t stride, unsigned int *n);
int cfg_get_objects(struct cfg_ctx *ctx, const json_t *val, size_t max,
		    size_t size, cfg_obj_fn *parse, cfg_check_fn *check,
		    void **out, size_t *n);
void cfg_dump_string(FILE *f, const char *s);
void cfg_dump_keys(FILE *f, const char *prefix, const struct cfg_key *keys,
		   size_t n_keys, const void *base);
const char *cfg_ip_str(uint32_t ip, char *buf);

/* cfg-ports.c */
bool cfg_key_of_other_type(const struct cfg_port_type_info *pt,
			   const char *name);
const struct cfg_port_type_info *cfg_port_type_find(enum cfg_port_type t);
int cfg_parse_ports(struct cfg_ctx *ctx, const struct cfg_key *key,
		    const json_t *val, void *base);

/* cfg-dhcp.c */
int cfg_parse_dhcp(struct cfg_ctx *ctx, const struct cfg_key *key,
		   const json_t *val, void *base);
void cfg_dump_dhcp(const struct cfg_dhcp *dh, FILE *f);

/* cfg-slirp.c */
int cfg_parse_slirp(struct cfg_ctx *ctx, const struct cfg_key *key,
		    const json_t *val, void *base);
void cfg_dump_slirp(const struct cfg_slirp *sl, FILE *f);

#endif /* VSW_SWITCH_CFG_INT_H */
