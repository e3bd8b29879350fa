/*
 * cfg-int.h - what the parts of the configuration parser share.
 *
 * cfg.c holds the top level, loading and cfg_dump(); cfg-parse.c the
 * messages and the parsers of generic values (integers, strings,
 * addresses, arrays); cfg-ports.c the "ports" array (the type lookup, the
 * keys every port shares, the uniqueness checks); cfg-dhcp.c the "dhcp"
 * section, cfg-slirp.c the "slirp" section.  The port types' own keys sit
 * with the types (ports/), which see only cfg-keys.h.  Nothing here is for
 * use outside switch/cfg*.c.
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

#include "switch/config/cfg-keys.h"
#include "switch/config/cfg-locate.h"
#include "switch/config/cfg.h"
#include "switch/base/util.h"

#define CFG_DEFAULT_RUNTIME_DIR "/run/vswitchd"

enum {
	CFG_MAX_FILE_SIZE = 16 << 20,
	/* Deepest path: ports[i].key, plus one step to point at a key. */
	CFG_PATH_DEPTH = 4,
	/* The stream framing puts a 4-byte length before each frame. */
	CFG_FRAME_PREFIX = 4,

	CFG_DEF_MAC_AGING_S = 300,
	CFG_DEF_MAC_TABLE_SIZE = 8192,
	CFG_DEF_MAC_MOVE_HOLDDOWN_MS = 1000,
	CFG_DEF_MAX_FRAME = 65535,
	CFG_DEF_MAX_PORTS = 1024,
	CFG_DEF_TX_QUEUE_FRAMES = 256,
	CFG_DEF_TX_QUEUE_BYTES = 4 << 20,
	CFG_DEF_CTL_MAX_CLIENTS = 16,

	CFG_TX_QUEUE_BYTES_MAX = 1 << 30,
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
	const struct cfg_port_type *port_type;
};

/* Parses one array element into @dst. */
typedef int cfg_elem_fn(struct cfg_ctx *ctx, const json_t *val, void *dst);
/* Parses one object of an array into @elem. */
typedef int cfg_obj_fn(struct cfg_ctx *ctx, const json_t *val, void *elem);
/* Checks element @i of @elems against the ones before it. */
typedef int cfg_check_fn(struct cfg_ctx *ctx, const void *elems, size_t i);

/* cfg-parse.c: messages (each returns -EINVAL, or -ENOMEM) */
void cfg_path_push_index(struct cfg_ctx *ctx, size_t index);
int PRINTF_FMT(3, 4) cfg_fail_key(struct cfg_ctx *ctx, const char *key,
				  const char *fmt, ...);
int PRINTF_FMT(2, 3) cfg_fail_nopos(struct cfg_ctx *ctx, const char *fmt, ...);
int cfg_nomem(struct cfg_ctx *ctx);
const char *cfg_json_kind(const json_t *v);
int cfg_fail_type(struct cfg_ctx *ctx, const char *expected, const json_t *val);
const struct cfg_key *cfg_find_key(const struct cfg_key *keys, size_t n_keys,
				   const char *name);
int cfg_get_ipv4(struct cfg_ctx *ctx, const json_t *val, uint32_t *out);
int cfg_parse_ipv4(struct cfg_ctx *ctx, const struct cfg_key *key,
		   const json_t *val, void *base);
int cfg_get_address(struct cfg_ctx *ctx, const json_t *val, int family,
		    char *out);
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
bool cfg_key_of_other_type(const struct cfg_port_type *pt, const char *name);
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
