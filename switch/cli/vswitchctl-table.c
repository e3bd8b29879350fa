/*
 * vswitchctl-table.c - human output of vswitchctl: aligned tables,
 * "key: value" blocks, and the formats of ages, uptimes and JSON values.
 *
 * Column widths are computed from the data, like `ip -s link` and
 * `ovs-appctl fdb/show`, and counted in characters, not bytes, so UTF-8
 * port names do not skew the columns.  Strings from the daemon are
 * sanitized before printing: a port name must not be able to send escape
 * sequences to the user's terminal.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switch/cli/vswitchctl.h"

/**
 * fmt_sanitize() - make a string from the daemon safe to print.
 * @s:	NUL-terminated string, changed in place
 *
 * C0 controls, DEL and C1 controls (U+0080..U+009F, which some terminals
 * take as escape sequences) become '?'.
 */
void fmt_sanitize(char *s)
{
	unsigned char *p = (unsigned char *)s;

	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			*p = '?';
		} else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			/* Keep the length: two bytes become "??". */
			p[0] = '?';
			p[1] = '?';
			p++;
		}
	}
}

/**
 * print_safe_line() - print a string from the daemon as one line,
 * sanitized (fmt_sanitize()).
 * @s:	the string
 */
void print_safe_line(const char *s)
{
	char *t = xstrdup(s);

	fmt_sanitize(t);
	printf("%s\n", t);
	free(t);
}

/* Terminal width of @s: its UTF-8 characters, not its bytes. */
static size_t text_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/**
 * table_init_kv() - start a two-column "key: value" block, no header.
 * @t: the table
 */
void table_init_kv(struct table *t)
{
	table_init(t);
	t->no_header = true;
	table_col(t, "", false);
	table_col(t, "", false);
}

/**
 * table_init() - start an empty table.
 * @t:	table
 */
void table_init(struct table *t)
{
	memset(t, 0, sizeof(*t));
}

/**
 * table_col() - add a column; all columns come before the first row.
 * @t:		table
 * @title:	column title (copied)
 * @right:	right-align the column (numbers)
 */
void table_col(struct table *t, const char *title, bool right)
{
	t->titles = xrealloc(t->titles, (t->n_cols + 1) * sizeof(*t->titles));
	t->right = xrealloc(t->right, (t->n_cols + 1) * sizeof(*t->right));
	t->titles[t->n_cols] = xstrdup(title);
	/* Titles can be the daemon's keys (fmt_key_title()), as cells are. */
	fmt_sanitize(t->titles[t->n_cols]);
	t->right[t->n_cols] = right;
	t->n_cols++;
}

/**
 * table_row() - start a new row; its cells start empty.
 * @t:	table with its columns declared
 */
void table_row(struct table *t)
{
	if (t->n_rows == t->rows_size) {
		t->rows_size = t->rows_size ? t->rows_size * 2 : 16;
		t->cells = xrealloc(t->cells, t->rows_size * t->n_cols *
						      sizeof(*t->cells));
	}
	memset(t->cells + t->n_rows * t->n_cols, 0,
	       t->n_cols * sizeof(*t->cells));
	t->n_rows++;
	t->cur = 0;
}

/* Takes ownership of @s as the next cell of the last row. */
static void put_cell(struct table *t, char *s)
{
	if (!t->n_rows || t->cur >= t->n_cols) {
		free(s); /* a caller bug; dropping beats overflowing */
		return;
	}
	fmt_sanitize(s);
	t->cells[(t->n_rows - 1) * t->n_cols + t->cur++] = s;
}

/**
 * table_cell() - fill the next cell of the last row.
 * @t:		table
 * @fmt:	printf format of the cell's text
 */
void table_cell(struct table *t, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = xstrdup("?");
	va_end(ap);
	put_cell(t, s);
}

/**
 * table_cell_str() - fill the next cell of the last row with a string.
 * @t:	table
 * @s:	text (copied); NULL prints as "-"
 */
void table_cell_str(struct table *t, const char *s)
{
	put_cell(t, xstrdup(s ? s : "-"));
}

/**
 * table_kv_add() - add a "key: value" line to a two-column, header-less table.
 * @t:		table made for it (no_header, two left-aligned columns)
 * @key:	key, printed with a colon
 * @fmt:	printf format of the value
 */
void table_kv_add(struct table *t, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *s;

	table_row(t);
	table_cell(t, "%s:", key);
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = xstrdup("?");
	va_end(ap);
	put_cell(t, s);
}

static void pad(FILE *f, size_t n)
{
	while (n--)
		fputc(' ', f);
}

/* Prints one line; @cells has t->n_cols entries, NULL ones empty. */
static void print_line(const struct table *t, char *const *cells,
		       const size_t *widths, FILE *f)
{
	size_t last = 0, pending = 0;

	/* Columns after the last non-empty one are not printed at all. */
	for (size_t i = 0; i < t->n_cols; i++)
		if (cells[i] && *cells[i])
			last = i + 1;
	for (size_t i = 0; i < last; i++) {
		const char *s = cells[i] ? cells[i] : "";
		size_t w = text_width(s);

		/* Spaces are written only when text follows them. */
		if (t->right[i]) {
			pad(f, pending + widths[i] - w);
			pending = 0;
		} else if (*s) {
			pad(f, pending);
			pending = widths[i] - w;
		} else {
			pending += widths[i];
		}
		fputs(s, f);
		pending += 2;
	}
	fputc('\n', f);
}

/**
 * table_print() - print the table with aligned columns.
 * @t:	table
 * @f:	output
 */
void table_print(const struct table *t, FILE *f)
{
	size_t *widths = xcalloc(t->n_cols, sizeof(*widths));

	for (size_t i = 0; i < t->n_cols; i++)
		if (!t->no_header)
			widths[i] = text_width(t->titles[i]);
	for (size_t r = 0; r < t->n_rows; r++) {
		for (size_t i = 0; i < t->n_cols; i++) {
			const char *s = t->cells[r * t->n_cols + i];

			if (s)
				widths[i] = MAX(widths[i], text_width(s));
		}
	}
	if (!t->no_header && t->n_cols)
		print_line(t, t->titles, widths, f);
	for (size_t r = 0; r < t->n_rows; r++)
		print_line(t, t->cells + r * t->n_cols, widths, f);
	free(widths);
}

/**
 * table_fini() - free the table's memory.
 * @t:	table
 */
void table_fini(struct table *t)
{
	for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
		free(t->cells[i]);
	for (size_t i = 0; i < t->n_cols; i++)
		free(t->titles[i]);
	free(t->cells);
	free(t->titles);
	free(t->right);
	memset(t, 0, sizeof(*t));
}

/**
 * fmt_age() - a short duration: "12s", "3m05s", "2h03m", "4d07h".
 * @s:		seconds
 * @buf:	output
 * @size:	size of @buf (16 is enough)
 *
 * Return: @buf.
 */
char *fmt_age(long long s, char *buf, size_t size)
{
	if (s < 0)
		snprintf(buf, size, "-");
	else if (s < 60)
		snprintf(buf, size, "%llds", s);
	else if (s < 3600)
		snprintf(buf, size, "%lldm%02llds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, size, "%lldh%02lldm", s / 3600, s / 60 % 60);
	else
		snprintf(buf, size, "%lldd%02lldh", s / 86400, s / 3600 % 24);
	return buf;
}

/**
 * fmt_uptime() - an uptime: "03:04:05", or "2d 03:04:05" past a day.
 * @s:		seconds
 * @buf:	output
 * @size:	size of @buf (32 is enough)
 *
 * Return: @buf.
 */
char *fmt_uptime(long long s, char *buf, size_t size)
{
	if (s < 0)
		snprintf(buf, size, "-");
	else if (s < 86400)
		snprintf(buf, size, "%02lld:%02lld:%02lld", s / 3600,
			 s / 60 % 60, s % 60);
	else
		snprintf(buf, size, "%lldd %02lld:%02lld:%02lld", s / 86400,
			 s / 3600 % 24, s / 60 % 60, s % 60);
	return buf;
}

/**
 * fmt_value() - any JSON value as short, sanitized text.
 * @v:	value, or NULL (printed as "-")
 *
 * Strings print bare (an empty one as "-"), booleans as yes/no, null as
 * "-", containers as compact JSON.
 *
 * Return: new string, caller frees.
 */
char *fmt_value(const json_t *v)
{
	char *s;

	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		/* An empty cell would shift the columns for awk and eyes. */
		s = xstrdup(*json_string_value(v) ? json_string_value(v) : "-");
		break;
	case JSON_INTEGER:
		s = xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		s = xasprintf("%g", json_real_value(v));
		break;
	case JSON_TRUE:
		s = xstrdup("yes");
		break;
	case JSON_FALSE:
		s = xstrdup("no");
		break;
	case JSON_NULL:
		s = xstrdup("-");
		break;
	default:
		s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (!s)
			s = xstrdup("?");
		break;
	}
	fmt_sanitize(s);
	return s;
}

/**
 * fmt_key_words() - a JSON key as prose: "multishot_recv" -> "multishot
 * recv".
 * @key:	member name
 *
 * Return: new string, caller frees.
 */
char *fmt_key_words(const char *key)
{
	char *s = xstrdup(key);

	for (char *p = s; *p; p++)
		if (*p == '_')
			*p = ' ';
	fmt_sanitize(s);
	return s;
}

/**
 * fmt_members() - an object's members on one line: "learned 40, moved 1,
 * move held 0".
 * @obj:	object (anything else gives "")
 * @skip:	NULL-terminated names of members to leave out, or NULL
 *
 * Return: new string, caller frees.
 */
char *fmt_members(const json_t *obj, const char *const *skip)
{
	const char *key;
	json_t *v;
	char *out = xstrdup("");

	json_object_foreach((json_t *)obj, key, v) {
		char *words, *val, *next;
		bool skipped = false;
		size_t n;

		for (const char *const *s = skip; s && *s; s++)
			skipped |= !strcmp(*s, key);
		if (skipped)
			continue;
		words = fmt_key_words(key);
		n = strlen(key);
		/* Bit masks ("ring_flags") read better in hex. */
		if (json_is_integer(v) && n > 6 &&
		    !strcmp(key + n - 6, "_flags"))
			val = xasprintf(
				"0x%llx",
				(unsigned long long)json_integer_value(v));
		else
			val = fmt_value(v);
		next = xasprintf("%s%s%s %s", out, *out ? ", " : "", words,
				 val);
		free(words);
		free(val);
		free(out);
		out = next;
	}
	return out;
}

/**
 * fmt_key_title() - a JSON key as a column title: "rx_too_big" ->
 * "RX-TOO-BIG".
 * @key:	member name
 *
 * Return: new string, caller frees.
 */
char *fmt_key_title(const char *key)
{
	char *s = xstrdup(key);

	for (char *p = s; *p; p++)
		*p = *p == '_' ? '-' : (char)toupper((unsigned char)*p);
	fmt_sanitize(s);
	return s;
}

/**
 * fmt_list() - an array on one line: "a, b, c", or "-" if it is empty.
 * @a:		array (anything else gives "-")
 *
 * Return: new string, caller frees.
 */
char *fmt_list(const json_t *a)
{
	char *out = xstrdup("");
	const json_t *e;
	size_t i;

	json_array_foreach(a, i, e) {
		char *v = fmt_value(e), *next;

		next = xasprintf("%s%s%s", out, i ? ", " : "", v);
		free(v);
		free(out);
		out = next;
	}
	if (!*out) {
		free(out);
		out = xstrdup("-");
	}
	return out;
}

/* --- results of unknown shape ------------------------------------------- */

/* Members called *_s hold seconds. */
static bool is_seconds_key(const char *key)
{
	size_t n = strlen(key);

	return n > 2 && !strcmp(key + n - 2, "_s");
}

/* An array of objects as a table with one column per key. */
static int print_any_table(const json_t *rows)
{
	json_t *keys = json_object(); /* an ordered set of the keys */
	const char *key;
	struct table t;
	json_t *v, *e;
	size_t i;

	json_array_foreach(rows, i, e) {
		if (!json_is_object(e)) {
			json_decref(keys);
			return vctl_malformed();
		}
		json_object_foreach(e, key, v)
			json_object_set_new(keys, key, json_true());
	}
	table_init(&t);
	json_object_foreach(keys, key, v) {
		char *title = fmt_key_title(key);
		bool numeric = true;

		/* They print as ages: "EXPIRES 58m20s", not "EXPIRES-S". */
		if (is_seconds_key(key))
			title[strlen(title) - 2] = '\0';

		json_array_foreach(rows, i, e) {
			json_t *x = json_object_get(e, key);

			numeric &= !x || json_is_number(x);
		}
		table_col(&t, title, numeric);
		free(title);
	}
	json_array_foreach(rows, i, e) {
		table_row(&t);
		json_object_foreach(keys, key, v) {
			json_t *x = json_object_get(e, key);
			char buf[32], *s;

			if (json_is_integer(x) && is_seconds_key(key)) {
				fmt_age(json_integer_value(x), buf,
					sizeof(buf));
				table_cell_str(&t, buf);
				continue;
			}
			s = fmt_value(x);
			table_cell_str(&t, s);
			free(s);
		}
	}
	table_print(&t, stdout);
	table_fini(&t);
	json_decref(keys);
	return VCTL_EXIT_OK;
}

/**
 * table_print_any() - print a result whose shape this client does not know
 * in detail (the leases and forwards of later daemons).
 * @result:	the result
 *
 * An array of objects prints as a table with a column per key, an object
 * as "key: value" lines, anything else as a value.
 *
 * Return: VCTL_EXIT_OK, or VCTL_EXIT_ERROR if an array holds a non-object.
 */
int table_print_any(const json_t *result)
{
	struct table t;
	const char *key;
	json_t *v;
	char *s;

	if (json_is_array(result))
		return print_any_table(result);
	if (!json_is_object(result)) {
		s = fmt_value(result);
		printf("%s\n", s);
		free(s);
		return VCTL_EXIT_OK;
	}
	table_init_kv(&t);
	json_object_foreach((json_t *)result, key, v) {
		s = fmt_value(v);
		table_kv_add(&t, key, "%s", s);
		free(s);
	}
	table_print(&t, stdout);
	table_fini(&t);
	return VCTL_EXIT_OK;
}
