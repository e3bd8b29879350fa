/*
 * options.c - bounds-checked DHCP option parsing and building.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "dhcp/options.h"

#include <errno.h>
#include <string.h>

#include "dhcp/proto.h"
#include "switch/base/util.h"

/**
 * dopt_parse_region() - parse one options region into @t.
 * @t:		table to fill; codes already present are kept
 * @p:		start of the region
 * @len:	bytes in the region
 * @end:	set to true if the region ended with option 255
 *
 * RFC 2132 §2: pad (0) and end (255) are one byte; every other option is
 * code, length, value.  A length that runs past the region is an error.
 * A region that simply runs out without an end option is accepted (the
 * caller decides what that means), as ISC dhcpd and dnsmasq do.
 *
 * Return: 0, or -EINVAL if an option runs past the end of the region.
 */
int dopt_parse_region(struct dopt_table *t, const uint8_t *p, size_t len,
		      bool *end)
{
	size_t off = 0;

	*end = false;
	while (off < len) {
		uint8_t code = p[off];
		uint8_t olen;

		if (code == DOPT_PAD) {
			off++;
			continue;
		}
		if (code == DOPT_END) {
			*end = true;
			return 0;
		}
		if (len - off < 2)
			return -EINVAL;
		olen = p[off + 1];
		if (len - off - 2 < olen)
			return -EINVAL;
		if (!t->val[code]) {
			t->val[code] = p + off + 2;
			t->len[code] = olen;
		}
		off += 2 + (size_t)olen;
	}
	return 0;
}

/**
 * dopt_parse_bootp() - parse every options region of a BOOTP message.
 * @t:		table, cleared here
 * @msg:	the BOOTP message (UDP payload)
 * @len:	its length, at least DHCP_MIN_LEN
 *
 * Checks the magic cookie, parses the options area, and, if option 52 asks
 * for it, the file and then the sname field (RFC 2131 §4.1).  Option 52
 * inside an overloaded field is ignored.
 *
 * Return: 0, or -EINVAL for a short message, a bad cookie, an option
 * running past its region or a malformed option 52.
 */
int dopt_parse_bootp(struct dopt_table *t, const uint8_t *msg, size_t len)
{
	const uint8_t *ov;
	bool end;
	int err;

	memset(t, 0, sizeof(*t));
	if (len < DHCP_MIN_LEN)
		return -EINVAL;
	if (get_be32(msg + DHCP_OFF_COOKIE) != DHCP_MAGIC_COOKIE)
		return -EINVAL;
	err = dopt_parse_region(t, msg + DHCP_OFF_OPTIONS,
				len - DHCP_OFF_OPTIONS, &end);
	if (err)
		return err;
	t->saw_end = end;

	ov = t->val[DOPT_OVERLOAD];
	if (!ov)
		return 0;
	/* RFC 2132 §9.3: length 1, value 1, 2 or 3. */
	if (t->len[DOPT_OVERLOAD] != 1 || ov[0] < DHCP_OVERLOAD_FILE ||
	    ov[0] > DHCP_OVERLOAD_BOTH)
		return -EINVAL;
	if (ov[0] & DHCP_OVERLOAD_FILE) {
		err = dopt_parse_region(t, msg + DHCP_OFF_FILE, DHCP_FILE_LEN,
					&end);
		if (err)
			return err;
	}
	if (ov[0] & DHCP_OVERLOAD_SNAME) {
		err = dopt_parse_region(t, msg + DHCP_OFF_SNAME,
					DHCP_SNAME_LEN, &end);
		if (err)
			return err;
	}
	return 0;
}

/**
 * dopt_writer_init() - start filling an options area.
 * @w:		writer
 * @buf:	the area, right after the magic cookie
 * @size:	its size, including room for the end option (at least 1)
 */
void dopt_writer_init(struct dopt_writer *w, uint8_t *buf, size_t size)
{
	w->buf = buf;
	w->size = size;
	w->len = 0;
}

/**
 * dopt_put() - append option @code with @len bytes of @val.
 * @w:		writer
 * @code:	option code
 * @val:	value (may be NULL when @len is 0)
 * @len:	value length; above 255 the value is split into consecutive
 *		instances of @code (RFC 3396)
 *
 * Return: 0, or -ENOSPC (nothing written) if the option would not fit
 * while leaving a byte for the end option.
 */
int dopt_put(struct dopt_writer *w, uint8_t code, const void *val,
	     size_t len)
{
	size_t chunks = len ? (len + 254) / 255 : 1;
	size_t need = len + 2 * chunks;
	const uint8_t *v = val;

	if (w->size < 1 || need > w->size - 1 - w->len)
		return -ENOSPC;
	do {
		size_t n = MIN(len, (size_t)255);

		w->buf[w->len++] = code;
		w->buf[w->len++] = (uint8_t)n;
		if (n)
			memcpy(w->buf + w->len, v, n);
		w->len += n;
		v += n;
		len -= n;
	} while (len);
	return 0;
}

/**
 * dopt_put_u8() - append a one-byte option.
 * @w:		writer
 * @code:	option code
 * @v:		value
 *
 * Return: 0 or -ENOSPC.
 */
int dopt_put_u8(struct dopt_writer *w, uint8_t code, uint8_t v)
{
	return dopt_put(w, code, &v, 1);
}

/**
 * dopt_put_u16() - append a big-endian two-byte option.
 * @w:		writer
 * @code:	option code
 * @v:		value in host order
 *
 * Return: 0 or -ENOSPC.
 */
int dopt_put_u16(struct dopt_writer *w, uint8_t code, uint16_t v)
{
	uint8_t b[2];

	put_be16(b, v);
	return dopt_put(w, code, b, sizeof(b));
}

/**
 * dopt_put_u32() - append a big-endian four-byte option (time, address).
 * @w:		writer
 * @code:	option code
 * @v:		value in host order
 *
 * Return: 0 or -ENOSPC.
 */
int dopt_put_u32(struct dopt_writer *w, uint8_t code, uint32_t v)
{
	uint8_t b[4];

	put_be32(b, v);
	return dopt_put(w, code, b, sizeof(b));
}

/**
 * dopt_finish() - write the end option.
 * @w:		writer; dopt_put() always left a byte for this
 *
 * Return: the length of the options area including the end option.
 */
size_t dopt_finish(struct dopt_writer *w)
{
	if (w->len < w->size)
		w->buf[w->len++] = DOPT_END;
	return w->len;
}

/**
 * dopt_encode_search() - encode a domain search list for option 119.
 * @names:	domain names, dotted, without a trailing dot needed
 * @n:		number of names
 * @out:	output buffer
 * @size:	its size
 *
 * RFC 3397 §2: the value is a sequence of RFC 1035 §3.1 encoded names
 * (length-prefixed labels ending in a zero byte).  Compression pointers
 * are allowed but not required; this encoder never emits them.
 *
 * Return: the encoded length, or -EINVAL for an empty or over-long label,
 * -ENOSPC if @out is too small.
 */
int dopt_encode_search(const char (*names)[64], unsigned int n, uint8_t *out,
		       size_t size)
{
	size_t len = 0;

	for (unsigned int i = 0; i < n; i++) {
		const char *s = names[i];
		size_t slen = strnlen(s, 64);

		if (slen && s[slen - 1] == '.')
			slen--;
		if (!slen)
			return -EINVAL;
		while (slen) {
			const char *dot = memchr(s, '.', slen);
			size_t lab = dot ? (size_t)(dot - s) : slen;

			if (lab == 0 || lab > 63)
				return -EINVAL;
			if (size - len < lab + 1)
				return -ENOSPC;
			out[len++] = (uint8_t)lab;
			memcpy(out + len, s, lab);
			len += lab;
			s += lab;
			slen -= lab;
			if (dot) {
				s++;
				slen--;
				if (!slen)
					return -EINVAL;
			}
		}
		if (size - len < 1)
			return -ENOSPC;
		out[len++] = 0;
	}
	return (int)len;
}

/**
 * dopt_encode_routes() - encode option 121 with a default route.
 * @router:	gateway, host byte order
 * @out:	output buffer
 * @size:	its size (at least 5)
 *
 * RFC 3442: each route is the prefix length, the significant octets of
 * the destination, then the router.  0.0.0.0/0 has no destination octets,
 * so the default route is 0 followed by the four router octets.  Clients
 * that accept 121 ignore option 3, so the default route must be here.
 *
 * Return: the encoded length (5), or -ENOSPC.
 */
int dopt_encode_routes(uint32_t router, uint8_t *out, size_t size)
{
	if (size < 5)
		return -ENOSPC;
	out[0] = 0;
	put_be32(out + 1, router);
	return 5;
}
