/*
 * cfg-keys.h - what a port type's configuration needs from the parser.
 *
 * Each port type describes its keys next to its create function (ports/):
 * a table of struct cfg_key, one row per key with its parser, its dump
 * format, its destination in struct cfg_port and its bounds, and a parse
 * function that sets the type's defaults and checks the keys against each
 * other.  This header is all such a file sees of the configuration layer:
 * the key table, the generic value parsers, the messages (each names the
 * JSON path being parsed) and the keys every port shares (name, type,
 * tx_queue_*, ...).  The load itself, the JSON path stack and the text
 * positions stay in the parser (cfg-int.h), so the messages, paths and
 * the `--check -v` dump are the same for every type.
 *
 * The parser finds the port types with cfg_port_type_at(), which the port
 * registry (ports/port-types.c) defines: the configuration includes
 * nothing from ports/, the registry provides what it declares here.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_CFG_KEYS_H
#define VSW_SWITCH_CFG_KEYS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "switch/config/cfg.h"
#include "switch/base/util.h"

#define CFG_DEFAULT_ADDRESS "127.0.0.1"

enum {
	CFG_SUN_PATH_LEN = CFG_PATH_MAX - 1,
	CFG_NAME_LEN = CFG_NAME_MAX - 1,
	CFG_DEF_MODE = 0600,
	/* Longest string kept in a message; longer ones end in "...". */
	CFG_QUOTE_MAX = 64,
};

/* The state of one load; only the parser sees inside (cfg-int.h). */
struct cfg_ctx;

/**
 * enum cfg_val - how cfg_dump() prints a key's value.
 * @CFG_V_NONE:	not printed (parsed elsewhere)
 * @CFG_V_UINT:	unsigned int
 * @CFG_V_U16:	uint16_t
 * @CFG_V_STR:	char array
 * @CFG_V_MODE:	unsigned int, in octal
 * @CFG_V_TYPE:	a port's type (const struct cfg_port_type *), by name
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
 * struct cfg_port_type - what the configuration knows of a port type.
 * @name:	"type" as written in the file ("tcp-listen")
 * @parse:	parser for a port of this type; most set the type's
 *		defaults, call cfg_port_parse_keys() and cross-check
 * @keys:	valid keys of such a port, in documentation order (the order
 *		of cfg_dump() and cfg_port_to_json())
 * @n_keys:	number of @keys
 * @unique_path: no two ports of this type may have the same "path" (a
 *		listener unlinks what is at its path to bind it)
 * @unique_address: no two ports of this type may have the same "address"
 *		and non-zero "port"
 *
 * It is the first member of the port type's descriptor (struct port_type,
 * switch/core/port.h), which adds how to create such a port.
 */
struct cfg_port_type {
	const char *name;
	cfg_port_parse_fn *parse;
	const struct cfg_key *keys;
	size_t n_keys;
	bool unique_path;
	bool unique_address;
};

/**
 * cfg_port_type_at() - the port types, in documentation order.
 * @i:	index from 0
 *
 * Defined by the port registry (ports/port-types.c).
 *
 * Return: the @i-th type, or NULL past the last.
 */
const struct cfg_port_type *cfg_port_type_at(size_t i);

/**
 * struct cfg_quote - buffer for a string quoted for a message.
 * @s:	the quoted string, NUL-terminated
 */
struct cfg_quote {
	char s[CFG_QUOTE_MAX * 6 + 16];
};

static inline void *cfg_key_dst(const struct cfg_key *key, void *base)
{
	return (char *)base + key->offset;
}

/**
 * cfg_ctx_config() - the configuration being built.
 * @ctx:	the load
 *
 * A port's parser reads the switch settings ("switch" is parsed before
 * "ports") and runtime_dir from it.
 *
 * Return: the config; its ports are not complete yet.
 */
const struct vsw_config *cfg_ctx_config(const struct cfg_ctx *ctx);

/* Messages (cfg-parse.c): each returns -EINVAL, or -ENOMEM. */
void cfg_path_push_key(struct cfg_ctx *ctx, const char *key);
void cfg_path_pop(struct cfg_ctx *ctx);
const char *cfg_quoted(struct cfg_quote *q, const char *str);
int PRINTF_FMT(2, 3) cfg_fail(struct cfg_ctx *ctx, const char *fmt, ...);

/* Generic values (cfg-parse.c). */
int cfg_parse_object(struct cfg_ctx *ctx, const json_t *obj,
		     const struct cfg_key *keys, size_t n_keys, void *base);
int cfg_get_uint(struct cfg_ctx *ctx, const json_t *val, unsigned int min,
		 unsigned int max, const char *rule, unsigned int *out);
const char *cfg_string(struct cfg_ctx *ctx, const json_t *val);
int cfg_get_string(struct cfg_ctx *ctx, const json_t *val, const char **out);
cfg_key_fn cfg_parse_uint, cfg_parse_u16, cfg_parse_nothing,
	cfg_parse_tx_queue_bytes, cfg_parse_path, cfg_parse_mode,
	cfg_parse_bool, cfg_parse_address;

/* What ports share (cfg-ports.c). */
cfg_key_fn cfg_parse_port_name, cfg_parse_max_connections, cfg_parse_ifname;
int cfg_port_parse_keys(struct cfg_ctx *ctx, const json_t *obj,
			struct cfg_port *port);
int cfg_port_default_path(struct cfg_ctx *ctx, struct cfg_port *port,
			  const char *ext);

#define CFG_PORT_KEY(name_, parse_, val_, field_, min_, max_, required_)       \
	{                                                                      \
		(name_), (parse_), (val_), offsetof(struct cfg_port, field_),  \
			(min_), (max_), (required_)                            \
	}

/* The keys several port types have, with the same rules everywhere. */
#define CFG_PORT_KEY_NAME                                                      \
	CFG_PORT_KEY("name", cfg_parse_port_name, CFG_V_STR, name, 0, 0, true)
#define CFG_PORT_KEY_TYPE                                                      \
	CFG_PORT_KEY("type", cfg_parse_nothing, CFG_V_TYPE, type, 0, 0, true)
#define CFG_PORT_KEY_ADDRESS                                                   \
	CFG_PORT_KEY("address", cfg_parse_address, CFG_V_STR, address, 0, 0,   \
		     false)
#define CFG_PORT_KEY_PORT(min_)                                                \
	CFG_PORT_KEY("port", cfg_parse_u16, CFG_V_U16, port, (min_), 65535,    \
		     true)
#define CFG_PORT_KEY_PATH(required_)                                           \
	CFG_PORT_KEY("path", cfg_parse_path, CFG_V_STR, path, 0, 0, (required_))
#define CFG_PORT_KEY_MODE                                                      \
	CFG_PORT_KEY("mode", cfg_parse_mode, CFG_V_MODE, mode, 0, 0, false)
#define CFG_PORT_KEY_MAX_CONNECTIONS                                           \
	CFG_PORT_KEY("max_connections", cfg_parse_max_connections, CFG_V_UINT, \
		     max_connections, 0, 0, false)
#define CFG_PORT_KEYS_TX_QUEUE                                                 \
	CFG_PORT_KEY("tx_queue_frames", cfg_parse_uint, CFG_V_UINT,            \
		     tx_queue_frames, 1, 65536, false),                        \
		CFG_PORT_KEY("tx_queue_bytes", cfg_parse_tx_queue_bytes,       \
			     CFG_V_UINT, tx_queue_bytes, 0, 0, false)

#endif /* VSW_SWITCH_CFG_KEYS_H */
