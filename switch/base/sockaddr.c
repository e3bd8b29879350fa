/*
 * sockaddr.c - socket address helpers (see sockaddr.h).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/base/sockaddr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "switch/base/util.h"

/**
 * sockaddr_from_ip() - build an IPv4 or IPv6 address from literal text.
 * @sa:		result
 * @ip:		"127.0.0.1" or "::1"; no name lookups
 * @port:	port number
 *
 * Return: 0 or -EINVAL.
 */
int sockaddr_from_ip(struct vsw_sockaddr *sa, const char *ip, uint16_t port)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)&sa->ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&sa->ss;

	memset(sa, 0, sizeof(*sa));
	if (inet_pton(AF_INET, ip, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		sa->len = sizeof(*in4);
		return 0;
	}
	if (inet_pton(AF_INET6, ip, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		sa->len = sizeof(*in6);
		return 0;
	}
	return -EINVAL;
}

/**
 * sockaddr_from_path() - build a UNIX socket address.
 * @sa:		result
 * @path:	filesystem path
 *
 * Return: 0 or -ENAMETOOLONG.
 */
int sockaddr_from_path(struct vsw_sockaddr *sa, const char *path)
{
	struct sockaddr_un *un = (struct sockaddr_un *)&sa->ss;

	memset(sa, 0, sizeof(*sa));
	un->sun_family = AF_UNIX;
	if (!strlcpy_(un->sun_path, path, sizeof(un->sun_path)))
		return -ENAMETOOLONG;
	sa->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
			      strlen(path) + 1);
	return 0;
}

/**
 * sockaddr_format() - "1.2.3.4:80", "[::1]:80" or the UNIX path.
 * @sa:		address
 * @len:	its length
 * @buf:	output
 * @size:	size of @buf
 */
void sockaddr_format(const struct sockaddr *sa, socklen_t len, char *buf,
		     size_t size)
{
	char ip[INET6_ADDRSTRLEN];

	switch (sa->sa_family) {
	case AF_INET: {
		const struct sockaddr_in *in4 = (const void *)sa;

		inet_ntop(AF_INET, &in4->sin_addr, ip, sizeof(ip));
		snprintf(buf, size, "%s:%u", ip, ntohs(in4->sin_port));
		break;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
		snprintf(buf, size, "[%s]:%u", ip, ntohs(in6->sin6_port));
		break;
	}
	case AF_UNIX: {
		const struct sockaddr_un *un = (const void *)sa;
		size_t plen = len > offsetof(struct sockaddr_un, sun_path)
				      ? len - offsetof(struct sockaddr_un,
						       sun_path)
				      : 0;

		snprintf(buf, size, "%.*s", (int)strnlen(un->sun_path, plen),
			 un->sun_path);
		break;
	}
	default:
		snprintf(buf, size, "(family %d)", sa->sa_family);
	}
}

/**
 * sockaddr_local_port() - the port an inet socket is bound to.
 * @fd: bound socket
 *
 * Return: the port, or a negative errno.
 */
int sockaddr_local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return -errno;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return -EAFNOSUPPORT;
}
