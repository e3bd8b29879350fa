/*
 * unix-sock.h - bound UNIX sockets that are safe to create and remove.
 *
 * Used by unix-listen and unix-dgram ports and by the control socket;
 * unix_sock_peer_pid() by both kinds of UNIX stream port.  A
 * socket file left by a daemon that died is replaced; one that a live
 * process still accepts on (or, for datagram sockets, is bound to) is
 * refused, and anything that is not a socket is never touched.  The socket
 * is created with its final mode (no window where it is wider), and at exit
 * it is unlinked only if the file is still the one we bound.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_PORTS_UNIX_SOCK_H
#define VSW_PORTS_UNIX_SOCK_H

#include <stdbool.h>
#include <sys/types.h>

/**
 * struct unix_sock_id - identity of a socket file we created.
 * @dev, @ino:	from stat() right after bind()
 * @valid:	a file was created
 */
struct unix_sock_id {
	dev_t dev;
	ino_t ino;
	bool valid;
};

int unix_sock_bind(const char *who, const char *path, unsigned int mode,
		   long gid, int type, struct unix_sock_id *id);
int unix_sock_listen(const char *who, const char *path, unsigned int mode,
		     long gid, int backlog, struct unix_sock_id *id);
void unix_sock_unlink(const char *path, struct unix_sock_id *id);
const char *unix_sock_strerror(int err);
int unix_sock_peer_pid(int fd);

#endif /* VSW_PORTS_UNIX_SOCK_H */
