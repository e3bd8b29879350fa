/*
 * daemon.h - the running daemon: switch, configuration, control socket.
 *
 * struct vswd ties together what lives for the daemon's lifetime and what
 * the control commands act on.  It keeps the running configuration: the
 * switch settings and the configured ports that exist right now (ports
 * added at runtime included, deleted ones gone), so a reload can compare
 * the file with what runs and change only the difference.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_DAEMON_H
#define VSW_SWITCH_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "switch/config/cfg.h"
#include "switch/base/loop.h"

struct vsw;
struct port;
struct ctl_server;
struct json_t;

/* Room for the section port types (ports/port-types.c has two). */
enum { VSWD_MAX_SECTIONS = 4 };

/**
 * struct vswd - the daemon.
 * @loop:	event loop
 * @sw:		the switch
 * @cfg:	running configuration
 * @config_path: file it came from, NULL for the built-in default
 * @cli_runtime_dir: runtime directory from the command line or environment
 * @level_override: log level forced by the command line, -1 for none
 * @ctl:	control socket server
 * @started:	wall-clock start time
 * @started_ms:	loop time at start
 * @pending:	ports waiting to be created once their old selves are gone
 * @n_pending:	entries in @pending
 * @pending_since: loop time the wait started
 * @pending_timer: polls for the old ports to disappear
 * @sections:	the running port of each section port type (the DHCP
 *		server, the slirp uplink; port_section_type_at()), or NULL
 * @section_pending: a reload replaces that port once the old one is gone
 * @dhcp:	the DHCP server's internal port, or NULL
 * @slirp:	the slirp uplink's port, or NULL
 *
 * @dhcp and @slirp are what the control commands for leases and forwards
 * read; the daemon keeps them in step with @sections.
 */
struct vswd {
	struct loop *loop;
	struct vsw *sw;
	struct vsw_config cfg;
	const char *config_path;
	char cli_runtime_dir[CFG_PATH_MAX];
	int level_override;
	struct ctl_server *ctl;
	time_t started;
	uint64_t started_ms;
	struct cfg_port *pending;
	size_t n_pending;
	uint64_t pending_since;
	struct loop_timer pending_timer;
	struct port *sections[VSWD_MAX_SECTIONS];
	bool section_pending[VSWD_MAX_SECTIONS];
	struct port *dhcp;
	struct port *slirp;
};

int vswd_create_ports(struct vswd *d);
int vswd_port_add(struct vswd *d, const struct cfg_port *pc, char *err,
		  size_t err_size);
int vswd_port_del(struct vswd *d, struct port *port);
int vswd_reload(struct vswd *d, struct json_t **result, char *err,
		size_t err_size);
void vswd_apply_log_level(struct vswd *d);
void vswd_fini(struct vswd *d);

#endif /* VSW_SWITCH_DAEMON_H */
