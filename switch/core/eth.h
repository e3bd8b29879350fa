/*
 * eth.h - Ethernet and 802.1Q header helpers.
 *
 * Frames are Ethernet II from the destination MAC through the payload, with
 * no preamble and no FCS.  Nothing here trusts a length: eth_parse() checks
 * the frame is long enough before it reads a field.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_ETH_H
#define VSW_SWITCH_ETH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum {
	ETH_ADDR_LEN = 6,
	ETH_HDR_LEN = 14,
	ETH_VLAN_HDR_LEN = 18,
	ETH_TYPE_VLAN = 0x8100,
	ETH_MAC_STR_LEN = 18, /* "xx:xx:xx:xx:xx:xx" plus NUL */
};

/**
 * struct eth_info - what the switch needs to know about a frame.
 * @dst:	destination MAC (points into the frame)
 * @src:	source MAC (points into the frame)
 * @vlan:	802.1Q VLAN id from the outer tag, 0 if untagged
 */
struct eth_info {
	const uint8_t *dst;
	const uint8_t *src;
	uint16_t vlan;
};

/** enum eth_verdict - result of eth_parse(). */
enum eth_verdict {
	ETH_OK,
	ETH_RUNT,	/* shorter than an Ethernet header (or a tagged one) */
	ETH_BAD_SRC,	/* multicast/broadcast or all-zero source address */
};

enum eth_verdict eth_parse(const uint8_t *frame, size_t len,
			   struct eth_info *info);

/**
 * eth_is_multicast() - true for group addresses, broadcast included.
 * @mac: six bytes
 */
static inline bool eth_is_multicast(const uint8_t *mac)
{
	return mac[0] & 1;
}

/**
 * eth_is_host_mac() - true for an address one host may own as its source.
 * @mac: six bytes
 *
 * Neither a group address (broadcast included) nor all zeros: what the
 * switch learns and what the DHCP server answers.
 */
static inline bool eth_is_host_mac(const uint8_t *mac)
{
	static const uint8_t zero[ETH_ADDR_LEN];

	return !eth_is_multicast(mac) && memcmp(mac, zero, ETH_ADDR_LEN);
}

void eth_format_mac(const uint8_t *mac, char buf[ETH_MAC_STR_LEN]);
bool eth_parse_mac(const char *text, uint8_t mac[ETH_ADDR_LEN]);
int eth_hex_digit(char c);

#endif /* VSW_SWITCH_ETH_H */
