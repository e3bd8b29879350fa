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

#include "switch/config/cfg.h"

#include <errno.h>
#include <grp.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "switch/config/cfg-int.h"
#include "switch/base/log.h"

static int parse_log_level(struct cfg_ctx *ctx, const struct cfg_key *key,
			   const json_t *val, void *base)
{
	struct cfg_quote q;
	char list[64] = "";
	const char *s = cfg_string(ctx, val);
	int level;

	if (!s)
		return -EINVAL;
	level = log_level_from_name(s);
	if (level >= 0) {
		*(int *)cfg_key_dst(key, base) = level;
		return 0;
	}
	for (int i = LOG_LVL_ERR; i <= LOG_LVL_DEBUG; i++) {
		size_t used = strlen(list);

		snprintf(list + used, sizeof(list) - used, "%s%s",
			 i == LOG_LVL_ERR ? "" : ", ",
			 log_level_name((enum log_level)i));
	}
	return cfg_fail(ctx, "%s is not a log level (valid: %s)",
			cfg_quoted(&q, s), list);
}

static const struct cfg_key switch_keys[] = {
	{ "mac_aging_s", cfg_parse_uint, CFG_V_UINT,
	  offsetof(struct vsw_params, mac_aging_s), 1, 1000000, false },
	{ "mac_table_size", cfg_parse_uint, CFG_V_UINT,
	  offsetof(struct vsw_params, mac_table_size), 16, 4194304, false },
	{ "mac_move_holddown_ms", cfg_parse_uint, CFG_V_UINT,
	  offsetof(struct vsw_params, mac_move_holddown_ms), 0, 60000, false },
	{ "max_frame", cfg_parse_uint, CFG_V_UINT,
	  offsetof(struct vsw_params, max_frame), 64, 65535, false },
	{ "max_ports", cfg_parse_uint, CFG_V_UINT,
	  offsetof(struct vsw_params, max_ports), 2, 65536, false },
	{ "tx_queue_frames", cfg_parse_uint, CFG_V_UINT,
	  offsetof(struct vsw_params, tx_queue_frames), 1, 65536, false },
	{ "tx_queue_bytes", cfg_parse_tx_queue_bytes, CFG_V_UINT,
	  offsetof(struct vsw_params, tx_queue_bytes), 0, 0, false },
};

static int parse_switch(struct cfg_ctx *ctx, const struct cfg_key *key,
			const json_t *val, void *base)
{
	return cfg_parse_object(ctx, val, switch_keys, ARRAY_SIZE(switch_keys),
				cfg_key_dst(key, base));
}

/* A group must exist now: a typo would otherwise surface at bind time. */
static int parse_group(struct cfg_ctx *ctx, const struct cfg_key *key,
		       const json_t *val, void *base)
{
	struct cfg_control *ctl = base;
	struct cfg_quote q;
	struct group *gr;
	const char *s = cfg_string(ctx, val);

	if (!s)
		return -EINVAL;
	if (!*s || strlen(s) >= sizeof(ctl->group))
		return cfg_fail(ctx, "%s is not a group name",
				cfg_quoted(&q, s));
	gr = getgrnam(s);
	if (!gr)
		return cfg_fail(ctx, "there is no group %s", cfg_quoted(&q, s));
	strlcpy_(ctl->group, s, sizeof(ctl->group));
	ctl->gid = (long)gr->gr_gid;
	return 0;
}

static const struct cfg_key control_keys[] = {
	{ "path", cfg_parse_path, CFG_V_STR, offsetof(struct cfg_control, path),
	  0, 0, false },
	{ "mode", cfg_parse_mode, CFG_V_MODE,
	  offsetof(struct cfg_control, mode), 0, 0, false },
	{ "group", parse_group, CFG_V_STR, offsetof(struct cfg_control, group),
	  0, 0, false },
	{ "max_clients", cfg_parse_uint, CFG_V_UINT,
	  offsetof(struct cfg_control, max_clients), 1, 1024, false },
};

static int parse_control(struct cfg_ctx *ctx, const struct cfg_key *key,
			 const json_t *val, void *base)
{
	return cfg_parse_object(ctx, val, control_keys,
				ARRAY_SIZE(control_keys),
				cfg_key_dst(key, base));
}

static const struct cfg_key root_keys[] = {
	{ "log_level", parse_log_level, CFG_V_NONE,
	  offsetof(struct vsw_config, log_level), 0, 0, false },
	{ "runtime_dir", cfg_parse_path, CFG_V_NONE,
	  offsetof(struct vsw_config, runtime_dir), 0, 0, false },
	{ "switch", parse_switch, CFG_V_NONE, offsetof(struct vsw_config, sw),
	  0, 0, false },
	{ "control", parse_control, CFG_V_NONE,
	  offsetof(struct vsw_config, control), 0, 0, false },
	{ "dhcp", cfg_parse_dhcp, CFG_V_NONE, offsetof(struct vsw_config, dhcp),
	  0, 0, false },
	{ "slirp", cfg_parse_slirp, CFG_V_NONE,
	  offsetof(struct vsw_config, slirp), 0, 0, false },
	{ "ports", cfg_parse_ports, CFG_V_NONE, 0, 0, 0, false },
};

static void cfg_switch_defaults(struct vsw_params *sw)
{
	*sw = (struct vsw_params){
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
				cfg_json_kind(root));
	if (!runtime_dir || !runtime_dir[0])
		runtime_dir = CFG_DEFAULT_RUNTIME_DIR;
	if (!json_object_get(root, "runtime_dir") &&
	    strlen(runtime_dir) > CFG_SUN_PATH_LEN)
		return cfg_fail_nopos(ctx,
				      "the default runtime directory %s "
				      "is %zu bytes long, more than %d",
				      cfg_quoted(&q, runtime_dir),
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
			     "%s/ctl.sock",
			     cfg->runtime_dir) >= sizeof(cfg->control.path))
		return cfg_fail_nopos(ctx,
				      "runtime_dir %s is too long for the "
				      "control socket path",
				      cfg_quoted(&q, cfg->runtime_dir));
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
	const char *dir = runtime_dir && runtime_dir[0]
				  ? runtime_dir
				  : CFG_DEFAULT_RUNTIME_DIR;
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
	root = json_pack("{s:{s:s}, "
			 "s:[{s:s, s:s, s:s, s:i}, {s:s, s:s, s:s}]}",
			 "dhcp", "subnet", "10.0.2.0/24", "ports", "name",
			 "vm-tcp", "type",
			 "tcp-listen", "address", CFG_DEFAULT_ADDRESS, "port",
			 7000, "name", "vm-unix", "type", "unix-listen", "path",
			 path);
#ifdef HAVE_SLIRP
	/* The uplink with QEMU's addresses; the DHCP options follow it. */
	if (root && json_object_set_new(root, "slirp", json_object())) {
		json_decref(root);
		root = NULL;
	}
#endif
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
	free(cfg->slirp.forwards);
	memset(cfg, 0, sizeof(*cfg));
}

void cfg_dump(const struct vsw_config *cfg, FILE *f)
{
	fprintf(f, "log_level = %s\n",
		log_level_name((enum log_level)cfg->log_level));
	fputs("runtime_dir = ", f);
	cfg_dump_string(f, cfg->runtime_dir);
	fputc('\n', f);
	cfg_dump_keys(f, "switch.", switch_keys, ARRAY_SIZE(switch_keys),
		      &cfg->sw);
	cfg_dump_keys(f, "control.", control_keys, ARRAY_SIZE(control_keys),
		      &cfg->control);
	if (cfg->dhcp.enabled)
		cfg_dump_dhcp(&cfg->dhcp, f);
	if (cfg->slirp.enabled)
		cfg_dump_slirp(&cfg->slirp, f);
	for (size_t i = 0; i < cfg->n_ports; i++) {
		const struct cfg_port *p = &cfg->ports[i];
		const struct cfg_port_type *pt = p->type;
		char prefix[32];

		if (!pt)
			continue;
		snprintf(prefix, sizeof(prefix), "ports[%zu].", i);
		cfg_dump_keys(f, prefix, pt->keys, pt->n_keys, p);
	}
}
