/*
 * fuzz-offload.c - fuzz the TAP offload code (switch/core/offload.c).
 *
 * Built with -DVSW_FUZZ_LIBFUZZER (make fuzz-offload, clang) it is a
 * libFuzzer target.  Linked with tests/fuzz/replay.c instead, it replays the
 * files named on its command line, so crashers can be kept as regression
 * tests.
 *
 * Input: the first OFFLOAD_VNET_HDR_LEN bytes are the virtio-net header as
 * read from a TAP, the rest is the frame behind it (copied to an exact-size
 * buffer so ASan sees any overread).  offload_parse_vnet_hdr() trusts
 * nothing, so whatever it accepts is pushed through everything the switch
 * would do with it, checking what offload.h promises:
 *
 *  - the meta describes the frame: known flags and GSO type, offsets
 *    inside it, GSO only with a checksum to finish;
 *  - offload_build_vnet_hdr() writes a header that parses back to the
 *    same meta;
 *  - offload_complete_csum() (on a private copy) stores the complement of
 *    the sum from csum_start to the end at csum_start + csum_offset and
 *    changes nothing else;
 *  - offload_seg_next() refuses a buffer below offload_seg_max_len(),
 *    then cuts the super-frame into segments that fit the buffer, carry
 *    the headers and consecutive gso_size-byte slices of the payload, and
 *    have their IP length, IPv4 id, TCP sequence number, flags and
 *    checksums fixed up as documented.
 *
 * The sums are recomputed here independently of offload_csum_add().
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <errno.h>
#include <linux/virtio_net.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switch/core/offload.h"
#include "tests/fuzz/fuzz.h"

enum {
	MAX_INPUT = OFFLOAD_VNET_HDR_LEN + OFFLOAD_MAX_FRAME,
	TCP_FIN = 0x01,
	TCP_PSH = 0x08,
	TCP_CWR = 0x80,
	UDP_CSUM_OFF = 6,
};

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Ones-complement sum of @len bytes as big-endian words, folded. */
static uint16_t sum16(uint64_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += be16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static bool is_gso(const struct frame_meta *m)
{
	return (m->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) !=
	       VIRTIO_NET_HDR_GSO_NONE;
}

static bool is_v4(const struct frame_meta *m)
{
	return (m->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) ==
	       VIRTIO_NET_HDR_GSO_TCPV4;
}

static void check_meta(const struct frame_meta *m, size_t len)
{
	unsigned int base = m->gso_type & ~VIRTIO_NET_HDR_GSO_ECN;

	CHECK(m->flags == 0 || m->flags == VIRTIO_NET_HDR_F_NEEDS_CSUM);
	CHECK(base == VIRTIO_NET_HDR_GSO_NONE ||
	      base == VIRTIO_NET_HDR_GSO_TCPV4 ||
	      base == VIRTIO_NET_HDR_GSO_TCPV6);
	/* Return 1 means there is work to do. */
	CHECK(m->flags || is_gso(m));
	CHECK(offload_is_gso(m) == is_gso(m));
	if (m->flags) {
		CHECK((size_t)m->csum_start + m->csum_offset + 2 <= len);
		CHECK(m->hdr_len <= len);
	}
	if (is_gso(m)) {
		/* GSO without a checksum to finish is refused. */
		CHECK(m->flags == VIRTIO_NET_HDR_F_NEEDS_CSUM);
		CHECK(m->l3 < m->csum_start && m->csum_start < m->hdr_len);
	}
}

/* The header written for @m must read back as @m. */
static void check_round_trip(const struct frame_meta *m, const uint8_t *frame,
			     size_t len)
{
	uint8_t hdr[OFFLOAD_VNET_HDR_LEN];
	struct frame_meta back;

	offload_build_vnet_hdr(m, hdr);
	CHECK(offload_parse_vnet_hdr(hdr, frame, len, &back) == 1);
	CHECK(back.flags == m->flags && back.gso_type == m->gso_type &&
	      back.hdr_len == m->hdr_len && back.gso_size == m->gso_size &&
	      back.csum_start == m->csum_start &&
	      back.csum_offset == m->csum_offset && back.l3 == m->l3);
}

static void check_complete_csum(const struct frame_meta *m,
				const uint8_t *frame, size_t len)
{
	size_t at = (size_t)m->csum_start + m->csum_offset;
	uint8_t *copy = malloc(len);
	uint16_t want;

	CHECK(copy);
	memcpy(copy, frame, len);
	offload_complete_csum(copy, len, m);
	want = (uint16_t)~sum16(0, frame + m->csum_start,
				len - m->csum_start);
	if (want == 0 && m->csum_offset == UDP_CSUM_OFF)
		want = 0xffff;
	CHECK(be16(copy + at) == want);
	CHECK(!memcmp(copy, frame, at));
	CHECK(!memcmp(copy + at + 2, frame + at + 2, len - at - 2));
	free(copy);
}

/* Checks segment @index of @n bytes, whose payload starts at @off. */
static void check_segment(const struct frame_meta *m, const uint8_t *frame,
			  const uint8_t *seg, size_t n, size_t off,
			  unsigned int index, bool last)
{
	size_t l3 = m->l3, l4 = m->csum_start, hlen = m->hdr_len;
	const uint8_t *ip = seg + l3, *tcp = seg + l4;
	const uint8_t *oip = frame + l3, *otcp = frame + l4;
	uint8_t flags = otcp[13], want;
	uint64_t pseudo;

	/* Headers first, then the next slice of payload. */
	CHECK(n > hlen && n - hlen <= m->gso_size);
	CHECK(!memcmp(seg + hlen, frame + off, n - hlen));
	CHECK(!memcmp(seg, frame, l3));
	CHECK(be32(tcp + 4) == (uint32_t)(be32(otcp + 4) + (off - hlen)));
	want = flags;
	if (!last)
		want &= (uint8_t)~(TCP_FIN | TCP_PSH);
	if (index)
		want &= (uint8_t)~TCP_CWR;
	CHECK(tcp[13] == want);
	CHECK(!memcmp(tcp, otcp, 4) && !memcmp(tcp + 8, otcp + 8, 5));
	CHECK(!memcmp(tcp + 14, otcp + 14, 2));
	CHECK(!memcmp(tcp + 18, otcp + 18, hlen - l4 - 18));
	if (is_v4(m)) {
		CHECK(be16(ip + 2) == n - l3);
		CHECK(be16(ip + 4) == (uint16_t)(be16(oip + 4) + index));
		CHECK(sum16(0, ip, l4 - l3) == 0xffff);
		CHECK(!memcmp(ip, oip, 2) && !memcmp(ip + 6, oip + 6, 4));
		CHECK(!memcmp(ip + 12, oip + 12, l4 - l3 - 12));
		pseudo = sum16(0, ip + 12, 8);
	} else {
		CHECK(be16(ip + 4) == n - l3 - 40);
		CHECK(!memcmp(ip, oip, 4) && !memcmp(ip + 6, oip + 6, 34));
		pseudo = sum16(0, ip + 8, 32);
	}
	pseudo += 6 + (n - l4);
	CHECK(sum16(pseudo, tcp, n - l4) == 0xffff);
}

static void check_segments(const struct frame_meta *m, const uint8_t *frame,
			   size_t len)
{
	size_t max = offload_seg_max_len(m), off = m->hdr_len, n;
	size_t pay = len - m->hdr_len;
	struct offload_seg s;
	unsigned int index = 0;
	uint8_t *buf;

	CHECK(max > m->hdr_len);
	/* Exactly the promised size, so ASan sees any write past it. */
	buf = malloc(max);
	CHECK(buf);
	offload_seg_init(&s, frame, len, m);
	CHECK(offload_seg_next(&s, buf, max - 1) == 0);
	offload_seg_init(&s, frame, len, m);
	while ((n = offload_seg_next(&s, buf, max))) {
		unsigned int sum = 0;
		bool last;

		CHECK(n <= max);
		/* Touch every byte so a bad length shows up under ASan. */
		for (size_t i = 0; i < n; i++)
			sum += buf[i];
		(void)sum;
		CHECK(index < pay);
		last = off + (n - m->hdr_len) == len;
		/* Only the last segment may be short. */
		CHECK(last || n - m->hdr_len == m->gso_size);
		check_segment(m, frame, buf, n, off, index, last);
		off += n - m->hdr_len;
		index++;
	}
	CHECK(off == len);
	CHECK(index == (pay + m->gso_size - 1) / m->gso_size);
	CHECK(offload_seg_next(&s, buf, max) == 0);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t zero[OFFLOAD_VNET_HDR_LEN];
	struct frame_meta meta;
	uint8_t hdr[OFFLOAD_VNET_HDR_LEN];
	uint8_t *frame;
	size_t len;
	int rc;

	if (size < OFFLOAD_VNET_HDR_LEN || size > MAX_INPUT)
		return 0;
	len = size - OFFLOAD_VNET_HDR_LEN;
	frame = malloc(len ? len : 1);
	CHECK(frame);
	memcpy(frame, data + OFFLOAD_VNET_HDR_LEN, len);
	rc = offload_parse_vnet_hdr(data, frame, len, &meta);
	CHECK(rc == 0 || rc == 1 || rc == -EINVAL);
	if (rc == 0) {
		/* An ordinary frame is written with an all-zero header. */
		offload_build_vnet_hdr(NULL, hdr);
		CHECK(!memcmp(hdr, zero, sizeof(hdr)));
		CHECK(offload_parse_vnet_hdr(hdr, frame, len, &meta) == 0);
	} else if (rc == 1) {
		check_meta(&meta, len);
		check_round_trip(&meta, frame, len);
		if (meta.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
			check_complete_csum(&meta, frame, len);
		if (offload_is_gso(&meta))
			check_segments(&meta, frame, len);
	}
	free(frame);
	return 0;
}
