/*
 * test-slirp-refuse.c - the watch that refuses host forwards to guests
 * that are gone: which SYNs it waits on, what clears them, and the RST it
 * builds (addresses, ports, sequence numbers, both checksums).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <string.h>

#include "ports/slirp-refuse.h"
#include "switch/core/csum.h"
#include "tests/tap.h"

#define GATEWAY 0x0a000202u /* 10.0.2.2 */

static const uint8_t guest_mac[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x0b };
static const uint8_t guest_ip[4] = { 10, 0, 2, 20 };
static const uint8_t peer_ip[4] = { 10, 0, 2, 2 };

/* A TCP segment from slirp (10.0.2.2:40000) to the guest's port 80. */
static size_t tcp_frame(uint8_t *f, uint8_t flags, uint32_t seq)
{
	uint8_t *ip = f + 14, *tcp = ip + 20;

	memset(f, 0, 60);
	memcpy(f, guest_mac, 6);
	f[6] = 0x52, f[7] = 0x55, f[8] = 10, f[9] = 0, f[10] = 2, f[11] = 2;
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[3] = 40;
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, peer_ip, 4);
	memcpy(ip + 16, guest_ip, 4);
	tcp[0] = 40000 >> 8, tcp[1] = 40000 & 0xff;
	tcp[3] = 80;
	tcp[4] = (uint8_t)(seq >> 24), tcp[5] = (uint8_t)(seq >> 16);
	tcp[6] = (uint8_t)(seq >> 8), tcp[7] = (uint8_t)seq;
	tcp[12] = 0x50;
	tcp[13] = flags;
	return 60;
}

struct sink {
	bool present;
	unsigned int n;
	uint8_t frame[REFUSE_FRAME_LEN];
	size_t len;
};

static bool present(const uint8_t mac[6], void *aux)
{
	struct sink *s = aux;

	return s->present && !memcmp(mac, guest_mac, 6);
}

static void emit(const uint8_t *frame, size_t len, void *aux)
{
	struct sink *s = aux;

	s->n++;
	s->len = len;
	memcpy(s->frame, frame, len < sizeof(s->frame) ? len : sizeof(s->frame));
}

static void test_refuse_gone(const void *data)
{
	struct slirp_refuse r;
	struct sink s = { 0 };
	uint8_t f[60], *ip = s.frame + 14, *tcp = ip + 20;
	uint32_t sum;

	refuse_init(&r, GATEWAY);
	TAP_CHECK(refuse_from_slirp(&r, f, tcp_frame(f, 0x02, 0x11223344), 1000));
	TAP_CHECK_EQ(refuse_expire(&r, 2000, present, emit, &s),
		     1000 + REFUSE_WAIT_MS);
	TAP_CHECK_EQ(s.n, 0);
	TAP_CHECK_EQ(refuse_expire(&r, 1000 + REFUSE_WAIT_MS, present, emit,
				   &s),
		     UINT64_MAX);
	TAP_CHECK_EQ(s.n, 1);
	TAP_CHECK_EQ(r.refused, 1);
	TAP_CHECK_EQ(s.len, REFUSE_FRAME_LEN);
	/* To slirp's MAC, from the guest's, guest to peer, ports swapped. */
	TAP_CHECK(!memcmp(s.frame, "\x52\x55\x0a\x00\x02\x02", 6));
	TAP_CHECK(!memcmp(s.frame + 6, guest_mac, 6));
	TAP_CHECK(!memcmp(ip + 12, guest_ip, 4));
	TAP_CHECK(!memcmp(ip + 16, peer_ip, 4));
	TAP_CHECK_EQ(tcp[0] << 8 | tcp[1], 80);
	TAP_CHECK_EQ(tcp[2] << 8 | tcp[3], 40000);
	TAP_CHECK_EQ(tcp[13], 0x14); /* RST|ACK */
	TAP_CHECK(!memcmp(tcp + 8, "\x11\x22\x33\x45", 4));
	/* Valid checksums sum to all ones. */
	TAP_CHECK_EQ(csum_fold(csum_add(0, ip, 20)), 0xffff);
	sum = csum_add(0, ip + 12, 8) + 6 + 20;
	TAP_CHECK_EQ(csum_fold(csum_add(sum, tcp, 20)), 0xffff);
	/* Nothing left: a second expiry does nothing. */
	refuse_expire(&r, 100000, present, emit, &s);
	TAP_CHECK_EQ(s.n, 1);
}

static void test_guest_present_or_answering(const void *data)
{
	struct slirp_refuse r;
	struct sink s = { .present = true };
	uint8_t f[60], arp[42] = { 0 };

	refuse_init(&r, GATEWAY);
	/* The MAC is still on a port: TCP's business, not ours. */
	refuse_from_slirp(&r, f, tcp_frame(f, 0x02, 1), 0);
	refuse_expire(&r, REFUSE_WAIT_MS, present, emit, &s);
	TAP_CHECK_EQ(s.n, 0);

	/* Any frame from the guest's address clears its SYNs: IPv4... */
	s.present = false;
	refuse_from_slirp(&r, f, tcp_frame(f, 0x02, 1), 0);
	tcp_frame(f, 0x12, 7);
	memcpy(f + 14 + 12, guest_ip, 4);
	memcpy(f + 14 + 16, peer_ip, 4);
	refuse_from_guest(&r, f, 60);
	refuse_expire(&r, REFUSE_WAIT_MS, present, emit, &s);
	TAP_CHECK_EQ(s.n, 0);

	/* ...or ARP. */
	refuse_from_slirp(&r, f, tcp_frame(f, 0x02, 1), 0);
	arp[12] = 0x08, arp[13] = 0x06;
	memcpy(arp + 14 + 14, guest_ip, 4);
	refuse_from_guest(&r, arp, sizeof(arp));
	refuse_expire(&r, REFUSE_WAIT_MS, present, emit, &s);
	TAP_CHECK_EQ(s.n, 0);
	TAP_CHECK_EQ(r.refused, 0);
}

static void test_what_is_watched(const void *data)
{
	struct slirp_refuse r;
	struct sink s = { 0 };
	uint8_t f[60];

	refuse_init(&r, GATEWAY);
	/* Not SYNs: SYN|ACK, ACK, RST. */
	TAP_CHECK(!refuse_from_slirp(&r, f, tcp_frame(f, 0x12, 1), 0));
	TAP_CHECK(!refuse_from_slirp(&r, f, tcp_frame(f, 0x10, 1), 0));
	TAP_CHECK(!refuse_from_slirp(&r, f, tcp_frame(f, 0x06, 1), 0));
	/* Truncated anywhere: ignored, never read past the end. */
	tcp_frame(f, 0x02, 1);
	for (size_t len = 0; len < 54; len++)
		TAP_CHECK(!refuse_from_slirp(&r, f, len, 0));
	/* Not IPv4, or not TCP, or a fragment. */
	f[12] = 0x86, f[13] = 0xdd;
	TAP_CHECK(!refuse_from_slirp(&r, f, 60, 0));
	tcp_frame(f, 0x02, 1);
	f[14 + 9] = 17;
	TAP_CHECK(!refuse_from_slirp(&r, f, 60, 0));
	tcp_frame(f, 0x02, 1);
	f[14 + 6] = 0x20; /* more fragments */
	TAP_CHECK(!refuse_from_slirp(&r, f, 60, 0));
	refuse_expire(&r, 100000, present, emit, &s);
	TAP_CHECK_EQ(s.n, 0);

	/* A retransmission is the same SYN: one wait, the first deadline. */
	TAP_CHECK(refuse_from_slirp(&r, f, tcp_frame(f, 0x02, 1), 0));
	TAP_CHECK(!refuse_from_slirp(&r, f, tcp_frame(f, 0x02, 1), 1000));
	TAP_CHECK_EQ(refuse_expire(&r, 1, present, emit, &s), REFUSE_WAIT_MS);
	refuse_expire(&r, REFUSE_WAIT_MS, present, emit, &s);
	TAP_CHECK_EQ(s.n, 1);

	TAP_CHECK_EQ(r.waiting, 0);
	/* A full table counts what it cannot watch. */
	for (unsigned int i = 0; i < REFUSE_SLOTS + 3; i++) {
		tcp_frame(f, 0x02, 1);
		f[14 + 20] = (uint8_t)(i >> 8), f[14 + 21] = (uint8_t)i;
		refuse_from_slirp(&r, f, 60, 0);
	}
	TAP_CHECK_EQ(r.dropped, 3);
	TAP_CHECK_EQ(r.waiting, REFUSE_SLOTS);
	refuse_expire(&r, 100000, present, emit, &s);
	TAP_CHECK_EQ(r.waiting, 0);
}

static const struct tap_case tests[] = {
	{ "unanswered SYN to a gone guest gets a RST", test_refuse_gone },
	{ "present or answering guests are left alone",
	  test_guest_present_or_answering },
	{ "only SYNs are watched, bounded", test_what_is_watched },
};

int main(void)
{
	TAP_ADD_CASES(tests);
	return tap_run();
}
