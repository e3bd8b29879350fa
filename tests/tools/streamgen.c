/*
 * streamgen.c - a frame generator for benchmarking vswitchd's stream ports.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 *
 * streamgen plays N pairs of QEMU VMs: each sender sends fixed-size frames
 * to its receiver's MAC address in QEMU's stream framing (a 4-byte
 * big-endian length, then the frame), through a vswitchd unix-listen or
 * tcp-listen port, or, with --direct, over a socketpair that joins the two
 * ends of each pair (the ceiling: the same program, no switch).
 *
 * One thread runs every connection from one epoll loop, so the generator
 * takes one core and leaves the other to the switch.  A sender writes a
 * ring of prebuilt frames, as much of it as the socket takes per call; a
 * receiver reads 1 MiB at a time and only walks the length prefixes.
 *
 * Phases:
 *  1. priming: every connection sends a broadcast from its own MAC, again
 *     every 100 ms until each sender has heard every other connection
 *     (which proves the switch has learned them all);
 *  2. with --macs M: the senders send M frames, from M distinct source
 *     MACs, so the switch learns them; the measured frames then cycle
 *     through those sources (every frame refreshes one of M entries).
 *     With --lookup too, the receivers teach the M MACs instead, and the
 *     measured frames go to them, from one source: every frame looks one
 *     of M entries up (and refreshes the same one);
 *  3. warm-up, then the measured period; then the senders stop and the
 *     receivers drain.  frames_per_s counts frames received during the
 *     period; loss_pct compares everything sent and received after the
 *     drain (a switch drops when a receiver's queue is full).
 *
 * With --hold it then waits for SIGTERM or SIGINT, still connected, so a
 * script can look at the switch (memory, counters) in that state.
 *
 * Result: one line on stdout, "key=value" pairs (see print_result()).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

enum {
	RING_BYTES = 256 << 10, /* prebuilt frames per sender */
	RX_BYTES = 1 << 20,	/* one read */
	MAX_PEERS = 65536,	/* peer index fits in two MAC bytes */
	MAX_FRAME = 65535,
	MIN_FRAME = 14,
	ETHERTYPE = 0x88b5, /* local experimental */
	PRIME_RESEND_MS = 100,
	PRIME_TIMEOUT_MS = 10000,
	DRAIN_QUIET_MS = 300,
	DRAIN_MAX_MS = 5000,
};

enum role { SENDER, RECEIVER, IDLE };

struct peer {
	int fd;
	enum role role;
	unsigned int idx;  /* MAC 02:00:00:00:idx */
	struct peer *mate; /* a sender's receiver */
	/* sender */
	uint8_t *ring;
	size_t ring_len, ring_off;
	unsigned long long tx_bytes;
	unsigned long mac_first, mac_count, mac_next; /* --macs share */
	bool macs_are_dst; /* --lookup: the share is destinations */
	bool writing;
	/* reader: stream framing state */
	uint8_t hdr[4];
	unsigned int hdr_have;
	size_t frame_left;
	bool frame_is_bcast, frame_is_ours;
	unsigned long long rx_frames, rx_bytes;
	/* priming: which peers' broadcasts this one heard */
	uint8_t *heard;
	unsigned int n_heard;
};

static struct {
	const char *connect;
	bool direct, hold;
	unsigned int pairs, idle;
	size_t size;
	double seconds, warmup;
	unsigned long macs;
	bool lookup;
} opt = {
	.pairs = 1,
	.size = 64,
	.seconds = 10,
	.warmup = 0.5,
};

static struct peer *peers;
static unsigned int n_peers;
static int epfd = -1;
static uint8_t *rx_buf;
static volatile sig_atomic_t stop_signal;

static void __attribute__((format(printf, 1, 2), noreturn))
fail(const char *fmt, ...)
{
	va_list ap;

	fputs("streamgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *xzalloc(size_t n)
{
	void *p = calloc(1, n);

	if (!p)
		fail("out of memory");
	return p;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void peer_mac(unsigned int idx, uint8_t mac[6])
{
	static const uint8_t base[6] = { 0x02, 0x00, 0x00, 0x00, 0, 0 };

	memcpy(mac, base, 6);
	mac[4] = (uint8_t)(idx >> 8);
	mac[5] = (uint8_t)idx;
}

/* Source MAC n of the --macs set: 02:01:nn:nn:nn:nn. */
static void learn_mac(unsigned long n, uint8_t mac[6])
{
	mac[0] = 0x02;
	mac[1] = 0x01;
	mac[2] = (uint8_t)(n >> 24);
	mac[3] = (uint8_t)(n >> 16);
	mac[4] = (uint8_t)(n >> 8);
	mac[5] = (uint8_t)n;
}

/* One frame with its length prefix; the payload is a fixed pattern. */
static void frame_build(uint8_t *p, size_t len, const uint8_t dst[6],
			const uint8_t src[6])
{
	size_t i;

	p[0] = (uint8_t)(len >> 24);
	p[1] = (uint8_t)(len >> 16);
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	memcpy(p + 4, dst, 6);
	memcpy(p + 10, src, 6);
	p[16] = ETHERTYPE >> 8;
	p[17] = ETHERTYPE & 0xff;
	for (i = 18; i < len + 4; i++)
		p[i] = (uint8_t)i;
}

/* ------------------------------------------------------------------ */
/* connections */

static int connect_to(const char *addr)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char host[256], *port;
	int fd, rc;

	if (!strncmp(addr, "unix:", 5)) {
		if (strlen(addr + 5) >= sizeof(sun.sun_path))
			fail("socket path too long: %s", addr + 5);
		strcpy(sun.sun_path, addr + 5);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)))
			fail("connect %s: %s", addr, strerror(errno));
		return fd;
	}
	if (strncmp(addr, "tcp:", 4) || strlen(addr + 4) >= sizeof(host))
		fail("bad address \"%s\" (unix:PATH or tcp:HOST:PORT)", addr);
	strcpy(host, addr + 4);
	port = strrchr(host, ':');
	if (!port)
		fail("bad address \"%s\" (tcp:HOST:PORT)", addr);
	*port++ = '\0';
	rc = getaddrinfo(host, port, &hints, &ai);
	if (rc)
		fail("%s: %s", addr, gai_strerror(rc));
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen))
		fail("connect %s: %s", addr, strerror(errno));
	freeaddrinfo(ai);
	return fd;
}

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK))
		fail("O_NONBLOCK: %s", strerror(errno));
}

static void ep_set(struct peer *p, bool want_write)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = p };

	if (want_write)
		ev.events |= EPOLLOUT;
	if (epoll_ctl(epfd, EPOLL_CTL_MOD, p->fd, &ev))
		fail("epoll_ctl: %s", strerror(errno));
	p->writing = want_write;
}

static void ep_add(struct peer *p)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = p };

	set_nonblock(p->fd);
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, p->fd, &ev))
		fail("epoll_ctl: %s", strerror(errno));
}

static struct peer *peer_new(enum role role)
{
	struct peer *p = &peers[n_peers];

	p->role = role;
	p->idx = n_peers++;
	p->heard = xzalloc(MAX_PEERS / 8);
	return p;
}

/* Senders and receivers alternate; idle connections come last. */
static void open_peers(void)
{
	unsigned int i;
	int sv[2];

	n_peers = 0;
	peers = xzalloc((2 * opt.pairs + opt.idle) * sizeof(*peers));
	for (i = 0; i < opt.pairs; i++) {
		struct peer *s = peer_new(SENDER), *r = peer_new(RECEIVER);

		s->mate = r;
		if (opt.direct) {
			if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
				       sv))
				fail("socketpair: %s", strerror(errno));
			s->fd = sv[0];
			r->fd = sv[1];
		} else {
			s->fd = connect_to(opt.connect);
			r->fd = connect_to(opt.connect);
		}
	}
	for (i = 0; i < opt.idle; i++)
		peer_new(IDLE)->fd = connect_to(opt.connect);
	for (i = 0; i < n_peers; i++)
		ep_add(&peers[i]);
}

/* ------------------------------------------------------------------ */
/* sending */

/*
 * Rewrite the source (or, for --lookup, destination) MACs of the ring with
 * the sender's next --macs.
 */
static void ring_next_sources(struct peer *s)
{
	size_t wire = opt.size + 4, off, at = s->macs_are_dst ? 4 : 10;
	uint8_t mac[6];

	for (off = 0; off < s->ring_len; off += wire) {
		learn_mac(s->mac_first + s->mac_next, mac);
		memcpy(s->ring + off + at, mac, 6);
		if (++s->mac_next == s->mac_count)
			s->mac_next = 0;
	}
}

static void ring_init(struct peer *s)
{
	size_t wire = opt.size + 4, n = RING_BYTES / wire, i;
	uint8_t dst[6], src[6];

	if (n == 0)
		n = 2;
	s->ring_len = n * wire;
	s->ring = xzalloc(s->ring_len);
	peer_mac(s->mate->idx, dst);
	peer_mac(s->idx, src);
	for (i = 0; i < n; i++)
		frame_build(s->ring + i * wire, opt.size, dst, src);
	if (s->mac_count)
		ring_next_sources(s);
}

/* One write of as much of the ring as the socket takes. */
static void sender_write(struct peer *s)
{
	ssize_t n =
		write(s->fd, s->ring + s->ring_off, s->ring_len - s->ring_off);

	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		fail("write to peer %u: %s", s->idx, strerror(errno));
	}
	s->tx_bytes += (size_t)n;
	s->ring_off += (size_t)n;
	if (s->ring_off == s->ring_len) {
		s->ring_off = 0;
		if (s->mac_count)
			ring_next_sources(s);
	}
}

/* Blocking-ish send of one small frame, for priming. */
static void send_one(struct peer *p, const uint8_t dst[6])
{
	uint8_t f[60 + 4], src[6];
	size_t off = 0;

	peer_mac(p->idx, src);
	frame_build(f, 60, dst, src);
	while (off < sizeof(f)) {
		ssize_t n = write(p->fd, f + off, sizeof(f) - off);

		if (n > 0) {
			off += (size_t)n;
		} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
			fail("write to peer %u: %s", p->idx, strerror(errno));
		}
	}
}

/* ------------------------------------------------------------------ */
/* receiving */

static void frame_start(struct peer *p, const uint8_t *f, size_t avail)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	/* The header starts the frame; it is whole in this read or not
	 * looked at (priming frames are small and come alone). */
	p->frame_is_bcast = avail >= 12 && !memcmp(f, bcast, 6) &&
			    f[6] == 0x02 && f[7] == 0 && f[8] == 0 && f[9] == 0;
	if (p->frame_is_bcast) {
		unsigned int src = (unsigned int)f[10] << 8 | f[11];

		if (!(p->heard[src / 8] & (1u << (src % 8)))) {
			p->heard[src / 8] |= (uint8_t)(1u << (src % 8));
			p->n_heard++;
		}
	}
}

/* Walk the length prefixes of one read's worth of stream. */
static void parse(struct peer *p, const uint8_t *b, size_t n)
{
	while (n) {
		if (p->frame_left) {
			size_t k = n < p->frame_left ? n : p->frame_left;

			p->frame_left -= k;
			b += k;
			n -= k;
			if (!p->frame_left)
				p->rx_frames++;
			continue;
		}
		p->hdr[p->hdr_have++] = *b++;
		n--;
		if (p->hdr_have < 4)
			continue;
		p->hdr_have = 0;
		p->frame_left = (size_t)p->hdr[0] << 24 | p->hdr[1] << 16 |
				p->hdr[2] << 8 | p->hdr[3];
		if (p->frame_left < MIN_FRAME || p->frame_left > MAX_FRAME)
			fail("peer %u: bad length prefix %zu", p->idx,
			     p->frame_left);
		p->rx_bytes += p->frame_left;
		frame_start(p, b, n);
	}
}

static void peer_read(struct peer *p)
{
	ssize_t n = read(p->fd, rx_buf, RX_BYTES);

	if (n > 0) {
		parse(p, rx_buf, (size_t)n);
	} else if (n == 0) {
		fail("peer %u: connection closed by the other end", p->idx);
	} else if (errno != EAGAIN && errno != EINTR) {
		fail("read from peer %u: %s", p->idx, strerror(errno));
	}
}

/* ------------------------------------------------------------------ */
/* the loop */

/* Run the loop until deadline (absolute, now_s()) or until done(). */
static void run_until(double deadline, bool (*done)(void))
{
	struct epoll_event ev[64];
	int i, n, ms;

	while (!stop_signal && !(done && done())) {
		double left = deadline - now_s();

		if (left <= 0)
			break;
		ms = left > 0.1 ? 100 : (int)(left * 1000) + 1;
		n = epoll_wait(epfd, ev, 64, ms);
		if (n < 0 && errno != EINTR)
			fail("epoll_wait: %s", strerror(errno));
		/* Reads first: a receiver that falls behind makes the
		 * switch drop, which would measure us, not it. */
		for (i = 0; i < n; i++)
			if (ev[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
				peer_read(ev[i].data.ptr);
		for (i = 0; i < n; i++)
			if (ev[i].events & EPOLLOUT)
				sender_write(ev[i].data.ptr);
	}
}

static void senders_enable(bool on)
{
	unsigned int i;

	for (i = 0; i < n_peers; i++)
		if (peers[i].role == SENDER && peers[i].writing != on)
			ep_set(&peers[i], on);
}

static unsigned long long total_rx(enum role role)
{
	unsigned long long sum = 0;
	unsigned int i;

	for (i = 0; i < n_peers; i++)
		if (peers[i].role == role)
			sum += peers[i].rx_frames;
	return sum;
}

static unsigned long long total_tx_frames(void)
{
	unsigned long long sum = 0;
	unsigned int i;

	for (i = 0; i < n_peers; i++)
		if (peers[i].role == SENDER)
			sum += peers[i].tx_bytes / (opt.size + 4);
	return sum;
}

/* Read until nothing arrived for DRAIN_QUIET_MS (at most DRAIN_MAX_MS). */
static void drain(void)
{
	double end = now_s() + DRAIN_MAX_MS / 1000.0;
	unsigned long long last = ~0ULL, cur;

	senders_enable(false);
	while (now_s() < end && !stop_signal) {
		cur = total_rx(RECEIVER) + total_rx(SENDER) + total_rx(IDLE);
		if (cur == last)
			return;
		last = cur;
		run_until(now_s() + DRAIN_QUIET_MS / 1000.0, NULL);
	}
}

static bool primed(void)
{
	unsigned int i, want = opt.direct ? 1 : n_peers - 1;

	for (i = 0; i < n_peers; i++)
		if (peers[i].role == SENDER && peers[i].n_heard < want)
			return false;
	return true;
}

static void prime(void)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	double end = now_s() + PRIME_TIMEOUT_MS / 1000.0;
	unsigned int i;

	while (!primed()) {
		if (now_s() > end || stop_signal)
			fail("priming: the senders did not hear every peer "
			     "within %d ms (is the switch forwarding?)",
			     PRIME_TIMEOUT_MS);
		for (i = 0; i < n_peers; i++)
			send_one(&peers[i], bcast);
		run_until(now_s() + PRIME_RESEND_MS / 1000.0, primed);
	}
}

static bool learned(void)
{
	unsigned int i;

	for (i = 0; i < n_peers; i++)
		if (peers[i].role == SENDER &&
		    peers[i].tx_bytes / (opt.size + 4) < peers[i].mac_count)
			return false;
	return true;
}

/* The pairs trade places: a receiver sends (--lookup's teaching). */
static void pairs_swap(void)
{
	unsigned int i;

	for (i = 0; i < n_peers; i++) {
		struct peer *s = &peers[i], *r;

		if (s->role != SENDER || !s->mate || s->mate->mate == s)
			continue;
		r = s->mate;
		r->role = SENDER;
		r->mate = s;
		s->role = RECEIVER;
		r->mac_first = s->mac_first;
		r->mac_count = s->mac_count;
		r->mac_next = 0;
		ring_init(r);
	}
}

/* ...and back: the senders send to the MACs their receivers taught. */
static void pairs_unswap(void)
{
	unsigned int i;

	for (i = 0; i < n_peers; i++) {
		struct peer *r = &peers[i], *s;

		if (r->role != SENDER || !r->mate || r->mate->mate != r)
			continue;
		s = r->mate;
		free(r->ring);
		r->ring = NULL;
		r->ring_len = r->ring_off = 0;
		r->mac_count = 0;
		r->role = RECEIVER;
		s->role = SENDER;
		s->mate = r;
		r->mate = NULL;
		free(s->ring);
		s->macs_are_dst = true;
		s->mac_next = 0;
		ring_init(s);
	}
}

/* Give each sender its share of the --macs set and send it once. */
static void learn_macs(void)
{
	unsigned long share = (opt.macs + opt.pairs - 1) / opt.pairs, k = 0;
	unsigned int i;

	for (i = 0; i < n_peers; i++) {
		struct peer *s = &peers[i];

		if (s->role != SENDER)
			continue;
		s->mac_first = k * share;
		s->mac_count = share;
		k++;
	}
	for (i = 0; i < n_peers; i++)
		if (peers[i].role == SENDER)
			ring_init(&peers[i]);
	if (!opt.macs)
		return;
	if (opt.lookup)
		pairs_swap();
	senders_enable(true);
	run_until(now_s() + 600, learned);
	drain();
	if (opt.lookup)
		pairs_unswap();
	if (stop_signal)
		return;
	fprintf(stderr, "streamgen: sent frames from %lu source MACs\n",
		share * opt.pairs);
}

static void counters_reset(void)
{
	unsigned int i;

	for (i = 0; i < n_peers; i++) {
		peers[i].rx_frames = 0;
		peers[i].rx_bytes = 0;
		/* A frame cut short by the last drain completes (and so
		 * counts) after the reset; all before it were received. */
		peers[i].tx_bytes = peers[i].ring_off % (opt.size + 4);
	}
}

static void print_result(double secs, unsigned long long rx_period,
			 unsigned long long tx_period)
{
	unsigned long long sent = total_tx_frames(), recv = total_rx(RECEIVER);
	double fps = secs > 0 ? (double)rx_period / secs : 0;
	double loss =
		sent ? 100.0 * (double)(sent - (recv < sent ? recv : sent)) /
				(double)sent
		     : 0;

	printf("frames_per_s=%.0f gbit_per_s=%.4f loss_pct=%.4f "
	       "tx_frames_per_s=%.0f sent=%llu received=%llu seconds=%.3f "
	       "size=%zu pairs=%u idle=%u macs=%lu direct=%d\n",
	       fps, fps * (double)opt.size * 8 / 1e9, loss,
	       secs > 0 ? (double)tx_period / secs : 0, sent, recv, secs,
	       opt.size, opt.pairs, opt.idle, opt.macs, opt.direct);
	fflush(stdout);
}

static void measure(void)
{
	unsigned long long rx, tx;
	double t0, t1;

	counters_reset();
	senders_enable(true);
	run_until(now_s() + opt.warmup, NULL);
	rx = total_rx(RECEIVER);
	tx = total_tx_frames();
	t0 = now_s();
	run_until(t0 + opt.seconds, NULL);
	t1 = now_s();
	rx = total_rx(RECEIVER) - rx;
	tx = total_tx_frames() - tx;
	/* Loss after the drain: what the switch really dropped, not what
	 * was still in flight when the period ended. */
	drain();
	print_result(t1 - t0, rx, tx);
}

/* ------------------------------------------------------------------ */
/* options */

static void usage(FILE *f)
{
	fputs("Usage: streamgen [OPTIONS] (-c unix:PATH|tcp:HOST:PORT | "
	      "--direct)\n"
	      "Send fixed-size frames in QEMU stream framing through vswitchd\n"
	      "and count what arrives.\n\n"
	      "  -c, --connect ADDR   the switch's listener: unix:PATH or "
	      "tcp:HOST:PORT\n"
	      "  -d, --direct         join each sender to its receiver by a "
	      "socketpair\n"
	      "  -n, --pairs N        sender/receiver pairs (1)\n"
	      "  -s, --size BYTES     frame length without the 4-byte prefix "
	      "(64; 14..65535)\n"
	      "  -t, --seconds S      measured period (10; 0: no measurement)\n"
	      "  -w, --warmup S       unmeasured sending first (0.5)\n"
	      "  -i, --idle N         N more connections that send one "
	      "broadcast each\n"
	      "  -m, --macs N         teach the switch N source MACs, then "
	      "cycle through them\n"
	      "  -L, --lookup         with --macs: the receivers teach them, "
	      "the frames go to them\n"
	      "  -H, --hold           at the end, stay connected until "
	      "SIGTERM/SIGINT\n"
	      "  -h, --help           this help\n\n"
	      "Prints one line: frames_per_s= gbit_per_s= loss_pct= "
	      "tx_frames_per_s=\n"
	      "sent= received= seconds= size= pairs= idle= macs= direct=\n",
	      f);
}

static double parse_num(const char *s, double lo, double hi, const char *what)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || v < lo || v > hi)
		fail("bad %s \"%s\" (%g..%g)", what, s, lo, hi);
	return v;
}

static void parse_args(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "direct", no_argument, NULL, 'd' },
		{ "pairs", required_argument, NULL, 'n' },
		{ "size", required_argument, NULL, 's' },
		{ "seconds", required_argument, NULL, 't' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "idle", required_argument, NULL, 'i' },
		{ "lookup", no_argument, NULL, 'L' },
		{ "macs", required_argument, NULL, 'm' },
		{ "hold", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "c:dn:s:t:w:i:m:LHh", lopts,
				NULL)) != -1) {
		switch (c) {
		case 'c':
			opt.connect = optarg;
			break;
		case 'd':
			opt.direct = true;
			break;
		case 'n':
			opt.pairs = (unsigned int)parse_num(optarg, 1, 1024,
							    "pairs");
			break;
		case 's':
			opt.size = (size_t)parse_num(optarg, 60, MAX_FRAME,
						     "size");
			break;
		case 't':
			opt.seconds = parse_num(optarg, 0, 86400, "seconds");
			break;
		case 'w':
			opt.warmup = parse_num(optarg, 0, 600, "warmup");
			break;
		case 'i':
			opt.idle = (unsigned int)parse_num(optarg, 0, 16384,
							   "idle");
			break;
		case 'm':
			opt.macs = (unsigned long)parse_num(optarg, 0, 1 << 24,
							    "macs");
			break;
		case 'L':
			opt.lookup = true;
			break;
		case 'H':
			opt.hold = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind != argc || opt.direct == !!opt.connect) {
		usage(stderr);
		exit(2);
	}
	if (opt.direct && opt.idle)
		fail("--idle needs a switch (-c)");
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void hold(void)
{
	fprintf(stderr, "streamgen: holding\n");
	while (!stop_signal)
		run_until(now_s() + 1, NULL);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };

	parse_args(argc, argv);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	rx_buf = xzalloc(RX_BYTES);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0)
		fail("epoll_create1: %s", strerror(errno));
	open_peers();
	prime();
	drain();
	learn_macs();
	if (opt.seconds > 0 && !stop_signal)
		measure();
	if (opt.hold)
		hold();
	return 0;
}
