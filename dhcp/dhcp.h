/*
 * dhcp.h - a transport-free DHCPv4 server (RFC 2131).
 *
 * The server is a virtual host on one switch port.  It consumes whole
 * Ethernet frames through dhcp_server_input() and emits whole Ethernet
 * frames through a send callback, so the same code runs behind the
 * switch's internal port, a unit test's capture buffer and a fuzzer.  It
 * answers ARP for its own address (renewing clients ARP for the server id
 * before unicasting), serves DHCP on UDP port 67 to the limited broadcast
 * address or its own address, and ignores everything else.
 *
 * Time is injected: every call that cares takes a monotonic @now_ms, and
 * dhcp_server_expire() tells the caller when to call it again.  Nothing
 * here reads a clock, allocates per packet or logs; drops are counted in
 * struct dhcp_stats and the caller reports them.
 *
 * Leases are keyed by option 61 when the client sends it, else by chaddr
 * (RFC 2131 §4.2).  A client's first offer is the first free one of a
 * sequence of candidate addresses computed from its key alone (so it is
 * the same after a restart even without the lease file, and does not
 * depend on the order other clients came in unless one of them holds one
 * of its candidates; docs/dhcp.md states the guarantee), a static
 * reservation for its MAC wins over everything, and a client
 * that had an address gets it back while nobody else took it.  Addresses
 * are handed to strangers free-first, then least recently used first.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_DHCP_DHCP_H
#define VSW_DHCP_DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* How long an OFFER holds its address (RFC 2131 §4.3.1 leaves it to the
 * server; a client that never REQUESTs frees it again), and a DECLINEd
 * address is kept out of the pool (§4.3.3: it is in use by someone). */
enum {
	DHCP_OFFER_HOLD_MS = 60 * 1000,
	DHCP_DECLINE_HOLD_MS = 10 * 60 * 1000,
	DHCP_DEFAULT_LEASE_S = 3600,
};

/**
 * struct dhcp_reservation - a fixed address for one MAC.
 * @mac:	the client's chaddr
 * @ip:		its address, host byte order, inside the subnet
 * @hostname:	sent as option 12 if not empty
 */
struct dhcp_reservation {
	uint8_t mac[6];
	uint32_t ip;
	char hostname[64];
};

/**
 * struct dhcp_cfg - server configuration; addresses in host byte order.
 * @server_mac:		the server's own (locally administered) MAC
 * @server_ip:		its address, also the server identifier (54)
 * @subnet:		network address
 * @netmask:		contiguous netmask (option 1)
 * @range_start:	first dynamic address
 * @range_end:		last dynamic address, inclusive
 * @router:		default gateway (options 3 and 121), 0 for none
 * @dns:		DNS servers (option 6)
 * @n_dns:		entries used in @dns
 * @domain:		domain name (option 15), empty for none
 * @search:		domain search list (option 119)
 * @n_search:		entries used in @search
 * @mtu:		interface MTU (option 26), 0 to not send it
 * @lease_s:		lease time (option 51), 0 for DHCP_DEFAULT_LEASE_S
 * @t1_s:		renewal time (58), 0 to leave the client default
 * @t2_s:		rebinding time (59), 0 to leave the client default
 * @rapid_commit:	answer a DISCOVER carrying option 80 with an ACK
 * @reservations:	static reservations; copied by dhcp_server_new()
 * @n_reservations:	entries in @reservations
 * @max_leases:		bound on addresses held at once, 0 for range size
 */
struct dhcp_cfg {
	uint8_t server_mac[6];
	uint32_t server_ip;
	uint32_t subnet, netmask;
	uint32_t range_start, range_end;
	uint32_t router;
	uint32_t dns[3];
	unsigned int n_dns;
	char domain[64];
	char search[4][64];
	unsigned int n_search;
	unsigned int mtu;
	unsigned int lease_s, t1_s, t2_s;
	bool rapid_commit;
	struct dhcp_reservation *reservations;
	size_t n_reservations;
	unsigned int max_leases;
};

int dhcp_cfg_check(const struct dhcp_cfg *cfg, char *err, size_t err_size);

/**
 * typedef dhcp_send_fn - transmit a complete Ethernet frame.
 * @aux:	the pointer given to dhcp_server_new()
 * @frame:	the frame, valid only during the call
 * @len:	its length (no FCS)
 */
typedef void dhcp_send_fn(void *aux, const uint8_t *frame, size_t len);

struct dhcp_server;

struct dhcp_server *dhcp_server_new(const struct dhcp_cfg *cfg,
				    dhcp_send_fn *send, void *aux);
void dhcp_server_free(struct dhcp_server *srv);
int dhcp_server_input(struct dhcp_server *srv, const uint8_t *frame,
		      size_t len, uint64_t now_ms);
uint64_t dhcp_server_expire(struct dhcp_server *srv, uint64_t now_ms);

/**
 * struct dhcp_stats - message counters.
 * @discover:	DHCPDISCOVERs received
 * @request:	DHCPREQUESTs received
 * @release:	DHCPRELEASEs received
 * @decline:	DHCPDECLINEs received
 * @inform:	DHCPINFORMs received
 * @offer:	DHCPOFFERs sent
 * @ack:	DHCPACKs sent
 * @nak:	DHCPNAKs sent
 * @malformed:	DHCP packets dropped as malformed (bad IP/UDP lengths or
 *		checksums, fragments, short BOOTP, bad cookie, bad options)
 * @pool_full:	DISCOVERs left unanswered for want of an address
 * @arp_replies: ARP replies sent for the server address
 * @ignored:	frames not for the server, or valid but unserved (other
 *		server id, BOOTP without option 53, non-Ethernet htype, ...)
 */
struct dhcp_stats {
	uint64_t discover, request, release, decline, inform;
	uint64_t offer, ack, nak;
	uint64_t malformed, pool_full, arp_replies, ignored;
};

void dhcp_server_stats(const struct dhcp_server *srv, struct dhcp_stats *st);

/**
 * enum dhcp_event_type - what happened to a lease.
 * @DHCP_EV_BOUND:	an ACK bound (or renewed) a lease
 * @DHCP_EV_RELEASED:	the client released its lease
 * @DHCP_EV_DECLINED:	the client said the address is in use elsewhere
 * @DHCP_EV_POOL_FULL:	a DISCOVER found no free address
 */
enum dhcp_event_type {
	DHCP_EV_BOUND,
	DHCP_EV_RELEASED,
	DHCP_EV_DECLINED,
	DHCP_EV_POOL_FULL,
};

/**
 * struct dhcp_event - one lease event, for logs and the lease file.
 * @type:	what happened
 * @ip:		the address (host byte order), 0 for DHCP_EV_POOL_FULL
 * @mac:	the client's hardware address (six bytes)
 * @hostname:	the lease's host name, "" if none
 * @lease_s:	lease time granted (DHCP_EV_BOUND), else 0
 */
struct dhcp_event {
	enum dhcp_event_type type;
	uint32_t ip;
	const uint8_t *mac;
	const char *hostname;
	unsigned int lease_s;
};

typedef void dhcp_event_fn(void *aux, const struct dhcp_event *ev);

void dhcp_server_set_event_fn(struct dhcp_server *srv, dhcp_event_fn *fn,
			      void *aux);

/**
 * struct dhcp_lease_info - one lease, as shown to a visitor.
 * @ip:			address, host byte order
 * @mac:		the client's chaddr
 * @hostname:		reservation hostname or the client's option 12
 * @client_id:		option 61 the lease is keyed by
 * @client_id_len:	its length, 0 if keyed by chaddr
 * @expires_ms:		monotonic deadline of the lease or offer
 * @bound:		true for a lease, false for an outstanding offer
 * @reserved:		the address is a static reservation
 */
struct dhcp_lease_info {
	uint32_t ip;
	uint8_t mac[6];
	char hostname[64];
	uint8_t client_id[255];
	size_t client_id_len;
	uint64_t expires_ms;
	bool bound;
	bool reserved;
};

/**
 * typedef dhcp_lease_visit_fn - called once per lease.
 * @info:	the lease, valid only during the call
 * @aux:	caller's pointer
 */
typedef void dhcp_lease_visit_fn(const struct dhcp_lease_info *info,
				 void *aux);

void dhcp_server_foreach_lease(const struct dhcp_server *srv,
			       dhcp_lease_visit_fn *fn, void *aux);

int dhcp_server_save(const struct dhcp_server *srv, FILE *f, uint64_t now_ms,
		     time_t wall_now);
int dhcp_server_save_lease(const struct dhcp_server *srv, FILE *f,
			   uint32_t ip, uint64_t now_ms, time_t wall_now);
int dhcp_server_load(struct dhcp_server *srv, FILE *f, uint64_t now_ms,
		     time_t wall_now, char *err, size_t err_size);

#endif /* VSW_DHCP_DHCP_H */
