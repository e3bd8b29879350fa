/*
 * port.c - port base initialisation and creation from configuration.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "ports/port.h"

#include <errno.h>
#include <string.h>

#include "switch/cfg.h"
#include "switch/util.h"

/**
 * port_init() - initialise the base of a new port.
 * @port:	zeroed or fresh memory for the port
 * @ops:	its type operations
 * @sw:		the switch
 * @name:	its name (truncated to PORT_NAME_MAX - 1)
 */
void port_init(struct port *port, const struct port_ops *ops,
	       struct vsw *sw, const char *name)
{
	memset(port, 0, sizeof(*port));
	port->ops = ops;
	port->sw = sw;
	port->fwd_index = -1;
	strlcpy_(port->name, name, sizeof(port->name));
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
	switch (cfg->type) {
	case CFG_PORT_TCP_LISTEN:
	case CFG_PORT_UNIX_LISTEN:
		return listen_port_create(sw, cfg);
	case CFG_PORT_TCP_CONNECT:
	case CFG_PORT_UNIX_CONNECT:
		return connect_port_create(sw, cfg);
	}
	return -EINVAL;
}
