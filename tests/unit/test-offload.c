/*
 * test-offload.c - vnet header parsing, checksum completion and TCP
 * segmentation (switch/core/offload.c), checked against a naive reference.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <errno.h>
#include <linux/virtio_net.h>
#include <string.h>

#include "switch/core/offload.h"
#include "switch/core/csum.h"
#include "tests/tap.h"

enum { PAYLOAD = 5000, MSS = 1448, TCP_OPT = 12 };

/* Reference: the plain RFC 1071 sum, word by word, folded at the end. */
static uint32_t ref_sum(const uint8_t *p, size_t len)
{
	uint64_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint64_t)p[i] * 256 + p[i + 1];
	if (len & 1)
		s += (uint64_t)p[len - 1] * 256;
	while (s > 0xffff)
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

static unsigned int be16(const uint8_t *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void set16(uint8_t *p, unsigned int v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Sum of the pseudo-header for an L4 length of @l4len. */
static uint32_t pseudo_sum(const uint8_t *ip, bool v6, unsigned int proto,
			   size_t l4len)
{
	uint64_t s = v6 ? ref_sum(ip + 8, 32) : ref_sum(ip + 12, 8);

	s += proto + l4len;
	while (s > 0xffff)
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

/* True when the L4 checksum of the packet at @ip (L4 at @l4) verifies. */
static bool l4_csum_ok(const uint8_t *ip, bool v6, const uint8_t *l4,
		       size_t l4len, unsigned int proto)
{
	uint64_t s = pseudo_sum(ip, v6, proto, l4len) + ref_sum(l4, l4len);

	while (s > 0xffff)
		s = (s & 0xffff) + (s >> 16);
	return s == 0xffff;
}

static uint8_t super[OFFLOAD_MAX_FRAME];
static uint8_t seg[OFFLOAD_MAX_FRAME];

/* A TSO super-frame as the kernel hands it over; returns its length. */
static size_t make_super(bool v6, uint8_t hdr[OFFLOAD_VNET_HDR_LEN])
{
	unsigned int l3 = 14, iphl = v6 ? 40 : 20, l4 = l3 + iphl;
	unsigned int thl = 20 + TCP_OPT, hlen = l4 + thl;
	size_t len = hlen + PAYLOAD;
	uint8_t *ip = super + l3, *tcp = super + l4;

	memset(super, 0, len);
	memcpy(super, "\x52\x54\x00\x00\x00\x02\x52\x54\x00\x00\x00\x01", 12);
	set16(super + 12, v6 ? 0x86dd : 0x0800);
	if (v6) {
		ip[0] = 0x60;
		set16(ip + 4, (unsigned int)(len - l4));
		ip[6] = 6;
		ip[7] = 64;
		for (int i = 0; i < 32; i++)
			ip[8 + i] = (uint8_t)(0x20 + i * 7);
	} else {
		ip[0] = 0x45;
		set16(ip + 2, (unsigned int)(len - l3));
		set16(ip + 4, 0xfffe); /* the id wraps during the run */
		set16(ip + 6, 0x4000); /* DF */
		ip[8] = 64;
		ip[9] = 6;
		memcpy(ip + 12, "\x0a\x63\x01\x01\x0a\x63\x01\x02", 8);
	}
	set16(tcp, 40000);
	set16(tcp + 2, 5201);
	memcpy(tcp + 4, "\xff\xff\xf0\x00", 4); /* seq wraps too */
	memcpy(tcp + 8, "\x00\x00\x10\x00", 4);
	tcp[12] = (uint8_t)((thl / 4) << 4);
	tcp[13] = 0x80 | 0x10 | 0x08 | 0x01; /* CWR ACK PSH FIN */
	set16(tcp + 14, 512);
	memset(tcp + 20, 1, TCP_OPT);
	for (size_t i = hlen; i < len; i++)
		super[i] = (uint8_t)(i * 31 + 7);
	/* Partial checksum: the pseudo-header sum, not complemented. */
	set16(tcp + 16, pseudo_sum(ip, v6, 6, len - l4));
	memset(hdr, 0, OFFLOAD_VNET_HDR_LEN);
	hdr[0] = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	hdr[1] = v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
	hdr[2] = (uint8_t)hlen; /* hdr_len: a hint, ignored */
	hdr[4] = MSS & 0xff;
	hdr[5] = MSS >> 8;
	hdr[6] = (uint8_t)l4;
	hdr[8] = 16;
	return len;
}

static void check_segmentation(bool v6)
{
	uint8_t hdr[OFFLOAD_VNET_HDR_LEN];
	size_t len = make_super(v6, hdr), n, sent = 0;
	unsigned int l3 = 14, l4 = l3 + (v6 ? 40 : 20), hlen = l4 + 32;
	struct frame_meta meta;
	struct offload_seg s;
	unsigned int i = 0, nseg = (PAYLOAD + MSS - 1) / MSS;

	TAP_CHECK_EQ(offload_parse_vnet_hdr(hdr, super, len, &meta), 1);
	TAP_CHECK(offload_is_gso(&meta));
	TAP_CHECK_EQ(meta.hdr_len, hlen);
	TAP_CHECK_EQ(offload_seg_max_len(&meta), hlen + MSS);
	offload_seg_init(&s, super, len, &meta);
	TAP_CHECK_EQ(offload_seg_next(&s, seg, hlen + MSS - 1), 0);
	while ((n = offload_seg_next(&s, seg, sizeof(seg)))) {
		const uint8_t *ip = seg + l3, *tcp = seg + l4;
		size_t pay = i + 1 < nseg ? MSS : PAYLOAD - (size_t)MSS * i;
		bool first = i == 0, last = i + 1 == nseg;

		TAP_CHECK_EQ(n, hlen + pay);
		if (v6) {
			TAP_CHECK_EQ(be16(ip + 4), n - l4);
		} else {
			TAP_CHECK_EQ(be16(ip + 2), n - l3);
			TAP_CHECK_EQ(be16(ip + 4), (0xfffe + i) & 0xffff);
			TAP_CHECK_EQ(ref_sum(ip, 20), 0xffff);
		}
		TAP_CHECK_EQ(be32(tcp + 4), 0xfffff000u + (uint32_t)(MSS * i));
		TAP_CHECK_EQ(!!(tcp[13] & 0x80), first); /* CWR */
		TAP_CHECK_EQ(!!(tcp[13] & 0x01), last);	 /* FIN */
		TAP_CHECK_EQ(!!(tcp[13] & 0x08), last);	 /* PSH */
		TAP_CHECK(tcp[13] & 0x10);		 /* ACK always */
		TAP_CHECK(l4_csum_ok(ip, v6, tcp, n - l4, 6));
		TAP_CHECK(!memcmp(seg + hlen, super + hlen + (size_t)MSS * i,
				  pay));
		sent += pay;
		i++;
	}
	TAP_CHECK_EQ(i, nseg);
	TAP_CHECK_EQ(sent, PAYLOAD);
}

static void test_tso4(const void *data)
{
	check_segmentation(false);
}

static void test_tso6(const void *data)
{
	check_segmentation(true);
}

/* A UDP datagram with a partial checksum, completed in place. */
static void test_csum_udp(const void *data)
{
	uint8_t hdr[OFFLOAD_VNET_HDR_LEN] = { VIRTIO_NET_HDR_F_NEEDS_CSUM };
	uint8_t f[14 + 20 + 8 + 333];
	uint8_t *ip = f + 14, *udp = ip + 20;
	size_t ulen = sizeof(f) - 34;
	struct frame_meta meta;

	memset(f, 0, sizeof(f));
	set16(f + 12, 0x0800);
	ip[0] = 0x45;
	ip[9] = 17;
	memcpy(ip + 12, "\xc0\x00\x02\x01\xc6\x33\x64\x07", 8);
	set16(udp, 1234);
	set16(udp + 2, 53);
	set16(udp + 4, (unsigned int)ulen);
	for (size_t i = 0; i < ulen - 8; i++)
		udp[8 + i] = (uint8_t)(i * 13 + 1);
	set16(udp + 6, pseudo_sum(ip, false, 17, ulen));
	hdr[6] = 34;
	hdr[8] = 6;
	TAP_CHECK_EQ(offload_parse_vnet_hdr(hdr, f, sizeof(f), &meta), 1);
	TAP_CHECK(!offload_is_gso(&meta));
	TAP_CHECK_EQ(meta.hdr_len, 34 + 6 + 2);
	offload_complete_csum(f, sizeof(f), &meta);
	TAP_CHECK(be16(udp + 6) != 0);
	TAP_CHECK(l4_csum_ok(ip, false, udp, ulen, 17));
}

/* The fast sum agrees with the reference on odd lengths and offsets. */
static void test_csum_ref(const void *data)
{
	uint8_t buf[4099];

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 2654435761u >> 13);
	for (size_t len = 0; len < sizeof(buf); len += 97)
		TAP_CHECK_EQ(csum_fold(csum_add(0, buf, len)),
			     ref_sum(buf, len));
	memset(buf, 0xff, sizeof(buf));
	TAP_CHECK_EQ(csum_fold(csum_add(0, buf, 4098)),
		     0xffff);
}

static void test_plain(const void *data)
{
	uint8_t hdr[OFFLOAD_VNET_HDR_LEN] = { 0 };
	uint8_t f[60] = { 0 };
	struct frame_meta meta;

	TAP_CHECK_EQ(offload_parse_vnet_hdr(hdr, f, sizeof(f), &meta), 0);
	hdr[0] = VIRTIO_NET_HDR_F_DATA_VALID;
	TAP_CHECK_EQ(offload_parse_vnet_hdr(hdr, f, sizeof(f), &meta), 0);
	offload_build_vnet_hdr(NULL, hdr);
	for (int i = 0; i < OFFLOAD_VNET_HDR_LEN; i++)
		TAP_CHECK_EQ(hdr[i], 0);
}

/* Build and parse are inverse for a valid super-frame. */
static void test_round_trip(const void *data)
{
	uint8_t hdr[OFFLOAD_VNET_HDR_LEN], out[OFFLOAD_VNET_HDR_LEN];
	size_t len = make_super(false, hdr);
	struct frame_meta meta, again;

	TAP_CHECK_EQ(offload_parse_vnet_hdr(hdr, super, len, &meta), 1);
	offload_build_vnet_hdr(&meta, out);
	TAP_CHECK_EQ(offload_parse_vnet_hdr(out, super, len, &again), 1);
	TAP_CHECK(!memcmp(&meta, &again, sizeof(meta)));
	TAP_CHECK_EQ(out[2] | out[3] << 8, 14 + 20 + 32);
}

static void expect_bad(uint8_t *hdr, size_t len, const char *what)
{
	struct frame_meta meta;

	if (offload_parse_vnet_hdr(hdr, super, len, &meta) != -EINVAL) {
		tap_diag("accepted: %s", what);
		TAP_CHECK(false);
	}
}

static void test_malformed(const void *data)
{
	uint8_t good[OFFLOAD_VNET_HDR_LEN], h[OFFLOAD_VNET_HDR_LEN];
	size_t len = make_super(false, good);
	unsigned int l4 = 34;

#define BAD(stmt, what)                                                        \
	do {                                                                   \
		memcpy(h, good, sizeof(h));                                    \
		stmt;                                                          \
		expect_bad(h, len, what);                                      \
	} while (0)
	BAD(h[0] |= 0x04, "unknown flag");
	BAD(h[1] = VIRTIO_NET_HDR_GSO_UDP, "UFO");
	BAD(h[1] = 5 /* UDP_L4 */, "USO (not enabled)");
	BAD(h[1] = VIRTIO_NET_HDR_GSO_ECN, "ECN without GSO");
	BAD(h[0] = 0, "GSO without NEEDS_CSUM");
	BAD((h[4] = 0, h[5] = 0), "gso_size 0");
	BAD(h[8] = 6, "TCP GSO with a UDP csum_offset");
	BAD(h[6] = (uint8_t)(l4 + 4), "csum_start after the TCP header start");
	BAD((h[6] = 0xff, h[7] = 0xff), "csum_start beyond the frame");
	BAD(h[1] = VIRTIO_NET_HDR_GSO_TCPV6, "TCPV6 on an IPv4 frame");
	BAD((h[1] = 0, h[6] = 8), "csum_start inside the Ethernet header");
	BAD((h[1] = 0, h[8] = 7), "odd csum_offset");
	memcpy(h, good, sizeof(h));
	expect_bad(h, l4 + 19, "frame ends inside the TCP header");
	expect_bad(h, l4 + 32, "no payload");
	super[l4 + 12] = 0x40; /* doff 4 */
	expect_bad(h, len, "TCP data offset below 5");
	make_super(false, good);
	super[14 + 9] = 17;
	expect_bad(good, len, "IPv4 protocol not TCP");
	make_super(false, good);
	set16(super + 14 + 6, 0x2000); /* MF */
	expect_bad(good, len, "an IPv4 fragment");
	make_super(false, good);
	expect_bad(good, OFFLOAD_MAX_FRAME, "an IPv4 packet over 65535 bytes");
	len = make_super(true, good);
	super[14 + 6] = 0; /* hop-by-hop extension header */
	expect_bad(good, len, "IPv6 extension header");
#undef BAD
}

static const struct tap_case tests[] = {
	{ "checksum matches the reference", test_csum_ref },
	{ "partial UDP checksum completed", test_csum_udp },
	{ "ordinary frames need no meta", test_plain },
	{ "TCPv4 super-frame segmented", test_tso4 },
	{ "TCPv6 super-frame segmented", test_tso6 },
	{ "vnet header round trip", test_round_trip },
	{ "malformed headers refused", test_malformed },
};

int main(void)
{
	TAP_ADD_CASES(tests);
	return tap_run();
}
