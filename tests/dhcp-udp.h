/*
 * dhcp-udp.h - what the DHCP unit test and fuzzer wrap their BOOTP
 * messages in: Ethernet, IPv4 and UDP headers with valid checksums,
 * computed here by a reference Internet checksum of the tests' own (not
 * switch/core/csum.c, which the server uses).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_TESTS_DHCP_UDP_H
#define VSW_TESTS_DHCP_UDP_H

#include <stdint.h>
#include <string.h>

#include "switch/base/util.h"

/* Adds @len bytes at @p, as big-endian 16-bit words, to the sum @s. */
static inline uint32_t ref_sum16(uint32_t s, const uint8_t *p, size_t len)
{
	for (; len > 1; p += 2, len -= 2)
		s += get_be16(p);
	if (len)
		s += (uint32_t)p[0] << 8;
	return s;
}

/* The checksum of the sum @s: its ones' complement, folded to 16 bits. */
static inline uint16_t ref_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Wraps @msg (@len bytes, which may already stand at @f + 42) in
 * Ethernet (@dst, @src), IPv4 (@sip to @dip) and UDP (@sport to 67) with
 * valid checksums; returns the frame's size. */
static inline size_t udp4_wrap(uint8_t *f, const uint8_t *dst,
			       const uint8_t *src, uint32_t sip, uint32_t dip,
			       uint16_t sport, const uint8_t *msg, size_t len)
{
	uint8_t *ip = f + 14, *udp = f + 34;
	uint32_t sum;

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	put_be16(f + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[8] = 64;
	ip[9] = 17;
	put_be16(ip + 2, (uint16_t)(28 + len));
	put_be32(ip + 12, sip);
	put_be32(ip + 16, dip);
	put_be16(ip + 10, ref_fold(ref_sum16(0, ip, 20)));
	put_be16(udp, sport);
	put_be16(udp + 2, 67);
	put_be16(udp + 4, (uint16_t)(8 + len));
	put_be16(udp + 6, 0);
	memmove(udp + 8, msg, len);
	sum = ref_sum16(0, ip + 12, 8) + 17 + (uint32_t)(8 + len);
	put_be16(udp + 6, ref_fold(ref_sum16(sum, udp, 8 + len)));
	return 42 + len;
}

#endif /* VSW_TESTS_DHCP_UDP_H */
