/*
 * fuzz-dhcp.c - fuzz dhcp_server_input().
 *
 * Built with -DVSW_FUZZ_LIBFUZZER (make fuzz-dhcp, clang) it is a libFuzzer
 * target.  Linked with tests/fuzz/replay.c instead, it replays the files
 * named on its command line, so crashers can be kept as regression tests.
 *
 * Input: the first byte chooses the mode.  Even: the rest is a raw
 * Ethernet frame.  Odd: the rest is a BOOTP message, wrapped here in valid
 * Ethernet, IPv4 and UDP headers (checksums included) so the fuzzer
 * reaches the DHCP parser directly.  The input is fed twice, with time
 * moving on, so lease state from the first pass is exercised.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp/dhcp.h"
#include "switch/base/util.h"
#include "tests/fuzz/fuzz.h"

static size_t sent_bytes;

static void sink(void *aux, const uint8_t *frame, size_t len)
{
	/* Touch every byte so a bad length shows up under ASan. */
	for (size_t i = 0; i < len; i++)
		sent_bytes += frame[i];
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (; len > 1; p += 2, len -= 2)
		sum += get_be16(p);
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

/* Wraps @msg in broadcast Ethernet/IPv4/UDP 68 -> 67; returns the size. */
static size_t wrap(uint8_t *out, const uint8_t *msg, size_t len)
{
	uint8_t *ip = out + 14, *udp = out + 34;
	uint32_t sum;

	memset(out, 0xff, 6);
	memcpy(out + 6, "\x52\x54\x00\x12\x34\x56", 6);
	put_be16(out + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[8] = 64;
	ip[9] = 17;
	put_be16(ip + 2, (uint16_t)(28 + len));
	put_be32(ip + 16, 0xffffffff);
	put_be16(ip + 10, fold(add(0, ip, 20)));
	put_be16(udp, 68);
	put_be16(udp + 2, 67);
	put_be16(udp + 4, (uint16_t)(8 + len));
	put_be16(udp + 6, 0);
	memcpy(udp + 8, msg, len);
	sum = add(0, ip + 12, 8) + 17 + (uint32_t)(8 + len);
	put_be16(udp + 6, fold(add(sum, udp, 8 + len)));
	return 42 + len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp_reservation res = {
		.mac = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x01 },
		.ip = 0x0a000232,
		.hostname = "fixed",
	};
	struct dhcp_cfg cfg = {
		.server_mac = { 0x02, 0, 0, 0, 0, 1 },
		.server_ip = 0x0a000201,
		.subnet = 0x0a000200,
		.netmask = 0xffffff00,
		.range_start = 0x0a000264,
		.range_end = 0x0a000267,
		.router = 0x0a000202,
		.dns = { 0x0a000203 },
		.n_dns = 1,
		.domain = "example.test",
		.search = { "example.test", "corp.example" },
		.n_search = 2,
		.mtu = 1500,
		.lease_s = 60,
		.rapid_commit = true,
		.reservations = &res,
		.n_reservations = 1,
	};
	struct dhcp_server *srv;
	uint8_t *buf;
	const uint8_t *frame;
	size_t len;

	if (size < 1 || size > 4096)
		return 0;
	srv = dhcp_server_new(&cfg, sink, NULL);
	if (!srv)
		abort();
	buf = malloc(42 + size);
	if (!buf)
		abort();
	if (data[0] & 1) {
		len = wrap(buf, data + 1, size - 1);
	} else {
		/* A copy of exactly the input length, so ASan sees overreads. */
		len = size - 1;
		memcpy(buf, data + 1, len);
	}
	frame = buf;
	for (uint64_t t = 0; t < 3; t++) {
		dhcp_server_input(srv, frame, len, t * 40000);
		dhcp_server_expire(srv, t * 40000);
	}
	free(buf);
	dhcp_server_free(srv);
	return 0;
}
