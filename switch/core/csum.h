/*
 * csum.h - the Internet checksum (RFC 1071), the one implementation.
 *
 * Every checksum the daemon reads or writes (IPv4 headers, UDP and TCP
 * over their pseudo-headers, the TAP offload's partial sums) goes through
 * these helpers, so that there is one place to get the folding and the
 * odd-length padding right.  A sum is carried unfolded in 32 bits while
 * bytes are added, folded to 16 bits when done and complemented when it
 * is stored.  csum_add() and csum_pseudo() are inline: the TAP path sums
 * every frame that arrives with a partial checksum and the TSO segmenter a
 * pseudo-header per segment: a call to another file there would cost what
 * the old per-file copies did not.
 *
 * Words are read big-endian from an even offset, so the sums here are in
 * host order and are stored with put_be16().
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_CSUM_H
#define VSW_SWITCH_CSUM_H

#include <stddef.h>
#include <stdint.h>

/**
 * csum_add() - add bytes to a ones-complement sum.
 * @sum:	running sum (0 to start)
 * @p:		bytes, taken as big-endian 16-bit words from an even offset
 * @len:	byte count; an odd last byte is padded with zero
 *
 * The sum is kept in 64 bits inside, so any length up to a 64 KiB
 * super-frame adds without losing a carry.
 *
 * Return: the new, unfolded sum (fold it with csum_fold()).
 */
static inline uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	uint64_t s = sum;

	while (len >= 2) {
		s += (uint32_t)(p[0] << 8 | p[1]);
		p += 2;
		len -= 2;
	}
	if (len)
		s += (uint32_t)p[0] << 8;
	while (s >> 32)
		s = (s & 0xffffffff) + (s >> 32);
	return (uint32_t)s;
}

/**
 * csum_fold() - fold a sum to 16 bits (not complemented).
 * @sum: unfolded sum
 */
static inline uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/**
 * csum_finish() - the checksum field's value for a sum.
 * @sum: unfolded sum over the covered bytes (the field itself zero)
 *
 * Over bytes that include a correct checksum field the result is 0,
 * which is how a received header is checked.
 *
 * Return: the folded, complemented sum.
 */
static inline uint16_t csum_finish(uint32_t sum)
{
	return (uint16_t)~csum_fold(sum);
}

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
 * Inline like csum_add(): the TSO segmenter sums one per segment.
 *
 * Return: an unfolded sum.
 */
static inline uint32_t csum_pseudo(const uint8_t *addrs, size_t addrs_len,
				   uint8_t proto, uint32_t l4_len)
{
	return (uint32_t)csum_fold(csum_add(0, addrs, addrs_len)) + proto +
	       l4_len;
}

uint16_t csum_replace16(uint16_t check, uint16_t old, uint16_t new_);

#endif /* VSW_SWITCH_CSUM_H */
