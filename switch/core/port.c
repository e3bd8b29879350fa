/*
 * port.c - the port base: initialisation, creation from configuration
 * (through the type's descriptor), taps, children and deferred release.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/core/port.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "switch/base/log.h"
#include "switch/core/switch.h"
#include "switch/base/util.h"

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
 * port_fini() - release what the base owns (the configuration copy).
 * @port: the port, about to be freed by its type
 */
void port_fini(struct port *port)
{
	free(port->cfg);
	port->cfg = NULL;
}

void port_tap_add(struct port *port, struct port_tap *tap)
{
	tap->next = port->taps;
	port->taps = tap;
}

void port_tap_del(struct port *port, struct port_tap *tap)
{
	for (struct port_tap **pp = &port->taps; *pp; pp = &(*pp)->next) {
		if (*pp == tap) {
			*pp = tap->next;
			tap->next = NULL;
			return;
		}
	}
}

/**
 * port_tap_run() - show a frame to every tap of @port.
 * @port:	the port
 * @frame:	the frame, borrowed
 * @len:	its length
 */
void port_tap_run(struct port *port, const uint8_t *frame, size_t len)
{
	for (struct port_tap *t = port->taps; t; t = t->next)
		t->fn(t, frame, len);
}

/**
 * port_detach_taps() - tell every tap the port is going away.
 * @port: the port
 */
void port_detach_taps(struct port *port)
{
	while (port->taps) {
		struct port_tap *t = port->taps;

		port->taps = t->next;
		t->next = NULL;
		t->detach(t);
	}
}

/**
 * port_adopt() - make @child one of the ports @parent owns.
 * @parent:	the owner (a listener, a udp port)
 * @child:	a port just registered with vsw_add_port()
 *
 * A removed parent is not released while it has children: they use its
 * socket or its counters until they go (port_release()).
 */
void port_adopt(struct port *parent, struct port *child)
{
	child->parent = parent;
	list_push(&parent->children, &child->sib);
	parent->n_children++;
}

/**
 * port_close_children() - start removing every child of @parent.
 * @parent:	the parent
 */
void port_close_children(struct port *parent)
{
	port_for_each_child(c, parent)
		c->ops->close(c);
}

/**
 * port_hold() - one more operation the port must see end before release.
 * @port:	the port
 */
void port_hold(struct port *port)
{
	port->held++;
}

/**
 * port_unhold() - an operation port_hold() counted has ended.
 * @port:	the port; may be released here if it is being removed
 */
void port_unhold(struct port *port)
{
	VSW_BUG_ON(!port->held);
	port->held--;
	port_settle(port);
}

/**
 * port_settle() - release a removed port once nothing keeps it.
 * @port:	the port
 *
 * Does nothing until ops->close() has set @removing, no operation is held
 * and every child is released; then runs ops->finish, logs the removal and
 * releases the port (port_release()).  Safe to call at any time, and again
 * after the release.
 */
void port_settle(struct port *port)
{
	if (!port->removing || port->held || port->n_children ||
	    !port->registered)
		return;
	if (port->ops->finish)
		port->ops->finish(port);
	log_info("port %s: removed", port->name);
	port_release(port);
}

/**
 * port_release() - the end of a port: out of its parent and the switch.
 * @port:	a registered port none of whose requests is in flight
 *
 * Frees it after the current batch of completions (vsw_release_port()),
 * then settles the parent, which may have waited for this last child.
 */
void port_release(struct port *port)
{
	struct port *parent = port->parent;

	if (parent) {
		list_unlink(&parent->children, &port->sib);
		parent->n_children--;
	}
	vsw_release_port(port->sw, port);
	if (parent)
		port_settle(parent);
}
