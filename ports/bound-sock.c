/*
 * bound-sock.c - the socket a listener or a datagram port binds.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "ports/bound-sock.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "switch/core/port.h"
#include "switch/base/log.h"
#include "switch/base/sockaddr.h"
#include "switch/base/util.h"

static int bound_sock_open_unix(struct bound_sock *bs,
				const struct cfg_port *cfg, int backlog)
{
	char who[PORT_NAME_MAX + 8];
	int fd;

	snprintf(who, sizeof(who), "port %s", cfg->name);
	if (backlog)
		fd = unix_sock_listen(who, cfg->path, cfg->mode, -1, backlog,
				      &bs->path_id);
	else
		fd = unix_sock_bind(who, cfg->path, cfg->mode, -1, SOCK_DGRAM,
				    &bs->path_id);
	if (fd < 0)
		return fd;
	bs->fd = fd;
	strlcpy_(bs->path, cfg->path, sizeof(bs->path));
	strlcpy_(bs->bound, cfg->path, sizeof(bs->bound));
	return 0;
}

static int bound_sock_open_ip(struct bound_sock *bs,
			      const struct cfg_port *cfg, int backlog)
{
	struct vsw_sockaddr sa;
	int one = 1, ret;

	ret = sockaddr_from_ip(&sa, cfg->address, cfg->port);
	if (ret)
		return ret;
	bs->fd = socket(sa.ss.ss_family,
			backlog ? SOCK_STREAM | SOCK_CLOEXEC
				: SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			0);
	if (bs->fd < 0)
		return -errno;
	if (backlog)
		setsockopt(bs->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (sa.ss.ss_family == AF_INET6)
		setsockopt(bs->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			   sizeof(one));
	if (bind(bs->fd, (struct sockaddr *)&sa.ss, sa.len) < 0 ||
	    (backlog && listen(bs->fd, backlog) < 0))
		return -errno;
	if (backlog) {
		/* Port 0 lets the kernel choose: show the port it chose. */
		ret = sockaddr_local_port(bs->fd);
		if (ret < 0)
			return ret;
		sockaddr_from_ip(&sa, cfg->address, (uint16_t)ret);
	}
	sockaddr_format((struct sockaddr *)&sa.ss, sa.len, bs->bound,
			sizeof(bs->bound));
	return 0;
}

/**
 * bound_sock_open() - create and bind a port's socket from its configuration.
 * @bs:		the socket; @bs->is_unix says where to bind (@cfg's path, or
 *		its address and port), the rest is set here
 * @cfg:	the port's configuration
 * @backlog:	listen with this backlog (a stream socket), or 0 for a
 *		non-blocking datagram socket
 *
 * On failure @bs->fd may still be open: bound_sock_close() closes it.
 *
 * Return: 0, or a negative errno (for a UNIX path, one that
 * unix_sock_strerror() explains; bound_sock_log_err() says so).
 */
int bound_sock_open(struct bound_sock *bs, const struct cfg_port *cfg,
		    int backlog)
{
	return bs->is_unix ? bound_sock_open_unix(bs, cfg, backlog)
			   : bound_sock_open_ip(bs, cfg, backlog);
}

/**
 * bound_sock_log_err() - log that a port could not be set up where it binds.
 * @bs:		its socket (for @bs->is_unix)
 * @cfg:	the port's configuration
 * @verb:	what failed ("listen on", "bind")
 * @err:	negative errno
 */
void bound_sock_log_err(const struct bound_sock *bs,
			const struct cfg_port *cfg, const char *verb, int err)
{
	char where[CFG_PATH_MAX + 8];

	if (bs->is_unix)
		snprintf(where, sizeof(where), "%s", cfg->path);
	else
		snprintf(where, sizeof(where), "%s port %u", cfg->address,
			 cfg->port);
	log_err("port %s: cannot %s %s: %s", cfg->name, verb, where,
		bs->is_unix ? unix_sock_strerror(err) : strerror(-err));
}

/**
 * bound_sock_close() - close a port's socket and remove its file.
 * @bs:		the socket (closed already: nothing to do)
 *
 * The socket file goes only if it is still the one we created.
 */
void bound_sock_close(struct bound_sock *bs)
{
	if (bs->fd < 0)
		return;
	close(bs->fd);
	bs->fd = -1;
	if (bs->is_unix)
		unix_sock_unlink(bs->path, &bs->path_id);
}
