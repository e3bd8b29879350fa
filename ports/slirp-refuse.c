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

#include "ports/offload.h"
#include "switch/util.h"

enum {
	ETHERTYPE_IP = 0x0800,
	ETHERTYPE_ARP = 0x0806,
	IP_PROTO_TCP = 6,
	TCP_SYN = 0x02,
	TCP_RST = 0x04,
	TCP_ACK = 0x10,
	ETH_LEN = 14,
	IP_LEN = 20,
	TCP_LEN = 20,
	/* ARP for IPv4 over Ethernet: the sender's address at 14. */
	ARP_SPA = 14,
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

/* The IPv4 header of an untagged frame, or NULL; @ihl is its length. */
static const uint8_t *ipv4_of(const uint8_t *frame, size_t len, size_t *ihl)
{
	const uint8_t *ip = frame + ETH_LEN;

	if (len < ETH_LEN + IP_LEN || get_be16(frame + 12) != ETHERTYPE_IP ||
	    (ip[0] >> 4) != 4)
		return NULL;
	*ihl = (size_t)(ip[0] & 0x0f) * 4;
	if (*ihl < IP_LEN || len < ETH_LEN + *ihl)
		return NULL;
	return ip;
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
	const uint8_t *ip, *tcp;
	size_t ihl;

	ip = ipv4_of(frame, len, &ihl);
	if (!ip || ip[9] != IP_PROTO_TCP || (get_be16(ip + 6) & 0x3fff) ||
	    len < ETH_LEN + ihl + TCP_LEN)
		return false;
	tcp = ip + ihl;
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
		if (!memcmp(&s->guest_ip, ip + 16, 4) &&
		    !memcmp(&s->peer_ip, ip + 12, 4) &&
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
	memcpy(&free_slot->guest_ip, ip + 16, 4);
	memcpy(&free_slot->peer_ip, ip + 12, 4);
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
	size_t ihl;

	/* The usual case, on every frame to slirp: nothing waits. */
	if (!r->waiting)
		return;
	if (len >= ETH_LEN + ARP_SPA + 4 && get_be16(frame + 12) == ETHERTYPE_ARP)
		src = frame + ETH_LEN + ARP_SPA;
	else if ((src = ipv4_of(frame, len, &ihl)))
		src += 12;
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
	uint8_t *ip = frame + ETH_LEN, *tcp = ip + IP_LEN;
	uint32_t sum;

	memset(frame, 0, REFUSE_FRAME_LEN);
	memcpy(frame, r->slirp_mac, 6);
	memcpy(frame + 6, s->guest_mac, 6);
	put_be16(frame + 12, ETHERTYPE_IP);
	ip[0] = 0x45;
	put_be16(ip + 2, IP_LEN + TCP_LEN);
	ip[8] = 64;
	ip[9] = IP_PROTO_TCP;
	memcpy(ip + 12, &s->guest_ip, 4);
	memcpy(ip + 16, &s->peer_ip, 4);
	put_be16(ip + 10,
	      (uint16_t)~offload_csum_fold(offload_csum_add(0, ip, IP_LEN)));
	memcpy(tcp, &s->guest_port, 2);
	memcpy(tcp + 2, &s->peer_port, 2);
	put_be32(tcp + 8, s->seq + 1);
	tcp[12] = (TCP_LEN / 4) << 4;
	tcp[13] = TCP_RST | TCP_ACK;
	/* Pseudo-header: both addresses, protocol, TCP length. */
	sum = offload_csum_add(0, ip + 12, 8);
	sum += IP_PROTO_TCP + TCP_LEN;
	sum = offload_csum_add(sum, tcp, TCP_LEN);
	put_be16(tcp + 16, (uint16_t)~offload_csum_fold(sum));
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
