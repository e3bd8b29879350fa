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
 * Commands live in ctl-cmds.c as a table; this file is only transport.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_CTL_H
#define VSW_SWITCH_CTL_H

#include <stddef.h>
#include <stdint.h>

struct vswd;
struct ctl_server;
struct ctl_client;
struct port;
struct json_t;

enum {
	CTL_MAX_LINE = 65536,
	CTL_ERR_MAX = 256,
};

/**
 * struct ctl_req - one request being answered.
 * @d:		the daemon
 * @client:	who asked (for commands that change the connection)
 * @args:	the "args" object (never NULL: empty when absent)
 * @result:	set by the command on success (a new reference), or NULL
 *		for {}
 * @err:	set by the command on failure
 */
struct ctl_req {
	struct vswd *d;
	struct ctl_client *client;
	struct json_t *args;
	struct json_t *result;
	char err[CTL_ERR_MAX];
};

/* Runs a command: 0, or a negative errno with req->err filled. */
typedef int ctl_cmd_fn(struct ctl_req *req);

/**
 * struct ctl_cmd - one entry of the command table.
 * @name:	"port/show"
 * @args:	argument summary for help
 * @help:	one line of help
 * @fn:		implementation
 */
struct ctl_cmd {
	const char *name;
	const char *args;
	const char *help;
	ctl_cmd_fn *fn;
};

const struct ctl_cmd *ctl_find_cmd(const char *name);
const struct ctl_cmd *ctl_cmds(size_t *n);

struct ctl_server *ctl_server_new(struct vswd *d, int *err);
void ctl_server_stop(struct ctl_server *srv);
void ctl_server_free(struct ctl_server *srv);
const char *ctl_server_path(const struct ctl_server *srv);
void ctl_server_usage(const struct ctl_server *srv, unsigned int *clients,
		      size_t *buffered);

int ctl_client_start_capture(struct ctl_client *client, struct port *port,
			     uint32_t snaplen);

int ctl_fail(struct ctl_req *req, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* VSW_SWITCH_CTL_H */
