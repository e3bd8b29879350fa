/*
 * options.h - bounds-checked DHCP option parsing and building.
 *
 * Parsing turns the untrusted options area of a BOOTP message into a table
 * indexed by option code: for each code, a pointer into the message and a
 * length that the parser has already checked against the end of the region
 * it came from.  Callers never walk TLVs themselves.  The table keeps the
 * first instance of each code; RFC 3396 concatenation of split options is
 * not done (no client this server targets splits the options it reads).
 * Option overload (52) is honoured: the file and sname fields are parsed as
 * further option regions with the same checks, in the RFC 2131 §4.1 order
 * (options, then file, then sname).
 *
 * Building goes through a writer that refuses an option that would not fit
 * whole, always keeping one byte for the end option, and splits values
 * longer than 255 bytes into consecutive instances (RFC 3396).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_DHCP_OPTIONS_H
#define VSW_DHCP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * struct dopt_table - parsed options of one message.
 * @val:	per code, the value inside the message, NULL if absent
 * @len:	per code, the length of @val
 * @saw_end:	true if the main options area ended with option 255
 */
struct dopt_table {
	const uint8_t *val[256];
	uint8_t len[256];
	bool saw_end;
};

int dopt_parse_region(struct dopt_table *t, const uint8_t *p, size_t len,
		      bool *end);
int dopt_parse_bootp(struct dopt_table *t, const uint8_t *msg, size_t len);

/**
 * dopt_has() - true if option @code was present.
 * @t:		parsed table
 * @code:	option code
 */
static inline bool dopt_has(const struct dopt_table *t, uint8_t code)
{
	return t->val[code] != NULL;
}

/**
 * struct dopt_writer - an options area being filled.
 * @buf:	start of the area (after the magic cookie)
 * @size:	bytes available in @buf, including the end option
 * @len:	bytes written so far
 */
struct dopt_writer {
	uint8_t *buf;
	size_t size;
	size_t len;
};

void dopt_writer_init(struct dopt_writer *w, uint8_t *buf, size_t size);
int dopt_put(struct dopt_writer *w, uint8_t code, const void *val,
	     size_t len);
int dopt_put_u8(struct dopt_writer *w, uint8_t code, uint8_t v);
int dopt_put_u16(struct dopt_writer *w, uint8_t code, uint16_t v);
int dopt_put_u32(struct dopt_writer *w, uint8_t code, uint32_t v);
size_t dopt_finish(struct dopt_writer *w);

int dopt_encode_search(const char (*names)[64], unsigned int n, uint8_t *out,
		       size_t size);
int dopt_encode_routes(uint32_t router, uint8_t *out, size_t size);

#endif /* VSW_DHCP_OPTIONS_H */
