/*
 * slirp-refuse.c - refuse host forwards to guests that are gone (see the
 * header).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "ports/slirp-refuse.h"

#include <arpa/inet.h>
#include <string.h>

#include "switch/core/csum.h"
#include "switch/core/eth.h"
#include "switch/core/pkt.h"
#include "switch/base/util.h"

enum {
	TCP_SYN = 0x02,
	TCP_RST = 0x04,
	TCP_ACK = 0x10,
	TCP_LEN = 20,
};

/**
 * refuse_init() - start watching for a slirp port.
 * @r:		state
 * @gateway:	slirp's gateway address, host byte order
 */
void refuse_init(struct slirp_refuse *r, uint32_t gateway)
{
	memset(r, 0, sizeof(*r));
	/* slirp's own MACs: 52:55 and the address (src/slirp.c). */
	r->slirp_mac[0] = 0x52;
	r->slirp_mac[1] = 0x55;
	put_be32(r->slirp_mac + 2, gateway);
}

/* The IPv4 header of an untagged frame, as a view; false if it is not
 * one.  The total length is not looked at, as it never was here. */
static bool ipv4_of(const uint8_t *frame, size_t len, struct pkt_ipv4 *ip)
{
	struct pkt_eth eth;
	enum pkt_status st;

	if (pkt_eth_parse(frame, len, &eth) || eth.tpid ||
	    eth.type != PKT_ETHERTYPE_IPV4)
		return false;
	st = pkt_ipv4_parse(eth.payload, eth.payload_len, ip);
	return st == PKT_OK || st == PKT_BAD_LEN;
}

/**
 * refuse_from_slirp() - look at a frame slirp sends towards the guests.
 * @r:		state
 * @frame:	the frame
 * @len:	its length
 * @now:	current time, ms
 *
 * Return: true if it was a SYN now waited on (the caller arms a timer).
 */
bool refuse_from_slirp(struct slirp_refuse *r, const uint8_t *frame,
		       size_t len, uint64_t now)
{
	struct refuse_syn *free_slot = NULL;
	const uint8_t *tcp;
	struct pkt_ipv4 ip;

	/* The TCP header is read from what follows the IP header in the
	 * frame, whatever the total length says, as it always was. */
	if (!ipv4_of(frame, len, &ip) || ip.proto != PKT_IP_PROTO_TCP ||
	    pkt_ipv4_is_fragment(&ip) ||
	    len < ETH_HDR_LEN + ip.hlen + TCP_LEN)
		return false;
	tcp = ip.payload;
	if ((tcp[13] & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN)
		return false;
	for (size_t i = 0; i < REFUSE_SLOTS; i++) {
		struct refuse_syn *s = &r->syn[i];

		if (!s->used) {
			if (!free_slot)
				free_slot = s;
			continue;
		}
		/* A retransmission keeps the first deadline. */
		if (!memcmp(&s->guest_ip, ip.addrs + 4, 4) &&
		    !memcmp(&s->peer_ip, ip.addrs, 4) &&
		    !memcmp(&s->guest_port, tcp + 2, 2) &&
		    !memcmp(&s->peer_port, tcp, 2)) {
			s->seq = get_be32(tcp + 4);
			return false;
		}
	}
	if (!free_slot) {
		r->dropped++;
		return false;
	}
	free_slot->used = true;
	r->waiting++;
	free_slot->deadline = now + REFUSE_WAIT_MS;
	memcpy(free_slot->guest_mac, frame, 6);
	memcpy(&free_slot->guest_ip, ip.addrs + 4, 4);
	memcpy(&free_slot->peer_ip, ip.addrs, 4);
	memcpy(&free_slot->guest_port, tcp + 2, 2);
	memcpy(&free_slot->peer_port, tcp, 2);
	free_slot->seq = get_be32(tcp + 4);
	return true;
}

/**
 * refuse_from_guest() - look at a frame the switch hands to slirp.
 * @r:		state
 * @frame:	the frame
 * @len:	its length
 *
 * Anything from a guest's address (IPv4 or ARP) shows it is there: its
 * SYNs are no longer waited on; its own TCP stack answers them.
 */
void refuse_from_guest(struct slirp_refuse *r, const uint8_t *frame,
		       size_t len)
{
	const uint8_t *src;
	struct pkt_eth eth;
	struct pkt_ipv4 ip;
	struct pkt_arp arp;

	/* The usual case, on every frame to slirp: nothing waits. */
	if (!r->waiting)
		return;
	if (!pkt_eth_parse(frame, len, &eth) && !eth.tpid &&
	    eth.type == PKT_ETHERTYPE_ARP &&
	    !pkt_arp_parse(eth.payload, eth.payload_len, &arp))
		src = arp.spa;
	else if (ipv4_of(frame, len, &ip))
		src = ip.addrs;
	else
		return;
	for (size_t i = 0; i < REFUSE_SLOTS; i++) {
		if (r->syn[i].used && !memcmp(&r->syn[i].guest_ip, src, 4)) {
			r->syn[i].used = false;
			r->waiting--;
		}
	}
}

/* The RST|ACK the guest's stack would have sent for a closed port. */
static void build_rst(const struct slirp_refuse *r, const struct refuse_syn *s,
		      uint8_t frame[REFUSE_FRAME_LEN])
{
	uint8_t *ip = frame + ETH_HDR_LEN, *tcp = ip + PKT_IPV4_HLEN_MIN;
	uint32_t sum;

	memset(frame, 0, REFUSE_FRAME_LEN);
	pkt_eth_write(frame, r->slirp_mac, s->guest_mac, PKT_ETHERTYPE_IPV4);
	pkt_ipv4_write(ip, PKT_IPV4_HLEN_MIN + TCP_LEN, 0, PKT_IP_PROTO_TCP,
		       (const uint8_t *)&s->guest_ip,
		       (const uint8_t *)&s->peer_ip);
	memcpy(tcp, &s->guest_port, 2);
	memcpy(tcp + 2, &s->peer_port, 2);
	put_be32(tcp + 8, s->seq + 1);
	tcp[12] = (TCP_LEN / 4) << 4;
	tcp[13] = TCP_RST | TCP_ACK;
	/* Pseudo-header: both addresses, protocol, TCP length. */
	sum = csum_pseudo(ip + PKT_IPV4_ADDRS_OFF, 8, PKT_IP_PROTO_TCP,
			  TCP_LEN);
	put_be16(tcp + 16, csum_finish(csum_add(sum, tcp, TCP_LEN)));
}

/**
 * refuse_expire() - refuse what waited too long for a guest that is gone.
 * @r:		state
 * @now:	current time, ms
 * @present:	whether a port still owns a MAC
 * @emit:	takes each RST frame (for slirp_input())
 * @aux:	for @present and @emit
 *
 * A SYN past its deadline to a MAC some port still owns is left to TCP
 * (the guest is there, only slow or filtering).
 *
 * Return: the next deadline, or UINT64_MAX if nothing waits.
 */
uint64_t refuse_expire(struct slirp_refuse *r, uint64_t now,
		       refuse_present_fn *present, refuse_emit_fn *emit,
		       void *aux)
{
	uint64_t next = UINT64_MAX;

	for (size_t i = 0; i < REFUSE_SLOTS; i++) {
		struct refuse_syn *s = &r->syn[i];
		uint8_t frame[REFUSE_FRAME_LEN];

		if (!s->used)
			continue;
		if (s->deadline > now) {
			if (s->deadline < next)
				next = s->deadline;
			continue;
		}
		s->used = false;
		r->waiting--;
		if (present(s->guest_mac, aux))
			continue;
		build_rst(r, s, frame);
		r->refused++;
		emit(frame, sizeof(frame), aux);
	}
	return next;
}
