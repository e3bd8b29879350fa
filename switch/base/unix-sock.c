/*
 * unix-sock.c - listening UNIX sockets (see unix-sock.h).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "switch/base/unix-sock.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "switch/base/sockaddr.h"
#include "switch/base/log.h"

static int unix_sock_check_stale(const char *who, const char *path, int type)
{
	struct vsw_sockaddr sa;
	struct stat st;
	int fd, ret;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	/* A live datagram socket takes connect() too: it only records the
	 * peer, and fails with ECONNREFUSED when nobody is bound. */
	fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	sockaddr_from_path(&sa, path);
	ret = connect(fd, (struct sockaddr *)&sa.ss, sa.len);
	close(fd);
	if (ret == 0)
		return -EADDRINUSE;
	log_info("%s: removing stale socket %s", who, path);
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

/**
 * unix_sock_bind() - create and bind a UNIX socket, replacing a stale file.
 * @who:	name for log lines ("port vm-unix", "control socket")
 * @path:	socket path (must fit sun_path)
 * @mode:	file mode of the socket
 * @gid:	group to give it, or -1
 * @type:	SOCK_STREAM or SOCK_DGRAM
 * @id:		filled with the identity of the created file
 *
 * Return: the bound descriptor (non-blocking, close-on-exec), or a
 * negative errno (see unix_sock_strerror()).
 */
int unix_sock_bind(const char *who, const char *path, unsigned int mode,
		   long gid, int type, struct unix_sock_id *id)
{
	struct vsw_sockaddr sa;
	struct stat st;
	mode_t old_umask;
	int fd, ret;

	*id = (struct unix_sock_id){ 0 };
	ret = sockaddr_from_path(&sa, path);
	if (ret)
		return ret;
	ret = unix_sock_check_stale(who, path, type);
	if (ret)
		return ret;
	fd = socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	old_umask = umask(~mode & 0777);
	ret = bind(fd, (struct sockaddr *)&sa.ss, sa.len);
	umask(old_umask);
	if (ret < 0) {
		ret = -errno;
		goto err_close;
	}
	/* Never follow a link here: between bind() and these calls someone
	 * with write access to the directory could swap one in, and chown()
	 * would then hand the group of any file to the socket's group. */
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		id->dev = st.st_dev;
		id->ino = st.st_ino;
		id->valid = true;
	}
	if (gid >= 0 && lchown(path, (uid_t)-1, (gid_t)gid) < 0) {
		ret = -errno;
		goto err_unlink;
	}
	return fd;

err_unlink:
	unix_sock_unlink(path, id);
err_close:
	close(fd);
	return ret;
}

/**
 * unix_sock_listen() - create, bind and listen on a UNIX stream socket.
 * @who:	name for log lines ("port vm-unix", "control socket")
 * @path:	socket path (must fit sun_path)
 * @mode:	file mode of the socket
 * @gid:	group to give it, or -1
 * @backlog:	listen() backlog
 * @id:		filled with the identity of the created file
 *
 * Return: the listening descriptor (non-blocking, close-on-exec), or a
 * negative errno (see unix_sock_strerror()).
 */
int unix_sock_listen(const char *who, const char *path, unsigned int mode,
		     long gid, int backlog, struct unix_sock_id *id)
{
	int fd = unix_sock_bind(who, path, mode, gid, SOCK_STREAM, id);
	int ret;

	if (fd < 0)
		return fd;
	if (listen(fd, backlog) < 0) {
		ret = -errno;
		unix_sock_unlink(path, id);
		close(fd);
		return ret;
	}
	return fd;
}

/**
 * unix_sock_unlink() - remove the socket file if it is still ours.
 * @path:	its path
 * @id:		identity recorded by unix_sock_listen(); cleared
 */
void unix_sock_unlink(const char *path, struct unix_sock_id *id)
{
	struct stat st;

	if (id->valid && !stat(path, &st) && st.st_dev == id->dev &&
	    st.st_ino == id->ino)
		unlink(path);
	id->valid = false;
}

/**
 * unix_sock_strerror() - explain a unix_sock_listen() error.
 * @err: negative errno it returned
 *
 * Return: a static string.
 */
const char *unix_sock_strerror(int err)
{
	if (err == -ENOTSOCK)
		return "the path exists and is not a socket (not touched)";
	if (err == -EADDRINUSE)
		return "in use by a running process (another vswitchd?)";
	return strerror(-err);
}

/**
 * unix_sock_peer_pid() - the pid of the process at the other end.
 * @fd: a connected UNIX stream socket, accepted or connected out
 *
 * SO_PEERCRED holds the credentials the peer had when it called connect()
 * (seen from the accepting side) or listen() (seen from the connecting
 * side), so one call names the QEMU behind either kind of UNIX port.
 *
 * Return: the pid, or 0 if the kernel cannot say.
 */
int unix_sock_peer_pid(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) ||
	    len < sizeof(cred) || cred.pid <= 0)
		return 0;
	return (int)cred.pid;
}
