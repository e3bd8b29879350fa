/*
 * ctlpipe.c - pipelines thousands of control requests from several clients
 * that read their replies slowly, and checks each is answered exactly
 * once, in order, and that each mutation happened once.
 *
 *   ctlpipe SOCKET CLIENTS REQUESTS PAUSE_MS PORT DIR
 *
 * Client c sends REQUESTS lines with ids c * 1000000 + i, all written as
 * fast as the socket takes them; for PAUSE_MS it reads nothing, then it
 * reads a little at a time.  The requests cycle through eight kinds: show,
 * mac/add of a MAC of its own on PORT, port/list, mac/del of the MAC added
 * two requests before, show, port/add of a unix-listen port with its
 * socket in DIR, mac/show, port/del of that port.  Every reply must be ok
 * (a replayed mac/del or port/add would fail, a replayed or lost request
 * shows in the ids), and at the end the MAC table and the port list must
 * hold exactly what the requests left behind.
 *
 * Exit status: 0 when everything checks out, 1 with the first problem
 * on stderr.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

enum { MAX_CLIENTS = 16, ID_STRIDE = 1000000, READ_CHUNK = 4096 };

struct client {
	int fd;
	char *out;	  /* every request, one per line */
	size_t out_len, out_off;
	char *in;	  /* reply bytes not yet split into lines */
	size_t in_len, in_cap;
	unsigned int next; /* index of the reply we expect next */
	bool done;
};

static const char *sock_path, *port_name, *dir;
static unsigned int n_requests;

static void fail(const char *fmt, ...)
{
	va_list ap;

	fputs("ctlpipe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int ctl_connect(bool nonblock)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		fail("socket: %s", strerror(errno));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		fail("connect %s: %s", sock_path, strerror(errno));
	if (nonblock)
		fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

static void mac_of(unsigned int c, unsigned int i, char *buf)
{
	sprintf(buf, "02:cc:%02x:%02x:%02x:%02x", c, (i >> 16) & 0xff,
		(i >> 8) & 0xff, i & 0xff);
}

static void port_of(unsigned int c, unsigned int i, char *buf, size_t n)
{
	snprintf(buf, n, "pc%u-%u", c, i);
}

/* The line of request i of client c, into a malloc'ed string. */
static char *request(unsigned int c, unsigned int i)
{
	unsigned long id = (unsigned long)c * ID_STRIDE + i;
	char mac[32], name[64], *line = NULL;
	int n = -1;

	switch (i % 8) {
	case 0:
	case 4:
		n = asprintf(&line, "{\"cmd\":\"show\",\"id\":%lu}\n", id);
		break;
	case 1:
		mac_of(c, i, mac);
		n = asprintf(&line,
			     "{\"cmd\":\"mac/add\",\"id\":%lu,\"args\":"
			     "{\"mac\":\"%s\",\"port\":\"%s\"}}\n",
			     id, mac, port_name);
		break;
	case 2:
		n = asprintf(&line, "{\"cmd\":\"port/list\",\"id\":%lu}\n", id);
		break;
	case 3:
		mac_of(c, i - 2, mac);
		n = asprintf(&line,
			     "{\"cmd\":\"mac/del\",\"id\":%lu,\"args\":"
			     "{\"mac\":\"%s\"}}\n",
			     id, mac);
		break;
	case 5:
		port_of(c, i, name, sizeof(name));
		n = asprintf(&line,
			     "{\"cmd\":\"port/add\",\"id\":%lu,\"args\":"
			     "{\"port\":{\"name\":\"%s\",\"type\":"
			     "\"unix-listen\",\"path\":\"%s/%s.sock\"}}}\n",
			     id, name, dir, name);
		break;
	case 6:
		n = asprintf(&line, "{\"cmd\":\"mac/show\",\"id\":%lu}\n", id);
		break;
	case 7:
		port_of(c, i - 2, name, sizeof(name));
		n = asprintf(&line,
			     "{\"cmd\":\"port/del\",\"id\":%lu,\"args\":"
			     "{\"name\":\"%s\"}}\n",
			     id, name);
		break;
	}
	if (n < 0)
		fail("out of memory");
	return line;
}

static void build(struct client *cl, unsigned int c)
{
	size_t cap = 0;

	for (unsigned int i = 0; i < n_requests; i++) {
		char *line = request(c, i);
		size_t n = strlen(line);

		if (cl->out_len + n > cap) {
			cap = (cl->out_len + n) * 2;
			cl->out = realloc(cl->out, cap);
			if (!cl->out)
				fail("out of memory");
		}
		memcpy(cl->out + cl->out_len, line, n);
		cl->out_len += n;
		free(line);
	}
}

static void check_reply(struct client *cl, unsigned int c, const char *line,
			size_t len)
{
	unsigned long want = (unsigned long)c * ID_STRIDE + cl->next;
	json_error_t jerr;
	json_t *r = json_loadb(line, len, 0, &jerr);
	json_t *id;

	if (!r)
		fail("client %u: a reply is not JSON (%s): %.200s", c, jerr.text,
		     line);
	id = json_object_get(r, "id");
	if (!json_is_integer(id))
		fail("client %u: a reply without an id after %u replies: "
		     "%.200s", c, cl->next, line);
	if ((unsigned long)json_integer_value(id) != want)
		fail("client %u: reply for id %lld where id %lu was due (a "
		     "request answered twice, lost or out of order)",
		     c, (long long)json_integer_value(id), want);
	if (!json_is_true(json_object_get(r, "ok")))
		fail("client %u: request %u failed: %.300s", c, cl->next, line);
	json_decref(r);
	if (++cl->next == n_requests)
		cl->done = true;
}

/* Reads what is there (at most @limit bytes) and checks whole lines. */
static void drain(struct client *cl, unsigned int c, size_t limit)
{
	ssize_t n;
	char *nl, *p;

	if (cl->in_len + limit > cl->in_cap) {
		cl->in_cap = (cl->in_len + limit) * 2;
		cl->in = realloc(cl->in, cl->in_cap);
		if (!cl->in)
			fail("out of memory");
	}
	n = read(cl->fd, cl->in + cl->in_len, limit);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0)
		fail("client %u: read: %s", c, strerror(errno));
	if (n == 0)
		fail("client %u: the daemon closed the connection after %u of "
		     "%u replies", c, cl->next, n_requests);
	cl->in_len += (size_t)n;
	p = cl->in;
	while ((nl = memchr(p, '\n', cl->in_len - (size_t)(p - cl->in)))) {
		if (cl->done)
			fail("client %u: a reply beyond the last request", c);
		check_reply(cl, c, p, (size_t)(nl - p));
		p = nl + 1;
	}
	cl->in_len -= (size_t)(p - cl->in);
	memmove(cl->in, p, cl->in_len);
}

/* One request on a fresh connection; returns the parsed result. */
static json_t *ask(const char *line)
{
	int fd = ctl_connect(false);
	char buf[1 << 16];
	size_t len = 0;
	json_t *r, *res;
	ssize_t n;

	if (write(fd, line, strlen(line)) != (ssize_t)strlen(line))
		fail("write: %s", strerror(errno));
	shutdown(fd, SHUT_WR);
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	r = json_loadb(buf, len, 0, NULL);
	res = json_object_get(r, "result");
	if (!json_is_true(json_object_get(r, "ok")) || !res)
		fail("%s: failed: %.*s", line, (int)len, buf);
	json_incref(res);
	json_decref(r);
	return res;
}

/* How many of client c's requests of kind @kind (mod 8) have no undo
 * request two later: the entries the whole run leaves behind. */
static unsigned int left_behind(unsigned int n_clients, unsigned int kind)
{
	unsigned int n = 0;

	for (unsigned int i = kind; i < n_requests; i += 8)
		if (i + 2 >= n_requests)
			n++;
	return n * n_clients;
}

/* Counts the objects of @array whose @key starts with @prefix. */
static unsigned int count_ours(json_t *array, const char *key,
			       const char *prefix)
{
	unsigned int n = 0;
	size_t k;
	json_t *e;

	json_array_foreach (array, k, e) {
		const char *v = json_string_value(json_object_get(e, key));

		if (v && !strncmp(v, prefix, strlen(prefix)))
			n++;
	}
	return n;
}

/* The MAC table and the port list hold exactly what the requests leave. */
static void check_state(unsigned int n_clients)
{
	json_t *macs = ask("{\"cmd\":\"mac/show\"}\n");
	json_t *ports = ask("{\"cmd\":\"port/list\"}\n");
	unsigned int have, want;

	if (!json_is_array(macs) || !json_is_array(ports))
		fail("unexpected mac/show or port/list result");
	have = count_ours(macs, "mac", "02:cc:");
	want = left_behind(n_clients, 1);
	if (have != want)
		fail("the MAC table holds %u of our static entries, not %u",
		     have, want);
	have = count_ours(ports, "name", "pc");
	want = left_behind(n_clients, 5);
	if (have != want)
		fail("the port list holds %u of our ports, not %u", have,
		     want);
	json_decref(macs);
	json_decref(ports);
}

int main(int argc, char **argv)
{
	struct client cl[MAX_CLIENTS] = { 0 };
	unsigned int n_clients, pause_ms, left;
	uint64_t start, quiet_until;

	if (argc != 7) {
		fprintf(stderr, "usage: ctlpipe SOCKET CLIENTS REQUESTS "
				"PAUSE_MS PORT DIR\n");
		return 2;
	}
	sock_path = argv[1];
	n_clients = (unsigned int)atoi(argv[2]);
	n_requests = (unsigned int)atoi(argv[3]);
	pause_ms = (unsigned int)atoi(argv[4]);
	port_name = argv[5];
	dir = argv[6];
	if (!n_clients || n_clients > MAX_CLIENTS || !n_requests ||
	    n_requests >= ID_STRIDE)
		fail("CLIENTS must be 1..%d and REQUESTS 1..%d", MAX_CLIENTS,
		     ID_STRIDE - 1);
	for (unsigned int c = 0; c < n_clients; c++) {
		build(&cl[c], c);
		cl[c].fd = ctl_connect(true);
	}
	start = now_ms();
	quiet_until = start + pause_ms;
	left = n_clients;
	while (left) {
		struct pollfd pfd[MAX_CLIENTS];
		bool quiet = now_ms() < quiet_until;

		for (unsigned int c = 0; c < n_clients; c++) {
			short ev = 0;

			if (cl[c].out_off < cl[c].out_len)
				ev |= POLLOUT;
			if (!quiet && !cl[c].done)
				ev |= POLLIN;
			pfd[c] = (struct pollfd){ .fd = cl[c].fd, .events = ev };
		}
		if (poll(pfd, n_clients, 10) < 0 && errno != EINTR)
			fail("poll: %s", strerror(errno));
		if (now_ms() - start > 120000)
			fail("timed out after 120 s");
		for (unsigned int c = 0; c < n_clients; c++) {
			struct client *p = &cl[c];

			if (pfd[c].revents & POLLOUT) {
				ssize_t n = write(p->fd, p->out + p->out_off,
						  p->out_len - p->out_off);

				if (n < 0 && errno != EAGAIN && errno != EINTR)
					fail("client %u: write: %s", c,
					     strerror(errno));
				if (n > 0)
					p->out_off += (size_t)n;
			}
			/* Slow readers: a small bite per turn. */
			if ((pfd[c].revents & (POLLIN | POLLHUP | POLLERR)) &&
			    !p->done) {
				drain(p, c, READ_CHUNK);
				if (p->done)
					left--;
			}
		}
		if (!quiet)
			usleep(200);
	}
	for (unsigned int c = 0; c < n_clients; c++) {
		close(cl[c].fd);
		free(cl[c].out);
		free(cl[c].in);
	}
	check_state(n_clients);
	printf("ctlpipe: %u clients x %u requests: every id answered once, "
	       "in order, every mutation done once\n",
	       n_clients, n_requests);
	return 0;
}
