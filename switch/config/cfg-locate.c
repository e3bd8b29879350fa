/*
 * cfg-locate.c - find the line and column of a value in JSON text.
 *
 * See cfg-locate.h.  A cursor moves over the text one token at a time;
 * every step checks the end of the buffer, so malformed or truncated text
 * makes the walk fail instead of overrunning.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/config/cfg-locate.h"

#include <stdint.h>
#include <string.h>

#include "switch/base/util.h"
#include "switch/core/eth.h"

/**
 * struct loc_scan - cursor over the text.
 * @p:		next byte to read
 * @end:	one past the last byte
 */
struct loc_scan {
	const char *p;
	const char *end;
};

/*
 * Nesting depth up to which skip_value() follows containers; jansson's own
 * limit (JSON_PARSER_MAX_DEPTH) is 2048, so text it accepted never hits it.
 */
enum { LOC_MAX_NESTING = 4096 };

static void skip_ws(struct loc_scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
				 *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* True if the cursor is on @c. */
static bool at(const struct loc_scan *s, char c)
{
	return s->p < s->end && *s->p == c;
}

/* Consumes @c and the white space after it; false, and nothing consumed,
 * if the cursor is not on @c. */
static bool eat(struct loc_scan *s, char c)
{
	if (!at(s, c))
		return false;
	s->p++;
	skip_ws(s);
	return true;
}

/* Reads the four hex digits of a \u escape; -1 if they are not there. */
static long read_hex4(struct loc_scan *s)
{
	long v = 0;

	if (s->end - s->p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int d = eth_hex_digit(s->p[i]);

		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	s->p += 4;
	return v;
}

/* Encodes @cp as UTF-8 into @buf (4 bytes); returns the length. */
static size_t utf8_encode(uint32_t cp, unsigned char *buf)
{
	/* The first byte's marker bits, by sequence length. */
	static const unsigned char lead[] = { 0, 0x00, 0xc0, 0xe0, 0xf0 };
	size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;

	/* Six bits a continuation byte, from the last; the rest lead. */
	for (size_t i = n - 1; i > 0; i--, cp >>= 6)
		buf[i] = (unsigned char)(0x80 | (cp & 0x3f));
	buf[0] = (unsigned char)(lead[n] | cp);
	return n;
}

/*
 * Decodes one escape sequence after the backslash into UTF-8 bytes.
 * Returns the number of bytes, or 0 if the escape is malformed.
 */
static size_t decode_escape(struct loc_scan *s, unsigned char *buf)
{
	/* RFC 8259 §7: the escapes of one character, and that character. */
	static const char simple[][2] = {
		{ '"', '"' }, { '\\', '\\' }, { '/', '/' },  { 'b', '\b' },
		{ 'f', '\f' }, { 'n', '\n' },  { 'r', '\r' }, { 't', '\t' },
	};
	long cp, lo;
	char c;

	if (s->p >= s->end)
		return 0;
	c = *s->p++;
	for (size_t i = 0; i < ARRAY_SIZE(simple); i++) {
		if (c == simple[i][0]) {
			buf[0] = (unsigned char)simple[i][1];
			return 1;
		}
	}
	if (c != 'u')
		return 0;
	cp = read_hex4(s);
	if (cp < 0)
		return 0;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		/* A high surrogate must be followed by a low one. */
		if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
			return 0;
		s->p += 2;
		lo = read_hex4(s);
		if (lo < 0xdc00 || lo > 0xdfff)
			return 0;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	} else if (cp >= 0xdc00 && cp <= 0xdfff) {
		return 0;
	}
	return utf8_encode((uint32_t)cp, buf);
}

/*
 * Consumes a string token (the cursor is on its opening quote).  If @key
 * is not NULL, *@match tells whether the decoded string equals @key.
 */
static bool scan_string(struct loc_scan *s, const char *key, bool *match)
{
	const unsigned char *k = (const unsigned char *)key;
	bool eq = key != NULL;

	if (!at(s, '"'))
		return false;
	s->p++;
	while (s->p < s->end && *s->p != '"') {
		unsigned char buf[4];
		size_t n;

		if (*s->p == '\\') {
			s->p++;
			n = decode_escape(s, buf);
			if (!n)
				return false;
		} else {
			buf[0] = (unsigned char)*s->p++;
			n = 1;
		}
		for (size_t i = 0; eq && i < n; i++) {
			if (*k != buf[i])
				eq = false;
			else
				k++;
		}
	}
	if (s->p >= s->end)
		return false;
	s->p++;
	if (match)
		*match = eq && *k == '\0';
	return true;
}

static bool is_scalar_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '-' || c == '+' || c == '.';
}

/* Consumes one whole value, containers included (iteratively). */
static bool skip_value(struct loc_scan *s)
{
	unsigned int nesting = 0;

	do {
		skip_ws(s);
		if (s->p >= s->end)
			return false;
		switch (*s->p) {
		case '"':
			if (!scan_string(s, NULL, NULL))
				return false;
			break;
		case '{':
		case '[':
			if (++nesting > LOC_MAX_NESTING)
				return false;
			s->p++;
			break;
		case '}':
		case ']':
			if (!nesting)
				return false;
			nesting--;
			s->p++;
			break;
		case ',':
		case ':':
			if (!nesting)
				return false;
			s->p++;
			break;
		default:
			if (!is_scalar_char(*s->p))
				return false;
			while (s->p < s->end && is_scalar_char(*s->p))
				s->p++;
			break;
		}
	} while (nesting);
	return true;
}

/* Consumes the separator after a member or element; false at the end. */
static bool next_member(struct loc_scan *s)
{
	skip_ws(s);
	return eat(s, ',');
}

/*
 * Moves the cursor from an object's '{' to the value of member @key, or
 * (with @at_key) to the member's key.
 */
static bool enter_member(struct loc_scan *s, const char *key, bool at_key)
{
	if (!eat(s, '{') || at(s, '}'))
		return false;
	for (;;) {
		const char *key_start = s->p;
		bool match = false;

		if (!scan_string(s, key, &match))
			return false;
		skip_ws(s);
		if (!eat(s, ':'))
			return false;
		if (match) {
			if (at_key)
				s->p = key_start;
			return true;
		}
		if (!skip_value(s) || !next_member(s))
			return false;
	}
}

/* Moves the cursor from an array's '[' to element @index. */
static bool enter_element(struct loc_scan *s, size_t index)
{
	if (!eat(s, '[') || at(s, ']'))
		return false;
	for (size_t i = 0; i < index; i++) {
		if (!skip_value(s) || !next_member(s))
			return false;
	}
	return true;
}

bool cfg_locate(const char *text, size_t len,
		const struct cfg_path_elem *path, size_t depth, bool at_key,
		int *line, int *col)
{
	struct loc_scan s = { .p = text, .end = text + len };

	skip_ws(&s);
	for (size_t i = 0; i < depth; i++) {
		bool last = i + 1 == depth;
		bool ok;

		if (path[i].key)
			ok = enter_member(&s, path[i].key, at_key && last);
		else
			ok = enter_element(&s, path[i].index);
		if (!ok)
			return false;
	}
	if (s.p >= s.end)
		return false;
	cfg_offset_position(text, (size_t)(s.p - text), line, col);
	return true;
}

void cfg_offset_position(const char *text, size_t offset, int *line,
			 int *col)
{
	int l = 1, c = 1;

	/* As in jansson: only '\n' ends a line; UTF-8 continuations add 0. */
	for (size_t i = 0; i < offset; i++) {
		if (text[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}
