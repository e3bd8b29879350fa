/*
 * eth.c - Ethernet header parsing and MAC text conversion.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/core/eth.h"

#include <stdio.h>

#include "switch/base/util.h"

/**
 * eth_parse() - validate a frame's header and extract addresses and VLAN.
 * @frame:	frame bytes
 * @len:	frame length
 * @info:	filled on ETH_OK
 *
 * A tagged frame must be long enough to hold the tag; the tag's VLAN id
 * becomes part of the learning key, so frames pass through untouched.
 * Like the Linux bridge, a frame whose source is a group address or zero is
 * refused: learning it would be meaningless and it only comes from broken or
 * hostile senders.
 *
 * Return: ETH_OK or the reason to drop.
 */
enum eth_verdict eth_parse(const uint8_t *frame, size_t len,
			   struct eth_info *info)
{
	if (len < ETH_HDR_LEN)
		return ETH_RUNT;
	info->dst = frame;
	info->src = frame + ETH_ADDR_LEN;
	if (!eth_is_host_mac(info->src))
		return ETH_BAD_SRC;
	info->vlan = 0;
	if (get_be16(frame + 12) == ETH_TYPE_VLAN) {
		if (len < ETH_VLAN_HDR_LEN)
			return ETH_RUNT;
		info->vlan = get_be16(frame + 14) & 0x0fff;
	}
	return ETH_OK;
}

void eth_format_mac(const uint8_t *mac, char buf[ETH_MAC_STR_LEN])
{
	snprintf(buf, ETH_MAC_STR_LEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
		 mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/**
 * eth_hex_digit() - the value of one hex digit.
 * @c: '0'-'9', 'a'-'f' or 'A'-'F'
 *
 * The one hex digit reader: MAC addresses, lease-file client ids and the
 * config locator's \u escapes all go through it.
 *
 * Return: 0-15, or -1 for anything else.
 */
int eth_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/**
 * eth_parse_mac() - parse "xx:xx:xx:xx:xx:xx" (or with '-').
 * @text:	the text: exactly six two-digit hex bytes and one separator
 *		kind, nothing around them
 * @mac:	result
 *
 * Return: true if @text is exactly one MAC address.
 */
bool eth_parse_mac(const char *text, uint8_t mac[ETH_ADDR_LEN])
{
	char sep;

	if (strlen(text) != ETH_MAC_STR_LEN - 1)
		return false;
	sep = text[2];
	if (sep != ':' && sep != '-')
		return false;
	for (int i = 0; i < ETH_ADDR_LEN; i++) {
		int hi = eth_hex_digit(text[3 * i]);
		int lo = eth_hex_digit(text[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && text[3 * i + 2] != sep))
			return false;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}
