/*
 * offload.c - virtio-net headers, checksum completion, TCP segmentation
 * (see offload.h).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/core/offload.h"

#include <errno.h>
#include <linux/virtio_net.h>
#include <string.h>

#include "switch/core/csum.h"
#include "switch/core/eth.h"
#include "switch/core/pkt.h"
#include "switch/base/util.h"

enum {
	TCP_HLEN_MIN = 20,
	TCP_CSUM_OFF = 16,
	TCP_FIN = 0x01,
	TCP_PSH = 0x08,
	TCP_CWR = 0x80,
	/* Header flags we understand; DATA_VALID needs no work. */
	META_FLAGS_OK = VIRTIO_NET_HDR_F_NEEDS_CSUM |
			VIRTIO_NET_HDR_F_DATA_VALID,
};

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* Checks the Ethernet, IP and TCP headers of a TSO super-frame. */
static int parse_gso(const uint8_t *frame, size_t len, unsigned int base,
		     struct frame_meta *meta)
{
	unsigned int l3, l4 = meta->csum_start, thl;
	struct pkt_eth eth;

	if (!(meta->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) ||
	    meta->csum_offset != TCP_CSUM_OFF || meta->gso_size == 0)
		return -EINVAL;
	if (pkt_eth_parse(frame, len, &eth))
		return -EINVAL;
	l3 = (unsigned int)eth.hlen;
	if (base == VIRTIO_NET_HDR_GSO_TCPV4) {
		struct pkt_ipv4 ip;
		enum pkt_status st = PKT_BAD_VERSION;

		if (eth.type == PKT_ETHERTYPE_IPV4)
			st = pkt_ipv4_parse(eth.payload, eth.payload_len, &ip);
		/* The total length is rewritten per segment: not checked. */
		if ((st != PKT_OK && st != PKT_BAD_LEN) ||
		    l3 + ip.hlen != l4 || ip.proto != PKT_IP_PROTO_TCP ||
		    pkt_ipv4_is_fragment(&ip))
			return -EINVAL;
	} else {
		struct pkt_ipv6 ip;

		if (eth.type != PKT_ETHERTYPE_IPV6 ||
		    pkt_ipv6_parse(eth.payload, eth.payload_len, &ip) ||
		    ip.next != PKT_IP_PROTO_TCP || l3 + PKT_IPV6_HLEN != l4)
			return -EINVAL;
	}
	/* The segments' IP length fields are 16 bits wide. */
	if (len - l3 > (base == VIRTIO_NET_HDR_GSO_TCPV4 ? 0xffffu
							: 0xffffu + PKT_IPV6_HLEN))
		return -EINVAL;
	if (len < (size_t)l4 + TCP_HLEN_MIN)
		return -EINVAL;
	thl = (frame[l4 + 12] >> 4) * 4u;
	if (thl < TCP_HLEN_MIN || (size_t)l4 + thl >= len)
		return -EINVAL;
	meta->l3 = (uint16_t)l3;
	meta->hdr_len = (uint16_t)(l4 + thl);
	return 0;
}

/**
 * offload_parse_vnet_hdr() - check a vnet header against its frame.
 * @hdr:	OFFLOAD_VNET_HDR_LEN bytes as read from the TAP
 * @frame:	the frame after it
 * @len:	frame length
 * @meta:	filled when the frame needs offload work
 *
 * Return: 1 when @meta was filled (partial checksum and/or GSO), 0 for an
 * ordinary frame (no meta needed), -EINVAL for a header that does not
 * describe the frame (unknown flags or GSO type, offsets outside the
 * frame, GSO without a checksum to finish or with headers that are not
 * plain Ethernet + IPv4/IPv6 + TCP).
 */
int offload_parse_vnet_hdr(const uint8_t *hdr, const uint8_t *frame,
			   size_t len, struct frame_meta *meta)
{
	unsigned int base;

	memset(meta, 0, sizeof(*meta));
	meta->flags = hdr[0];
	meta->gso_type = hdr[1];
	meta->gso_size = get_le16(hdr + 4);
	meta->csum_start = get_le16(hdr + 6);
	meta->csum_offset = get_le16(hdr + 8);
	if (meta->flags & ~META_FLAGS_OK)
		return -EINVAL;
	meta->flags &= VIRTIO_NET_HDR_F_NEEDS_CSUM;
	base = meta->gso_type & ~VIRTIO_NET_HDR_GSO_ECN;
	if (base == VIRTIO_NET_HDR_GSO_NONE) {
		if (meta->gso_type & VIRTIO_NET_HDR_GSO_ECN)
			return -EINVAL;
		meta->gso_size = 0;
		if (!meta->flags)
			return 0;
	} else if (base != VIRTIO_NET_HDR_GSO_TCPV4 &&
		   base != VIRTIO_NET_HDR_GSO_TCPV6) {
		return -EINVAL;
	}
	if (meta->flags) {
		if (meta->csum_start < ETH_HDR_LEN ||
		    (size_t)meta->csum_start + meta->csum_offset + 2 > len ||
		    meta->csum_offset & 1)
			return -EINVAL;
		meta->hdr_len = (uint16_t)(meta->csum_start +
					   meta->csum_offset + 2);
	}
	if (base != VIRTIO_NET_HDR_GSO_NONE &&
	    parse_gso(frame, len, base, meta))
		return -EINVAL;
	return 1;
}

/**
 * offload_build_vnet_hdr() - the vnet header to write before a frame.
 * @meta:	its meta, or NULL for an ordinary frame (all zero)
 * @hdr:	filled with OFFLOAD_VNET_HDR_LEN bytes
 */
void offload_build_vnet_hdr(const struct frame_meta *meta,
			    uint8_t hdr[OFFLOAD_VNET_HDR_LEN])
{
	memset(hdr, 0, OFFLOAD_VNET_HDR_LEN);
	if (!meta)
		return;
	hdr[0] = meta->flags;
	hdr[1] = meta->gso_type;
	put_le16(hdr + 2, meta->hdr_len);
	put_le16(hdr + 4, meta->gso_size);
	put_le16(hdr + 6, meta->csum_start);
	put_le16(hdr + 8, meta->csum_offset);
}

/**
 * offload_complete_csum() - finish a partial (NEEDS_CSUM) checksum.
 * @frame:	the frame, changed in place
 * @len:	its length
 * @meta:	validated meta; nothing happens without NEEDS_CSUM
 *
 * Sums from csum_start to the end (the checksum field holds the
 * pseudo-header sum already) and stores the complement at csum_start +
 * csum_offset.  A UDP sum of zero is sent as 0xffff.
 */
void offload_complete_csum(uint8_t *frame, size_t len,
			   const struct frame_meta *meta)
{
	uint16_t c;

	if (!(meta->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		return;
	c = csum_finish(csum_add(0, frame + meta->csum_start,
				 len - meta->csum_start));
	if (c == 0 && meta->csum_offset == PKT_UDP_CSUM_OFF)
		c = 0xffff;
	put_be16(frame + meta->csum_start + meta->csum_offset, c);
}

/**
 * offload_seg_init() - start cutting a GSO super-frame.
 * @s:		iterator
 * @frame:	the super-frame (borrowed until the last segment)
 * @len:	its length
 * @meta:	meta from offload_parse_vnet_hdr() with a GSO type
 */
void offload_seg_init(struct offload_seg *s, const uint8_t *frame,
		      size_t len, const struct frame_meta *meta)
{
	s->frame = frame;
	s->len = len;
	s->meta = meta;
	s->off = meta->hdr_len;
	s->index = 0;
}

/**
 * offload_seg_max_len() - the length of the largest segment.
 * @meta: GSO meta
 */
size_t offload_seg_max_len(const struct frame_meta *meta)
{
	return (size_t)meta->hdr_len + meta->gso_size;
}

/**
 * offload_seg_next() - build the next segment.
 * @s:		iterator
 * @buf:	where the segment goes
 * @size:	room in @buf, at least offload_seg_max_len()
 *
 * Copies the headers and the next gso_size payload bytes, then fixes the
 * IPv4 total length, id (+1 per segment) and header checksum, or the IPv6
 * payload length, and the TCP sequence number, flags (FIN and PSH only on
 * the last segment, CWR only on the first) and checksum.
 *
 * Return: the segment's length, or 0 when every segment has been built
 * (or @buf is too small).
 */
size_t offload_seg_next(struct offload_seg *s, uint8_t *buf, size_t size)
{
	const struct frame_meta *m = s->meta;
	unsigned int l3 = m->l3, l4 = m->csum_start, hlen = m->hdr_len;
	size_t pay = s->len - s->off, seg_len, tcp_len;
	bool first = s->index == 0, last;
	uint8_t *ip = buf + l3, *tcp = buf + l4;
	uint32_t sum;

	if (s->off >= s->len || size < offload_seg_max_len(m))
		return 0;
	if (pay > m->gso_size)
		pay = m->gso_size;
	last = s->off + pay == s->len;
	memcpy(buf, s->frame, hlen);
	memcpy(buf + hlen, s->frame + s->off, pay);
	seg_len = hlen + pay;
	tcp_len = seg_len - l4;

	put_be32(tcp + 4, get_be32(tcp + 4) +
				  (uint32_t)(s->off - hlen));
	if (!last)
		tcp[13] &= (uint8_t)~(TCP_FIN | TCP_PSH);
	if (!first)
		tcp[13] &= (uint8_t)~TCP_CWR;
	if ((m->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) ==
	    VIRTIO_NET_HDR_GSO_TCPV4) {
		put_be16(ip + 2, (uint16_t)(seg_len - l3));
		put_be16(ip + 4, (uint16_t)(get_be16(ip + 4) + s->index));
		put_be16(ip + PKT_IPV4_CSUM_OFF, 0);
		put_be16(ip + PKT_IPV4_CSUM_OFF,
			 csum_finish(csum_add(0, ip, l4 - l3)));
		sum = csum_pseudo(ip + PKT_IPV4_ADDRS_OFF, 8, PKT_IP_PROTO_TCP,
				  (uint32_t)tcp_len);
	} else {
		put_be16(ip + 4, (uint16_t)(seg_len - l3 - PKT_IPV6_HLEN));
		sum = csum_pseudo(ip + PKT_IPV6_ADDRS_OFF, 32, PKT_IP_PROTO_TCP,
				  (uint32_t)tcp_len);
	}
	put_be16(tcp + TCP_CSUM_OFF, 0);
	sum = csum_add(sum, tcp, tcp_len);
	put_be16(tcp + TCP_CSUM_OFF, csum_finish(sum));
	s->off += pay;
	s->index++;
	return seg_len;
}
