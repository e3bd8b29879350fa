/*
 * test-pkt.c - the packet toolkit: header views (switch/core/pkt.h), the
 * Internet checksum (switch/core/csum.h) and the hex digit (switch/core/eth.h).
 *
 * Every parser is fed every truncation of a good header and must refuse
 * each one without reading past it (ASan watches the heap copies).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "switch/core/csum.h"
#include "switch/core/eth.h"
#include "switch/core/pkt.h"
#include "switch/base/util.h"
#include "tests/tap.h"

/* A DHCP-shaped frame: Ethernet, IPv4 (24-byte header, one NOP option
 * word), UDP 68 -> 67 with 4 data bytes, then 2 bytes of padding. */
static size_t build_udp4(uint8_t *f, bool tagged, size_t ihl_words)
{
	static const uint8_t dst[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t src[6] = { 0x52, 0x54, 0, 0, 0, 1 };
	static const uint8_t sa[4] = { 10, 0, 0, 5 }, da[4] = { 10, 0, 0, 1 };
	size_t l3 = tagged ? 18 : 14, hl = ihl_words * 4;
	uint8_t *ip = f + l3, *udp;
	uint16_t c;

	memset(f, 0, 128);
	pkt_eth_write(f, dst, src, tagged ? ETH_TYPE_VLAN :
					    PKT_ETHERTYPE_IPV4);
	if (tagged) {
		put_be16(f + 14, 0x2064);	/* PCP 1, VLAN 100 */
		put_be16(f + 16, PKT_ETHERTYPE_IPV4);
	}
	pkt_ipv4_write(ip, (uint16_t)(hl + 12), PKT_IPV4_DF, PKT_IP_PROTO_UDP,
		       sa, da);
	if (hl > 20) {
		ip[0] = (uint8_t)(0x40 | ihl_words);
		memset(ip + 20, 1, hl - 20);	/* NOP options */
		put_be16(ip + PKT_IPV4_CSUM_OFF, 0);
		put_be16(ip + PKT_IPV4_CSUM_OFF,
			 csum_finish(csum_add(0, ip, hl)));
	}
	udp = ip + hl;
	put_be16(udp, 68);
	put_be16(udp + 2, 67);
	put_be16(udp + 4, 12);
	memcpy(udp + 8, "abcd", 4);
	c = csum_finish(csum_add(csum_pseudo(ip + 12, 8, 17, 12), udp, 12));
	put_be16(udp + 6, c ? c : 0xffff);
	return l3 + hl + 12 + 2;
}

/* Builds the datagram (untagged) and views its IPv4 header; the frame's
 * length back. */
static size_t udp4_view(uint8_t *f, size_t ihl_words, struct pkt_ipv4 *ip)
{
	size_t n = build_udp4(f, false, ihl_words);

	TAP_CHECK_EQ(pkt_ipv4_parse(f + 14, n - 14, ip), PKT_OK);
	return n;
}

/* Runs @stmt on a heap copy of the first @n bytes, so ASan sees over-reads. */
#define ON_COPY(buf, n, stmt)                                                  \
	do {                                                                   \
		uint8_t *p_ = malloc((n) ? (n) : 1);                           \
		memcpy(p_, (buf), (n));                                        \
		const uint8_t *p = p_;                                         \
		stmt;                                                          \
		free(p_);                                                      \
	} while (0)

/* Every cut of @buf to @from..@to-1 bytes makes @parse say @want. */
#define CUTS(buf, from, to, parse, view, want)                                 \
	do {                                                                   \
		for (size_t i_ = (from); i_ < (to); i_++)                      \
			ON_COPY(buf, i_,                                       \
				TAP_CHECK_EQ(parse(p, i_, view), want));       \
	} while (0)

static void test_eth(const void *data)
{
	uint8_t f[128];
	size_t n = build_udp4(f, false, 5);
	struct pkt_eth e;

	TAP_CHECK_EQ(pkt_eth_parse(f, n, &e), PKT_OK);
	TAP_CHECK(e.dst == f && e.src == f + 6);
	TAP_CHECK_EQ(e.tpid, 0);
	TAP_CHECK_EQ(e.vlan, 0);
	TAP_CHECK_EQ(e.type, PKT_ETHERTYPE_IPV4);
	TAP_CHECK_EQ(e.hlen, 14);
	TAP_CHECK(e.payload == f + 14 && e.payload_len == n - 14);
	CUTS(f, 0, 14, pkt_eth_parse, &e, PKT_TRUNCATED);
}

static void test_vlan(const void *data)
{
	uint8_t f[128];
	size_t n = build_udp4(f, true, 5);
	struct pkt_eth e;
	struct pkt_ipv4 ip;

	TAP_CHECK_EQ(pkt_eth_parse(f, n, &e), PKT_OK);
	TAP_CHECK_EQ(e.tpid, ETH_TYPE_VLAN);
	TAP_CHECK_EQ(e.vlan, 100);
	TAP_CHECK_EQ(e.type, PKT_ETHERTYPE_IPV4);
	TAP_CHECK_EQ(e.hlen, 18);
	TAP_CHECK_EQ(pkt_ipv4_parse(e.payload, e.payload_len, &ip), PKT_OK);
	CUTS(f, 0, 18, pkt_eth_parse, &e, PKT_TRUNCATED);
	/* An 802.1ad S-tag is one tag as well; the inner one is payload. */
	put_be16(f + 12, PKT_ETHERTYPE_QINQ);
	put_be16(f + 16, ETH_TYPE_VLAN);
	TAP_CHECK_EQ(pkt_eth_parse(f, n, &e), PKT_OK);
	TAP_CHECK_EQ(e.tpid, PKT_ETHERTYPE_QINQ);
	TAP_CHECK_EQ(e.type, ETH_TYPE_VLAN);
}

static void test_ipv4(const void *data)
{
	uint8_t f[128];
	struct pkt_ipv4 ip;
	size_t n = udp4_view(f, 5, &ip);
	const uint8_t *l3 = f + 14;
	struct pkt_udp u;

	TAP_CHECK_EQ(ip.hlen, 20);
	TAP_CHECK_EQ(ip.tot_len, 32);
	TAP_CHECK_EQ(ip.proto, PKT_IP_PROTO_UDP);
	TAP_CHECK_EQ(ip.ttl, 64);
	TAP_CHECK_EQ(ip.src, 0x0a000005u);
	TAP_CHECK_EQ(ip.dst, 0x0a000001u);
	TAP_CHECK(ip.addrs == l3 + 12);
	/* The padding after the datagram is not payload. */
	TAP_CHECK_EQ(ip.payload_len, 12);
	TAP_CHECK(pkt_ipv4_csum_ok(&ip));
	TAP_CHECK(!pkt_ipv4_is_fragment(&ip));
	TAP_CHECK_EQ(pkt_udp_parse(ip.payload, ip.payload_len, &u), PKT_OK);
	TAP_CHECK(pkt_udp_csum_ok(&ip, &u));
	CUTS(l3, 0, 20, pkt_ipv4_parse, &ip, PKT_TRUNCATED);
	/* The header is readable but the datagram is cut: BAD_LEN, and the
	 * fixed fields are still there. */
	CUTS(l3, 20, 32, pkt_ipv4_parse, &ip, PKT_BAD_LEN);
	TAP_CHECK_EQ(ip.payload_len, 0);
	TAP_CHECK_EQ(ip.dst, 0x0a000001u);
	f[14 + 12] ^= 1;
	TAP_CHECK_EQ(pkt_ipv4_parse(l3, n - 14, &ip), PKT_OK);
	TAP_CHECK(!pkt_ipv4_csum_ok(&ip));
	f[14 + 12] ^= 1;
	f[14] = 0x65;
	TAP_CHECK_EQ(pkt_ipv4_parse(l3, n - 14, &ip), PKT_BAD_VERSION);
	for (uint8_t ihl = 0; ihl < 5; ihl++) {
		f[14] = (uint8_t)(0x40 | ihl);
		TAP_CHECK_EQ(pkt_ipv4_parse(l3, n - 14, &ip), PKT_BAD_HLEN);
	}
	f[14] = 0x45;
	put_be16(f + 14 + 2, 19);
	TAP_CHECK_EQ(pkt_ipv4_parse(l3, n - 14, &ip), PKT_BAD_LEN);
}

static void test_ipv4_options(const void *data)
{
	uint8_t f[128];
	struct pkt_ipv4 ip;
	struct pkt_udp u;

	/* One option word: the UDP header follows it, not the fixed part. */
	udp4_view(f, 6, &ip);
	TAP_CHECK(ip.hlen == 24 && ip.payload == f + 14 + 24);
	TAP_CHECK(pkt_ipv4_csum_ok(&ip));
	TAP_CHECK(!pkt_udp_parse(ip.payload, ip.payload_len, &u) &&
		  u.dport == 67);
	/* The options must be there, not only the fixed 20 bytes. */
	CUTS(f + 14, 20, 24, pkt_ipv4_parse, &ip, PKT_TRUNCATED);
	/* The largest IHL, 60 bytes, with 40 bytes behind the header. */
	f[14] = 0x4f;
	TAP_CHECK_EQ(pkt_ipv4_parse(f + 14, 40, &ip), PKT_TRUNCATED);
}

static void test_fragments(const void *data)
{
	static const uint16_t frag[] = { PKT_IPV4_MF, 1, 0x1fff,
					 PKT_IPV4_MF | PKT_IPV4_DF | 8 };
	uint8_t f[128];
	struct pkt_ipv4 ip;
	size_t n = udp4_view(f, 5, &ip);

	TAP_CHECK_EQ(ip.frag, PKT_IPV4_DF);
	TAP_CHECK(!pkt_ipv4_is_fragment(&ip));
	for (size_t i = 0; i < ARRAY_SIZE(frag); i++) {
		put_be16(f + 14 + 6, frag[i]);
		TAP_CHECK_EQ(pkt_ipv4_parse(f + 14, n - 14, &ip), PKT_OK);
		TAP_CHECK(pkt_ipv4_is_fragment(&ip));
	}
}

static void test_ipv6(const void *data)
{
	uint8_t h[60];
	struct pkt_ipv6 ip;

	memset(h, 0, sizeof(h));
	h[0] = 0x60;
	put_be16(h + 4, 20);
	h[6] = PKT_IP_PROTO_TCP;
	h[7] = 255;
	TAP_CHECK_EQ(pkt_ipv6_parse(h, sizeof(h), &ip), PKT_OK);
	TAP_CHECK_EQ(ip.next, PKT_IP_PROTO_TCP);
	TAP_CHECK_EQ(ip.hop_limit, 255);
	TAP_CHECK_EQ(ip.payload_len_field, 20);
	TAP_CHECK(ip.addrs == h + 8 && ip.payload == h + 40);
	TAP_CHECK_EQ(ip.payload_len, 20);
	/* An extension header is reported as the next header, not followed. */
	h[6] = 0;
	TAP_CHECK_EQ(pkt_ipv6_parse(h, sizeof(h), &ip), PKT_OK);
	TAP_CHECK_EQ(ip.next, 0);
	CUTS(h, 0, 40, pkt_ipv6_parse, &ip, PKT_TRUNCATED);
	h[0] = 0x45;
	TAP_CHECK_EQ(pkt_ipv6_parse(h, sizeof(h), &ip), PKT_BAD_VERSION);
}

static void test_udp(const void *data)
{
	uint8_t f[128];
	struct pkt_ipv4 ip;
	const uint8_t *l4 = f + 34;
	struct pkt_udp u;

	udp4_view(f, 5, &ip);
	TAP_CHECK_EQ(pkt_udp_parse(l4, 12, &u), PKT_OK);
	TAP_CHECK_EQ(u.sport, 68);
	TAP_CHECK_EQ(u.dport, 67);
	TAP_CHECK_EQ(u.len, 12);
	TAP_CHECK(u.payload == l4 + 8 && u.payload_len == 4);
	CUTS(l4, 0, 8, pkt_udp_parse, &u, PKT_TRUNCATED);
	/* Cut inside the data: the ports are still known. */
	CUTS(l4, 8, 12, pkt_udp_parse, &u, PKT_BAD_LEN);
	TAP_CHECK_EQ(u.dport, 67);
	TAP_CHECK_EQ(u.payload_len, 0);
	f[34 + 8] ^= 0x20;
	TAP_CHECK_EQ(pkt_udp_parse(l4, 12, &u), PKT_OK);
	TAP_CHECK(!pkt_udp_csum_ok(&ip, &u));
	put_be16(f + 34 + 6, 0);	/* no checksum: nothing to check */
	TAP_CHECK_EQ(pkt_udp_parse(l4, 12, &u), PKT_OK);
	TAP_CHECK(pkt_udp_csum_ok(&ip, &u));
	put_be16(f + 34 + 4, 7);
	TAP_CHECK_EQ(pkt_udp_parse(l4, 12, &u), PKT_BAD_LEN);
}

static void test_arp(const void *data)
{
	uint8_t a[PKT_ARP_LEN];
	struct pkt_arp v;

	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = (uint8_t)i;
	put_be16(a, 1);
	put_be16(a + 2, PKT_ETHERTYPE_IPV4);
	a[4] = 6;
	a[5] = 4;
	put_be16(a + 6, PKT_ARP_REQUEST);
	TAP_CHECK_EQ(pkt_arp_parse(a, sizeof(a), &v), PKT_OK);
	TAP_CHECK_EQ(v.htype, PKT_ARP_HTYPE_ETH);
	TAP_CHECK_EQ(v.ptype, PKT_ETHERTYPE_IPV4);
	TAP_CHECK_EQ(v.hlen, 6);
	TAP_CHECK_EQ(v.plen, 4);
	TAP_CHECK_EQ(v.op, PKT_ARP_REQUEST);
	TAP_CHECK(v.sha == a + 8 && v.spa == a + 14 && v.tha == a + 18 &&
		  v.tpa == a + 24);
	CUTS(a, 0, sizeof(a), pkt_arp_parse, &v, PKT_TRUNCATED);
}

/* RFC 1071 §3's example, odd lengths, and the incremental update. */
static void test_csum(const void *data)
{
	static const uint8_t rfc[] = { 0x00, 0x01, 0xf2, 0x03,
				       0xf4, 0xf5, 0xf6, 0xf7 };
	uint8_t h[20];
	uint16_t c;

	TAP_CHECK_EQ(csum_fold(csum_add(0, rfc, sizeof(rfc))), 0xddf2);
	TAP_CHECK_EQ(csum_fold(csum_add(0, rfc, 3)), 0xf201);	/* 0001 + f200 */
	TAP_CHECK_EQ(csum_finish(0), 0xffff);
	/* A sum of zero bytes folds and complements as any other. */
	TAP_CHECK_EQ(csum_fold(csum_add(0xffff, rfc, 0)), 0xffff);
	/* The pseudo-header sum: addresses, protocol and length. */
	TAP_CHECK_EQ(csum_fold(csum_pseudo(rfc, 8, 17, 12)),
		     csum_fold(0xddf2u + 17 + 12));

	pkt_ipv4_write(h, 40, 0, 6, rfc, rfc + 4);
	TAP_CHECK_EQ(csum_finish(csum_add(0, h, 20)), 0);
	c = get_be16(h + PKT_IPV4_CSUM_OFF);
	/* Rewrite the total length as the segmenter does. */
	put_be16(h + PKT_IPV4_CSUM_OFF, csum_replace16(c, 40, 1500));
	put_be16(h + 2, 1500);
	TAP_CHECK_EQ(csum_finish(csum_add(0, h, 20)), 0);
	put_be16(h + PKT_IPV4_CSUM_OFF, 0);
	TAP_CHECK_EQ(csum_replace16(c, 40, 1500),
		     csum_finish(csum_add(0, h, 20)));
}

static void test_ipv4_format(const void *data)
{
	char b[PKT_IPV4_STR_LEN];

	TAP_CHECK(!strcmp(pkt_ipv4_format(0x0a000201u, b), "10.0.2.1"));
	TAP_CHECK(!strcmp(pkt_ipv4_format(0xffffffffu, b), "255.255.255.255"));
	TAP_CHECK(!strcmp(pkt_ipv4_format(0, b), "0.0.0.0"));
}

static void test_hex(const void *data)
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < 16; i++) {
		TAP_CHECK_EQ(eth_hex_digit(digits[i]), i);
		if (i >= 10)	/* and the capital letter */
			TAP_CHECK_EQ(eth_hex_digit((char)(digits[i] - 32)), i);
	}
	TAP_CHECK_EQ(eth_hex_digit('g'), -1);
	TAP_CHECK_EQ(eth_hex_digit('G'), -1);
	TAP_CHECK_EQ(eth_hex_digit(' '), -1);
	TAP_CHECK_EQ(eth_hex_digit('\0'), -1);
	TAP_CHECK_EQ(eth_hex_digit('/'), -1);
	TAP_CHECK_EQ(eth_hex_digit(':'), -1);
}

static const struct tap_case tests[] = {
	{ "Ethernet view and its truncations", test_eth },
	{ "802.1Q and 802.1ad tags", test_vlan },
	{ "IPv4 view, lengths and checksum", test_ipv4 },
	{ "IPv4 options (IHL)", test_ipv4_options },
	{ "IPv4 fragments", test_fragments },
	{ "IPv6 view and next header", test_ipv6 },
	{ "UDP view, lengths and checksum", test_udp },
	{ "ARP view", test_arp },
	{ "Internet checksum", test_csum },
	{ "IPv4 address text", test_ipv4_format },
	{ "hex digits", test_hex },
};

int main(void)
{
	TAP_ADD_CASES(tests);
	return tap_run();
}
