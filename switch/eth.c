/*
 * eth.c - Ethernet header parsing and MAC text conversion.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/eth.h"

#include <stdio.h>

#include "switch/util.h"

static const uint8_t eth_zero[ETH_ADDR_LEN];

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
	if (eth_is_multicast(info->src) ||
	    !memcmp(info->src, eth_zero, ETH_ADDR_LEN))
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
 * eth_parse_mac() - parse "xx:xx:xx:xx:xx:xx" (or with '-').
 * @text:	the text
 * @mac:	result
 *
 * Return: true if @text is exactly one MAC address.
 */
bool eth_parse_mac(const char *text, uint8_t mac[ETH_ADDR_LEN])
{
	unsigned int b[ETH_ADDR_LEN];
	char sep[5], tail;

	if (sscanf(text, "%2x%c%2x%c%2x%c%2x%c%2x%c%2x%c", &b[0], &sep[0],
		   &b[1], &sep[1], &b[2], &sep[2], &b[3], &sep[3], &b[4],
		   &sep[4], &b[5], &tail) != 11)
		return false;
	for (int i = 0; i < 5; i++)
		if (sep[i] != ':' && sep[i] != '-')
			return false;
	for (int i = 0; i < ETH_ADDR_LEN; i++)
		mac[i] = (uint8_t)b[i];
	return true;
}
