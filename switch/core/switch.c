/*
 * switch.c - port registry, MAC learning and forwarding (see switch.h).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/core/switch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "switch/core/offload.h"
#include "switch/core/port.h"
#include "switch/core/eth.h"
#include "switch/core/fdb.h"
#include "switch/base/log.h"
#include "switch/base/loop.h"

/* A frame of a batch, parsed, with its keys hashed. */
struct vsw_item {
	const uint8_t *frame;
	size_t len;
	struct eth_info eth;
	uint32_t src_hash, dst_hash;
};

/**
 * struct vsw - the switch (private).
 * @loop:	event loop
 * @fdb:	MAC learning table; owners are struct port pointers
 * @params:	switch-wide settings
 * @ports:	every registered port (list head)
 * @n_ports:	registered ports, bounded by @params.max_ports
 * @fwd:	ports that are up, densely packed for flooding
 * @n_fwd:	entries used in @fwd
 * @aging:	timer that removes idle MACs
 * @scratch:	OFFLOAD_MAX_FRAME bytes where offload frames are finished
 *		(checksum, segments) for ports that take no offloads
 * @next_id:	next port id
 * @stats:	counters
 * @batch_in:	the input port of the frames in @batch
 * @n_batch:	frames in @batch
 * @batch:	frames decoded in place, forwarded together (vsw_batch_add())
 */
struct vsw {
	struct loop *loop;
	struct fdb *fdb;
	struct vsw_params params;
	struct list_head ports;
	unsigned int n_ports;
	struct port **fwd;
	unsigned int n_fwd;
	struct loop_timer aging;
	uint8_t *scratch;
	uint32_t next_id;
	struct vsw_stats stats;
	struct port *batch_in;
	unsigned int n_batch;
	struct vsw_item batch[VSW_BATCH_MAX];
};

static void vsw_aging_fire(struct loop_timer *timer, uint64_t now)
{
	struct vsw *sw = container_of(timer, struct vsw, aging);
	uint64_t next = fdb_expire(sw->fdb, now);

	if (next != UINT64_MAX)
		loop_timer_arm(sw->loop, &sw->aging, next);
}

/**
 * vsw_new() - create an empty switch.
 * @loop:	the event loop
 * @params:	switch-wide settings (copied)
 * @err:	negative errno on failure
 *
 * Return: new switch, caller owns (vsw_free()), or NULL.
 */
struct vsw *vsw_new(struct loop *loop, const struct vsw_params *params, int *err)
{
	struct fdb_params fp = {
		.max_entries = params->mac_table_size,
		.aging_ms = (uint64_t)params->mac_aging_s * 1000,
		.move_holddown_ms = params->mac_move_holddown_ms,
	};
	struct vsw *sw = calloc(1, sizeof(*sw));

	if (!sw)
		goto err_nomem;
	sw->loop = loop;
	sw->params = *params;
	sw->fwd = calloc(params->max_ports, sizeof(*sw->fwd));
	sw->fdb = fdb_new(&fp);
	sw->scratch = malloc(OFFLOAD_MAX_FRAME);
	if (!sw->fwd || !sw->fdb || !sw->scratch)
		goto err_free;
	loop_timer_init(&sw->aging, vsw_aging_fire);
	return sw;

err_free:
	fdb_free(sw->fdb);
	free(sw->scratch);
	free(sw->fwd);
	free(sw);
err_nomem:
	*err = -ENOMEM;
	return NULL;
}

/**
 * vsw_free() - destroy the switch and every port still registered.
 * @sw: the switch, or NULL
 *
 * Call only after loop_drain() or loop_exit_ring(), so no request names
 * a port, and before loop_free().
 */
void vsw_free(struct vsw *sw)
{
	if (!sw)
		return;
	while (!list_empty(&sw->ports)) {
		struct port *p = list_first(&sw->ports, struct port, link);

		port_detach_taps(p);
		vsw_remove_port(sw, p);
		p->ops->destroy(p);
	}
	loop_timer_cancel(sw->loop, &sw->aging);
	fdb_free(sw->fdb);
	free(sw->scratch);
	free(sw->fwd);
	free(sw);
}

/**
 * vsw_set_params() - apply new switch-wide settings at runtime.
 * @sw:		the switch
 * @params:	new settings; max_ports is kept (it sizes the forwarding set)
 *
 * Return: 0, or a negative errno from the MAC table (nothing changed).
 */
int vsw_set_params(struct vsw *sw, const struct vsw_params *params)
{
	struct fdb_params fp = {
		.max_entries = params->mac_table_size,
		.aging_ms = (uint64_t)params->mac_aging_s * 1000,
		.move_holddown_ms = params->mac_move_holddown_ms,
	};
	unsigned int max_ports = sw->params.max_ports;
	int ret = fdb_set_params(sw->fdb, &fp);

	if (ret)
		return ret;
	sw->params = *params;
	sw->params.max_ports = max_ports;
	return 0;
}

struct loop *vsw_loop(const struct vsw *sw)
{
	return sw->loop;
}

struct fdb *vsw_fdb(const struct vsw *sw)
{
	return sw->fdb;
}

const struct vsw_params *vsw_get_params(const struct vsw *sw)
{
	return &sw->params;
}

const struct vsw_stats *vsw_stats(const struct vsw *sw)
{
	return &sw->stats;
}

void vsw_reset_stats(struct vsw *sw)
{
	memset(&sw->stats, 0, sizeof(sw->stats));
}

/**
 * vsw_add_port() - register a port under its (unique) name.
 * @sw:		the switch
 * @port:	initialised port, not yet registered
 *
 * Return: 0, -EEXIST if the name is taken, -ENOSPC at the port limit.
 */
int vsw_add_port(struct vsw *sw, struct port *port)
{
	if (sw->n_ports >= sw->params.max_ports)
		return -ENOSPC;
	if (vsw_find_port(sw, port->name))
		return -EEXIST;
	port->id = ++sw->next_id;
	list_push(&sw->ports, &port->link);
	port->registered = true;
	sw->n_ports++;
	return 0;
}

/**
 * vsw_remove_port() - take a port out of the switch (down first if up).
 * @sw:		the switch
 * @port:	a registered port; its memory stays the caller's
 */
void vsw_remove_port(struct vsw *sw, struct port *port)
{
	if (!port->registered)
		return;
	vsw_port_down(sw, port);
	list_unlink(&sw->ports, &port->link);
	port->registered = false;
	sw->n_ports--;
}

/**
 * vsw_port_up() - start forwarding to and from @port.
 * @sw:		the switch
 * @port:	a registered port that can send
 */
void vsw_port_up(struct vsw *sw, struct port *port)
{
	if (port_is_up(port) || !port->ops->send)
		return;
	port->fwd_index = (int)sw->n_fwd;
	sw->fwd[sw->n_fwd++] = port;
}

/**
 * vsw_port_down() - stop forwarding to @port and forget its MACs.
 * @sw:		the switch
 * @port:	the port; no-op if it is not up
 */
void vsw_port_down(struct vsw *sw, struct port *port)
{
	unsigned int i;

	if (!port_is_up(port))
		return;
	i = (unsigned int)port->fwd_index;
	sw->fwd[i] = sw->fwd[--sw->n_fwd];
	sw->fwd[i]->fwd_index = (int)i;
	sw->fwd[sw->n_fwd] = NULL;
	port->fwd_index = -1;
	fdb_flush_owner(sw->fdb, port);
}

static void vsw_destroy_port(void *obj)
{
	struct port *port = obj;

	port->ops->destroy(port);
}

/**
 * vsw_release_port() - the last step of closing a port at runtime.
 * @sw:		the switch
 * @port:	a port none of whose requests is in flight
 *
 * Detaches its taps, takes it out of the switch and frees it once the
 * current batch of completions has been dispatched.
 */
void vsw_release_port(struct vsw *sw, struct port *port)
{
	port_detach_taps(port);
	vsw_remove_port(sw, port);
	loop_defer_free(sw->loop, port, vsw_destroy_port);
}

struct port *vsw_find_port(const struct vsw *sw, const char *name)
{
	list_for_each(p, &sw->ports, struct port, link)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/**
 * vsw_first_port() - the first port of the switch's list.
 * @sw:	the switch
 *
 * With vsw_port_next(), the one way to walk the ports outside the core
 * (the links themselves are the core's).
 *
 * Return: the newest registered port, or NULL.
 */
struct port *vsw_first_port(const struct vsw *sw)
{
	return list_first(&sw->ports, struct port, link);
}

/**
 * vsw_port_next() - the port after @port in the switch's list.
 * @port:	a registered port
 *
 * Return: the next older port, or NULL after the last.
 */
struct port *vsw_port_next(const struct port *port)
{
	return list_next(port, struct port, link);
}

unsigned int vsw_n_ports(const struct vsw *sw)
{
	return sw->n_ports;
}

static void vsw_output_one(struct port *out, const uint8_t *frame, size_t len,
			   const struct frame_meta *meta)
{
	int ret = meta ? out->ops->send_meta(out, frame, len, meta)
		       : out->ops->send(out, frame, len);

	if (likely(ret == 0)) {
		if (unlikely(out->taps))
			port_tap_run(out, frame, len);
		return;
	}
	/* The same counters as the ports' own send errors; never logged. */
	port_count_tx_error(out, ret);
}

/*
 * A frame with offload meta for a port that takes none: finish its
 * checksum, or cut it into segments, in the scratch buffer.
 */
static void vsw_output_finish(struct vsw *sw, struct port *out,
			      const uint8_t *frame, size_t len,
			      const struct frame_meta *meta)
{
	struct offload_seg seg;
	size_t n;

	if (!offload_is_gso(meta)) {
		if (len > sw->params.max_frame) {
			out->stats.tx_drop_too_big++;
			return;
		}
		memcpy(sw->scratch, frame, len);
		offload_complete_csum(sw->scratch, len, meta);
		vsw_output_one(out, sw->scratch, len, NULL);
		return;
	}
	if (offload_seg_max_len(meta) > sw->params.max_frame) {
		out->stats.tx_drop_too_big++;
		return;
	}
	offload_seg_init(&seg, frame, len, meta);
	while ((n = offload_seg_next(&seg, sw->scratch, OFFLOAD_MAX_FRAME)))
		vsw_output_one(out, sw->scratch, n, NULL);
}

static void vsw_output(struct vsw *sw, struct port *out, const uint8_t *frame,
		       size_t len, const struct frame_meta *meta)
{
	if (likely(!meta))
		vsw_output_one(out, frame, len, NULL);
	else if (out->offload)
		vsw_output_one(out, frame, len, meta);
	else
		vsw_output_finish(sw, out, frame, len, meta);
}

/* The hash of (@mac, @vlan): @prev's when @prev names the same key. */
static uint32_t vsw_hash(const struct vsw *sw, const struct vsw_item *prev,
			 const uint8_t *mac, uint16_t vlan)
{
	if (prev && prev->eth.vlan == vlan) {
		if (!memcmp(prev->eth.src, mac, ETH_ADDR_LEN))
			return prev->src_hash;
		if (!memcmp(prev->eth.dst, mac, ETH_ADDR_LEN) &&
		    !eth_is_multicast(mac))
			return prev->dst_hash;
	}
	return fdb_key_hash(sw->fdb, mac, vlan);
}

/*
 * Checks and parses a frame received on @in into @it, hashing its keys
 * (a stream of frames mostly repeats its addresses: @prev, the frame
 * before it in a batch, lends its hashes).
 * Return: false if it is dropped (and counted).
 */
static bool vsw_parse(struct vsw *sw, struct port *in, struct vsw_item *it,
		      const struct vsw_item *prev,
		      const struct frame_meta *meta)
{
	size_t max = meta && offload_is_gso(meta) ? OFFLOAD_MAX_FRAME
						  : sw->params.max_frame;

	if (unlikely(it->len > max)) {
		in->stats.rx_too_big++;
		goto drop;
	}
	switch (eth_parse(it->frame, it->len, &it->eth)) {
	case ETH_OK:
		break;
	case ETH_RUNT:
		in->stats.rx_runt++;
		goto drop;
	case ETH_BAD_SRC:
		in->stats.rx_bad_src++;
		goto drop;
	}
	it->src_hash = vsw_hash(sw, prev, it->eth.src, it->eth.vlan);
	if (!eth_is_multicast(it->eth.dst))
		it->dst_hash = vsw_hash(sw, prev, it->eth.dst, it->eth.vlan);
	return true;
drop:
	sw->stats.dropped++;
	return false;
}

static void vsw_learn(struct vsw *sw, struct port *in,
		      const struct vsw_item *it, uint64_t now)
{
	static struct log_rl moved_rl = LOG_RL_INIT(5, 10000);
	const struct eth_info *eth = &it->eth;
	enum fdb_learn_result r;

	r = fdb_learn_hashed(sw->fdb, eth->src, eth->vlan, it->src_hash, in,
			     now);
	if (likely(r == FDB_LEARN_REFRESHED))
		return;
	if (r == FDB_LEARN_NEW && !sw->aging.armed)
		loop_timer_arm(sw->loop, &sw->aging,
			       now + (uint64_t)sw->params.mac_aging_s * 1000);
	if (r == FDB_LEARN_MOVED || r == FDB_LEARN_HELD) {
		char mac[ETH_MAC_STR_LEN];

		eth_format_mac(eth->src, mac);
		log_info_rl(&moved_rl, "MAC %s (vlan %u) %s to port %s%s", mac,
			    eth->vlan,
			    r == FDB_LEARN_MOVED ? "moved" : "tried to move",
			    in->name,
			    r == FDB_LEARN_HELD ? " (held: flapping?)" : "");
	}
}

/* Learns the source of a parsed frame and sends it where it goes. */
static void vsw_forward(struct vsw *sw, struct port *in,
			const struct vsw_item *it,
			const struct frame_meta *meta, uint64_t now)
{
	struct port *out;

	in->stats.rx_frames++;
	in->stats.rx_bytes += it->len;
	if (unlikely(in->taps))
		port_tap_run(in, it->frame, it->len);
	vsw_learn(sw, in, it, now);

	if (!eth_is_multicast(it->eth.dst)) {
		out = fdb_lookup_hashed(sw->fdb, it->eth.dst, it->eth.vlan,
					it->dst_hash, now);
		if (out == in) {
			in->stats.rx_hairpin++;
			return;
		}
		if (out) {
			sw->stats.unicast++;
			vsw_output(sw, out, it->frame, it->len, meta);
			return;
		}
	}
	sw->stats.flooded++;
	for (unsigned int i = 0; i < sw->n_fwd; i++)
		if (sw->fwd[i] != in)
			vsw_output(sw, sw->fwd[i], it->frame, it->len, meta);
}

/**
 * vsw_input() - forward one frame received on @in.
 * @sw:		the switch
 * @in:		the port it arrived on (up)
 * @frame:	frame bytes, borrowed for the call
 * @len:	frame length
 */
void vsw_input(struct vsw *sw, struct port *in, const uint8_t *frame,
	       size_t len)
{
	vsw_input_meta(sw, in, frame, len, NULL);
}

/**
 * vsw_input_meta() - forward one frame that may carry offload meta.
 * @sw:		the switch
 * @in:		the port it arrived on (up)
 * @frame:	frame bytes, borrowed for the call
 * @len:	frame length; a GSO super-frame may exceed max_frame, up to
 *		OFFLOAD_MAX_FRAME
 * @meta:	validated offload meta (switch/core/offload.h), borrowed, or NULL
 *
 * Ports with offloads get the frame and @meta whole; for the others the
 * checksum is finished or the super-frame segmented on the way out.
 */
void vsw_input_meta(struct vsw *sw, struct port *in, const uint8_t *frame,
		    size_t len, const struct frame_meta *meta)
{
	struct vsw_item it = { .frame = frame, .len = len };

	vsw_batch_flush(sw);
	if (vsw_parse(sw, in, &it, NULL, meta))
		vsw_forward(sw, in, &it, meta, loop_now(sw->loop));
}

/**
 * vsw_batch_add() - queue a received frame for vsw_batch_flush().
 * @sw:		the switch
 * @in:		the port it arrived on (up)
 * @frame:	frame bytes, valid until the flush
 * @len:	frame length
 *
 * For ports that receive many frames at once (a stream buffer holds
 * hundreds of small ones): the batch is forwarded as vsw_input() would,
 * in order, but the MAC table's memory is fetched for all its frames
 * before any is forwarded, so a large table costs one round of cache
 * misses per batch rather than one per frame.  A frame of another port,
 * a full batch, or vsw_input() flush the batch first.  The caller
 * flushes before the frames' memory goes.
 */
void vsw_batch_add(struct vsw *sw, struct port *in, const uint8_t *frame,
		   size_t len)
{
	if (sw->n_batch == VSW_BATCH_MAX || (sw->n_batch && sw->batch_in != in))
		vsw_batch_flush(sw);
	sw->batch_in = in;
	sw->batch[sw->n_batch++] =
		(struct vsw_item){ .frame = frame, .len = len };
}

/**
 * vsw_batch_flush() - forward the frames vsw_batch_add() queued.
 * @sw:	the switch
 */
void vsw_batch_flush(struct vsw *sw)
{
	struct port *in = sw->batch_in;
	unsigned int n = sw->n_batch, k = 0;
	uint64_t now;

	if (!n)
		return;
	sw->n_batch = 0;
	/* Hash every key and fetch the slots it names... */
	for (unsigned int i = 0; i < n; i++) {
		struct vsw_item *it = &sw->batch[i];

		if (!vsw_parse(sw, in, it, k ? &sw->batch[k - 1] : NULL, NULL))
			continue;
		fdb_prefetch(sw->fdb, it->src_hash);
		if (!eth_is_multicast(it->eth.dst))
			fdb_prefetch(sw->fdb, it->dst_hash);
		sw->batch[k++] = *it;
	}
	/* ...then what refreshing the sources will write... */
	for (unsigned int i = 0; i < k; i++)
		fdb_prefetch_links(sw->fdb, sw->batch[i].eth.src,
				   sw->batch[i].eth.vlan,
				   sw->batch[i].src_hash);
	/* ...and forward them, in order. */
	now = loop_now(sw->loop);
	for (unsigned int i = 0; i < k; i++)
		vsw_forward(sw, in, &sw->batch[i], NULL, now);
}
