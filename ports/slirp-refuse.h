/*
 * slirp-refuse.h - refuse host forwards to guests that are gone.
 *
 * libslirp accepts a forwarded connection on the host at once and only
 * then sends a SYN to the guest.  If the guest has gone (its VM stopped,
 * its port closed), nothing answers, and the host's client waits for
 * slirp's connection timer, over a minute.  This watches the SYNs slirp
 * sends and whatever the guests send back; a SYN left unanswered past its
 * deadline, to a MAC address no port of the switch knows any more, is
 * answered with a TCP RST in the guest's name, so slirp drops the host
 * connection and the client sees it refused.
 *
 * Pure frame logic, with the time and the MAC lookup passed in.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_PORTS_SLIRP_REFUSE_H
#define VSW_PORTS_SLIRP_REFUSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	REFUSE_SLOTS = 64,
	/* slirp's first SYN retransmit comes after 3 s; answer before. */
	REFUSE_WAIT_MS = 1500,
	REFUSE_FRAME_LEN = 60,
};

/**
 * struct refuse_syn - a SYN from slirp to a guest, not answered yet.
 * @used:	the slot holds one
 * @deadline:	when to refuse it
 * @guest_mac:	where slirp sent it
 * @guest_ip:	the guest (network byte order, as on the wire)
 * @peer_ip:	slirp's side of the connection (network byte order)
 * @guest_port:	guest port (network byte order)
 * @peer_port:	slirp's port (network byte order)
 * @seq:	the SYN's sequence number (host byte order)
 */
struct refuse_syn {
	bool used;
	uint64_t deadline;
	uint8_t guest_mac[6];
	uint32_t guest_ip, peer_ip;
	uint16_t guest_port, peer_port;
	uint32_t seq;
};

/**
 * struct slirp_refuse - the watch of one slirp port.
 * @syn:	SYNs in wait
 * @waiting:	slots in use (frames from guests are not looked at when 0)
 * @slirp_mac:	the MAC slirp uses as the gateway (a RST goes to it)
 * @refused:	connections refused so far
 * @dropped:	SYNs not watched because every slot was taken
 */
struct slirp_refuse {
	struct refuse_syn syn[REFUSE_SLOTS];
	unsigned int waiting;
	uint8_t slirp_mac[6];
	uint64_t refused, dropped;
};

/* Whether some port still owns @mac. */
typedef bool refuse_present_fn(const uint8_t mac[6], void *aux);
/* Hands a frame built by refuse_expire() to slirp. */
typedef void refuse_emit_fn(const uint8_t *frame, size_t len, void *aux);

void refuse_init(struct slirp_refuse *r, uint32_t gateway);
bool refuse_from_slirp(struct slirp_refuse *r, const uint8_t *frame,
		       size_t len, uint64_t now);
void refuse_from_guest(struct slirp_refuse *r, const uint8_t *frame,
		       size_t len);
uint64_t refuse_expire(struct slirp_refuse *r, uint64_t now,
		       refuse_present_fn *present, refuse_emit_fn *emit,
		       void *aux);

#endif /* VSW_PORTS_SLIRP_REFUSE_H */
