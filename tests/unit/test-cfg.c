/*
 * test-cfg.c - configuration loader: data-driven cases, docs, direct API.
 *
 * Cases are discovered at run time, so adding one needs no C (see
 * tests/config/README):
 *  - tests/config/valid/<case>/vswitchd.json must load; if expected.txt
 *    is there, cfg_dump() of the result must equal it.
 *  - tests/config/invalid/<case>/vswitchd.json must fail with -EINVAL and
 *    the message in <case>/error, which is the message without its leading
 *    "FILE:" (and the space after it).
 *  - every ```json block in docs/vswitchd.json.5.md must load, and every
 *    ```json-invalid block must fail; an ```error block right after a
 *    ```json-invalid block holds its exact message, "vswitchd.json:" and
 *    all.
 * The tree is found through $top_srcdir (default ".").
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/config/cfg.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "switch/config/cfg-locate.h"
#include "switch/base/log.h"
#include "switch/base/util.h"
#include "tests/tap.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_LSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TEST_LSAN 1
#endif
#ifdef TEST_LSAN
#include <sanitizer/lsan_interface.h>
#endif

#define DOC_PATH "docs/vswitchd.json.5.md"
#define DEFAULT_RUNTIME_DIR "/run/vswitchd"

/**
 * struct doc_block - a fenced JSON block of the config reference.
 * @line:	line of the opening fence in the Markdown file
 * @invalid:	the block is tagged json-invalid and must fail to load
 * @text:	the block's content
 * @error:	for an invalid block, its expected message, or NULL
 */
struct doc_block {
	int line;
	bool invalid;
	char *text;
	char *error;
};

static const char *top_srcdir(void)
{
	const char *dir = getenv("top_srcdir");

	return dir && *dir ? dir : ".";
}

/* Returns "$top_srcdir/rel", malloc'ed. */
static char *srcpath(const char *rel)
{
	const char *top = top_srcdir();
	size_t len = strlen(top) + strlen(rel) + 2;
	char *p = malloc(len);

	if (!p)
		abort();
	snprintf(p, len, "%s/%s", top, rel);
	return p;
}

/* Reads a whole file; NULL (errno set) if it cannot be read. */
static char *read_all(const char *path)
{
	size_t cap = 4096, len = 0, n;
	char *buf = malloc(cap);
	FILE *f = fopen(path, "r");

	if (!f || !buf) {
		free(buf);
		if (f)
			fclose(f);
		return NULL;
	}
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len - 1 == 0) {
			char *nbuf = realloc(buf, cap * 2);

			if (!nbuf)
				abort();
			buf = nbuf;
			cap *= 2;
		}
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

static void chomp(char *s)
{
	size_t len = strlen(s);

	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		s[--len] = '\0';
}

/* cfg_dump() into a malloc'ed string. */
static char *dump_to_string(const struct vsw_config *cfg)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		abort();
	cfg_dump(cfg, f);
	fclose(f);
	return buf;
}

/* Reports the first differing line of two multi-line strings. */
static void diag_diff(const char *want, const char *got)
{
	int line = 1;

	while (*want && *got) {
		size_t lw = strcspn(want, "\n"), lg = strcspn(got, "\n");

		if (lw != lg || memcmp(want, got, lw)) {
			tap_diag("line %d: want \"%.*s\"", line, (int)lw, want);
			tap_diag("line %d: got  \"%.*s\"", line, (int)lg, got);
			return;
		}
		want += lw + (want[lw] == '\n');
		got += lg + (got[lg] == '\n');
		line++;
	}
	tap_diag("line %d: want \"%.40s\", got \"%.40s\"", line, want, got);
}

/* With ASan, fails the case if anything allocated so far leaked. */
static void check_leaks(void)
{
#ifdef TEST_LSAN
	TAP_CHECK(__lsan_do_recoverable_leak_check() == 0);
#endif
}

/*
 * Checks a failed load: -EINVAL, @out untouched, and a message that is
 * @source, ':', then @want (after a space when there is no position),
 * with err->line/col matching the position in the message.
 */
static void check_error(int r, const struct vsw_err *err, const char *source,
			const char *want)
{
	size_t slen = strlen(source);
	const char *rest = err->msg + slen + 1;
	int line = 0, col = 0, n = 0;

	if (r != -EINVAL)
		tap_diag("load returned %d (%s): %s", r, strerror(-r),
			 err->msg);
	TAP_CHECK_EQ(r, -EINVAL);
	if (strncmp(err->msg, source, slen) || err->msg[slen] != ':') {
		tap_diag("message \"%s\" does not start with \"%s:\"",
			 err->msg, source);
		TAP_CHECK(!"source prefix");
	}
	if (*rest == ' ')
		rest++;
	if (strcmp(rest, want)) {
		tap_diag("want \"%s\"", want);
		tap_diag("got  \"%s\"", rest);
		TAP_CHECK(!"message differs");
	}
	if (sscanf(rest, "%d:%d:%n", &line, &col, &n) == 2 && n > 0) {
		TAP_CHECK_EQ(err->line, line);
		TAP_CHECK_EQ(err->col, col);
	} else {
		TAP_CHECK_EQ(err->line, 0);
		TAP_CHECK_EQ(err->col, 0);
	}
}

/* ------------------------------------------------------------------ */
/* Data-driven cases                                                   */
/* ------------------------------------------------------------------ */

static void test_valid_case(const void *data)
{
	const char *dir = data;
	char json[4096], exp[4096];
	struct vsw_config cfg, again;
	struct vsw_err err;
	char *want, *got, *text, *got2;
	int r;

	snprintf(json, sizeof(json), "%s/vswitchd.json", dir);
	snprintf(exp, sizeof(exp), "%s/expected.txt", dir);
	r = cfg_load_file(json, DEFAULT_RUNTIME_DIR, &cfg, &err);
	if (r)
		tap_diag("%s", err.msg);
	TAP_CHECK_EQ(r, 0);
	TAP_CHECK(cfg.n_ports >= 1 && cfg.ports);

	got = dump_to_string(&cfg);
	want = read_all(exp);
	if (want && strcmp(want, got)) {
		diag_diff(want, got);
		TAP_CHECK(!"dump differs from expected.txt");
	}

	/* The in-memory loader gives the same result. */
	text = read_all(json);
	TAP_CHECK(text);
	r = cfg_load_string(text, json, DEFAULT_RUNTIME_DIR, &again, &err);
	TAP_CHECK_EQ(r, 0);
	got2 = dump_to_string(&again);
	TAP_CHECK(!strcmp(got, got2));

	free(got2);
	free(text);
	free(want);
	free(got);
	cfg_free(&again);
	cfg_free(&cfg);
	check_leaks();
}

static void test_invalid_case(const void *data)
{
	const char *dir = data;
	char json[4096], efile[4096];
	struct vsw_config cfg, sentinel;
	struct vsw_err err;
	char *want;
	int r;

	snprintf(json, sizeof(json), "%s/vswitchd.json", dir);
	snprintf(efile, sizeof(efile), "%s/error", dir);
	want = read_all(efile);
	if (!want)
		tap_diag("cannot read %s: %s", efile, strerror(errno));
	TAP_CHECK(want);
	chomp(want);

	memset(&cfg, 0xa5, sizeof(cfg));
	memcpy(&sentinel, &cfg, sizeof(cfg));
	r = cfg_load_file(json, DEFAULT_RUNTIME_DIR, &cfg, &err);
	check_error(r, &err, json, want);
	TAP_CHECK(!memcmp(&cfg, &sentinel, sizeof(cfg)));

	free(want);
	check_leaks();
}

static int add_cases(const char *kind, tap_test_fn *fn)
{
	char rel[64];
	struct dirent **names;
	char *dir;
	int n, added = 0;

	snprintf(rel, sizeof(rel), "tests/config/%s", kind);
	dir = srcpath(rel);
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "test-cfg: cannot scan %s: %s\n", dir,
			strerror(errno));
		free(dir);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const char *d = names[i]->d_name;
		size_t nlen = strlen(kind) + strlen(d) + 2;
		size_t plen = strlen(dir) + strlen(d) + 2;
		char *name, *path;

		if (d[0] != '.') {
			name = malloc(nlen);
			path = malloc(plen);
			if (!name || !path)
				abort();
			snprintf(name, nlen, "%s/%s", kind, d);
			snprintf(path, plen, "%s/%s", dir, d);
			tap_add(name, fn, path);
			added++;
		}
		free(names[i]);
	}
	free(names);
	free(dir);
	return added;
}

/* ------------------------------------------------------------------ */
/* Documentation examples                                              */
/* ------------------------------------------------------------------ */

static void test_doc_block(const void *data)
{
	const struct doc_block *b = data;
	struct vsw_config cfg = { 0 };
	struct vsw_err err;
	int r;

	r = cfg_load_string(b->text, "vswitchd.json", DEFAULT_RUNTIME_DIR,
			    &cfg, &err);
	if (b->invalid) {
		if (!r)
			tap_diag("%s:%d: json-invalid block loaded", DOC_PATH,
				 b->line);
		TAP_CHECK(r != 0);
		if (b->error) {
			char *want = strdup(b->error);

			TAP_CHECK(want);
			chomp(want);
			if (strcmp(err.msg, want)) {
				tap_diag("want \"%s\"", want);
				tap_diag("got  \"%s\"", err.msg);
				TAP_CHECK(!"message differs from ```error");
			}
			free(want);
		}
	} else {
		if (r)
			tap_diag("%s:%d: %s", DOC_PATH, b->line, err.msg);
		TAP_CHECK_EQ(r, 0);
	}
	cfg_free(&cfg);
	check_leaks();
}

static void test_doc_missing(const void *data UNUSED)
{
	tap_diag("%s has no ```json blocks or cannot be read", DOC_PATH);
	TAP_CHECK(false);
}

/* Appends @line (with its newline) to the growing string *@s. */
static void append_line(char **s, const char *line, size_t len)
{
	size_t old = *s ? strlen(*s) : 0;
	char *n = realloc(*s, old + len + 2);

	if (!n)
		abort();
	memcpy(n + old, line, len);
	n[old + len] = '\n';
	n[old + len + 1] = '\0';
	*s = n;
}

/*
 * Collects the fenced blocks tagged json, json-invalid and error (the
 * last attached to the json-invalid block before it) and adds a case for
 * each JSON block.
 */
static int add_doc_cases(void)
{
	char *path = srcpath(DOC_PATH);
	char *text = read_all(path);
	struct doc_block *last_invalid = NULL;
	char *p, **dst = NULL;
	int line = 0, added = 0;

	free(path);
	if (!text)
		goto out;
	for (p = text; *p;) {
		size_t len = strcspn(p, "\n");
		char *next = p + len + (p[len] == '\n');

		line++;
		if (dst && len >= 3 && !strncmp(p, "```", 3)) {
			dst = NULL;
		} else if (dst) {
			append_line(dst, p, len);
		} else if ((len == 7 && !strncmp(p, "```json", 7)) ||
			   (len == 15 && !strncmp(p, "```json-invalid", 15))) {
			struct doc_block *b = calloc(1, sizeof(*b));
			char *name = malloc(64);

			if (!b || !name)
				abort();
			b->line = line;
			b->invalid = len == 15;
			b->text = strdup("");
			dst = &b->text;
			last_invalid = b->invalid ? b : NULL;
			snprintf(name, 64, "doc: %s block at line %d",
				 b->invalid ? "json-invalid" : "json", line);
			tap_add(name, test_doc_block, b);
			added++;
		} else if (len == 8 && !strncmp(p, "```error", 8) &&
			   last_invalid) {
			dst = &last_invalid->error;
			last_invalid = NULL;
		} else if (len >= 3 && !strncmp(p, "```", 3)) {
			last_invalid = NULL;
			dst = NULL;
			/* Skip other fenced blocks whole. */
			while (*next && strncmp(next, "```", 3)) {
				next += strcspn(next, "\n");
				next += *next == '\n';
				line++;
			}
			if (*next) {
				next += strcspn(next, "\n");
				next += *next == '\n';
				line++;
			}
		}
		p = next;
	}
out:
	free(text);
	return added;
}

/* ------------------------------------------------------------------ */
/* Direct API tests                                                    */
/* ------------------------------------------------------------------ */

static const char *const default_as_json =
	"{ \"dhcp\": { \"subnet\": \"10.0.2.0/24\", \"server_ip\": \"10.0.2.1\","
	"   \"range_start\": \"10.0.2.15\", \"range_end\": \"10.0.2.254\","
	"   \"router\": \"10.0.2.2\", \"dns\": [ \"10.0.2.3\" ] },"
	"  \"slirp\": {},"
	"  \"ports\": ["
	" { \"name\": \"vm-tcp\", \"type\": \"tcp-listen\", \"port\": 7000 },"
	" { \"name\": \"vm-unix\", \"type\": \"unix-listen\","
	"   \"path\": \"/tmp/rd/vm.sock\" } ] }";

/* Port @p is named @name_ and of the type named @type_. */
#define CHECK_PORT(p, name_, type_)                                            \
	do {                                                                   \
		TAP_CHECK(!strcmp((p).name, name_));                           \
		TAP_CHECK((p).type == cfg_port_type_find(type_));              \
	} while (0)

static void test_default(const void *data UNUSED)
{
	struct vsw_config cfg, json;
	struct vsw_err err;
	char *a, *b;

	TAP_CHECK_EQ(cfg_default(&cfg, "/tmp/rd"), 0);
	TAP_CHECK_EQ(cfg.log_level, LOG_LVL_INFO);
	TAP_CHECK(!strcmp(cfg.runtime_dir, "/tmp/rd"));
	TAP_CHECK_EQ(cfg.sw.mac_aging_s, 300);
	TAP_CHECK_EQ(cfg.sw.mac_table_size, 8192);
	TAP_CHECK_EQ(cfg.sw.mac_move_holddown_ms, 1000);
	TAP_CHECK_EQ(cfg.sw.max_frame, 65535);
	TAP_CHECK_EQ(cfg.sw.max_ports, 1024);
	TAP_CHECK_EQ(cfg.sw.tx_queue_frames, 256);
	TAP_CHECK_EQ(cfg.sw.tx_queue_bytes, 4 << 20);
	TAP_CHECK_EQ(cfg.n_ports, 2);
	CHECK_PORT(cfg.ports[0], "vm-tcp", "tcp-listen");
	TAP_CHECK(!strcmp(cfg.ports[0].address, "127.0.0.1"));
	TAP_CHECK_EQ(cfg.ports[0].port, 7000);
	TAP_CHECK_EQ(cfg.ports[0].max_connections, 64);
	TAP_CHECK_EQ(cfg.ports[0].path[0], '\0');
	CHECK_PORT(cfg.ports[1], "vm-unix", "unix-listen");
	TAP_CHECK(!strcmp(cfg.ports[1].path, "/tmp/rd/vm.sock"));
	TAP_CHECK_EQ(cfg.ports[1].mode, 0600);
	TAP_CHECK_EQ(cfg.ports[1].max_connections, 64);
	TAP_CHECK_EQ(cfg.ports[1].address[0], '\0');
	TAP_CHECK_EQ(cfg.ports[1].tx_queue_frames, 256);
	TAP_CHECK_EQ(cfg.ports[1].tx_queue_bytes, 4 << 20);
	TAP_CHECK(cfg.dhcp.enabled);
	TAP_CHECK_EQ(cfg.dhcp.dc.server_ip, 0x0a000201u);
	TAP_CHECK_EQ(cfg.dhcp.dc.subnet, 0x0a000200u);
	TAP_CHECK_EQ(cfg.dhcp.dc.netmask, 0xffffff00u);
	TAP_CHECK_EQ(cfg.dhcp.dc.range_start, 0x0a00020fu);
	TAP_CHECK_EQ(cfg.dhcp.dc.range_end, 0x0a0002feu);
	TAP_CHECK_EQ(cfg.dhcp.dc.router, 0x0a000202u);
	TAP_CHECK_EQ(cfg.dhcp.dc.n_dns, 1);
	TAP_CHECK_EQ(cfg.dhcp.dc.dns[0], 0x0a000203u);
	TAP_CHECK_EQ(cfg.dhcp.dc.lease_s, 3600);
	TAP_CHECK_EQ(cfg.dhcp.dc.server_mac[0], 0x52);
	TAP_CHECK_EQ(cfg.dhcp.dc.server_mac[1], 0x55);
	TAP_CHECK_EQ(cfg.dhcp.dc.server_mac[5], 0x01);
	TAP_CHECK(!strcmp(cfg.dhcp.lease_file, "/tmp/rd/dhcp.leases"));
#ifdef HAVE_SLIRP
	TAP_CHECK(cfg.slirp.enabled);
	TAP_CHECK_EQ(cfg.slirp.network, 0x0a000200u);
	TAP_CHECK_EQ(cfg.slirp.gateway, 0x0a000202u);
	TAP_CHECK_EQ(cfg.slirp.dns, 0x0a000203u);
	TAP_CHECK(cfg.slirp.ipv6);
	TAP_CHECK_EQ(cfg.slirp.n_forwards, 0);
#endif

	/* The default is exactly what the equivalent file gives. */
	TAP_CHECK_EQ(cfg_load_string(default_as_json, NULL, "/tmp/rd", &json,
				     &err), 0);
	a = dump_to_string(&cfg);
	b = dump_to_string(&json);
	if (strcmp(a, b))
		diag_diff(b, a);
	TAP_CHECK(!strcmp(a, b));
	free(a);
	free(b);
	cfg_free(&json);
	cfg_free(&cfg);

	/* No runtime directory: /run/vswitchd; a trailing slash is kept. */
	TAP_CHECK_EQ(cfg_default(&cfg, NULL), 0);
	TAP_CHECK(!strcmp(cfg.runtime_dir, "/run/vswitchd"));
	TAP_CHECK(!strcmp(cfg.ports[1].path, "/run/vswitchd/vm.sock"));
	cfg_free(&cfg);
	TAP_CHECK_EQ(cfg_default(&cfg, "/"), 0);
	TAP_CHECK(!strcmp(cfg.ports[1].path, "/vm.sock"));
	cfg_free(&cfg);
	check_leaks();
}

static void test_default_too_long(const void *data UNUSED)
{
	struct vsw_config cfg, sentinel;
	char dir[200];

	memset(&cfg, 0x5a, sizeof(cfg));
	sentinel = cfg;
	/* 99 bytes + "/ctl.sock" = 108: one more than sun_path holds (the
	 * control socket has the longest default name). */
	memset(dir, 'd', 99);
	dir[0] = '/';
	dir[99] = '\0';
	TAP_CHECK_EQ(cfg_default(&cfg, dir), -ENAMETOOLONG);
	TAP_CHECK(!memcmp(&cfg, &sentinel, sizeof(cfg)));
	dir[98] = '\0';
	TAP_CHECK_EQ(cfg_default(&cfg, dir), 0);
	TAP_CHECK_EQ(strlen(cfg.control.path), 107);
	TAP_CHECK_EQ(strlen(cfg.ports[1].path), 106);
	cfg_free(&cfg);
	memset(dir, 'd', sizeof(dir) - 1);
	dir[sizeof(dir) - 1] = '\0';
	TAP_CHECK_EQ(cfg_default(&cfg, dir), -ENAMETOOLONG);
	check_leaks();
}

static void test_load_string(const void *data UNUSED)
{
	struct vsw_config cfg;
	struct vsw_err err;

	TAP_CHECK_EQ(cfg_load_string("{\"ports\": [{\"name\": \"u\", "
				     "\"type\": \"unix-listen\"}]}",
				     "mem", "/var/run/x", &cfg, &err),
		     0);
	TAP_CHECK(!strcmp(cfg.runtime_dir, "/var/run/x"));
	TAP_CHECK(!strcmp(cfg.ports[0].path, "/var/run/x/u.sock"));
	cfg_free(&cfg);

	/* NULL or empty default runtime dir: /run/vswitchd. */
	TAP_CHECK_EQ(cfg_load_string("{\"ports\": [{\"name\": \"u\", "
				     "\"type\": \"unix-listen\"}]}",
				     "mem", "", &cfg, &err),
		     0);
	TAP_CHECK(!strcmp(cfg.ports[0].path, "/run/vswitchd/u.sock"));
	cfg_free(&cfg);

	/* No source name. */
	TAP_CHECK_EQ(cfg_load_string("{\"ports\": 1}", NULL, NULL, &cfg, &err),
		     -EINVAL);
	TAP_CHECK(!strcmp(err.msg, "<string>:1:11: ports: expected an array, "
				   "got an integer"));
	TAP_CHECK_EQ(err.line, 1);
	TAP_CHECK_EQ(err.col, 11);
	check_leaks();
}

static void test_default_runtime_dir_too_long(const void *data UNUSED)
{
	const char *text = "{\"ports\": [{\"name\": \"t\", \"type\": "
			   "\"tcp-listen\", \"port\": 1}]}";
	const char *text_rd = "{\"runtime_dir\": \"/r\", \"ports\": [{"
			      "\"name\": \"t\", \"type\": \"tcp-listen\", "
			      "\"port\": 1}]}";
	struct vsw_config cfg;
	struct vsw_err err;
	char dir[120];

	memset(dir, 'd', sizeof(dir) - 1);
	dir[0] = '/';
	dir[sizeof(dir) - 1] = '\0';
	TAP_CHECK_EQ(cfg_load_string(text, "f", dir, &cfg, &err), -EINVAL);
	TAP_CHECK(!strncmp(err.msg, "f: the default runtime directory \"/ddd",
			   38));
	TAP_CHECK(strstr(err.msg, "\"... is 119 bytes long, more than 107"));
	/* Not an error when the file sets its own. */
	TAP_CHECK_EQ(cfg_load_string(text_rd, "f", dir, &cfg, &err), 0);
	TAP_CHECK(!strcmp(cfg.runtime_dir, "/r"));
	cfg_free(&cfg);
	check_leaks();
}

static void test_file_errors(const void *data UNUSED)
{
	struct vsw_config cfg, sentinel;
	struct vsw_err err;
	char *dir = srcpath("tests/config");
	char msg[4200];

	memset(&cfg, 0x11, sizeof(cfg));
	sentinel = cfg;
	TAP_CHECK_EQ(cfg_load_file("/nonexistent/vswitchd.json", NULL, &cfg,
				   &err),
		     -ENOENT);
	TAP_CHECK(!strcmp(err.msg, "/nonexistent/vswitchd.json: No such file "
				   "or directory"));
	TAP_CHECK_EQ(err.line, 0);
	TAP_CHECK_EQ(err.col, 0);

	TAP_CHECK_EQ(cfg_load_file(dir, NULL, &cfg, &err), -EISDIR);
	snprintf(msg, sizeof(msg), "%s: Is a directory", dir);
	TAP_CHECK(!strcmp(err.msg, msg));
	TAP_CHECK(!memcmp(&cfg, &sentinel, sizeof(cfg)));
	free(dir);
	check_leaks();
}

/* Writes @len bytes of @text to a new temporary file; returns its name. */
static char *temp_file(const void *text, size_t len)
{
	char *name = strdup("/tmp/test-cfg-XXXXXX");
	int fd;

	if (!name)
		abort();
	fd = mkstemp(name);
	TAP_CHECK(fd >= 0);
	TAP_CHECK(write(fd, text, len) == (ssize_t)len);
	close(fd);
	return name;
}

static void test_file_too_big(const void *data UNUSED)
{
	size_t size = (16 << 20) + 1;
	char *text = malloc(size), *name;
	struct vsw_config cfg;
	struct vsw_err err;
	char want[64];

	TAP_CHECK(text);
	memset(text, ' ', size);
	text[0] = '{';
	name = temp_file(text, size);
	TAP_CHECK_EQ(cfg_load_file(name, NULL, &cfg, &err), -EFBIG);
	snprintf(want, sizeof(want), "%s: the file is larger than 16 MiB",
		 name);
	TAP_CHECK(!strcmp(err.msg, want));
	/* Exactly 16 MiB is read (and then fails as JSON). */
	TAP_CHECK(truncate(name, size - 1) == 0);
	TAP_CHECK_EQ(cfg_load_file(name, NULL, &cfg, &err), -EINVAL);
	unlink(name);
	free(name);
	free(text);
	check_leaks();
}

static void test_nul_byte(const void *data UNUSED)
{
	static const char text[] = "{\"ports\": \0 []}";
	char *name = temp_file(text, sizeof(text) - 1);
	struct vsw_config cfg;
	struct vsw_err err;

	char want[64];

	TAP_CHECK_EQ(cfg_load_file(name, NULL, &cfg, &err), -EINVAL);
	snprintf(want, sizeof(want), "%s:1:11: the file contains a NUL byte",
		 name);
	TAP_CHECK(!strcmp(err.msg, want));
	unlink(name);
	free(name);
	check_leaks();
}

static void test_long_messages(const void *data UNUSED)
{
	char source[700], text[1024], key[300];
	struct vsw_config cfg;
	struct vsw_err err;

	/* A long source name: the message is cut, still terminated. */
	memset(source, 's', sizeof(source) - 1);
	source[sizeof(source) - 1] = '\0';
	TAP_CHECK_EQ(cfg_load_string("{}", source, NULL, &cfg, &err),
		     -EINVAL);
	TAP_CHECK_EQ(strlen(err.msg), sizeof(err.msg) - 1);

	/* A long unknown key is quoted in part. */
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	snprintf(text, sizeof(text), "{\"%s\": 1}", key);
	TAP_CHECK_EQ(cfg_load_string(text, "f", NULL, &cfg, &err), -EINVAL);
	TAP_CHECK(strstr(err.msg, "f:1:2: unknown key \"kkkk"));
	TAP_CHECK(strstr(err.msg, "kkk\"... (valid keys: log_level, "
				  "runtime_dir, switch, control, dhcp, slirp, ports)"));
	TAP_CHECK(strlen(err.msg) < 200);
	check_leaks();
}

static void test_free(const void *data UNUSED)
{
	struct vsw_config cfg = { 0 };

	cfg_free(NULL);
	cfg_free(&cfg);
	TAP_CHECK_EQ(cfg_default(&cfg, NULL), 0);
	cfg_free(&cfg);
	TAP_CHECK(cfg.ports == NULL && cfg.n_ports == 0);
	cfg_free(&cfg);
	check_leaks();
}

static void test_type_names(const void *data UNUSED)
{
	static const char *const names[] = { "tcp-listen", "unix-listen",
					     "tcp-connect", "unix-connect" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		TAP_CHECK(!strcmp(cfg_port_type_name(
					  cfg_port_type_find(names[i])),
				  names[i]));
	TAP_CHECK(!cfg_port_type_find("tcp"));
	TAP_CHECK(!strcmp(cfg_port_type_name(NULL), "?"));
}

/* Builds a config of @n tcp-listen ports named p0, p1, ... */
static char *many_ports(size_t n, unsigned int max_ports, size_t dup_of,
			size_t dup_at)
{
	size_t cap = 128 + n * 64, used;
	char *s = malloc(cap);

	if (!s)
		abort();
	used = (size_t)snprintf(s, cap, "{\"switch\": {\"max_ports\": %u},\n"
				"\"ports\": [\n", max_ports);
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(s + used, cap - used,
					 "{\"name\": \"p%zu\", \"type\": "
					 "\"tcp-listen\", \"port\": 0}%s\n",
					 i == dup_at ? dup_of : i,
					 i + 1 < n ? "," : "");
	snprintf(s + used, cap - used, "]}\n");
	return s;
}

static void test_many_ports(const void *data UNUSED)
{
	struct vsw_config cfg;
	struct vsw_err err;
	char *text;

	text = many_ports(65536, 65536, 0, SIZE_MAX);
	TAP_CHECK_EQ(cfg_load_string(text, "big", NULL, &cfg, &err), 0);
	TAP_CHECK_EQ(cfg.n_ports, 65536);
	TAP_CHECK(!strcmp(cfg.ports[65535].name, "p65535"));
	cfg_free(&cfg);
	free(text);

	/* Two duplicates: the one earlier in the file is reported. */
	text = many_ports(30000, 65536, 1234, 29999);
	memcpy(strstr(text, "\"p20000\""), "\"p7000\" ", 8);
	TAP_CHECK_EQ(cfg_load_string(text, "big", NULL, &cfg, &err), -EINVAL);
	TAP_CHECK(!strcmp(err.msg, "big:20003:10: ports[20000].name: "
				   "\"p7000\" is already used by "
				   "ports[7000]"));
	free(text);

	text = many_ports(3, 2, 0, SIZE_MAX);
	TAP_CHECK_EQ(cfg_load_string(text, "big", NULL, &cfg, &err), -EINVAL);
	TAP_CHECK(!strcmp(err.msg, "big:2:10: ports: 3 ports configured, more "
				   "than switch.max_ports (2)"));
	free(text);
	check_leaks();
}

/* cfg_locate() on a buffer with no NUL after it, so ASan sees overruns. */
static bool locate(const char *text, const struct cfg_path_elem *path,
		   size_t depth, bool at_key, int *line, int *col)
{
	size_t len = strlen(text);
	char *buf = malloc(len ? len : 1);
	bool ok;

	if (!buf)
		abort();
	memcpy(buf, text, len);
	ok = cfg_locate(buf, len, path, depth, at_key, line, col);
	free(buf);
	return ok;
}

/* test_locate(): @path (@n elements; its key if @key) is found in doc
 * at @l:@c (the line and col of the case). */
#define CHECK_AT(path, n, key, l, c)                                           \
	do {                                                                   \
		TAP_CHECK(locate(doc, path, n, key, &line, &col));             \
		TAP_CHECK_EQ(line, l);                                         \
		TAP_CHECK_EQ(col, c);                                          \
	} while (0)

static void test_locate(const void *data UNUSED)
{
	static const char doc[] =
		"{ \"a\": [1, {\"x\": [[]], \"y\": \"s\\\"}\"}, 3],\n"
		"  \"b\\u00e9\": { \"\\ud83d\\ude00\": true },\n"
		"\t\"\xc3\xa9\xc3\xa9\": null, \"c\": -1.5e3 }";
	const struct cfg_path_elem a2[] = { { "a", 0 }, { NULL, 2 } };
	const struct cfg_path_elem a1y[] = { { "a", 0 }, { NULL, 1 },
					     { "y", 0 } };
	const struct cfg_path_elem be[] = { { "b\xc3\xa9", 0 },
					    { "\xf0\x9f\x98\x80", 0 } };
	const struct cfg_path_elem c[] = { { "c", 0 } };
	const struct cfg_path_elem ee[] = { { "\xc3\xa9\xc3\xa9", 0 } };
	const struct cfg_path_elem a3[] = { { "a", 0 }, { NULL, 3 } };
	const struct cfg_path_elem zz[] = { { "zz", 0 } };
	const struct cfg_path_elem a0x[] = { { "a", 0 }, { NULL, 0 },
					     { "x", 0 } };
	int line = 0, col = 0;

	CHECK_AT(NULL, 0, false, 1, 1);
	CHECK_AT(a2, 2, false, 1, 38);
	CHECK_AT(a1y, 3, false, 1, 29);
	CHECK_AT(a1y, 3, true, 1, 24);
	CHECK_AT(be, 2, false, 2, 32);
	CHECK_AT(be, 1, true, 2, 3);
	/* Columns count characters: a tab is one, "éé" two. */
	CHECK_AT(ee, 1, true, 3, 2);
	CHECK_AT(c, 1, false, 3, 19);
	/* Paths that are not there. */
	TAP_CHECK(!locate(doc, a3, 2, false, &line, &col));
	TAP_CHECK(!locate(doc, zz, 1, false, &line, &col));
	TAP_CHECK(!locate(doc, a0x, 3, false, &line, &col));
	TAP_CHECK(!locate("", NULL, 0, false, &line, &col));
	/* Truncated or broken text fails without reading past the end. */
	TAP_CHECK(!locate("{\"a\": [1, 2", a2, 2, false, &line, &col));
	TAP_CHECK(!locate("{\"a\": [1, \"x", a2, 2, false, &line, &col));
	TAP_CHECK(!locate("{\"a\\u12", c, 1, false, &line, &col));
	TAP_CHECK(!locate("{\"a\\ud800\\u0041\": 1}", c, 1, false, &line,
			  &col));
	TAP_CHECK(!locate("{\"a\" 1}", c, 1, false, &line, &col));
	TAP_CHECK(!locate("{\"a\": ]}", c, 1, false, &line, &col));
	TAP_CHECK(!locate("{\"x\": 1 \"c\": 2}", c, 1, false, &line, &col));
	TAP_CHECK(!locate("[]", a2, 1, false, &line, &col));
	TAP_CHECK(!locate("{\"a\": {}}", a2, 2, false, &line, &col));
	TAP_CHECK(!locate("{\"a\": [1 2]}", a2, 2, false, &line, &col));
	TAP_CHECK(!locate("{\"c\"", c, 1, false, &line, &col));
	TAP_CHECK(!locate("{\"c\":", c, 1, false, &line, &col));
	check_leaks();
}

int main(void)
{
	static const struct tap_case direct[] = {
		{ "cfg_default", test_default },
		{ "cfg_default runtime_dir too long", test_default_too_long },
		{ "cfg_load_string", test_load_string },
		{ "default runtime_dir too long",
		  test_default_runtime_dir_too_long },
		{ "cfg_load_file: open and read errors", test_file_errors },
		{ "cfg_load_file: file over 16 MiB", test_file_too_big },
		{ "cfg_load_file: NUL byte", test_nul_byte },
		{ "long messages are cut", test_long_messages },
		{ "cfg_free", test_free },
		{ "cfg_port_type_name", test_type_names },
		{ "65536 ports, duplicates among many", test_many_ports },
		{ "cfg_locate", test_locate },
	};
	int n_valid, n_invalid, n_doc;

	TAP_ADD_CASES(direct);
	n_valid = add_cases("valid", test_valid_case);
	n_invalid = add_cases("invalid", test_invalid_case);
	n_doc = add_doc_cases();
	if (n_valid < 0 || n_invalid < 0)
		return 99;
	if (!n_doc)
		tap_add("docs: json examples", test_doc_missing, NULL);
	return tap_run();
}
