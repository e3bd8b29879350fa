/*
 * test-eth.c - Ethernet header parsing and MAC text conversion.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <string.h>

#include "switch/core/eth.h"
#include "tests/tap.h"

static const uint8_t frame_untagged[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* dst: broadcast */
	0x52, 0x54, 0x00, 0x00, 0x00, 0x01, /* src */
	0x08, 0x06,			    /* ARP */
};

static const uint8_t frame_tagged[] = {
	0x52, 0x54, 0x00, 0x00, 0x00, 0x02, 0x52, 0x54, 0x00,
	0x00, 0x00, 0x01, 0x81, 0x00, 0x20, 0x64, /* PCP 1, VLAN 100 */
	0x08, 0x00,
};

static void test_untagged(const void *data)
{
	struct eth_info info;

	TAP_CHECK_EQ(eth_parse(frame_untagged, sizeof(frame_untagged), &info),
		     ETH_OK);
	TAP_CHECK_EQ(info.vlan, 0);
	TAP_CHECK(eth_is_multicast(info.dst));
	TAP_CHECK(info.src == frame_untagged + 6);
}

static void test_tagged(const void *data)
{
	struct eth_info info;

	TAP_CHECK_EQ(eth_parse(frame_tagged, sizeof(frame_tagged), &info),
		     ETH_OK);
	TAP_CHECK_EQ(info.vlan, 100);
	TAP_CHECK(!eth_is_multicast(info.dst));
}

static void test_runts(const void *data)
{
	struct eth_info info;

	for (size_t len = 0; len < ETH_HDR_LEN; len++)
		TAP_CHECK_EQ(eth_parse(frame_untagged, len, &info), ETH_RUNT);
	/* A tag needs four more bytes than an untagged header. */
	for (size_t len = ETH_HDR_LEN; len < ETH_VLAN_HDR_LEN; len++)
		TAP_CHECK_EQ(eth_parse(frame_tagged, len, &info), ETH_RUNT);
}

static void test_bad_source(const void *data)
{
	uint8_t f[ETH_HDR_LEN];
	struct eth_info info;

	memcpy(f, frame_untagged, sizeof(f));
	f[6] = 0x01; /* group bit in the source */
	TAP_CHECK_EQ(eth_parse(f, sizeof(f), &info), ETH_BAD_SRC);
	memset(f + 6, 0, 6);
	TAP_CHECK_EQ(eth_parse(f, sizeof(f), &info), ETH_BAD_SRC);
}

static void test_mac_text(const void *data)
{
	uint8_t mac[ETH_ADDR_LEN];
	char text[ETH_MAC_STR_LEN];

	TAP_CHECK(eth_parse_mac("52:54:00:ab:CD:0f", mac));
	eth_format_mac(mac, text);
	TAP_CHECK(!strcmp(text, "52:54:00:ab:cd:0f"));
	TAP_CHECK(eth_parse_mac("52-54-00-00-00-01", mac));
	TAP_CHECK(!eth_parse_mac("52:54:00:00:00", mac));
	TAP_CHECK(!eth_parse_mac("52:54:00:00:00:01:02", mac));
	TAP_CHECK(!eth_parse_mac("52:54:00:00:00:0g", mac));
	TAP_CHECK(!eth_parse_mac("52.54.00.00.00.01", mac));
	TAP_CHECK(!eth_parse_mac(" 52:54:00:00:00:01", mac));
	TAP_CHECK(!eth_parse_mac("2:54:00:00:00:01", mac));
	TAP_CHECK(!eth_parse_mac("52:54-00:00:00:01", mac));
	TAP_CHECK(!eth_parse_mac("52:54:00:00:00:1 ", mac));
}

static const struct tap_case tests[] = {
	{ "untagged frame", test_untagged },
	{ "802.1Q tagged frame", test_tagged },
	{ "runt frames", test_runts },
	{ "group or zero source", test_bad_source },
	{ "MAC text round trip", test_mac_text },
};

int main(void)
{
	TAP_ADD_CASES(tests);
	return tap_run();
}
