/*
 * port-types.c - the registry: every port type, in documentation order.
 *
 * The order is that of docs/vswitchd.json.5.md and of the "valid types"
 * list in the configuration's messages.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "ports/port.h"

#include <errno.h>
#include <stdlib.h>

#include "switch/core/port.h"
#include "switch/core/switch.h"
#include "switch/config/cfg.h"
#include "switch/base/util.h"

static const struct port_type *const port_types[] = {
	&tcp_listen_port_type,
	&unix_listen_port_type,
	&tcp_connect_port_type,
	&unix_connect_port_type,
	&udp_port_type,
	&unix_dgram_port_type,
	&mcast_port_type,
	&tap_port_type,
};

const struct cfg_port_type *cfg_port_type_at(size_t i)
{
	return i < ARRAY_SIZE(port_types) ? &port_types[i]->cfg : NULL;
}

/* The DHCP server first: the uplink's forwards name its reservations. */
static const struct port_section_type *const section_types[] = {
	&dhcp_section_type,
#ifdef HAVE_SLIRP
	&slirp_section_type,
#endif
};

const struct port_section_type *port_section_type_at(size_t i)
{
	return i < ARRAY_SIZE(section_types) ? section_types[i] : NULL;
}

/**
 * port_create() - create, register and start the port a config entry names.
 * @sw:		the switch
 * @cfg:	validated port configuration
 *
 * Return: 0, or a negative errno after logging what failed.
 */
int port_create(struct vsw *sw, const struct cfg_port *cfg)
{
	return port_type_of(cfg)->create(sw, cfg);
}

/**
 * port_keep_cfg() - remember the configuration a port was created from.
 * @port:	the new port
 * @cfg:	its configuration (copied)
 *
 * Return: 0 or -ENOMEM.
 */
int port_keep_cfg(struct port *port, const struct cfg_port *cfg)
{
	port->cfg = malloc(sizeof(*cfg));
	if (!port->cfg)
		return -ENOMEM;
	*port->cfg = *cfg;
	return 0;
}

/**
 * port_register() - keep a new port's configuration and add it to the switch.
 * @port:	the new port (initialised, not yet registered)
 * @cfg:	its configuration (copied)
 *
 * The last step every configured port takes before it starts; on failure
 * the caller destroys the port as it would before this step.
 *
 * Return: 0, -ENOMEM, or vsw_add_port()'s error (-ENOSPC, ...).
 */
int port_register(struct port *port, const struct cfg_port *cfg)
{
	int ret = port_keep_cfg(port, cfg);

	return ret ? ret : vsw_add_port(port->sw, port);
}
