/*
 * vswitchctl-client.c - vswitchctl's side of the control socket.
 *
 * One request line out, one reply line back (docs/control-protocol.md).
 * The socket is non-blocking and every wait goes through poll() with the
 * user's timeout, so a daemon that hangs makes vswitchctl fail, not hang.
 * Replies may be large (a MAC table of 100k entries is a few MiB on one
 * line): the buffer grows as needed, up to VCTL_REPLY_MAX.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "switch/base/runtime-dir.h"
#include "switch/cli/vswitchctl.h"

/* Free space ensured before each read(). */
enum { READ_CHUNK = 64 * 1024 };

/**
 * vctl_default_socket() - the control socket to use without -s.
 * @buf:	room for the path
 * @size:	size of @buf
 *
 * $VSWITCHD_CTL wins; otherwise the path is ctl.sock in vswitchd's
 * default runtime directory (vsw_default_runtime_dir(), which the daemon
 * uses too), so that the two agree without configuration.
 *
 * Return: @buf.
 */
const char *vctl_default_socket(char *buf, size_t size)
{
	const char *env = getenv("VSWITCHD_CTL");
	char dir[PATH_MAX];

	if (env && *env) {
		snprintf(buf, size, "%s", env);
		return buf;
	}
	vsw_default_runtime_dir(dir, sizeof(dir));
	snprintf(buf, size, "%s/ctl.sock", dir);
	return buf;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Waits until @fd is ready for @events, for at most @timeout_ms (negative:
 * forever).  A signal does not shorten the wait.
 */
static int wait_fd(int fd, short events, int timeout_ms)
{
	long long deadline = now_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
	struct pollfd pfd = { .fd = fd, .events = events };

	for (;;) {
		int left = -1, n;

		if (timeout_ms >= 0) {
			long long d = deadline - now_ms();

			left = d < 0 ? 0 : (int)d;
		}
		n = poll(&pfd, 1, left);
		if (n > 0)
			return 0;
		if (n == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

/**
 * vctl_connect() - connect to the control socket.
 * @c:		client to set up; vctl_close() releases it even on failure
 * @path:	socket path, kept by reference
 * @timeout_ms:	longest wait at each step; negative: forever
 *
 * Return: 0, or a negative errno; vctl_fail() turns it into a message.
 */
int vctl_connect(struct vctl_client *c, const char *path, int timeout_ms)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, flags;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->path = path;
	c->timeout_ms = timeout_ms;
	if (!strlcpy_(sun.sun_path, path, sizeof(sun.sun_path)))
		return -ENAMETOOLONG;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (timeout_ms >= 0) {
		/*
		 * connect() on a UNIX socket blocks while the listener's
		 * backlog is full, for up to SO_SNDTIMEO: a stuck daemon
		 * must not hold us there forever.
		 */
		struct timeval tv = {
			.tv_sec = timeout_ms / 1000,
			.tv_usec = (timeout_ms % 1000) * 1000,
		};

		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	while (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int err = errno;

		if (err == EINTR)
			continue;
		close(fd);
		return err == EAGAIN ? -ETIMEDOUT : -err;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	c->fd = fd;
	return 0;
}

/**
 * vctl_close() - close the connection and free the buffer.
 * @c:	client (may be unconnected)
 */
void vctl_close(struct vctl_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->buf);
	c->buf = NULL;
	c->start = c->len = c->size = 0;
}

/**
 * vctl_send() - send one request.
 * @c:		connected client
 * @cmd:	command name
 * @args:	arguments object, or NULL for none (borrowed)
 *
 * Return: 0, -E2BIG if the request is over the protocol's line limit, or
 * another negative errno.
 */
int vctl_send(struct vctl_client *c, const char *cmd, json_t *args)
{
	json_t *req = json_object();
	size_t len, off = 0;
	char *line;
	int ret = 0;

	if (!req)
		vctl_out_of_memory();
	json_object_set_new(req, "cmd", json_string(cmd));
	if (args)
		json_object_set(req, "args", args);
	/* Compact output has no raw newline: strings escape theirs. */
	line = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (!line)
		return -EINVAL;
	len = strlen(line);
	if (len + 1 > VCTL_REQUEST_MAX) {
		free(line);
		return -E2BIG;
	}
	line[len++] = '\n'; /* replaces the NUL; we pass lengths */

	while (off < len) {
		ssize_t n = send(c->fd, line + off, len - off, MSG_NOSIGNAL);

		if (n >= 0) {
			off += (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN) {
			ret = errno == EPIPE ? -ECONNRESET : -errno;
			break;
		}
		ret = wait_fd(c->fd, POLLOUT, c->timeout_ms);
		if (ret)
			break;
	}
	free(line);
	return ret;
}

/**
 * vctl_read_more() - read what the socket has into the buffer.
 * @c:		connected client
 * @timeout_ms:	longest wait for data; negative: forever, 0: do not wait
 *
 * Return: bytes read (> 0), 0 at end of stream, -ETIMEDOUT, -EAGAIN (with
 * @timeout_ms 0), -EMSGSIZE if the buffer would grow past its cap, or
 * another negative errno.
 */
int vctl_read_more(struct vctl_client *c, int timeout_ms)
{
	ssize_t n;
	int ret;

	if (c->start && c->start == c->len)
		c->start = c->len = 0;
	if (c->size - c->len < READ_CHUNK && c->start) {
		memmove(c->buf, c->buf + c->start, c->len - c->start);
		c->len -= c->start;
		c->start = 0;
	}
	if (c->size - c->len < READ_CHUNK) {
		size_t cap = VCTL_REPLY_MAX + 2 * READ_CHUNK;
		size_t size = c->size ? MIN(c->size * 2, cap) : 2 * READ_CHUNK;

		if (size - c->len < READ_CHUNK)
			return -EMSGSIZE;
		c->buf = xrealloc(c->buf, size);
		c->size = size;
	}
	for (;;) {
		n = read(c->fd, c->buf + c->len, c->size - c->len);
		if (n >= 0) {
			c->len += (size_t)n;
			return (int)n;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return errno == ECONNRESET ? 0 : -errno;
		if (timeout_ms == 0)
			return -EAGAIN;
		ret = wait_fd(c->fd, POLLIN, timeout_ms);
		if (ret)
			return ret;
	}
}

/**
 * vctl_recv() - wait for one reply line and parse it.
 * @c:		connected client
 * @reply:	set to the reply object, caller owns, on success
 *
 * A reply must be a JSON object with a boolean "ok"; anything else is
 * -EBADMSG.  Bytes after the line stay in the buffer.
 *
 * Return: 0, -ETIMEDOUT, -ECONNRESET (the daemon hung up first),
 * -EMSGSIZE (over VCTL_REPLY_MAX), -EBADMSG, or another negative errno.
 */
int vctl_recv(struct vctl_client *c, json_t **reply)
{
	size_t scanned = 0; /* bytes after c->start known to hold no '\n' */
	char *nl;
	json_t *r;
	int n;

	for (;;) {
		size_t avail = c->len - c->start;

		if (avail > scanned) {
			nl = memchr(c->buf + c->start + scanned, '\n',
				    avail - scanned);
			if (nl)
				break;
			scanned = avail;
		}
		if (avail > VCTL_REPLY_MAX)
			return -EMSGSIZE;
		n = vctl_read_more(c, c->timeout_ms);
		if (n == 0)
			return -ECONNRESET;
		if (n < 0)
			return n;
	}

	r = json_loadb(c->buf + c->start, (size_t)(nl - (c->buf + c->start)), 0,
		       NULL);
	c->start = (size_t)(nl - c->buf) + 1;
	if (!r || !json_is_object(r) ||
	    !json_is_boolean(json_object_get(r, "ok"))) {
		json_decref(r);
		return -EBADMSG;
	}
	*reply = r;
	return 0;
}

static double seconds(int ms)
{
	return ms / 1000.0;
}

/**
 * vctl_fail() - explain a failure of vctl_connect(), vctl_send() or
 * vctl_recv() on stderr.
 * @c:		the client the call failed on
 * @err:	its negative errno
 *
 * Return: the exit status that goes with it.
 */
int vctl_fail(const struct vctl_client *c, int err)
{
	const char *path = c->path;
	struct stat st;

	if (c->fd < 0) {
		switch (err) {
		case -ENOENT:
			vctl_err("cannot connect to %s: %s (is vswitchd "
				 "running?)",
				 path, strerror(-err));
			break;
		case -ECONNREFUSED:
			if (stat(path, &st) == 0 && !S_ISSOCK(st.st_mode))
				vctl_err("cannot connect to %s: it is not a "
					 "socket",
					 path);
			else
				vctl_err("cannot connect to %s: %s (the socket "
					 "looks stale: vswitchd died without "
					 "removing it)",
					 path, strerror(-err));
			break;
		case -EACCES:
		case -EPERM:
			vctl_err("cannot connect to %s: %s (connecting needs "
				 "write permission on the socket: run as its "
				 "owner or as a member of its group, see "
				 "control.mode and control.group in "
				 "vswitchd.json(5))",
				 path, strerror(-err));
			break;
		case -ETIMEDOUT:
			vctl_err("cannot connect to %s: no answer within %g s "
				 "(vswitchd is not accepting connections)",
				 path, seconds(c->timeout_ms));
			break;
		case -ENAMETOOLONG:
			vctl_err("cannot connect to %s: the path is too long "
				 "for a UNIX socket (at most %zu bytes)",
				 path,
				 sizeof(((struct sockaddr_un *)0)->sun_path) -
					 1);
			break;
		default:
			vctl_err("cannot connect to %s: %s", path,
				 strerror(-err));
			break;
		}
		return VCTL_EXIT_CONNECT;
	}

	switch (err) {
	case -ETIMEDOUT:
		vctl_err("vswitchd did not answer within %g s (socket %s)",
			 seconds(c->timeout_ms), path);
		return VCTL_EXIT_CONNECT;
	case -ECONNRESET:
		vctl_err("vswitchd closed the connection without answering "
			 "(it may be shutting down, or serving too many "
			 "clients)");
		return VCTL_EXIT_CONNECT;
	case -E2BIG:
		vctl_err("request too long (the limit is %d KiB)",
			 VCTL_REQUEST_MAX / 1024);
		return VCTL_EXIT_USAGE;
	case -EMSGSIZE:
		vctl_err("reply from vswitchd is too long (over %d MiB)",
			 VCTL_REPLY_MAX / (1024 * 1024));
		return VCTL_EXIT_ERROR;
	case -EBADMSG:
		return vctl_malformed();
	default:
		vctl_err("talking to vswitchd (socket %s): %s", path,
			 strerror(-err));
		return VCTL_EXIT_CONNECT;
	}
}

/* --- requests as the subcommands make them ----------------------------- */

/**
 * vctl_call() - send one request and read its reply, whatever it says.
 * @ctx:	the run; connects on the first call
 * @cmd:	protocol command
 * @args:	arguments object or NULL; consumed
 * @reply:	set to the reply object on success, caller owns
 *
 * Return: VCTL_EXIT_OK, or the exit status of the failure, which has been
 * explained on stderr.
 */
int vctl_call(struct vctl_ctx *ctx, const char *cmd, json_t *args,
	      json_t **reply)
{
	struct vctl_client *c = &ctx->client;
	int ret = 0;

	if (c->fd < 0) {
		ret = vctl_connect(c, ctx->socket, ctx->timeout_ms);
		if (ret)
			goto out;
	}
	ret = vctl_send(c, cmd, args);
	if (!ret)
		ret = vctl_recv(c, reply);
out:
	json_decref(args);
	return ret ? vctl_fail(c, ret) : VCTL_EXIT_OK;
}

/**
 * vctl_daemon_error() - print the error of an {"ok": false} reply as
 * "vswitchctl: <error>".
 * @reply:	the reply
 *
 * Return: VCTL_EXIT_ERROR.
 */
int vctl_daemon_error(const json_t *reply)
{
	const char *msg = jstr(reply, "error");
	long long e;
	char *s;

	if (msg && *msg)
		s = xstrdup(msg);
	else if (jint(reply, "errno", &e) && e > 0 && e < INT_MAX)
		s = xstrdup(strerror((int)e));
	else
		s = xstrdup("vswitchd reported an error without a message");
	fmt_sanitize(s);
	vctl_err("%s", s);
	free(s);
	return VCTL_EXIT_ERROR;
}

/* The protocol answers an unknown command with errno ENOSYS. */
static bool unknown_command(const json_t *reply)
{
	long long e = 0;

	jint(reply, "errno", &e);
	return e == ENOSYS;
}

/**
 * vctl_request_feature() - vctl_request() for a command that older
 * daemons may not have.
 * @ctx:	the run
 * @cmd:	protocol command
 * @args:	arguments object or NULL; consumed
 * @feature:	what a daemon that does not know @cmd lacks ("DHCP
 *		leases"), for a clearer message; or NULL
 * @result:	set on success to the reply's result (JSON null if it has
 *		none), caller owns
 *
 * Return: VCTL_EXIT_OK, or the exit status of the failure, which has been
 * explained on stderr.
 */
int vctl_request_feature(struct vctl_ctx *ctx, const char *cmd, json_t *args,
			 const char *feature, json_t **result)
{
	json_t *reply, *r;
	int ret;

	ret = vctl_call(ctx, cmd, args, &reply);
	if (ret)
		return ret;
	if (!json_is_true(json_object_get(reply, "ok"))) {
		if (feature && unknown_command(reply)) {
			vctl_err("this vswitchd does not support %s (it does "
				 "not know the \"%s\" command)",
				 feature, cmd);
			ret = VCTL_EXIT_ERROR;
		} else {
			ret = vctl_daemon_error(reply);
		}
		json_decref(reply);
		return ret;
	}
	r = json_object_get(reply, "result");
	*result = r ? json_incref(r) : json_null();
	json_decref(reply);
	return VCTL_EXIT_OK;
}

/**
 * vctl_request() - send one request and get its result.
 * @ctx:	the run
 * @cmd:	protocol command
 * @args:	arguments object or NULL; consumed
 * @result:	set on success to the reply's result (JSON null if it has
 *		none), caller owns
 *
 * An error reply is printed as "vswitchctl: <error>".
 *
 * Return: VCTL_EXIT_OK, or the exit status of the failure, which has been
 * explained on stderr.
 */
int vctl_request(struct vctl_ctx *ctx, const char *cmd, json_t *args,
		 json_t **result)
{
	return vctl_request_feature(ctx, cmd, args, NULL, result);
}

/**
 * vctl_request_quiet() - vctl_request() for commands that only report
 * success: the result is printed with --json, nothing otherwise (as ip(8)
 * does).
 * @ctx:	the run
 * @cmd:	protocol command
 * @args:	arguments object or NULL; consumed
 *
 * Return: as vctl_request().
 */
int vctl_request_quiet(struct vctl_ctx *ctx, const char *cmd, json_t *args)
{
	json_t *result;
	int ret = vctl_request(ctx, cmd, args, &result);

	if (ret)
		return ret;
	if (ctx->json)
		print_json(result);
	json_decref(result);
	return VCTL_EXIT_OK;
}

/**
 * vctl_fetch() - vctl_request(), then the part every display shares.
 * @ctx:	the run
 * @cmd:	protocol command
 * @args:	arguments object or NULL; consumed
 * @type:	JSON type the result must have
 * @result:	set to the result for the caller to display (caller owns),
 *		or NULL when there is nothing left to do: --json printed it
 *
 * Return: VCTL_EXIT_OK, or the exit status of the failure (explained).
 */
int vctl_fetch(struct vctl_ctx *ctx, const char *cmd, json_t *args,
	       json_type type, json_t **result)
{
	int ret = vctl_request(ctx, cmd, args, result);

	if (ret)
		return ret;
	if (ctx->json) {
		print_json(*result);
	} else if (json_typeof(*result) != type) {
		ret = vctl_malformed();
	} else {
		return VCTL_EXIT_OK;
	}
	json_decref(*result);
	*result = NULL;
	return ret;
}
