/*
 * fuzz-switch.c - fuzz the forwarding core (switch/core/switch.c).
 *
 * Built with -DVSW_FUZZ_LIBFUZZER (make fuzz-switch, clang) it is a
 * libFuzzer target.  Linked with tests/fuzz/replay.c instead, it replays the
 * files named on its command line, so crashers can be kept as regression
 * tests.  It needs io_uring only because vsw_new() takes a loop; no request
 * is ever submitted.
 *
 * Two switches are driven with the same script: the main one takes the
 * script's batched frames through vsw_batch_add()/vsw_batch_flush(), the
 * twin takes each of them alone through vsw_input().  switch.h promises
 * that a batch is forwarded as vsw_input() would, in order, so both must
 * send the same frames to the same ports and count the same: this is what
 * checks the batch's hash reuse and prefetching.  Each switch has
 * N_PORTS test-double ports (struct fz_port) that record what they are
 * sent and read every byte of it, so ASan sees a bad length.  Some take
 * offloads (port.offload and ops->send_meta), the others do not.
 *
 * Input: a script of records, each an operation byte, a port byte and the
 * operation's own bytes (missing bytes read as 0):
 *   OP_INPUT, OP_BATCH	  length (2 bytes, LE) and that many frame bytes
 *   OP_INPUT_GEN, OP_BATCH_GEN  a frame made from small numbers: MACs from a
 *			  table (so learning, moves and unicast happen), an
 *			  optional 802.1Q tag, any length up to past max_frame
 *   OP_META		  a 12-byte vnet header, length, frame bytes
 *   OP_META_GEN	  a TCP/IPv4 or TCP/IPv6 super-frame (or one with a
 *			  partial checksum) made from small numbers
 *   OP_PORT		  down, up, close (and release), add, toggle a tap,
 *			  toggle "TX queue full"
 *   OP_CLOCK		  advance the loop's clock (loop_warp()), and maybe run
 *			  the aging the switch's timer would run
 *   OP_FLUSH		  vsw_batch_flush()
 * Metas reach the switch only through offload_parse_vnet_hdr(), as from a
 * TAP port: what it refuses is not sent, and a header it finds empty
 * means no meta.
 *
 * Checked, from switch.h and port.h:
 *  - a port is sent frames only while it is registered and up, never the
 *    one the frame came in on; a port without offloads never gets a meta
 *    (it has no send_meta) nor a frame above max_frame; an offload port
 *    gets the meta that came in, unchanged;
 *  - each frame taken alone counts exactly once: flooded, unicast,
 *    dropped, or the input port's rx_hairpin;
 *  - a unicast frame goes to the port the MAC table names for its
 *    destination and nowhere else; a flooded one (group or unknown
 *    destination) to every other up port once (segments aside); a dropped
 *    or hairpin one nowhere;
 *  - the MAC table never names a port that is not up, and vsw_port_down()
 *    leaves it nothing of the port; a released port is destroyed once the
 *    loop runs, with nothing naming it;
 *  - the main switch and its twin send the same frames and count the same.
 * Between inputs every port is taken down and up again (which empties the
 * MAC table) and restored to its initial kind, so inputs are independent.
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
#include "switch/core/port.h"
#include "switch/config/cfg.h"
#include "switch/core/eth.h"
#include "switch/core/fdb.h"
#include "switch/base/log.h"
#include "switch/base/loop.h"
#include "switch/core/switch.h"
#include "switch/base/util.h"
#include "tests/fuzz/fuzz.h"

enum {
	N_PORTS = 6,
	N_OFFLOAD = 2,		/* ports 0..N_OFFLOAD-1 start with offloads */
	MAX_FRAME = 1518,
	MAC_TABLE = 64,		/* small, so eviction runs */
	AGING_S = 2,
	HOLDDOWN_MS = 500,
	MAX_PENDING = 256,	/* frames held for the main switch's batch */
	MAIN = 0,
	TWIN = 1,
};

enum fz_op {
	OP_INPUT,
	OP_BATCH,
	OP_INPUT_GEN,
	OP_BATCH_GEN,
	OP_META,
	OP_META_GEN,
	OP_PORT,
	OP_CLOCK,
	OP_FLUSH,
	N_OPS,
};

struct fz_sw;

/**
 * struct fz_port - a test-double port.
 * @port:	the base
 * @fs:		the switch context it belongs to
 * @idx:	its slot
 * @tap:	an observer, on the port while @tapped
 * @tapped:	@tap is on the port's list
 * @full:	sends fail with -ENOBUFS, as from a full TX queue
 * @sent:	send attempts (refused ones included)
 */
struct fz_port {
	struct port port;
	struct fz_sw *fs;
	unsigned int idx;
	struct port_tap tap;
	bool tapped;
	bool full;
	uint64_t sent;
};

/**
 * struct fz_sw - one switch and its ports.
 * @sw:		the switch
 * @ports:	the slots; NULL once closed and until added again
 * @n_out:	frames sent since the input began
 * @out_hash:	hash chained over (port, length, bytes, meta) of each
 * @destroyed:	ports destroyed (via the loop's deferred frees)
 */
struct fz_sw {
	struct vsw *sw;
	struct fz_port *ports[N_PORTS];
	uint64_t n_out;
	uint64_t out_hash;
	uint64_t destroyed;
};

static struct loop *fz_loop;
static struct fz_sw fz[2];
/* The meta of the frame being forwarded, to compare what ports get. */
static const struct frame_meta *fz_meta;

static const struct port_ops fz_plain_ops;
static const struct port_ops fz_offload_ops;

/* FNV-1a over @len bytes, chained from @h: reads each byte once. */
static uint64_t fz_hash(uint64_t h, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* Records one send on @fp and checks what every port may be sent. */
static int fz_record(struct fz_port *fp, const uint8_t *frame, size_t len,
		     const struct frame_meta *meta)
{
	struct fz_sw *fs = fp->fs;
	uint8_t tag[3] = { (uint8_t)fp->idx, meta != NULL,
			   meta ? meta->gso_type : 0 };
	uint64_t h;

	CHECK(fs->ports[fp->idx] == fp);
	CHECK(fp->port.registered && port_is_up(&fp->port));
	CHECK(len >= ETH_HDR_LEN);
	if (meta) {
		CHECK(fp->port.offload);
		CHECK(fz_meta && !memcmp(meta, fz_meta, sizeof(*meta)));
		CHECK(len <= (offload_is_gso(meta) ? OFFLOAD_MAX_FRAME
						   : MAX_FRAME));
	} else {
		CHECK(len <= MAX_FRAME);
	}
	h = fz_hash(fs->out_hash, tag, sizeof(tag));
	h = fz_hash(h, (const uint8_t *)&len, sizeof(len));
	fs->out_hash = fz_hash(h, frame, len);
	fs->n_out++;
	fp->sent++;
	return fp->full ? -ENOBUFS : 0;
}

static int fz_send(struct port *port, const uint8_t *frame, size_t len)
{
	return fz_record(container_of(port, struct fz_port, port), frame, len,
			 NULL);
}

static int fz_send_meta(struct port *port, const uint8_t *frame, size_t len,
			const struct frame_meta *meta)
{
	return fz_record(container_of(port, struct fz_port, port), frame, len,
			 meta);
}

/* Runs only from the loop's deferred frees, after vsw_release_port(). */
static void fz_destroy(struct port *port)
{
	struct fz_port *fp = container_of(port, struct fz_port, port);
	struct fz_sw *fs = fp->fs;

	CHECK(port->removing && !port->registered && !port_is_up(port));
	CHECK(!fp->tapped && !port->taps);
	CHECK(fdb_owner_count(vsw_fdb(fs->sw), port) == 0);
	CHECK(fs->ports[fp->idx] != fp);
	port_fini(port);
	fs->destroyed++;
	free(fp);
}

/* No request is ever in flight, so the release happens at once. */
static void fz_close(struct port *port)
{
	if (port->removing)
		return;
	port->removing = true;
	vsw_release_port(port->sw, port);
}

static const struct port_ops fz_plain_ops = {
	.type = "fuzz",
	.send = fz_send,
	.destroy = fz_destroy,
	.close = fz_close,
};

static const struct port_ops fz_offload_ops = {
	.type = "fuzz-offload",
	.send = fz_send,
	.send_meta = fz_send_meta,
	.destroy = fz_destroy,
	.close = fz_close,
};

static void fz_tap_fn(struct port_tap *tap, const uint8_t *frame, size_t len)
{
	struct fz_port *fp = container_of(tap, struct fz_port, tap);
	volatile uint64_t sink;

	CHECK(fp->tapped);
	CHECK(len >= ETH_HDR_LEN && len <= OFFLOAD_MAX_FRAME);
	sink = fz_hash(0, frame, len);
	(void)sink;
}

static void fz_tap_detach(struct port_tap *tap)
{
	struct fz_port *fp = container_of(tap, struct fz_port, tap);

	CHECK(fp->tapped);
	fp->tapped = false;
}

static void fz_port_add(struct fz_sw *fs, unsigned int idx, bool offload)
{
	struct fz_port *fp = calloc(1, sizeof(*fp));
	char name[16];

	CHECK(fp && !fs->ports[idx]);
	snprintf(name, sizeof(name), "fz%u", idx);
	port_init(&fp->port, offload ? &fz_offload_ops : &fz_plain_ops,
		  fs->sw, name);
	fp->port.offload = offload;
	fp->fs = fs;
	fp->idx = idx;
	fp->tap.fn = fz_tap_fn;
	fp->tap.detach = fz_tap_detach;
	CHECK(vsw_add_port(fs->sw, &fp->port) == 0);
	fs->ports[idx] = fp;
	vsw_port_up(fs->sw, &fp->port);
	CHECK(port_is_up(&fp->port));
}

/* Runs the loop's deferred frees (the loop is stopped: nothing else). */
static void fz_run_loop(void)
{
	CHECK(loop_run(fz_loop) == 0);
}

static void fz_port_close(struct fz_sw *fs, unsigned int idx)
{
	struct fz_port *fp = fs->ports[idx];
	uint64_t destroyed = fs->destroyed;

	fs->ports[idx] = NULL;
	fp->port.ops->close(&fp->port);
	CHECK(vsw_find_port(fs->sw, fp->port.name) == NULL);
	fz_run_loop();
	CHECK(fs->destroyed == destroyed + 1);
}

static void fz_port_down(struct fz_sw *fs, struct fz_port *fp)
{
	vsw_port_down(fs->sw, &fp->port);
	CHECK(!port_is_up(&fp->port));
	CHECK(fdb_owner_count(vsw_fdb(fs->sw), &fp->port) == 0);
}

static void fz_fdb_visit(const struct fdb_entry_info *info, void *aux)
{
	struct fz_sw *fs = aux;
	bool found = false;

	for (unsigned int i = 0; i < N_PORTS; i++)
		if (fs->ports[i] && info->owner == &fs->ports[i]->port)
			found = port_is_up(&fs->ports[i]->port);
	CHECK(found);
	CHECK(!info->is_static && info->vlan < 4096);
	CHECK(!eth_is_multicast(info->mac));
}

/* The MAC table names only ports that are up; the registry adds up. */
static void fz_check_sw(struct fz_sw *fs)
{
	unsigned int n = 0;

	fdb_foreach(vsw_fdb(fs->sw), loop_now(fz_loop), fz_fdb_visit, fs);
	for (unsigned int i = 0; i < N_PORTS; i++)
		if (fs->ports[i]) {
			CHECK(fs->ports[i]->port.registered);
			n++;
		}
	CHECK(vsw_n_ports(fs->sw) == n);
}

/**
 * struct fz_snap - counters before a frame, to check what it did.
 * @st:		switch counters
 * @sent:	each slot's send attempts
 * @drop_full:	each slot's tx_drop_full
 * @too_big:	each slot's tx_drop_too_big
 * @hairpin:	the input port's rx_hairpin
 */
struct fz_snap {
	struct vsw_stats st;
	uint64_t sent[N_PORTS], drop_full[N_PORTS], too_big[N_PORTS];
	uint64_t hairpin;
};

static void fz_snap_take(const struct fz_sw *fs, const struct fz_port *in,
			 struct fz_snap *s)
{
	s->st = *vsw_stats(fs->sw);
	for (unsigned int i = 0; i < N_PORTS; i++) {
		const struct fz_port *fp = fs->ports[i];

		s->sent[i] = fp ? fp->sent : 0;
		s->drop_full[i] = fp ? fp->port.stats.tx_drop_full : 0;
		s->too_big[i] = fp ? fp->port.stats.tx_drop_too_big : 0;
	}
	s->hairpin = in->port.stats.rx_hairpin;
}

/*
 * What one frame, forwarded alone, did.  The MAC table is not touched
 * after the switch looked the destination up (learning comes first), so
 * looking it up again now gives the port the switch chose.
 */
static void fz_check_frame(const struct fz_sw *fs, const struct fz_port *in,
			   const uint8_t *frame, size_t len,
			   const struct frame_meta *meta,
			   const struct fz_snap *s)
{
	const struct vsw_stats *st = vsw_stats(fs->sw);
	uint64_t flooded = st->flooded - s->st.flooded;
	uint64_t unicast = st->unicast - s->st.unicast;
	uint64_t dropped = st->dropped - s->st.dropped;
	uint64_t hairpin = in->port.stats.rx_hairpin - s->hairpin;
	const struct port *owner = NULL;
	struct eth_info eth;

	CHECK(flooded + unicast + dropped + hairpin == 1);
	if (!dropped) {
		CHECK(eth_parse(frame, len, &eth) == ETH_OK);
		if (!eth_is_multicast(eth.dst))
			owner = fdb_lookup(vsw_fdb(fs->sw), eth.dst, eth.vlan,
					   loop_now(fz_loop));
	}
	CHECK(!hairpin || owner == &in->port);
	CHECK(!unicast || (owner && owner != &in->port));
	CHECK(!flooded || !owner);
	for (unsigned int i = 0; i < N_PORTS; i++) {
		const struct fz_port *fp = fs->ports[i];
		uint64_t n = fp ? fp->sent - s->sent[i] : 0;
		bool whole = !meta || (fp && fp->port.offload) ||
			     !offload_is_gso(meta);
		bool target = fp && fp != in && port_is_up(&fp->port) &&
			      (flooded || (unicast && owner == &fp->port));

		if (!target) {
			CHECK(n == 0);
			continue;
		}
		if (whole)
			CHECK(n == 1);
		else
			CHECK(n >= 1 ||
			      fp->port.stats.tx_drop_too_big == s->too_big[i] + 1);
		CHECK(fp->port.stats.tx_drop_full - s->drop_full[i] ==
		      (fp->full ? n : 0));
	}
}

/* Reads the script; past the end every byte is 0. */
struct fz_in {
	const uint8_t *p;
	size_t left;
};

static uint8_t fz_u8(struct fz_in *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static uint16_t fz_u16(struct fz_in *in)
{
	uint16_t lo = fz_u8(in);

	return (uint16_t)(lo | fz_u8(in) << 8);
}

/* Up to @want bytes of the script in a buffer of exactly that many. */
static uint8_t *fz_bytes(struct fz_in *in, size_t want, size_t *len)
{
	size_t n = want < in->left ? want : in->left;
	uint8_t *buf = malloc(n ? n : 1);

	CHECK(buf);
	memcpy(buf, in->p, n);
	in->p += n;
	in->left -= n;
	*len = n;
	return buf;
}

/*
 * MAC number @sel: most are unicast 02:00:00:00:0v:nn (a few hundred, more
 * than MAC_TABLE), the rest broadcast, a multicast group, or all zero.
 */
static void fz_mac(uint8_t sel, uint8_t vary, uint8_t mac[ETH_ADDR_LEN])
{
	static const uint8_t group[ETH_ADDR_LEN] = { 0x01, 0x00, 0x5e,
						     0x00, 0x00, 0x01 };

	if (sel < 0xf0) {
		const uint8_t uni[ETH_ADDR_LEN] = { 0x02, 0, 0, 0, vary & 3,
						    sel };

		memcpy(mac, uni, ETH_ADDR_LEN);
	} else if (sel < 0xf8) {
		memset(mac, 0xff, ETH_ADDR_LEN);
	} else if (sel < 0xfc) {
		memcpy(mac, group, ETH_ADDR_LEN);
	} else {
		memset(mac, 0, ETH_ADDR_LEN);
	}
}

/*
 * The Ethernet header of a made-up frame into @f: destination and source
 * from fz_mac(), and with bit 7 of @vlan an 802.1Q tag whose TCI also has
 * priority bits (which are not part of the VLAN id).
 * Return: the header's length.
 */
static size_t fz_eth_hdr(uint8_t *f, uint8_t dst, uint8_t src, uint8_t vlan,
			 uint16_t type)
{
	size_t off = 2 * ETH_ADDR_LEN;

	fz_mac(dst, vlan >> 5, f);
	fz_mac(src, vlan >> 5, f + ETH_ADDR_LEN);
	if (vlan & 0x80) {
		uint16_t tci = (uint16_t)((vlan & 0x18) << 10 | (vlan & 7));

		f[off++] = ETH_TYPE_VLAN >> 8;
		f[off++] = ETH_TYPE_VLAN & 0xff;
		f[off++] = (uint8_t)(tci >> 8);
		f[off++] = (uint8_t)tci;
	}
	f[off++] = (uint8_t)(type >> 8);
	f[off++] = (uint8_t)type;
	return off;
}

/* A made-up frame: dst, src, vlan bytes, then a length up to past max. */
static uint8_t *fz_gen_frame(struct fz_in *in, size_t *len)
{
	uint8_t dst = fz_u8(in), src = fz_u8(in), vlan = fz_u8(in);
	size_t n = fz_u16(in) % (MAX_FRAME + 65);
	uint8_t hdr[ETH_VLAN_HDR_LEN];
	uint8_t *f = malloc(n ? n : 1);
	size_t hl = fz_eth_hdr(hdr, dst, src, vlan, 0x88b5);

	CHECK(f);
	for (size_t i = 0; i < n; i++)
		f[i] = i < hl ? hdr[i] : (uint8_t)(i * 7 + n);
	*len = n;
	return f;
}

/*
 * A made-up TCP super-frame and its vnet header.  Bytes: dst, src, vlan,
 * kind (bit 0 IPv6, bit 1 checksum only, bit 2 ECN, bit 3 corrupt one
 * byte at the offset and value that follow), gso_size, payload length.
 */
static uint8_t *fz_gen_tso(struct fz_in *in, uint8_t hdr[OFFLOAD_VNET_HDR_LEN],
			   size_t *len)
{
	uint8_t dst = fz_u8(in), src = fz_u8(in), vlan = fz_u8(in);
	uint8_t kind = fz_u8(in);
	uint16_t gso_size = fz_u16(in), pay = fz_u16(in);
	uint16_t bad_off = fz_u16(in);
	uint8_t bad_val = fz_u8(in);
	bool v6 = kind & 1;
	size_t l3, l4, n, ip_len;
	struct frame_meta meta = { 0 };
	uint8_t *f;

	f = calloc(1, OFFLOAD_MAX_FRAME);
	CHECK(f);
	l3 = fz_eth_hdr(f, dst, src, vlan, v6 ? 0x86dd : 0x0800);
	l4 = l3 + (v6 ? 40 : 20);
	n = l4 + 20 + pay;
	if (n > OFFLOAD_MAX_FRAME)
		n = OFFLOAD_MAX_FRAME;
	ip_len = n - l3;
	if (v6) {
		f[l3] = 0x60;
		f[l3 + 4] = (uint8_t)((ip_len - 40) >> 8);
		f[l3 + 5] = (uint8_t)(ip_len - 40);
		f[l3 + 6] = 6;
		f[l3 + 7] = 64;
	} else {
		f[l3] = 0x45;
		f[l3 + 2] = (uint8_t)(ip_len >> 8);
		f[l3 + 3] = (uint8_t)ip_len;
		f[l3 + 8] = 64;
		f[l3 + 9] = 6;
	}
	f[l4 + 12] = 5 << 4;
	f[l4 + 13] = (uint8_t)(0x18 | (kind & 0xe0));
	for (size_t i = l4 + 20; i < n; i++)
		f[i] = (uint8_t)(i * 13);
	if ((kind & 8) && bad_off < n)
		f[bad_off] = bad_val;
	meta.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	meta.csum_start = (uint16_t)l4;
	meta.csum_offset = 16;
	if (!(kind & 2)) {
		meta.gso_type = v6 ? VIRTIO_NET_HDR_GSO_TCPV6
				   : VIRTIO_NET_HDR_GSO_TCPV4;
		if (kind & 4)
			meta.gso_type |= VIRTIO_NET_HDR_GSO_ECN;
		meta.gso_size = gso_size;
	}
	offload_build_vnet_hdr(&meta, hdr);
	/* Exactly @n bytes, so that ASan sees a read past the frame. */
	f = realloc(f, n);
	CHECK(f);
	*len = n;
	return f;
}

/* The main switch's batch: its frames must live until the flush. */
static uint8_t *fz_pending[MAX_PENDING];
static unsigned int fz_n_pending;

static void fz_flush_main(void)
{
	vsw_batch_flush(fz[MAIN].sw);
	for (unsigned int i = 0; i < fz_n_pending; i++)
		free(fz_pending[i]);
	fz_n_pending = 0;
}

/*
 * One frame into both switches; takes @frame.  @batch: the main switch
 * queues it (the twin forwards it at once).  A frame alone is checked on
 * the twin, and on the main switch when no batch is waiting there.
 */
static void fz_frame(unsigned int idx, uint8_t *frame, size_t len,
		     bool batch, const struct frame_meta *meta)
{
	struct fz_port *in[2] = { fz[MAIN].ports[idx], fz[TWIN].ports[idx] };
	struct fz_snap s[2];
	bool exact_main = !batch && !fz_n_pending;

	if (!in[MAIN] || !port_is_up(&in[MAIN]->port)) {
		free(frame);	/* vsw_input() takes frames of up ports */
		return;
	}
	fz_meta = meta;
	fz_snap_take(&fz[TWIN], in[TWIN], &s[TWIN]);
	vsw_input_meta(fz[TWIN].sw, &in[TWIN]->port, frame, len, meta);
	fz_check_frame(&fz[TWIN], in[TWIN], frame, len, meta, &s[TWIN]);

	if (batch) {
		if (fz_n_pending == MAX_PENDING)
			fz_flush_main();
		vsw_batch_add(fz[MAIN].sw, &in[MAIN]->port, frame, len);
		fz_pending[fz_n_pending++] = frame;
	} else {
		fz_snap_take(&fz[MAIN], in[MAIN], &s[MAIN]);
		vsw_input_meta(fz[MAIN].sw, &in[MAIN]->port, frame, len, meta);
		if (exact_main)
			fz_check_frame(&fz[MAIN], in[MAIN], frame, len, meta,
				       &s[MAIN]);
		/* vsw_input() flushed what was waiting. */
		fz_flush_main();
		free(frame);
	}
	fz_meta = NULL;
}

/* A frame with a vnet header, as a TAP port with offloads reads it. */
static void fz_meta_frame(unsigned int idx, const uint8_t *hdr,
			  uint8_t *frame, size_t len)
{
	struct frame_meta meta;
	int r = offload_parse_vnet_hdr(hdr, frame, len, &meta);

	if (r < 0) {
		free(frame);
		return;
	}
	fz_frame(idx, frame, len, false, r > 0 ? &meta : NULL);
}

static void fz_port_op(unsigned int idx, uint8_t what)
{
	for (unsigned int k = 0; k < 2; k++) {
		struct fz_sw *fs = &fz[k];
		struct fz_port *fp = fs->ports[idx];

		switch (what % 6) {
		case 0:
			if (fp)
				fz_port_down(fs, fp);
			break;
		case 1:
			if (fp)
				vsw_port_up(fs->sw, &fp->port);
			break;
		case 2:
			if (fp)
				fz_port_close(fs, idx);
			break;
		case 3:
			if (!fp)
				fz_port_add(fs, idx, what & 8);
			break;
		case 4:
			if (fp && fp->tapped) {
				port_tap_del(&fp->port, &fp->tap);
				fp->tapped = false;
			} else if (fp) {
				port_tap_add(&fp->port, &fp->tap);
				fp->tapped = true;
			}
			break;
		case 5:
			if (fp)
				fp->full = !fp->full;
			break;
		}
	}
}

/*
 * Moves the clock past a hold-down or aging boundary, or by a raw amount;
 * with bit 7 also runs the aging the switch's timer would (the loop is
 * never run for timers here).
 */
static void fz_clock_op(uint8_t sel)
{
	static const uint64_t steps[] = { 1,	HOLDDOWN_MS - 1, HOLDDOWN_MS,
					  HOLDDOWN_MS + 1, AGING_S * 1000 - 1,
					  AGING_S * 1000, AGING_S * 1000 + 1 };
	unsigned int i = sel & 0x7f;

	loop_warp(fz_loop, i < ARRAY_SIZE(steps) ? steps[i] : i * 37u);
	if (sel & 0x80)
		for (unsigned int k = 0; k < 2; k++)
			fdb_expire(vsw_fdb(fz[k].sw), loop_now(fz_loop));
}

/* The two switches agree on everything they did and counted. */
static void fz_compare(void)
{
	CHECK(fz[MAIN].n_out == fz[TWIN].n_out);
	CHECK(fz[MAIN].out_hash == fz[TWIN].out_hash);
	CHECK(!memcmp(vsw_stats(fz[MAIN].sw), vsw_stats(fz[TWIN].sw),
		      sizeof(struct vsw_stats)));
	for (unsigned int i = 0; i < N_PORTS; i++) {
		struct fz_port *a = fz[MAIN].ports[i], *b = fz[TWIN].ports[i];

		CHECK(!a == !b);
		if (!a)
			continue;
		CHECK(port_is_up(&a->port) == port_is_up(&b->port));
		CHECK(!memcmp(&a->port.stats, &b->port.stats,
			      sizeof(a->port.stats)));
		CHECK(fdb_owner_count(vsw_fdb(fz[MAIN].sw), &a->port) ==
		      fdb_owner_count(vsw_fdb(fz[TWIN].sw), &b->port));
	}
}

/* Every port back to its first kind, up, no taps; the MAC table empty. */
static void fz_reset(void)
{
	for (unsigned int k = 0; k < 2; k++) {
		struct fz_sw *fs = &fz[k];
		struct fdb_stats st;

		for (unsigned int i = 0; i < N_PORTS; i++) {
			struct fz_port *fp = fs->ports[i];

			if (fp && fp->port.offload != (i < N_OFFLOAD)) {
				fz_port_close(fs, i);
				fp = NULL;
			}
			if (!fp) {
				fz_port_add(fs, i, i < N_OFFLOAD);
				continue;
			}
			if (fp->tapped) {
				port_tap_del(&fp->port, &fp->tap);
				fp->tapped = false;
			}
			fp->full = false;
			fz_port_down(fs, fp);
			vsw_port_up(fs->sw, &fp->port);
		}
		fdb_get_stats(vsw_fdb(fs->sw), &st);
		CHECK(st.entries == 0);
		fs->n_out = 0;
		fs->out_hash = 0;
	}
}

static void fz_init(void)
{
	struct vsw_config cfg;
	struct vsw_params sc;
	int err = 0;

	log_set_level(LOG_LVL_ERR);
	CHECK(cfg_default(&cfg, NULL) == 0);
	sc = cfg.sw;
	cfg_free(&cfg);
	sc.max_frame = MAX_FRAME;
	sc.max_ports = 16;
	sc.mac_table_size = MAC_TABLE;
	sc.mac_aging_s = AGING_S;
	sc.mac_move_holddown_ms = HOLDDOWN_MS;
	fz_loop = loop_new(&err);
	if (!fz_loop) {
		fprintf(stderr, "fuzz-switch: no io_uring here (%s)\n",
			strerror(-err));
		exit(77);
	}
	/* A stopped loop's loop_run() only runs the deferred frees. */
	loop_stop(fz_loop);
	for (unsigned int k = 0; k < 2; k++) {
		fz[k].sw = vsw_new(fz_loop, &sc, &err);
		CHECK(fz[k].sw);
		for (unsigned int i = 0; i < N_PORTS; i++)
			fz_port_add(&fz[k], i, i < N_OFFLOAD);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	static bool ready;

	if (!ready) {
		fz_init();
		ready = true;
	}
	while (in.left >= 2) {
		enum fz_op op = (enum fz_op)(fz_u8(&in) % N_OPS);
		unsigned int idx = fz_u8(&in) % N_PORTS;
		uint8_t hdr[OFFLOAD_VNET_HDR_LEN];
		uint8_t *frame;
		size_t len;

		switch (op) {
		case OP_INPUT:
		case OP_BATCH:
			frame = fz_bytes(&in, fz_u16(&in), &len);
			fz_frame(idx, frame, len, op == OP_BATCH, NULL);
			break;
		case OP_INPUT_GEN:
		case OP_BATCH_GEN:
			frame = fz_gen_frame(&in, &len);
			fz_frame(idx, frame, len, op == OP_BATCH_GEN, NULL);
			break;
		case OP_META:
			for (size_t i = 0; i < sizeof(hdr); i++)
				hdr[i] = fz_u8(&in);
			frame = fz_bytes(&in, fz_u16(&in), &len);
			fz_meta_frame(idx, hdr, frame, len);
			break;
		case OP_META_GEN:
			frame = fz_gen_tso(&in, hdr, &len);
			fz_meta_frame(idx, hdr, frame, len);
			break;
		case OP_PORT:
			fz_flush_main();
			fz_port_op(idx, fz_u8(&in));
			break;
		case OP_CLOCK:
			fz_flush_main();
			fz_clock_op(fz_u8(&in));
			break;
		case OP_FLUSH:
		case N_OPS:
			fz_flush_main();
			break;
		}
		fz_check_sw(&fz[MAIN]);
		fz_check_sw(&fz[TWIN]);
	}
	fz_flush_main();
	fz_compare();
	fz_reset();
	return 0;
}
