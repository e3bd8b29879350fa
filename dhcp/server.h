/*
 * server.h - what the DHCP server's files share (not for outside dhcp/).
 *
 * The server (dhcp.h) is one object split by job: dhcp.c holds its state,
 * the protocol (RFC 2131 §4.3, one handler per message type) and the
 * choice of addresses; reply.c builds and sends OFFER, ACK and NAK;
 * arp.c answers ARP for the server's address; lease-file.c saves and
 * loads the lease file.  They meet here: the server and request structs,
 * the subnet predicates every file asks, and the few functions one file
 * calls in another.  Callers outside dhcp/ use dhcp.h only.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_DHCP_SERVER_H
#define VSW_DHCP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcp/dhcp.h"
#include "dhcp/lease.h"
#include "dhcp/options.h"
#include "switch/core/pkt.h"
#include "switch/base/util.h"

/**
 * struct dhcp_server - server state.
 * @cfg:	copy of the configuration (defaults filled in)
 * @res:	own copy of the reservations
 * @send:	transmit callback
 * @aux:	its argument
 * @leases:	lease table
 * @stats:	counters
 * @search:	option 119 value, encoded once
 * @search_len:	its length, 0 for none
 * @event:	lease event callback, or NULL
 * @event_aux:	its argument
 */
struct dhcp_server {
	struct dhcp_cfg cfg;
	struct dhcp_reservation *res;
	dhcp_send_fn *send;
	void *aux;
	struct lease_table leases;
	struct dhcp_stats stats;
	uint8_t search[4 * 66];
	size_t search_len;
	dhcp_event_fn *event;
	void *event_aux;
};

/**
 * struct dhcp_rx - a parsed, validated request.
 * @src_mac:	the frame's source (a relay's, for giaddr replies)
 * @msg:	the BOOTP message
 * @len:	its length
 * @opts:	its options
 * @type:	option 53
 * @ciaddr:	client address field, host order
 * @giaddr:	relay address field, host order
 * @flags:	flags field
 * @chaddr:	client hardware address (16 bytes in @msg)
 * @key:	what its lease is filed under (RFC 2131 §4.2)
 */
struct dhcp_rx {
	const uint8_t *src_mac;
	const uint8_t *msg;
	size_t len;
	struct dopt_table opts;
	uint8_t type;
	uint32_t ciaddr, giaddr;
	uint16_t flags;
	const uint8_t *chaddr;
	struct lease_key key;
};

/* The subnet predicates of @c's addresses, asked by every file. */
static inline bool dhcp_in_subnet(const struct dhcp_cfg *c, uint32_t ip)
{
	return (ip & c->netmask) == c->subnet;
}

static inline uint32_t dhcp_bcast_of(const struct dhcp_cfg *c)
{
	return c->subnet | ~c->netmask;
}

/* True for addresses a client may hold: in the subnet, not the network,
 * broadcast, server or router address. */
static inline bool dhcp_assignable(const struct dhcp_cfg *c, uint32_t ip)
{
	return dhcp_in_subnet(c, ip) && ip != c->subnet &&
	       ip != dhcp_bcast_of(c) &&
	       ip != c->server_ip && (!c->router || ip != c->router);
}

PRINTF_FMT(3, 4)
int dhcp_fail(char *err, size_t size, const char *fmt, ...);
const struct dhcp_reservation *
dhcp_res_by_mac(const struct dhcp_server *srv, const uint8_t *mac);
const struct dhcp_reservation *
dhcp_res_by_ip(const struct dhcp_server *srv, uint32_t ip);
void dhcp_sanitize_hostname(char *dst, size_t size, const uint8_t *src,
			    size_t len);

extern const uint8_t dhcp_bcast_mac[6];
void dhcp_send_reply(struct dhcp_server *srv, const struct dhcp_rx *rx,
		     uint8_t type, uint32_t yiaddr, const char *hostname,
		     bool rapid);

int dhcp_arp_input(struct dhcp_server *srv, const struct pkt_eth *eth);

#endif /* VSW_DHCP_SERVER_H */
