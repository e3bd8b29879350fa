/*
 * arp.c - the DHCP server answers ARP for its own address: renewing
 * clients ARP for the server id before they unicast to it.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <string.h>

#include "dhcp/proto.h"
#include "dhcp/server.h"
#include "switch/core/eth.h"
#include "switch/core/pkt.h"
#include "switch/base/util.h"

/**
 * dhcp_arp_input() - answer an ARP request for the server's address.
 * @srv:	server
 * @eth:	the frame, an untagged ARP one
 *
 * RFC 826: a request for the server address from a unicast sender gets a
 * reply padded to the Ethernet minimum; anything else is counted as
 * ignored.
 *
 * Return: 0.
 */
int dhcp_arp_input(struct dhcp_server *srv, const struct pkt_eth *eth)
{
	uint8_t out[DHCP_ETH_MIN_FRAME];
	uint8_t *r = out + ETH_HDR_LEN;
	struct pkt_arp a;

	if (pkt_arp_parse(eth->payload, eth->payload_len, &a) ||
	    a.htype != PKT_ARP_HTYPE_ETH || a.ptype != PKT_ETHERTYPE_IPV4 ||
	    a.hlen != 6 || a.plen != 4 || a.op != PKT_ARP_REQUEST ||
	    get_be32(a.tpa) != srv->cfg.server_ip || !eth_is_host_mac(a.sha)) {
		srv->stats.ignored++;
		return 0;
	}
	memset(out, 0, sizeof(out));
	pkt_eth_write(out, a.sha, srv->cfg.server_mac, PKT_ETHERTYPE_ARP);
	put_be16(r, PKT_ARP_HTYPE_ETH);
	put_be16(r + 2, PKT_ETHERTYPE_IPV4);
	r[4] = 6;
	r[5] = 4;
	put_be16(r + 6, PKT_ARP_REPLY);
	memcpy(r + 8, srv->cfg.server_mac, 6);
	put_be32(r + 14, srv->cfg.server_ip);
	memcpy(r + 18, a.sha, 10);	/* requester's MAC and IP */
	srv->stats.arp_replies++;
	srv->send(srv->aux, out, sizeof(out));
	return 0;
}

