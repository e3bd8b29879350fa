/*
 * slirp.h - the libslirp NAT uplink port.
 *
 * The uplink is one port named "slirp" whose peer is libslirp, run inside
 * the daemon's io_uring loop: its sockets sit in a private epoll set that
 * one POLL_ADD watches, its timers are loop timers, and the frames it
 * emits are queued and injected from the port's flush, never from inside
 * forwarding.  Guests reach the host (the gateway address) and, unless
 * "restrict" is set, the outside world through ordinary sockets of the
 * daemon; host forwards are added from the configuration or at runtime
 * (the forwards control commands).  It is configured by the top-level
 * "slirp" section, so there is at most one per switch.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_PORTS_SLIRP_H
#define VSW_PORTS_SLIRP_H

#include <stdbool.h>
#include <stddef.h>

struct vsw;
struct port;
struct cfg_slirp;
struct cfg_forward;
struct json_t;

/* Name of the uplink's port. */
#define SLIRP_PORT_NAME "slirp"

int slirp_port_create(struct vsw *sw, const struct cfg_slirp *cfg,
		      struct port **out);
bool port_is_slirp(const struct port *port);
struct json_t *slirp_port_forwards(const struct port *port);
int slirp_port_forward_add(struct port *port, const struct cfg_forward *fw,
			   char *err, size_t err_size);
int slirp_port_forward_del(struct port *port, const struct cfg_forward *fw,
			   char *err, size_t err_size);

#endif /* VSW_PORTS_SLIRP_H */
