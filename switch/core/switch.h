/*
 * switch.h - the forwarding core: port registry, learning and forwarding.
 *
 * vsw_input() is called by a port for every frame it receives.  It checks
 * the header, learns the source (MAC, VLAN) on the input port, and sends the
 * frame to the one port that owns the destination, or floods it to every
 * other up port when the destination is a group address or unknown.  A frame
 * never goes back out of the port it came in on.  802.1Q tags pass through
 * untouched; the VLAN id is part of the learning key, so the same MAC on two
 * VLANs is two entries.
 *
 * Sends only queue the frame on the output port (ports copy it into their
 * bounded TX queue), so one slow or stuck port loses its own copies and
 * never stalls the others.  The frame passed in is borrowed for the call.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_SWITCH_H
#define VSW_SWITCH_SWITCH_H

#include <stddef.h>
#include <stdint.h>

#include "switch/core/vsw-params.h"

struct vsw;
struct port;
struct loop;
struct fdb;
struct frame_meta;

/**
 * struct vsw_stats - switch-wide counters.
 * @flooded:	frames sent to every other port
 * @unicast:	frames sent to exactly one port
 * @dropped:	frames dropped on input (see the ports' counters for why);
 *		a frame whose destination sits on its own input port is
 *		counted only in that port's rx_hairpin
 */
struct vsw_stats {
	uint64_t flooded, unicast, dropped;
};

struct vsw *vsw_new(struct loop *loop, const struct vsw_params *params, int *err);
void vsw_free(struct vsw *sw);
int vsw_set_params(struct vsw *sw, const struct vsw_params *params);

struct loop *vsw_loop(const struct vsw *sw);
struct fdb *vsw_fdb(const struct vsw *sw);
const struct vsw_params *vsw_get_params(const struct vsw *sw);
const struct vsw_stats *vsw_stats(const struct vsw *sw);
void vsw_reset_stats(struct vsw *sw);

int vsw_add_port(struct vsw *sw, struct port *port);
void vsw_remove_port(struct vsw *sw, struct port *port);
void vsw_release_port(struct vsw *sw, struct port *port);
void vsw_port_up(struct vsw *sw, struct port *port);
void vsw_port_down(struct vsw *sw, struct port *port);
struct port *vsw_find_port(const struct vsw *sw, const char *name);
struct port *vsw_first_port(const struct vsw *sw);
struct port *vsw_port_next(const struct port *port);
unsigned int vsw_n_ports(const struct vsw *sw);

/*
 * Every registered port, newest first.  The body must not release a port
 * other than @p_ (a release only defers the free, so @p_ stays readable).
 */
#define vsw_for_each_port(p_, sw_)                                             \
	for (struct port *p_ = vsw_first_port(sw_); p_; p_ = vsw_port_next(p_))

void vsw_input(struct vsw *sw, struct port *in, const uint8_t *frame,
	       size_t len);
void vsw_input_meta(struct vsw *sw, struct port *in, const uint8_t *frame,
		    size_t len, const struct frame_meta *meta);

/* Frames forwarded together by vsw_batch_flush(). */
enum { VSW_BATCH_MAX = 32 };
void vsw_batch_add(struct vsw *sw, struct port *in, const uint8_t *frame,
		   size_t len);
void vsw_batch_flush(struct vsw *sw);

#endif /* VSW_SWITCH_SWITCH_H */
