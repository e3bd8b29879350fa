/*
 * sockaddr.h - socket address parsing and formatting for ports.
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
