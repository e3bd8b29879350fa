/*
 * csum.c - pseudo-header and incremental checksum helpers (see csum.h).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/csum.h"

/**
 * csum_pseudo() - the sum of a UDP or TCP pseudo-header.
 * @addrs:	source and destination address, as they sit in the IP
 *		header (8 bytes for IPv4, 32 for IPv6)
 * @addrs_len:	8 or 32
 * @proto:	the transport protocol (RFC 768, RFC 9293 §3.1; RFC 8200
 *		§8.1 for IPv6, where it is the upper-layer next header)
 * @l4_len:	transport header plus payload, in bytes
 *
 * The address sum is folded before the protocol and length are added, so
 * that the result cannot overflow and the caller may go on with
 * csum_add() over the transport header and payload.
 *
 * Return: an unfolded sum.
 */
uint32_t csum_pseudo(const uint8_t *addrs, size_t addrs_len, uint8_t proto,
		     uint32_t l4_len)
{
	return (uint32_t)csum_fold(csum_add(0, addrs, addrs_len)) + proto +
	       l4_len;
}

/**
 * csum_replace16() - update a checksum field for one changed 16-bit word.
 * @check:	the checksum field as stored
 * @old:	the word's old value
 * @new_:	its new value
 *
 * RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), which unlike eqn. 2 never
 * turns a correct sum into the -0 form.  For rewriting one field (a
 * length, an id, a port) without summing the whole header again.
 *
 * Return: the new checksum field.
 */
uint16_t csum_replace16(uint16_t check, uint16_t old, uint16_t new_)
{
	uint32_t sum = (uint16_t)~check;

	sum += (uint16_t)~old;
	sum += new_;
	return csum_finish(sum);
}
