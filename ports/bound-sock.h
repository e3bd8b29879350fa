/*
 * bound-sock.h - the socket a listener or a datagram port binds.
 *
 * tcp-listen, unix-listen, udp and unix-dgram ports each own one socket
 * bound where their configuration says (an address and port, or a UNIX
 * path), and they open, describe and close it alike; only the socket's
 * kind differs (a stream socket that listens, or a datagram socket).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_PORTS_BOUND_SOCK_H
#define VSW_PORTS_BOUND_SOCK_H

#include <stdbool.h>

#include "switch/base/unix-sock.h"
#include "switch/config/cfg.h"

/**
 * struct bound_sock - a port's bound socket.
 * @fd:		the socket, -1 when closed
 * @is_unix:	AF_UNIX (else IP)
 * @path:	unix: the socket path we created
 * @path_id:	unix: its identity, so we unlink only our own
 * @bound:	text form of the bound address (for logs and QEMU arguments)
 */
struct bound_sock {
	int fd;
	bool is_unix;
	char path[CFG_PATH_MAX];
	struct unix_sock_id path_id;
	char bound[CFG_PATH_MAX + 8];
};

int bound_sock_open(struct bound_sock *bs, const struct cfg_port *cfg,
		    int backlog);
void bound_sock_log_err(const struct bound_sock *bs,
			const struct cfg_port *cfg, const char *verb, int err);
void bound_sock_close(struct bound_sock *bs);

#endif /* VSW_PORTS_BOUND_SOCK_H */
