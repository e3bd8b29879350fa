/*
 * offload.h - TAP offloads: virtio-net headers, checksum completion and
 * TCP segmentation, as pure functions on frames in memory.
 *
 * A TAP port with offloads on (IFF_VNET_HDR, TUNSETOFFLOAD) reads frames
 * preceded by a struct virtio_net_hdr: a frame may carry a partial
 * checksum (NEEDS_CSUM: the pseudo-header sum sits in the checksum field
 * and the rest is left to whoever sends the frame on) and may be a TCP
 * "super-frame" of up to 64 KiB (GSO TCPV4 / TCPV6) that must be cut into
 * gso_size-sized segments before it goes onto a wire.  The header is
 * parsed into a struct frame_meta, which the switch carries alongside the
 * frame (never allocated; NULL for an ordinary frame).  A port that takes
 * offloads gets the frame whole with its meta; for every other port the
 * switch finishes the checksum (offload_complete_csum()) or segments the
 * frame (offload_seg_init() / offload_seg_next()) into a scratch buffer.
 *
 * Nothing in the header is trusted: offload_parse_vnet_hdr() checks every
 * offset against the frame and, for GSO, the Ethernet, IP and TCP headers
 * themselves, so the segmenter can rely on what the meta says.  Only
 * TCPV4 and TCPV6 are handled (UDP_L4 is never enabled, so it is refused);
 * IPv6 extension headers and IPv4 fragments under GSO are refused too.
 * The 12-byte header (num_buffers layout) is used in little-endian order
 * (TUNSETVNETLE), so the code is the same on any host.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_PORTS_OFFLOAD_H
#define VSW_PORTS_OFFLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	/* sizeof(struct virtio_net_hdr_mrg_rxbuf): TUNSETVNETHDRSZ 12. */
	OFFLOAD_VNET_HDR_LEN = 12,
	/* Largest super-frame: a 64 KiB IP packet behind a tagged header. */
	OFFLOAD_MAX_FRAME = 65535 + 18,
};

/**
 * struct frame_meta - offload state of one frame (from its vnet header).
 * @flags:	VIRTIO_NET_HDR_F_NEEDS_CSUM or 0
 * @gso_type:	VIRTIO_NET_HDR_GSO_NONE, _TCPV4 or _TCPV6, possibly with
 *		VIRTIO_NET_HDR_GSO_ECN
 * @hdr_len:	GSO: length of the Ethernet + IP + TCP headers (computed,
 *		not the writer's hint); else csum_start + csum_offset + 2
 * @gso_size:	GSO: TCP payload bytes per segment
 * @csum_start:	NEEDS_CSUM: offset where checksumming starts
 * @csum_offset: NEEDS_CSUM: where the sum goes, relative to @csum_start
 * @l3:		GSO: offset of the IP header
 */
struct frame_meta {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t l3;
};

/**
 * struct offload_seg - iterator over the segments of a GSO super-frame.
 * @frame:	the super-frame (borrowed)
 * @len:	its length
 * @meta:	its validated meta (borrowed)
 * @off:	offset of the next payload byte to send
 * @index:	number of the next segment
 */
struct offload_seg {
	const uint8_t *frame;
	size_t len;
	const struct frame_meta *meta;
	size_t off;
	unsigned int index;
};

int offload_parse_vnet_hdr(const uint8_t *hdr, const uint8_t *frame,
			   size_t len, struct frame_meta *meta);
void offload_build_vnet_hdr(const struct frame_meta *meta,
			    uint8_t hdr[OFFLOAD_VNET_HDR_LEN]);
void offload_complete_csum(uint8_t *frame, size_t len,
			   const struct frame_meta *meta);
void offload_seg_init(struct offload_seg *s, const uint8_t *frame,
		      size_t len, const struct frame_meta *meta);
size_t offload_seg_max_len(const struct frame_meta *meta);
size_t offload_seg_next(struct offload_seg *s, uint8_t *buf, size_t size);

/**
 * offload_is_gso() - true for a super-frame that must be segmented.
 * @meta: validated meta
 */
static inline bool offload_is_gso(const struct frame_meta *meta)
{
	return meta->gso_type != 0;
}

#endif /* VSW_PORTS_OFFLOAD_H */
