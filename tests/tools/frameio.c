/*
 * frameio.c - a scripted QEMU stream peer for the component tests.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 *
 * frameio plays QEMU VMs against vswitchd: it speaks the stream framing of
 * -netdev socket/stream (a 4-byte big-endian length, then the frame) over
 * TCP and UNIX sockets, following a script with one command per line:
 *
 *	open A unix:/run/sw/vm.sock
 *	send A dst=ff:ff:ff:ff:ff:ff src=52:54:00:00:00:01 tag=hello
 *	expect B dst=ff:ff:ff:ff:ff:ff src=52:54:00:00:00:01 tag=hello
 *
 * The keys (dst, src, vlan, pcp, type, len, tag) fully determine a frame,
 * so "expect" rebuilds what "send" built and compares every byte.  Every
 * connection is read whenever frameio waits, so only "stall" makes a VM
 * look stuck to the switch.  See usage() for the commands.
 *
 * It also plays QEMU's datagram backends, one frame per datagram:
 *
 *	open U udp:127.0.0.1:6000[,LPORT]	(socket,udp= / dgram inet)
 *	open D unixdgram:/run/sw/sw.dgram[,LOCALPATH]	(dgram unix)
 *	open M mcast:239.192.0.1:5000 [echo=1]	(socket,mcast=, on lo)
 *	open M6 mcast:[ff15::1]:5000 [echo=1]	(the same, IPv6)
 *
 * A datagram endpoint binds its own address (an ephemeral UDP port, or a
 * temporary socket file next to the switch's) and sends every frame to
 * the switch's.  An mcast endpoint joins the group on lo and sends from
 * the group port, as QEMU does, so it hears its own frames back: they are
 * ignored unless echo=1 is given.  "raw" sends its bytes as one datagram.
 *
 * Exit status: 0 if the script passed, 1 if a check failed (the message
 * names the script line), 2 for a usage or script error.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

enum {
	MAX_CONNS = 32,
	MAX_TOKENS = 64,
	MAX_TAG = 64,
	FRAME_MAX = 131072,	/* above any max_frame the switch accepts */
	RXQ_MAX = 64 << 20,	/* unconsumed bytes kept per connection */
	RAW_MAX = 1 << 20,
	STUCK_MS = 10000,	/* a send stuck this long fails */
};

enum { EXIT_PASS, EXIT_FAIL, EXIT_USAGE };

/* Keys of "key=value" arguments; each command accepts some of them. */
enum key {
	K_DST, K_SRC, K_VLAN, K_PCP, K_TYPE, K_LEN, K_TAG, K_COUNT,
	K_TIMEOUT, K_MS, K_CHUNK, K_GAP, K_RANDOM, K_SEED, K_ECHO, N_KEYS
};

static const struct {
	const char *name;
	unsigned long max;	/* numeric keys only */
} keys[N_KEYS] = {
	{ "dst", 0 }, { "src", 0 }, { "vlan", 4095 }, { "pcp", 7 },
	{ "type", 0xffff }, { "len", FRAME_MAX }, { "tag", 0 },
	{ "count", 10000000 }, { "timeout", 600000 }, { "ms", 600000 },
	{ "chunk", FRAME_MAX }, { "gap", 10000 }, { "random", RAW_MAX },
	{ "seed", 0xffffffff }, { "echo", 1 },
};

#define B(k) (1u << (k))
#define FRAME_KEYS (B(K_DST) | B(K_SRC) | B(K_VLAN) | B(K_PCP) | B(K_TYPE) | \
		    B(K_LEN) | B(K_TAG))

/**
 * struct conn - one stream connection, named by the script.
 * @name:	name in the script ("A")
 * @fd:		connected socket, or -1
 * @stalled:	the script asked us to stop reading it
 * @eof:	the peer closed (or reset) the connection
 * @err:	errno of the read that ended it, 0 for a clean EOF
 * @buf:	received bytes; [@head, @tail) are not consumed yet
 * @cap:	size of @buf
 * @kind:	stream, datagram or multicast endpoint
 * @to:		datagram endpoints: where frames are sent
 * @to_len:	its length
 * @lpath:	unixdgram: our own socket file, removed at exit
 * @keep_echo:	mcast: deliver our own frames heard back from the group
 * @echoes:	mcast: hashes of frames we sent and have not heard back
 * @n_echo:	mcast: next slot of @echoes
 * Datagrams are queued in @buf with a 4-byte length, like stream frames.
 */
enum conn_kind { CONN_STREAM, CONN_DGRAM, CONN_MCAST };
enum { ECHO_RING = 256 };

struct conn {
	char name[16];
	int fd;
	bool stalled, eof;
	int err;
	uint8_t *buf;
	size_t head, tail, cap;
	enum conn_kind kind;
	struct sockaddr_storage to;
	socklen_t to_len;
	char lpath[108];
	bool keep_echo;
	uint64_t echoes[ECHO_RING];
	unsigned int n_echo;
};

/**
 * struct cmd - one parsed script line.
 * @line:	line number, for messages
 * @text:	the line as written
 * @op:		the command
 * @conn:	the connection it names, if any
 * @arg:	address (open, listen) or file (wait-log)
 * @given:	bit per enum key present
 * @v:		numeric key values
 * @dst:	dst= key
 * @src:	src= key
 * @tag:	tag= key
 * @raw:	bytes for raw
 * @raw_len:	how many
 * @re:		pattern for wait-log
 * @has_re:	@re was compiled
 */
struct cmd {
	int line;
	char *text;
	const struct op *op;
	struct conn *conn;
	char *arg;
	unsigned int given;
	unsigned long v[N_KEYS];
	uint8_t dst[6], src[6];
	char tag[MAX_TAG + 1];
	uint8_t *raw;
	size_t raw_len;
	regex_t re;
	bool has_re;
};

typedef void op_fn(struct cmd *c);

/* Positional arguments a command takes. */
enum { A_CONN = 1, A_ADDR = 2, A_MS = 4, A_HEX = 8, A_TEXT = 16 };

/**
 * struct op - a script command.
 * @name:	as written in scripts
 * @run:	runs one parsed line
 * @args:	positional arguments (A_*)
 * @keys:	keys it accepts (B(K_*))
 * @need:	keys it requires
 */
struct op {
	const char *name;
	op_fn *run;
	unsigned int args, keys, need;
};

static struct conn conns[MAX_CONNS];
static struct cmd *cmds;
static size_t n_cmds;
static char *line_buf;
static const char *script = "stdin";
static unsigned long default_timeout = 2000;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int ms_left(uint64_t deadline)
{
	uint64_t now = now_ms();

	return now >= deadline ? 0 : (int)(deadline - now);
}

static void __attribute__((format(printf, 3, 4), noreturn))
die_at(int status, const struct cmd *c, const char *fmt, ...)
{
	va_list ap;

	fputs("frameio: ", stderr);
	if (c)
		fprintf(stderr, "%s:%d: ", script, c->line);
	if (c && c->op && status == EXIT_FAIL)
		fprintf(stderr, "%s%s%s: ", c->op->name, c->conn ? " " : "",
			c->conn ? c->conn->name : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (c && status == EXIT_FAIL)
		fprintf(stderr, "\nframeio: failing line: %s", c->text);
	fputc('\n', stderr);
	exit(status);
}

#define fail(c, ...) die_at(EXIT_FAIL, c, __VA_ARGS__)
#define usage_err(c, ...) die_at(EXIT_USAGE, c, __VA_ARGS__)

static uint8_t *put_be(uint8_t *p, uint32_t v, int bytes)
{
	while (bytes--)
		*p++ = (uint8_t)(v >> (8 * bytes));
	return p;
}

static size_t frame_len(const struct cmd *c)
{
	return c->given & B(K_LEN) ? c->v[K_LEN] : 60;
}

/*
 * Builds the frame the keys describe (frame_len() bytes): header, tag,
 * for flood a sequence number, then a pattern, so that corruption anywhere
 * in the frame shows.
 */
static void frame_build(const struct cmd *c, uint8_t *buf, bool with_seq,
			uint32_t seq)
{
	size_t len = frame_len(c), i;
	uint8_t *p = buf + 12;

	memcpy(buf, c->dst, 6);
	memcpy(buf + 6, c->src, 6);
	if (c->given & B(K_VLAN))
		p = put_be(put_be(p, 0x8100, 2),
			   (uint32_t)(c->v[K_PCP] << 13 | c->v[K_VLAN]), 2);
	p = put_be(p, c->given & B(K_TYPE) ? (uint32_t)c->v[K_TYPE] : 0x88b5,
		   2);
	memcpy(p, c->tag, strlen(c->tag));
	p += strlen(c->tag);
	if (with_seq)
		p = put_be(p, seq, 4);
	for (i = (size_t)(p - buf); i < len; i++)
		buf[i] = (uint8_t)(i * 31 + 7);
}

/* One-line summary of a frame for failure messages. */
static char *frame_desc(const uint8_t *f, size_t len, char *out, size_t size)
{
	size_t off = 14, i, w;

	if (len < 14) {
		snprintf(out, size, "a %zu-byte runt", len);
		return out;
	}
	w = (size_t)snprintf(out, size, "len=%zu dst=%02x:%02x:%02x:%02x:%02x:"
			     "%02x src=%02x:%02x:%02x:%02x:%02x:%02x", len,
			     f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7],
			     f[8], f[9], f[10], f[11]);
	if (f[12] == 0x81 && f[13] == 0 && len >= 18) {
		w += (size_t)snprintf(out + w, size - w, " vlan=%u pcp=%u",
				      (f[14] << 8 | f[15]) & 0xfff, f[14] >> 5);
		off = 18;
	}
	w += (size_t)snprintf(out + w, size - w, " type=0x%04x payload=\"",
			      f[off - 2] << 8 | f[off - 1]);
	for (i = off; i < len && i < off + 16 && w + 8 < size; i++)
		w += (size_t)snprintf(out + w, size - w,
				      f[i] >= 0x20 && f[i] < 0x7f &&
				      f[i] != '"' && f[i] != '\\' ?
				      "%c" : "\\x%02x", f[i]);
	snprintf(out + w, size - w, "%s\"", i < len ? "..." : "");
	return out;
}

static void conn_release(struct conn *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
	if (k->lpath[0])
		unlink(k->lpath);
	k->lpath[0] = '\0';
}

static bool conn_room(struct conn *k);

/* FNV-1a over a datagram, with its length: tells our echoes apart. */
static uint64_t dgram_hash(const uint8_t *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull ^ len;

	while (len--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h | 1;	/* 0 marks a free slot */
}

/* A datagram we sent, heard back from the group: forget it, say so. */
static bool conn_is_echo(struct conn *k, const uint8_t *p, size_t len)
{
	uint64_t h;

	if (k->kind != CONN_MCAST || k->keep_echo)
		return false;
	h = dgram_hash(p, len);
	for (unsigned int i = 0; i < ECHO_RING; i++) {
		if (k->echoes[i] == h) {
			k->echoes[i] = 0;
			return true;
		}
	}
	return false;
}

/* Reads every datagram waiting, queueing each with a length prefix. */
static void conn_read_dgram(struct conn *k)
{
	static uint8_t dg[FRAME_MAX];
	ssize_t n;

	for (;;) {
		if (k->cap - k->tail < 4 + sizeof(dg) && !conn_room(k))
			return;
		n = recv(k->fd, dg, sizeof(dg), MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			/* ECONNREFUSED reports an earlier send nobody took. */
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNREFUSED) {
				k->eof = true;
				k->err = errno;
			}
			return;
		}
		if ((size_t)n > sizeof(dg))
			n = sizeof(dg);
		if (conn_is_echo(k, dg, (size_t)n))
			continue;
		put_be(k->buf + k->tail, (uint32_t)n, 4);
		memcpy(k->buf + k->tail + 4, dg, (size_t)n);
		k->tail += 4 + (size_t)n;
	}
}

/* Makes room to read into; false once RXQ_MAX bytes wait unconsumed. */
static bool conn_room(struct conn *k)
{
	size_t want = FRAME_MAX + 4, cap = k->cap ? k->cap * 2 : 4 * want;
	uint8_t *nb;

	if (k->cap - k->tail >= want)
		return true;
	if (k->head) {
		memmove(k->buf, k->buf + k->head, k->tail - k->head);
		k->tail -= k->head;
		k->head = 0;
	}
	if (k->cap - k->tail >= want || k->cap >= RXQ_MAX)
		return k->tail < k->cap;
	nb = realloc(k->buf, cap);
	if (!nb)
		return k->tail < k->cap;
	k->buf = nb;
	k->cap = cap;
	return true;
}

/* Reads until the socket is empty: a fast sender meets a fast reader. */
static void conn_read(struct conn *k)
{
	ssize_t n;

	if (k->kind != CONN_STREAM) {
		conn_read_dgram(k);
		return;
	}
	do {
		n = recv(k->fd, k->buf + k->tail, k->cap - k->tail,
			 MSG_DONTWAIT);
		if (n > 0)
			k->tail += (size_t)n;
	} while (n > 0 && conn_room(k));
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		k->eof = true;
		k->err = n ? errno : 0;
	}
}

/*
 * Waits up to @ms for input on every connection that is being read, and
 * for @events on @fd if it is >= 0.  Returns @fd's revents.
 */
static short pump(int ms, int fd, short events)
{
	struct pollfd pfds[MAX_CONNS + 1];
	struct conn *who[MAX_CONNS];
	int n = 0, i;

	for (i = 0; i < MAX_CONNS; i++) {
		struct conn *k = &conns[i];

		if (k->fd < 0 || k->eof || k->stalled || !conn_room(k))
			continue;
		who[n] = k;
		pfds[n++] = (struct pollfd){ .fd = k->fd, .events = POLLIN };
	}
	pfds[n] = (struct pollfd){ .fd = fd, .events = events };
	if (poll(pfds, (nfds_t)(n + 1), ms) <= 0)
		return 0;
	for (i = 0; i < n; i++)
		if (pfds[i].revents)
			conn_read(who[i]);
	return pfds[n].revents;
}

/*
 * Waits until @deadline for the next frame on @c->conn.  Returns 1 with
 * it, 0 on timeout, -1 if the peer closed the connection first.
 */
static int conn_wait(const struct cmd *c, uint64_t deadline, uint8_t **frame,
		     size_t *len)
{
	struct conn *k = c->conn;
	bool polled = false;
	uint32_t n;

	for (;;) {
		if (k->tail - k->head >= 4) {
			n = (uint32_t)k->buf[k->head] << 24 |
			    (uint32_t)k->buf[k->head + 1] << 16 |
			    (uint32_t)k->buf[k->head + 2] << 8 |
			    k->buf[k->head + 3];
			if ((n < 14 && k->kind == CONN_STREAM) ||
			    n > FRAME_MAX)
				fail(c, "the switch sent a length prefix of %u",
				     n);
			if (k->tail - k->head >= 4 + (size_t)n) {
				*frame = k->buf + k->head + 4;
				*len = n;
				k->head += 4 + (size_t)n;
				return 1;
			}
		}
		if (k->eof)
			return -1;
		if (k->stalled)
			usage_err(c, "%s is stalled", k->name);
		/* Even a zero window looks at what the kernel holds. */
		if (polled && !ms_left(deadline))
			return 0;
		pump(ms_left(deadline), -1, 0);
		polled = true;
	}
}

static const char *closed_how(const struct conn *k)
{
	return k->err ? strerror(k->err) : "closed by the peer";
}

/* Writes all of @data to @c->conn, reading every connection meanwhile. */
static void conn_write(const struct cmd *c, const void *data, size_t len,
		       bool may_close)
{
	uint64_t deadline = now_ms() + STUCK_MS;
	const uint8_t *p = data;
	ssize_t n;

	while (len) {
		pump(0, -1, 0);
		n = send(c->conn->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			deadline = now_ms() + STUCK_MS;
		} else if (errno == EAGAIN || errno == EINTR) {
			if (!ms_left(deadline))
				fail(c, "the switch stopped reading for %d ms",
				     STUCK_MS);
			pump(ms_left(deadline), c->conn->fd, POLLOUT);
		} else if (may_close &&
			   (errno == EPIPE || errno == ECONNRESET)) {
			return;
		} else {
			fail(c, "cannot send: %s", strerror(errno));
		}
	}
}

static void nap(unsigned long ms);
static bool parse_ulong(const char *s, unsigned long max, unsigned long *out);

/* Sends one datagram, waiting while the socket buffer is full. */
static void dgram_write(const struct cmd *c, const uint8_t *data, size_t len)
{
	uint64_t deadline = now_ms() + STUCK_MS;
	struct conn *k = c->conn;
	ssize_t n;

	for (;;) {
		pump(0, -1, 0);
		n = sendto(k->fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL,
			   (struct sockaddr *)&k->to, k->to_len);
		if (n >= 0)
			break;
		/* EAGAIN: queue full; ECONNREFUSED: an old ICMP error;
		 * ENOENT: the switch has not bound its socket yet. */
		if (errno != EAGAIN && errno != EINTR && errno != ENOBUFS &&
		    errno != ECONNREFUSED && errno != ENOENT)
			fail(c, "cannot send: %s", strerror(errno));
		if (!ms_left(deadline))
			fail(c, "cannot send for %d ms: %s", STUCK_MS,
			     strerror(errno));
		if (errno == EAGAIN)
			pump(ms_left(deadline) < 50 ? ms_left(deadline) : 50,
			     k->fd, POLLOUT);
		else
			nap(20);
	}
	if (k->kind == CONN_MCAST) {
		k->echoes[k->n_echo] = dgram_hash(data, len);
		k->n_echo = (k->n_echo + 1) % ECHO_RING;
	}
}

/* Parses "HOST:PORT" (HOST may be [v6]) into @ss. */
static bool parse_hostport(const char *a, int socktype,
			   struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = { .ai_socktype = socktype,
				  .ai_flags = AI_NUMERICHOST |
					      AI_NUMERICSERV };
	const char *colon = strrchr(a, ':');
	struct addrinfo *ai;
	char host[64];

	if (!colon || colon == a || colon - a >= (int)sizeof(host))
		return false;
	snprintf(host, sizeof(host), "%.*s", (int)(colon - a), a);
	if (host[0] == '[' && colon[-1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	if (getaddrinfo(host, colon + 1, &hints, &ai))
		return false;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return true;
}

/*
 * open NAME udp:HOST:PORT[,LPORT] | unixdgram:PATH[,LOCALPATH] |
 * mcast:GROUP:PORT [echo=1]: a datagram endpoint.
 */
/* Joins @fd to the group @group on lo, with multicast loop on; nonzero
 * (errno set) on failure. */
static int mcast_join_lo(int fd, const struct sockaddr_storage *group)
{
	int one = 1;

	if (group->ss_family == AF_INET6) {
		int lo = (int)if_nametoindex("lo");
		struct ipv6_mreq mreq6 = { .ipv6mr_interface = (unsigned)lo };

		mreq6.ipv6mr_multiaddr =
			((const struct sockaddr_in6 *)group)->sin6_addr;
		return setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq6,
				  sizeof(mreq6)) ||
		       setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &lo,
				  sizeof(lo)) ||
		       setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &one,
				  sizeof(one));
	}
	struct ip_mreqn mreq = { .imr_ifindex = (int)if_nametoindex("lo") };

	mreq.imr_multiaddr = ((const struct sockaddr_in *)group)->sin_addr;
	return setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq,
			  sizeof(mreq)) ||
	       setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq,
			  sizeof(mreq)) ||
	       setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &one, sizeof(one));
}

static void op_open_dgram(struct cmd *c)
{
	struct conn *k = c->conn;
	struct sockaddr_storage me = { 0 };
	socklen_t me_len = 0;
	char a[512], *comma;
	int fd, one = 1;

	snprintf(a, sizeof(a), "%s", strchr(c->arg, ':') + 1);
	comma = strchr(a, ',');
	if (comma)
		*comma++ = '\0';
	memset(&k->to, 0, sizeof(k->to));
	k->kind = CONN_DGRAM;
	k->keep_echo = c->v[K_ECHO];
	memset(k->echoes, 0, sizeof(k->echoes));
	if (!strncmp(c->arg, "unixdgram:", 10)) {
		struct sockaddr_un *to = (void *)&k->to, *un = (void *)&me;
		char dir[108];

		if (!a[0] || strlen(a) >= sizeof(to->sun_path))
			usage_err(c, "bad path in \"%s\"", c->arg);
		to->sun_family = AF_UNIX;
		strcpy(to->sun_path, a);
		k->to_len = sizeof(*to);
		snprintf(dir, sizeof(dir), "%s", a);
		*(strrchr(dir, '/') ? strrchr(dir, '/') : dir) = '\0';
		if (comma)
			snprintf(k->lpath, sizeof(k->lpath), "%s", comma);
		else if (snprintf(a, sizeof(a), "%s/fio-%d-%s.dgram",
				  dir[0] ? dir : ".", (int)getpid(), k->name) >=
				 (int)sizeof(k->lpath))
			usage_err(c, "local path for \"%s\" is too long",
				  c->arg);
		else
			memcpy(k->lpath, a, strlen(a) + 1);
		un->sun_family = AF_UNIX;
		strcpy(un->sun_path, k->lpath);
		me_len = sizeof(*un);
		unlink(k->lpath);	/* QEMU does the same */
	} else if (!strncmp(c->arg, "udp:", 4) || !strncmp(c->arg, "mcast:", 6)) {
		if (!parse_hostport(a, SOCK_DGRAM, &k->to, &k->to_len))
			usage_err(c, "bad address in \"%s\"", c->arg);
		if (c->arg[0] == 'm') {
			struct sockaddr_in6 *g6 = (void *)&k->to;

			k->kind = CONN_MCAST;
			/* ff01::/ff02:: need the interface, lo. */
			if (k->to.ss_family == AF_INET6 &&
			    (IN6_IS_ADDR_MC_LINKLOCAL(&g6->sin6_addr) ||
			     IN6_IS_ADDR_MC_NODELOCAL(&g6->sin6_addr)))
				g6->sin6_scope_id = if_nametoindex("lo");
			me = k->to;
			me_len = k->to_len;
		} else {
			/* The loopback address of the switch's family. */
			me.ss_family = k->to.ss_family;
			me_len = k->to_len;
			if (me.ss_family == AF_INET)
				((struct sockaddr_in *)&me)->sin_addr.s_addr =
					htonl(INADDR_LOOPBACK);
			else
				((struct sockaddr_in6 *)&me)->sin6_addr =
					in6addr_loopback;
			if (comma) {
				unsigned long lp;

				if (!parse_ulong(comma, 65535, &lp))
					usage_err(c, "bad local port in \"%s\"",
						  c->arg);
				((struct sockaddr_in *)&me)->sin_port =
					htons((uint16_t)lp);
			}
		}
	} else {
		usage_err(c, "\"%s\" is not a datagram address", c->arg);
	}
	fd = socket(me.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		fail(c, "socket: %s", strerror(errno));
	if (k->kind == CONN_MCAST) {
		/* QEMU's mcast socket (or its IPv6 twin): shared group:port,
		 * loop on, lo. */
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&me, me_len))
			fail(c, "cannot bind %s: %s", c->arg, strerror(errno));
		if (mcast_join_lo(fd, &k->to))
			fail(c, "cannot join %s on lo: %s", c->arg,
			     strerror(errno));
	} else if (bind(fd, (struct sockaddr *)&me, me_len)) {
		fail(c, "cannot bind a local address for %s: %s", c->arg,
		     strerror(errno));
	}
	k->fd = fd;
	k->stalled = k->eof = false;
	k->err = 0;
	k->head = k->tail = 0;
}

/* Makes a socket for "unix:PATH" or "tcp:HOST:PORT" (HOST may be [v6]). */
static int addr_socket(const struct cmd *c, struct sockaddr_storage *ss,
		       socklen_t *ss_len)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICHOST |
					      AI_NUMERICSERV };
	struct sockaddr_un *un = (struct sockaddr_un *)ss;
	const char *a = c->arg, *colon = strrchr(a, ':');
	struct addrinfo *ai;
	char host[64];
	int fd;

	memset(ss, 0, sizeof(*ss));
	if (!strncmp(a, "unix:", 5) && a[5] &&
	    strlen(a + 5) < sizeof(un->sun_path)) {
		un->sun_family = AF_UNIX;
		strcpy(un->sun_path, a + 5);
		*ss_len = sizeof(*un);
	} else if (!strncmp(a, "tcp:", 4) && colon > a + 4 &&
		   colon - a - 4 < (int)sizeof(host)) {
		snprintf(host, sizeof(host), "%.*s", (int)(colon - a - 4),
			 a + 4);
		if (host[0] == '[' && colon[-1] == ']') {
			memmove(host, host + 1, strlen(host));
			host[strlen(host) - 1] = '\0';
		}
		if (getaddrinfo(host, colon + 1, &hints, &ai))
			usage_err(c, "bad TCP address \"%s\"", a);
		memcpy(ss, ai->ai_addr, ai->ai_addrlen);
		*ss_len = ai->ai_addrlen;
		freeaddrinfo(ai);
	} else {
		usage_err(c, "\"%s\" is not unix:PATH or tcp:HOST:PORT", a);
	}
	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fail(c, "socket: %s", strerror(errno));
	return fd;
}

static unsigned long timeout_of(const struct cmd *c)
{
	return c->given & B(K_TIMEOUT) ? c->v[K_TIMEOUT] : default_timeout;
}

static void need_open(const struct cmd *c, bool want)
{
	if ((c->conn->fd >= 0) != want)
		usage_err(c, "%s is %s", c->conn->name,
			  want ? "not open" : "already open");
}

/* Makes a connected socket @c->conn's. */
static void take(struct cmd *c, int fd, const struct sockaddr_storage *ss)
{
	struct conn *k = c->conn;
	int one = 1;

	/* QEMU sets it, and one-byte writes must not be coalesced. */
	if (ss->ss_family != AF_UNIX)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	k->fd = fd;
	k->stalled = k->eof = false;
	k->err = 0;
	k->head = k->tail = 0;
}

/* open NAME ADDR [timeout=]: connect, retrying while nobody listens. */
static void op_open(struct cmd *c)
{
	uint64_t deadline = now_ms() + timeout_of(c);
	struct sockaddr_storage ss;
	socklen_t ss_len;
	int fd;

	need_open(c, false);
	if (!strncmp(c->arg, "udp:", 4) || !strncmp(c->arg, "unixdgram:", 10) ||
	    !strncmp(c->arg, "mcast:", 6)) {
		op_open_dgram(c);
		return;
	}
	if (c->given & B(K_ECHO))
		usage_err(c, "echo= is for mcast endpoints");
	c->conn->kind = CONN_STREAM;
	for (;;) {
		fd = addr_socket(c, &ss, &ss_len);
		if (!connect(fd, (struct sockaddr *)&ss, ss_len))
			break;
		close(fd);
		if ((errno != ENOENT && errno != ECONNREFUSED) ||
		    !ms_left(deadline))
			fail(c, "cannot connect to %s: %s", c->arg,
			     strerror(errno));
		pump(20, -1, 0);
	}
	take(c, fd, &ss);
}

/* listen NAME ADDR [timeout=]: accept one connection, then stop
 * listening (as QEMU's server mode does while it has a peer). */
static void op_listen(struct cmd *c)
{
	uint64_t deadline = now_ms() + timeout_of(c);
	struct sockaddr_storage ss;
	socklen_t ss_len;
	int one = 1, lfd, fd;
	struct stat st;

	need_open(c, false);
	lfd = addr_socket(c, &ss, &ss_len);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* Replace the socket file a previous listen left, nothing else. */
	if (ss.ss_family == AF_UNIX && !lstat(c->arg + 5, &st) &&
	    S_ISSOCK(st.st_mode))
		unlink(c->arg + 5);
	if (bind(lfd, (struct sockaddr *)&ss, ss_len) || listen(lfd, 1))
		fail(c, "cannot listen on %s: %s", c->arg, strerror(errno));
	fcntl(lfd, F_SETFL, O_NONBLOCK);
	while ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) < 0) {
		if (errno != EAGAIN && errno != EINTR)
			fail(c, "accept: %s", strerror(errno));
		if (!ms_left(deadline))
			fail(c, "nobody connected to %s within %lu ms", c->arg,
			     timeout_of(c));
		pump(ms_left(deadline), lfd, POLLIN);
	}
	close(lfd);
	take(c, fd, &ss);
}

/* close NAME, stall NAME, resume NAME */
static void op_conn(struct cmd *c)
{
	need_open(c, true);
	if (!strcmp(c->op->name, "close"))
		conn_release(c->conn);
	else
		c->conn->stalled = !strcmp(c->op->name, "stall");
}

static void nap(unsigned long ms)
{
	uint64_t deadline = now_ms() + ms;

	while (ms_left(deadline))
		pump(ms_left(deadline), -1, 0);
}

static void op_sleep(struct cmd *c)
{
	nap(c->v[K_MS]);
}

/* send NAME <frame keys> [chunk=BYTES gap=MS]: one frame, optionally
 * written in pieces with pauses between them. */
static void op_send(struct cmd *c)
{
	static uint8_t buf[FRAME_MAX + 4];
	size_t len = frame_len(c) + 4, off, n;
	size_t chunk = c->given & B(K_CHUNK) ? c->v[K_CHUNK] : len;

	need_open(c, true);
	put_be(buf, (uint32_t)len - 4, 4);
	frame_build(c, buf + 4, false, 0);
	if (c->conn->kind != CONN_STREAM) {
		dgram_write(c, buf + 4, len - 4);
		return;
	}
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		conn_write(c, buf + off, n, false);
		if (off + n < len)
			nap(c->v[K_GAP]);
	}
}

/* flood NAME count=N <frame keys>: N numbered frames, back to back. */
static void op_flood(struct cmd *c)
{
	static uint8_t buf[65536 + FRAME_MAX + 4];
	size_t len = frame_len(c), used = 0;
	unsigned long i;

	need_open(c, true);
	for (i = 0; i < c->v[K_COUNT] && c->conn->kind != CONN_STREAM; i++) {
		frame_build(c, buf, true, (uint32_t)i);
		dgram_write(c, buf, len);
	}
	if (c->conn->kind != CONN_STREAM)
		return;
	for (i = 0; i < c->v[K_COUNT]; i++) {
		/* Small writes, so that the others are read in between. */
		if (used >= 65536) {
			conn_write(c, buf, used, false);
			used = 0;
		}
		put_be(buf + used, (uint32_t)len, 4);
		frame_build(c, buf + used + 4, true, (uint32_t)i);
		used += len + 4;
	}
	conn_write(c, buf, used, false);
}

/* raw NAME HEX... | raw NAME random=N [seed=]: any bytes.  The switch may
 * hang up part way: that is what the garbage tests want. */
static void op_raw(struct cmd *c)
{
	uint32_t x = c->given & B(K_SEED) ? (uint32_t)c->v[K_SEED] : 1;
	size_t i;

	need_open(c, true);
	if (c->given & B(K_RANDOM)) {
		c->raw_len = c->v[K_RANDOM];
		c->raw = malloc(c->raw_len + 1);
		if (!c->raw)
			fail(c, "out of memory");
		for (i = 0; i < c->raw_len; i++) {
			/* xorshift32: a seed always gives the same bytes. */
			x = x ? x : 0x9e3779b9;
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			c->raw[i] = (uint8_t)(x >> 24);
		}
	}
	if (c->conn->kind != CONN_STREAM)
		dgram_write(c, c->raw, c->raw_len);
	else
		conn_write(c, c->raw, c->raw_len, true);
}

/* expect NAME <frame keys> [timeout=]: the next frame is exactly this. */
static void op_expect(struct cmd *c)
{
	static uint8_t want[FRAME_MAX];
	size_t len = frame_len(c), got_len = 0, i;
	char d1[256], d2[256];
	uint8_t *got = NULL;
	int r;

	need_open(c, true);
	frame_build(c, want, false, 0);
	frame_desc(want, len, d1, sizeof(d1));
	r = conn_wait(c, now_ms() + timeout_of(c), &got, &got_len);
	if (r == 0)
		fail(c, "expected %s; nothing came within %lu ms", d1,
		     timeout_of(c));
	if (r < 0)
		fail(c, "expected %s; the connection was %s", d1,
		     closed_how(c->conn));
	for (i = 0; i < len && i < got_len && got[i] == want[i]; i++)
		;
	if (i < len || got_len != len)
		fail(c, "expected %s; got %s (they differ from byte %zu)", d1,
		     frame_desc(got, got_len, d2, sizeof(d2)), i);
}

/*
 * expect-none NAME [ms=300]: no frame comes within the window.
 * expect-count NAME count=N [timeout=]: N frames come, whatever they are.
 * expect-closed NAME [timeout=]: the switch hangs up (frames it sent
 * before are ignored); the name can be opened again.
 * drain NAME [ms=200]: drop frames until none came for that long (or
 * for 10 s at most).
 */
static void op_watch(struct cmd *c)
{
	const char *name = c->op->name;
	/* 'n'one, 'c'ount, c'l'osed or 'd'rain */
	char what = name[0] == 'd' ? 'd' : name[8] == 'l' ? 'l' : name[7];
	unsigned long n = 0, ms = c->given & B(K_MS) ? c->v[K_MS] :
				 what == 'n' ? 300 : 200;
	uint64_t deadline = now_ms() + (what == 'n' || what == 'd' ? ms :
					timeout_of(c));
	uint64_t end = now_ms() + 10000;	/* bounds a drain */
	uint8_t *got;
	char d[256];
	size_t len;
	int r = 0;

	need_open(c, true);
	if (what == 'l')
		c->conn->stalled = false;
	while ((what != 'c' || n < c->v[K_COUNT]) &&
	       (r = conn_wait(c, deadline, &got, &len)) > 0) {
		if (what == 'n')
			fail(c, "expected nothing for %lu ms; got %s", ms,
			     frame_desc(got, len, d, sizeof(d)));
		if (what == 'd')	/* the quiet window restarts */
			deadline = now_ms() + ms < end ? now_ms() + ms : end;
		n++;
	}
	if (what == 'c' && n == c->v[K_COUNT])
		return;
	if (what == 'l' && r < 0) {
		conn_release(c->conn);
		return;
	}
	if (r < 0)
		fail(c, "the connection was %s (after %lu frames)",
		     closed_how(c->conn), n);
	if (what == 'c')
		fail(c, "expected %lu frames within %lu ms; got %lu",
		     c->v[K_COUNT], timeout_of(c), n);
	if (what == 'l')
		fail(c, "still open after %lu ms (%lu frames came)",
		     timeout_of(c), n);
}

/* wait-log FILE BRE... [timeout=]: a line of FILE matches, for instance
 * once the switch has logged a hang-up we must not race with. */
static void op_wait_log(struct cmd *c)
{
	static char text[1 << 20];
	uint64_t deadline = now_ms() + timeout_of(c);
	size_t n;
	FILE *f;

	for (;;) {
		n = 0;
		f = fopen(c->arg, "re");
		if (f) {
			/* Only the last 1 MiB: what we wait for is recent. */
			if (fseek(f, 1 - (long)sizeof(text), SEEK_END))
				rewind(f);
			n = fread(text, 1, sizeof(text) - 1, f);
			fclose(f);
		}
		text[n] = '\0';
		if (!regexec(&c->re, text, 0, NULL, 0))
			return;
		if (!ms_left(deadline))
			fail(c, "no line of %s matches after %lu ms", c->arg,
			     timeout_of(c));
		nap(20);
	}
}

static const struct op ops[] = {
	{ "open", op_open, A_CONN | A_ADDR, B(K_TIMEOUT) | B(K_ECHO), 0 },
	{ "listen", op_listen, A_CONN | A_ADDR, B(K_TIMEOUT), 0 },
	{ "close", op_conn, A_CONN, 0, 0 },
	{ "stall", op_conn, A_CONN, 0, 0 },
	{ "resume", op_conn, A_CONN, 0, 0 },
	{ "sleep", op_sleep, A_MS, 0, 0 },
	{ "send", op_send, A_CONN, FRAME_KEYS | B(K_CHUNK) | B(K_GAP),
	  B(K_DST) | B(K_SRC) },
	{ "flood", op_flood, A_CONN, FRAME_KEYS | B(K_COUNT),
	  B(K_DST) | B(K_SRC) | B(K_COUNT) },
	{ "raw", op_raw, A_CONN | A_HEX, B(K_RANDOM) | B(K_SEED), 0 },
	{ "expect", op_expect, A_CONN, FRAME_KEYS | B(K_TIMEOUT),
	  B(K_DST) | B(K_SRC) },
	{ "expect-none", op_watch, A_CONN, B(K_MS), 0 },
	{ "expect-count", op_watch, A_CONN, B(K_COUNT) | B(K_TIMEOUT),
	  B(K_COUNT) },
	{ "expect-closed", op_watch, A_CONN, B(K_TIMEOUT), 0 },
	{ "drain", op_watch, A_CONN, B(K_MS), 0 },
	{ "wait-log", op_wait_log, A_ADDR | A_TEXT, B(K_TIMEOUT), 0 },
};

static bool parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 0);
	return *s && *s != '-' && *s != '+' && !errno && !*end && *out <= max;
}

static bool parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	int i, n = 0;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &n) != 6 || n != 17)
		return false;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return true;
}

static struct conn *conn_by_name(const struct cmd *c, const char *name)
{
	size_t i, n = strlen(name);

	if (!n || n >= sizeof(conns[0].name) ||
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		   "0123456789_-") != n)
		usage_err(c, "bad connection name \"%s\"", name);
	for (i = 0; i < MAX_CONNS && conns[i].name[0]; i++)
		if (!strcmp(conns[i].name, name))
			return &conns[i];
	if (i == MAX_CONNS)
		usage_err(c, "more than %d connection names", MAX_CONNS);
	strcpy(conns[i].name, name);
	return &conns[i];
}

static void parse_hex(struct cmd *c, const char *s)
{
	size_t n = strlen(s) / 2, i;
	unsigned int b;
	uint8_t *nb;

	if (strlen(s) % 2 || strspn(s, "0123456789abcdefABCDEF") != 2 * n ||
	    c->raw_len + n > RAW_MAX)
		usage_err(c, "bad hex bytes \"%s\"", s);
	nb = realloc(c->raw, c->raw_len + n + 1);
	if (!nb)
		usage_err(c, "out of memory");
	c->raw = nb;
	for (i = 0; i < n; i++) {
		sscanf(s + 2 * i, "%2x", &b);
		c->raw[c->raw_len++] = (uint8_t)b;
	}
}

static void parse_key(struct cmd *c, char *tok)
{
	char *val = strchr(tok, '=');
	int k;

	*val++ = '\0';
	for (k = 0; k < N_KEYS && strcmp(keys[k].name, tok); k++)
		;
	if (k == N_KEYS || !(c->op->keys & B(k)))
		usage_err(c, "%s does not take \"%s=\"", c->op->name, tok);
	if (c->given & B(k))
		usage_err(c, "\"%s=\" given twice", tok);
	c->given |= B(k);
	if (k == K_DST || k == K_SRC) {
		if (!parse_mac(val, k == K_DST ? c->dst : c->src))
			usage_err(c, "%s=%s is not a MAC address", tok, val);
	} else if (k == K_TAG) {
		if (strlen(val) > MAX_TAG)
			usage_err(c, "tag=%s is over %d bytes", val, MAX_TAG);
		strcpy(c->tag, val);
	} else if (!parse_ulong(val, keys[k].max, &c->v[k])) {
		usage_err(c, "%s=%s is not a number in 0..%lu", tok, val,
			  keys[k].max);
	}
}

/* wait-log FILE WORDS... [timeout=]: the words, joined by single spaces,
 * are a POSIX basic regular expression. */
static void parse_text(struct cmd *c, char **tok, int n)
{
	char re[4096] = "";
	int i, err;

	if (!strncmp(tok[n - 1], "timeout=", 8))
		parse_key(c, tok[--n]);
	if (n < 3)
		usage_err(c, "%s needs a file and a pattern", c->op->name);
	c->arg = strdup(tok[1]);
	for (i = 2; i < n; i++) {
		strcat(re, i > 2 ? " " : "");
		strcat(re, tok[i]);
	}
	err = regcomp(&c->re, re, REG_NEWLINE | REG_NOSUB);
	c->has_re = !err;
	if (err) {
		regerror(err, &c->re, re, sizeof(re));
		usage_err(c, "bad pattern: %s", re);
	}
}

/* Checks what only the keys together can tell. */
static void parse_check(struct cmd *c)
{
	size_t min = (c->given & B(K_VLAN) ? 18 : 14) + strlen(c->tag) +
		     (c->op->run == op_flood ? 4 : 0);
	int k;

	if ((c->op->args & A_ADDR) && !c->arg)
		usage_err(c, "%s needs an address or a file", c->op->name);
	if ((c->op->args & A_MS) && !(c->given & B(K_MS)))
		usage_err(c, "%s needs milliseconds", c->op->name);
	for (k = 0; k < N_KEYS; k++)
		if (c->op->need & ~c->given & B(k))
			usage_err(c, "%s needs \"%s=\"", c->op->name,
				  keys[k].name);
	if ((c->op->keys & B(K_LEN)) && frame_len(c) < min)
		usage_err(c, "len= must be at least %zu here", min);
	if ((c->given & B(K_PCP)) && !(c->given & B(K_VLAN)))
		usage_err(c, "pcp= needs vlan=");
	if ((c->given & B(K_CHUNK)) && !c->v[K_CHUNK])
		usage_err(c, "chunk= must be at least 1");
	if (c->op->run == op_raw && !c->raw_len == !(c->given & B(K_RANDOM)))
		usage_err(c, "raw takes hex bytes or random=N");
}

/* Parses one line; false for blank lines and comments. */
static bool parse_line(struct cmd *c, char *text)
{
	char *tok[MAX_TOKENS], *save, *t;
	int n = 0, i = 1;
	size_t k;

	text[strcspn(text, "\r\n")] = '\0';
	c->text = strdup(text);
	if (!c->text)
		usage_err(c, "out of memory");
	for (t = strtok_r(text, " \t", &save); t && *t != '#';
	     t = strtok_r(NULL, " \t", &save)) {
		if (n == MAX_TOKENS)
			usage_err(c, "more than %d words", MAX_TOKENS);
		tok[n++] = t;
	}
	if (!n)
		return false;
	for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
		if (!strcmp(ops[k].name, tok[0]))
			c->op = &ops[k];
	if (!c->op)
		usage_err(c, "unknown command \"%s\"", tok[0]);
	if (c->op->args & A_TEXT) {
		parse_text(c, tok, n);
		return true;
	}
	if (c->op->args & A_CONN) {
		if (n < 2)
			usage_err(c, "%s needs a connection name", tok[0]);
		c->conn = conn_by_name(c, tok[i++]);
	}
	for (; i < n; i++) {
		if (strchr(tok[i], '='))
			parse_key(c, tok[i]);
		else if ((c->op->args & A_ADDR) && !c->arg)
			c->arg = strdup(tok[i]);
		else if ((c->op->args & A_MS) && !(c->given & B(K_MS)) &&
			 parse_ulong(tok[i], keys[K_MS].max, &c->v[K_MS]))
			c->given |= B(K_MS);
		else if (c->op->args & A_HEX)
			parse_hex(c, tok[i]);
		else
			usage_err(c, "unexpected \"%s\"", tok[i]);
	}
	parse_check(c);
	return true;
}

/* Runs at every exit, so that leak checkers see a clean process. */
static void cleanup(void)
{
	size_t i;

	for (i = 0; i < n_cmds; i++) {
		free(cmds[i].text);
		free(cmds[i].arg);
		free(cmds[i].raw);
		if (cmds[i].has_re)
			regfree(&cmds[i].re);
	}
	free(cmds);
	free(line_buf);
	for (i = 0; i < MAX_CONNS; i++) {
		conn_release(&conns[i]);
		free(conns[i].buf);
	}
}

static void usage(FILE *f)
{
	fputs("Usage: frameio [-v] [-i] [-t MS] [-f SCRIPT]\n"
	      "Play QEMU stream peers against vswitchd, following SCRIPT "
	      "(default: stdin).\n"
	      "  -t MS  default timeout of open, listen, expect... (2000)\n"
	      "  -v     print each command as it runs\n"
	      "  -i     run each line as it is read (feed the script through "
	      "a FIFO)\n\n"
	      "Frame keys: dst=MAC src=MAC [vlan= pcp= type= len= tag=]\n"
	      "  open|listen NAME unix:PATH|tcp:HOST:PORT [timeout=]\n"
	      "  open NAME udp:HOST:PORT[,LPORT] | unixdgram:PATH[,LOCALPATH]"
	      " |\n"
	      "       mcast:GROUP:PORT [echo=1]   (one frame per datagram;\n"
	      "                                    GROUP may be [IPv6])\n"
	      "  send NAME <frame keys> [chunk=BYTES gap=MS]\n"
	      "  flood NAME count=N <frame keys>\n"
	      "  raw NAME HEX... | raw NAME random=N [seed=]\n"
	      "  expect NAME <frame keys> [timeout=]\n"
	      "  expect-none NAME [ms=]     expect-count NAME count=N "
	      "[timeout=]\n"
	      "  expect-closed NAME [timeout=]   drain NAME [ms=]\n"
	      "  close|stall|resume NAME    sleep MS\n"
	      "  wait-log FILE REGEX... [timeout=]\n", f);
}

int main(int argc, char **argv)
{
	size_t cap = 0, line_cap = 0, i;
	bool verbose = false, streaming = false;
	uint64_t start = now_ms();
	FILE *in = stdin;
	int opt, line_no = 0;

	for (i = 0; i < MAX_CONNS; i++)
		conns[i].fd = -1;
	atexit(cleanup);
	while ((opt = getopt(argc, argv, "f:t:vih")) != -1) {
		if (opt == 'i') {
			/* Run each line as it arrives: a test can feed the
			 * script through a FIFO while it does other things. */
			streaming = true;
		} else if (opt == 'f') {
			script = optarg;
		} else if (opt == 't') {
			if (!parse_ulong(optarg, 600000, &default_timeout))
				usage_err(NULL, "bad -t \"%s\"", optarg);
		} else if (opt == 'v') {
			verbose = true;
		} else {
			usage(opt == 'h' ? stdout : stderr);
			return opt == 'h' ? EXIT_PASS : EXIT_USAGE;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(script, "stdin") && strcmp(script, "-") &&
	    !(in = fopen(script, "re")))
		usage_err(NULL, "%s: %s", script, strerror(errno));
	while (getline(&line_buf, &line_cap, in) > 0) {
		struct cmd *c = cmds;

		if (n_cmds == cap) {
			c = realloc(cmds, (cap + 64) * sizeof(*cmds));
			if (!c)
				usage_err(NULL, "out of memory");
			cmds = c;
			cap += 64;
		}
		/* Counted before parsing, so that cleanup() frees it. */
		c = &cmds[n_cmds++];
		*c = (struct cmd){ .line = ++line_no };
		if (strlen(line_buf) > 4096)
			usage_err(c, "line longer than 4096 bytes");
		if (!parse_line(c, line_buf)) {
			free(cmds[--n_cmds].text);
			continue;
		}
		if (streaming) {
			if (verbose)
				fprintf(stderr, "frameio: %6lu ms %s:%d: %s\n",
					(unsigned long)(now_ms() - start),
					script, c->line, c->text);
			c->op->run(c);
		}
	}
	if (in != stdin)
		fclose(in);
	for (i = 0; i < n_cmds && !streaming; i++) {
		if (verbose)
			fprintf(stderr, "frameio: %6lu ms %s:%d: %s\n",
				(unsigned long)(now_ms() - start), script,
				cmds[i].line, cmds[i].text);
		cmds[i].op->run(&cmds[i]);
	}
	if (verbose)
		fprintf(stderr, "frameio: %6lu ms %s: passed\n",
			(unsigned long)(now_ms() - start), script);
	return EXIT_PASS;
}
