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
#include "tests/dhcp-udp.h"
#include "tests/fuzz/fuzz.h"

static size_t sent_bytes;
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t client[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static void sink(void *aux, const uint8_t *frame, size_t len)
{
	/* Touch every byte so a bad length shows up under ASan. */
	for (size_t i = 0; i < len; i++)
		sent_bytes += frame[i];
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
		/* Broadcast Ethernet/IPv4/UDP 68 -> 67. */
		len = udp4_wrap(buf, bcast, client, 0, 0xffffffff, 68,
				data + 1, size - 1);
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
