/*
 * internal.h - the internal port: frames to and from an in-process handler.
 *
 * An internal port is an ordinary switch port whose peer is code inside
 * vswitchd rather than a VM: frames the switch sends to it go to the
 * handler, and frames the handler emits are queued (bounded, counted in
 * tx_drop_full... see internal.c) and enter the switch through vsw_input()
 * from the port's loop flush, never from inside forwarding.  The forwarding
 * path has no special case for it: to the switch it is a port like any
 * other, with a static MAC entry.  The embedded
 * DHCP server is the first handler.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_PORTS_INTERNAL_H
#define VSW_PORTS_INTERNAL_H

#include <stdbool.h>

struct vsw;
struct port;
struct cfg_dhcp;
struct json_t;

/* Name of the DHCP server's port. */
#define INTERNAL_DHCP_PORT_NAME "dhcp"

int internal_dhcp_create(struct vsw *sw, const struct cfg_dhcp *cfg,
			 struct port **out);
bool port_is_internal_dhcp(const struct port *port);
struct json_t *internal_dhcp_leases(struct port *port);
struct json_t *internal_dhcp_stats(const struct port *port);

#endif /* VSW_PORTS_INTERNAL_H */
