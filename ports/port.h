/*
 * port.h - the descriptor of a port type, and the registry of them.
 *
 * A port type is a file (or a file pair) in ports/ that defines one
 * struct port_type per "type" of the configuration: the configuration's
 * half (name, key table, parser; switch/config/cfg-keys.h) and how to create such
 * a port.  ports/port-types.c lists them in one table, which is all the
 * configuration and port_create() look at: neither knows any type by
 * name.
 *
 * The DHCP server and the slirp uplink are port types too, but their
 * configuration is a top-level section ("dhcp", "slirp") with one port of
 * the section's name: a struct port_section_type each, in a table of its
 * own, through which the daemon creates, reloads and deletes them.
 *
 * A new port type touches:
 *   - its own file (or file pair) in ports/: the port (struct port first,
 *     its struct port_ops with send, close, destroy and the optional
 *     hooks qemu_args, show, finish), its config keys and parser on
 *     switch/config/cfg-keys.h (new struct cfg_port fields, if any, go in
 *     switch/config/cfg.h), its create function and its const struct port_type;
 *   - one line in the table of ports/port-types.c, in documentation order,
 *     and its declaration beside the others in this header;
 *   - the file in libvsw_a_SOURCES (ports/automake.mk);
 *   - its section in docs/vswitchd.json.5.md (and the type list of
 *     README), and its tests: tests/config/ cases for its keys, a
 *     component or netns test that passes frames through it.
 * Nothing else names a type: the parser, port_create(), the daemon and
 * the control server all go through the table.  A type configured by a
 * top-level section instead (like "dhcp" and "slirp") defines a
 * struct port_section_type and takes a line in the second table of
 * ports/port-types.c; its section's parser is the configuration's
 * (switch/config/cfg-<section>.c, a member of struct vsw_config).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_PORTS_PORT_H
#define VSW_PORTS_PORT_H

#include "switch/config/cfg-keys.h"
#include "switch/base/util.h"

struct cfg_port;
struct port;
struct vsw;

/**
 * struct port_type - a port type: one per "type" of the configuration.
 * @cfg:	its name, config keys and parser; first, so that a
 *		struct cfg_port's type leads back here (port_type_of())
 * @create:	create, register and start a port of this type from its
 *		validated configuration; returns 0, or a negative errno
 *		after logging what failed
 *
 * What the ports it creates do, and the hooks they offer (qemu_args,
 * show, finish), is their struct port_ops, which @create chooses per port
 * (an IPv6 mcast group offers no QEMU arguments).
 */
struct port_type {
	struct cfg_port_type cfg;
	int (*create)(struct vsw *sw, const struct cfg_port *cfg);
};

/*
 * The initializer of a struct port_type: the name of its "type", its
 * parser, its key table and its create function, then any other member
 * of its cfg (".unique_path = true").
 */
#define PORT_TYPE(name_, parse_, keys_, create_, ...)                          \
	{ .cfg = { .name = (name_),                                            \
		   .parse = (parse_),                                          \
		   .keys = (keys_),                                            \
		   .n_keys = ARRAY_SIZE(keys_),                                \
		   __VA_ARGS__ },                                              \
	  .create = (create_) }

/**
 * port_type_of() - the descriptor of a configured port's type.
 * @cfg:	a validated port configuration
 *
 * Return: the registry entry its type names.
 */
static inline const struct port_type *port_type_of(const struct cfg_port *cfg)
{
	return container_of(cfg->type, struct port_type, cfg);
}

/**
 * struct port_section_type - a port type configured by a top-level section.
 * @name:	the section, and the name of its one port ("dhcp")
 * @what:	what it is, for the log ("the DHCP server")
 * @removable:	"port del" may remove it (until a reload brings it back)
 * @enabled:	whether @cfg has the section (or its built-in default)
 * @same:	whether @a and @b configure it alike: a reload keeps it
 * @carry:	hand the section @running owns to @next (a reload that keeps
 *		the port: its settings stay those it runs with)
 * @forget:	take the section out of @cfg (it could not start, it was
 *		deleted), so that reloading the same file tries again
 * @create:	create, register and start the port from @cfg's section;
 *		returns 0 and sets *@out, or a negative errno (logged)
 *
 * The two descriptors initialise it in member order; the function
 * pointers' types keep them from being swapped.
 */
struct port_section_type {
	const char *name;
	const char *what;
	bool removable;
	bool (*enabled)(const struct vsw_config *cfg);
	bool (*same)(const struct vsw_config *a, const struct vsw_config *b);
	void (*carry)(struct vsw_config *next, struct vsw_config *running);
	void (*forget)(struct vsw_config *cfg);
	int (*create)(struct vsw *sw, const struct vsw_config *cfg,
		      struct port **out);
};

/**
 * port_section_type_at() - the section port types, in creation order.
 * @i:	index from 0
 *
 * Return: the @i-th type, or NULL past the last.
 */
const struct port_section_type *port_section_type_at(size_t i);

/* The port types, each defined in its own file (the order is the table's). */
extern const struct port_type tcp_listen_port_type, unix_listen_port_type;
extern const struct port_type tcp_connect_port_type, unix_connect_port_type;
extern const struct port_type udp_port_type, unix_dgram_port_type;
extern const struct port_type mcast_port_type, tap_port_type;
extern const struct port_section_type dhcp_section_type, slirp_section_type;

int port_create(struct vsw *sw, const struct cfg_port *cfg);
int port_keep_cfg(struct port *port, const struct cfg_port *cfg);
int port_register(struct port *port, const struct cfg_port *cfg);

#endif /* VSW_PORTS_PORT_H */
