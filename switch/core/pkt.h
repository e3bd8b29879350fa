/*
 * pkt.h - bounds-checked views of Ethernet, 802.1Q, ARP, IPv4, IPv6 and
 * UDP headers, and the writers of the few headers the daemon builds.
 *
 * Code that looks inside a frame (the DHCP server, the TAP offloads,
 * slirp-refuse) does it through these parsers instead of raw offsets: each
 * takes a pointer and the number of bytes behind it and either fills a
 * typed view, whose pointers all lie inside those bytes, or says why not.
 * A view borrows the bytes; it never outlives the frame.  Parsers check
 * only what makes the header readable (its length, its version); what a
 * caller accepts beyond that (tags, fragments, protocols, checksums) is the
 * caller's policy, so one parser serves a server that must stay silent on
 * garbage and an offload that must refuse it.  Where a header is present
 * but its length field is inconsistent, the parser says PKT_BAD_LEN and
 * still fills the fixed fields, so that a caller can tell whose damaged
 * packet it was before it decides how to count it.
 *
 * The switch core's own per-frame parse (learning key and VLAN) is
 * eth_parse() in eth.h; this file is for code above it.  Nothing here
 * allocates or includes anything above the core.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_PKT_H
#define VSW_SWITCH_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "switch/core/eth.h"

/* The Ethernet lengths and the 802.1Q TPID are eth.h's (ETH_HDR_LEN,
 * ETH_VLAN_HDR_LEN, ETH_TYPE_VLAN). */
enum {
	PKT_ETHERTYPE_IPV4 = 0x0800,
	PKT_ETHERTYPE_ARP = 0x0806,
	PKT_ETHERTYPE_QINQ = 0x88a8,	/* 802.1ad S-tag */
	PKT_ETHERTYPE_IPV6 = 0x86dd,
	PKT_ARP_LEN = 28,		/* Ethernet/IPv4 ARP (RFC 826) */
	PKT_ARP_REQUEST = 1,
	PKT_ARP_REPLY = 2,
	PKT_ARP_HTYPE_ETH = 1,
	PKT_IPV4_HLEN_MIN = 20,
	PKT_IPV4_DF = 0x4000,
	PKT_IPV4_MF = 0x2000,
	PKT_IPV4_FRAG_MASK = 0x3fff,	/* MF and the fragment offset */
	PKT_IPV4_ADDRS_OFF = 12,	/* source, then destination */
	PKT_IPV4_CSUM_OFF = 10,
	PKT_IPV6_HLEN = 40,
	PKT_IPV6_ADDRS_OFF = 8,
	PKT_IP_PROTO_TCP = 6,
	PKT_IP_PROTO_UDP = 17,
	PKT_UDP_HLEN = 8,
	PKT_UDP_CSUM_OFF = 6,
	PKT_IPV4_STR_LEN = 16,	/* "255.255.255.255" plus NUL */
};

/** enum pkt_status - why a parser did not give a view. */
enum pkt_status {
	PKT_OK = 0,
	PKT_TRUNCATED,	/* fewer bytes than the header needs */
	PKT_BAD_VERSION,	/* IP version field is not this parser's */
	PKT_BAD_HLEN,	/* IPv4 IHL below 5 */
	PKT_BAD_LEN,	/* length field below the header or past the bytes */
};

/**
 * struct pkt_eth - an Ethernet II header and at most one VLAN tag.
 * @dst:	destination MAC
 * @src:	source MAC
 * @tpid:	the tag's TPID (0x8100 or 0x88a8), 0 if untagged
 * @vlan:	the tag's VLAN id, 0 if untagged
 * @type:	the EtherType after the tag (of the frame if untagged)
 * @hlen:	14 or 18
 * @payload:	what follows the header
 * @payload_len: its length
 */
struct pkt_eth {
	const uint8_t *dst, *src;
	uint16_t tpid, vlan, type;
	size_t hlen;
	const uint8_t *payload;
	size_t payload_len;
};

/**
 * struct pkt_arp - an ARP packet (RFC 826) for IPv4 over Ethernet.
 * @htype:	hardware type (1 for Ethernet)
 * @ptype:	protocol type (0x0800 for IPv4)
 * @hlen:	hardware address length (6)
 * @plen:	protocol address length (4)
 * @op:		1 request, 2 reply
 * @sha:	sender MAC
 * @spa:	sender IPv4 address (4 bytes, network order)
 * @tha:	target MAC
 * @tpa:	target IPv4 address
 *
 * The address pointers assume the 6/4 layout; a caller checks @hlen and
 * @plen before it trusts them as MACs and IPv4 addresses.
 */
struct pkt_arp {
	uint16_t htype, ptype;
	uint8_t hlen, plen;
	uint16_t op;
	const uint8_t *sha, *spa, *tha, *tpa;
};

/**
 * struct pkt_ipv4 - an IPv4 header (RFC 791).
 * @hdr:	the header's first byte (for checksumming it)
 * @hlen:	header length from IHL, options included
 * @tot_len:	total length field
 * @id:		identification
 * @frag:	flags and fragment offset as one field (PKT_IPV4_*)
 * @ttl:	time to live
 * @proto:	protocol
 * @src:	source address, host order
 * @dst:	destination address, host order
 * @addrs:	source and destination as they sit (for pseudo-headers)
 * @payload:	after the header, up to @tot_len
 * @payload_len: its length (0 on PKT_BAD_LEN)
 */
struct pkt_ipv4 {
	const uint8_t *hdr;
	size_t hlen;
	uint16_t tot_len, id, frag;
	uint8_t ttl, proto;
	uint32_t src, dst;
	const uint8_t *addrs;
	const uint8_t *payload;
	size_t payload_len;
};

/**
 * struct pkt_ipv6 - an IPv6 fixed header (RFC 8200 §3).
 * @hdr:	its first byte
 * @payload_len_field: payload length field
 * @next:	next header (extension headers are not followed)
 * @hop_limit:	hop limit
 * @addrs:	source and destination, 32 bytes (for pseudo-headers)
 * @payload:	after the fixed header, up to what is there
 * @payload_len: its length (the bytes there, not the field)
 */
struct pkt_ipv6 {
	const uint8_t *hdr;
	uint16_t payload_len_field;
	uint8_t next, hop_limit;
	const uint8_t *addrs;
	const uint8_t *payload;
	size_t payload_len;
};

/**
 * struct pkt_udp - a UDP header (RFC 768).
 * @hdr:	its first byte
 * @sport:	source port
 * @dport:	destination port
 * @len:	length field (header included)
 * @csum:	checksum field, 0 for none
 * @payload:	the datagram's data, up to @len
 * @payload_len: its length (0 on PKT_BAD_LEN)
 */
struct pkt_udp {
	const uint8_t *hdr;
	uint16_t sport, dport, len, csum;
	const uint8_t *payload;
	size_t payload_len;
};

enum pkt_status pkt_eth_parse(const uint8_t *p, size_t len,
			      struct pkt_eth *v);
enum pkt_status pkt_arp_parse(const uint8_t *p, size_t len,
			      struct pkt_arp *v);
enum pkt_status pkt_ipv4_parse(const uint8_t *p, size_t len,
			       struct pkt_ipv4 *v);
enum pkt_status pkt_ipv6_parse(const uint8_t *p, size_t len,
			       struct pkt_ipv6 *v);
enum pkt_status pkt_udp_parse(const uint8_t *p, size_t len,
			      struct pkt_udp *v);

/**
 * pkt_ipv4_is_fragment() - true for any fragment but a whole datagram.
 * @v: view
 */
static inline bool pkt_ipv4_is_fragment(const struct pkt_ipv4 *v)
{
	return (v->frag & PKT_IPV4_FRAG_MASK) != 0;
}

bool pkt_ipv4_csum_ok(const struct pkt_ipv4 *v);
bool pkt_udp_csum_ok(const struct pkt_ipv4 *ip, const struct pkt_udp *udp);

const char *pkt_ipv4_format(uint32_t ip, char buf[PKT_IPV4_STR_LEN]);

void pkt_eth_write(uint8_t *p, const uint8_t *dst, const uint8_t *src,
		   uint16_t type);
void pkt_ipv4_write(uint8_t *p, uint16_t tot_len, uint16_t frag,
		    uint8_t proto, const uint8_t src[4], const uint8_t dst[4]);

#endif /* VSW_SWITCH_PKT_H */
