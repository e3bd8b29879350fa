/*
 * ctl.h - the control socket: newline-delimited JSON over a UNIX socket.
 *
 * Served from the io_uring loop like any port, so a slow or hostile client
 * never holds up forwarding: each client has a bounded input line and an
 * output buffer; while a client's replies wait unread, its further
 * requests wait too (in the kernel's socket buffer), so memory stays
 * bounded by one reply.  A malformed request gets an error reply; a line
 * over the limit closes that client.  See docs/control-protocol.md.
 *
 * Three files, one job each: ctl.c is the transport (sockets, lines,
 * buffers, capture streams) and knows nothing of the commands; it hands
 * each line to ctl-dispatch.c, which parses it, checks the arguments as
 * the command table declares them and builds the reply; ctl-cmds.c is
 * the table and the handlers, and ctl_server_new() there binds them to
 * the daemon.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_CTL_H
#define VSW_SWITCH_CTL_H

#include <stddef.h>
#include <stdint.h>

/* The transport hands lines to the dispatcher (and CTL_ERR_MAX is its). */
#include "switch/control/ctl-dispatch.h"

struct vswd;
struct loop;
struct cfg_control;
struct ctl_server;
struct ctl_client;
struct port;

enum {
	CTL_MAX_LINE = 65536,
};

/* ctl-cmds.c: the daemon's control server, its commands registered. */
struct ctl_server *ctl_server_new(struct vswd *d, int *err);
const struct ctl_cmd *ctl_cmds_table(size_t *n);
/* ctl.c: the transport. */
struct ctl_server *ctl_server_open(struct loop *loop,
				   const struct cfg_control *cc,
				   const struct ctl_registry *reg, int *err);
void ctl_server_stop(struct ctl_server *srv);
void ctl_server_free(struct ctl_server *srv);
const char *ctl_server_path(const struct ctl_server *srv);
void ctl_server_usage(const struct ctl_server *srv, unsigned int *clients,
		      size_t *buffered);

int ctl_client_start_capture(struct ctl_client *client, struct port *port,
			     uint32_t snaplen);

#endif /* VSW_SWITCH_CTL_H */
