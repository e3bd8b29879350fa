/*
 * pkt.c - header views and writers (see pkt.h).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/core/eth.h"
#include "switch/core/pkt.h"

#include <stdio.h>
#include <string.h>

#include "switch/core/csum.h"
#include "switch/base/util.h"

/*
 * The payload of a header of @hlen bytes whose length field (header
 * included) says @field: it must cover the header and fit in @len, and
 * the payload ends there, so that padding is not taken for data.  On
 * PKT_BAD_LEN the payload is empty.
 */
static enum pkt_status payload_of(const uint8_t *p, size_t len, size_t hlen,
				  size_t field, const uint8_t **payload,
				  size_t *payload_len)
{
	*payload = p + hlen;
	*payload_len = 0;
	if (field < hlen || field > len)
		return PKT_BAD_LEN;
	*payload_len = field - hlen;
	return PKT_OK;
}

/**
 * pkt_eth_parse() - view an Ethernet header and its outer tag.
 * @p:		the frame
 * @len:	its length
 * @v:		filled on PKT_OK
 *
 * One 802.1Q (0x8100) or 802.1ad (0x88a8) tag is stepped over and its
 * VLAN id kept; an inner tag is left in the payload, as @type says.
 *
 * Return: PKT_OK, or PKT_TRUNCATED for a frame shorter than its header.
 */
enum pkt_status pkt_eth_parse(const uint8_t *p, size_t len, struct pkt_eth *v)
{
	uint16_t type;

	if (len < ETH_HDR_LEN)
		return PKT_TRUNCATED;
	memset(v, 0, sizeof(*v));
	v->dst = p;
	v->src = p + 6;
	v->hlen = ETH_HDR_LEN;
	type = get_be16(p + 12);
	if (type == ETH_TYPE_VLAN || type == PKT_ETHERTYPE_QINQ) {
		if (len < ETH_VLAN_HDR_LEN)
			return PKT_TRUNCATED;
		v->tpid = type;
		v->vlan = get_be16(p + 14) & 0x0fff;
		type = get_be16(p + 16);
		v->hlen = ETH_VLAN_HDR_LEN;
	}
	v->type = type;
	v->payload = p + v->hlen;
	v->payload_len = len - v->hlen;
	return PKT_OK;
}

/**
 * pkt_arp_parse() - view an ARP packet for IPv4 over Ethernet.
 * @p:		the Ethernet payload
 * @len:	its length
 * @v:		filled on PKT_OK
 *
 * Return: PKT_OK, or PKT_TRUNCATED for fewer than 28 bytes.
 */
enum pkt_status pkt_arp_parse(const uint8_t *p, size_t len, struct pkt_arp *v)
{
	if (len < PKT_ARP_LEN)
		return PKT_TRUNCATED;
	v->htype = get_be16(p);
	v->ptype = get_be16(p + 2);
	v->hlen = p[4];
	v->plen = p[5];
	v->op = get_be16(p + 6);
	v->sha = p + 8;
	v->spa = p + 14;
	v->tha = p + 18;
	v->tpa = p + 24;
	return PKT_OK;
}

/**
 * pkt_ipv4_parse() - view an IPv4 header.
 * @p:		the Ethernet payload
 * @len:	its length
 * @v:		filled on PKT_OK and on PKT_BAD_LEN
 *
 * The header, options included (IHL), must be there.  The total length
 * must cover the header and fit in @len; the payload ends there, so that
 * Ethernet padding is not taken for data.  On PKT_BAD_LEN every field is
 * filled but the payload is empty.
 *
 * Return: PKT_OK, PKT_TRUNCATED, PKT_BAD_VERSION, PKT_BAD_HLEN or
 * PKT_BAD_LEN.
 */
enum pkt_status pkt_ipv4_parse(const uint8_t *p, size_t len,
			       struct pkt_ipv4 *v)
{
	size_t hlen;

	if (len < PKT_IPV4_HLEN_MIN)
		return PKT_TRUNCATED;
	if (p[0] >> 4 != 4)
		return PKT_BAD_VERSION;
	hlen = (size_t)(p[0] & 0x0f) * 4;
	if (hlen < PKT_IPV4_HLEN_MIN)
		return PKT_BAD_HLEN;
	if (len < hlen)
		return PKT_TRUNCATED;
	v->hdr = p;
	v->hlen = hlen;
	v->tot_len = get_be16(p + 2);
	v->id = get_be16(p + 4);
	v->frag = get_be16(p + 6);
	v->ttl = p[8];
	v->proto = p[9];
	v->addrs = p + PKT_IPV4_ADDRS_OFF;
	v->src = get_be32(p + 12);
	v->dst = get_be32(p + 16);
	return payload_of(p, len, hlen, v->tot_len, &v->payload,
			  &v->payload_len);
}

/**
 * pkt_ipv6_parse() - view an IPv6 fixed header.
 * @p:		the Ethernet payload
 * @len:	its length
 * @v:		filled on PKT_OK
 *
 * The payload length field is reported, not enforced: the one caller
 * today (the TSO check) bounds lengths itself and rewrites the field per
 * segment, so the payload is whatever follows the header.
 *
 * Return: PKT_OK, PKT_TRUNCATED or PKT_BAD_VERSION.
 */
enum pkt_status pkt_ipv6_parse(const uint8_t *p, size_t len,
			       struct pkt_ipv6 *v)
{
	if (len < PKT_IPV6_HLEN)
		return PKT_TRUNCATED;
	if (p[0] >> 4 != 6)
		return PKT_BAD_VERSION;
	v->hdr = p;
	v->payload_len_field = get_be16(p + 4);
	v->next = p[6];
	v->hop_limit = p[7];
	v->addrs = p + PKT_IPV6_ADDRS_OFF;
	v->payload = p + PKT_IPV6_HLEN;
	v->payload_len = len - PKT_IPV6_HLEN;
	return PKT_OK;
}

/**
 * pkt_udp_parse() - view a UDP header.
 * @p:		the IP payload
 * @len:	its length
 * @v:		filled on PKT_OK and on PKT_BAD_LEN
 *
 * The length field must cover the header and fit in @len; the data ends
 * there.  On PKT_BAD_LEN the ports are filled but the data is empty.
 *
 * Return: PKT_OK, PKT_TRUNCATED or PKT_BAD_LEN.
 */
enum pkt_status pkt_udp_parse(const uint8_t *p, size_t len, struct pkt_udp *v)
{
	if (len < PKT_UDP_HLEN)
		return PKT_TRUNCATED;
	v->hdr = p;
	v->sport = get_be16(p);
	v->dport = get_be16(p + 2);
	v->len = get_be16(p + 4);
	v->csum = get_be16(p + 6);
	return payload_of(p, len, PKT_UDP_HLEN, v->len, &v->payload,
			  &v->payload_len);
}

/**
 * pkt_ipv4_csum_ok() - true if the header checksum is right.
 * @v: a view from pkt_ipv4_parse()
 */
bool pkt_ipv4_csum_ok(const struct pkt_ipv4 *v)
{
	return csum_finish(csum_add(0, v->hdr, v->hlen)) == 0;
}

/**
 * pkt_udp_csum_ok() - true if a UDP datagram over IPv4 has no checksum or
 * a right one.
 * @ip:		the IPv4 view it came in
 * @udp:	a view from pkt_udp_parse() that returned PKT_OK
 */
bool pkt_udp_csum_ok(const struct pkt_ipv4 *ip, const struct pkt_udp *udp)
{
	uint32_t sum;

	if (!udp->csum)
		return true;
	sum = csum_pseudo(ip->addrs, 8, PKT_IP_PROTO_UDP, udp->len);
	return csum_finish(csum_add(sum, udp->hdr, udp->len)) == 0;
}

/**
 * pkt_ipv4_format() - dotted-quad text of an IPv4 address.
 * @ip:		host byte order
 * @buf:	result
 *
 * The text inet_ntop() gives, without the byte-order round trip: for
 * lease files, logs and listings alike.
 *
 * Return: @buf.
 */
const char *pkt_ipv4_format(uint32_t ip, char buf[PKT_IPV4_STR_LEN])
{
	snprintf(buf, PKT_IPV4_STR_LEN, "%u.%u.%u.%u", ip >> 24,
		 (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
	return buf;
}

/**
 * pkt_eth_write() - write an untagged Ethernet header.
 * @p:		14 bytes
 * @dst:	destination MAC
 * @src:	source MAC
 * @type:	EtherType
 */
void pkt_eth_write(uint8_t *p, const uint8_t *dst, const uint8_t *src,
		   uint16_t type)
{
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	put_be16(p + 12, type);
}

/**
 * pkt_ipv4_write() - write a 20-byte IPv4 header with its checksum.
 * @p:		20 bytes
 * @tot_len:	total length
 * @frag:	flags and fragment offset (PKT_IPV4_DF or 0)
 * @proto:	protocol
 * @src:	source address, network order
 * @dst:	destination address, network order
 *
 * No options, TOS 0, id 0 (a datagram that is never fragmented needs
 * none, RFC 6864 §4.1) and TTL 64, as every header the daemon builds.
 */
void pkt_ipv4_write(uint8_t *p, uint16_t tot_len, uint16_t frag,
		    uint8_t proto, const uint8_t src[4], const uint8_t dst[4])
{
	p[0] = 0x45;
	p[1] = 0;
	put_be16(p + 2, tot_len);
	put_be16(p + 4, 0);
	put_be16(p + 6, frag);
	p[8] = 64;
	p[9] = proto;
	put_be16(p + PKT_IPV4_CSUM_OFF, 0);
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	put_be16(p + PKT_IPV4_CSUM_OFF,
		 csum_finish(csum_add(0, p, PKT_IPV4_HLEN_MIN)));
}
