/*
 * sockaddr.h - socket address parsing and formatting for ports.
 *
 * Every address a port or the control socket binds, connects to or hears
 * from is a struct vsw_sockaddr: a sockaddr_storage with its length, so
 * IPv4, IPv6 and UNIX paths share one code path.  Parsing takes literal
 * addresses only (a configuration never waits on name lookups) and UNIX
 * paths that fit sun_path; formatting gives the text that logs and the
 * control socket show as a peer.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_PORTS_SOCKADDR_H
#define VSW_PORTS_SOCKADDR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/**
 * struct vsw_sockaddr - any address a port binds, connects or peers with.
 * @ss:		the address
 * @len:	its length
 */
struct vsw_sockaddr {
	struct sockaddr_storage ss;
	socklen_t len;
};

int sockaddr_from_ip(struct vsw_sockaddr *sa, const char *ip, uint16_t port);
int sockaddr_from_path(struct vsw_sockaddr *sa, const char *path);
void sockaddr_format(const struct sockaddr *sa, socklen_t len, char *buf,
		     size_t size);
int sockaddr_local_port(int fd);

#endif /* VSW_PORTS_SOCKADDR_H */
