/*
 * tapwire.c - the least a user-space program can do between two TAPs.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 *
 * The TAP benchmark's ceiling for user-space switches: tapwire creates two
 * TAP devices and copies every frame that one yields to the other, with a
 * plain read() and write() per frame and nothing else: no learning, no
 * queues, no event loop beyond poll() when both are idle.  A TAP device
 * moves one frame per system call, so no user-space switch built on TAP
 * can forward small frames faster than this; the kernel bridge, which
 * needs no user space at all, is the other reference.
 *
 *	tapwire IFNAME-A IFNAME-B
 *
 * It runs until killed.  Counters go to stderr at exit (SIGINT/SIGTERM).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

enum { FRAME_MAX = 65536 + 64, READS_PER_TURN = 64 };

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int tap_open(const char *name)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "tapwire: /dev/net/tun: %s\n", strerror(errno));
		exit(1);
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		fprintf(stderr, "tapwire: TUNSETIFF %s: %s\n", name,
			strerror(errno));
		exit(1);
	}
	return fd;
}

/*
 * Copies up to READS_PER_TURN frames from @from to @to.
 * Return: true if @from may have more.
 */
static bool pump(int from, int to, uint64_t *frames, uint64_t *dropped)
{
	static uint8_t buf[FRAME_MAX];

	for (int i = 0; i < READS_PER_TURN; i++) {
		ssize_t n = read(from, buf, sizeof(buf));

		if (n <= 0)
			return false;
		if (write(to, buf, (size_t)n) == n)
			(*frames)++;
		else
			(*dropped)++;
	}
	return true;
}

int main(int argc, char **argv)
{
	uint64_t frames[2] = { 0, 0 }, dropped[2] = { 0, 0 };
	struct sigaction sa;
	int fd[2];

	if (argc != 3) {
		fprintf(stderr, "usage: tapwire IFNAME-A IFNAME-B\n");
		return 2;
	}
	fd[0] = tap_open(argv[1]);
	fd[1] = tap_open(argv[2]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	while (!stop) {
		bool more = pump(fd[0], fd[1], &frames[0], &dropped[0]);

		more |= pump(fd[1], fd[0], &frames[1], &dropped[1]);
		if (!more) {
			struct pollfd p[2] = { { fd[0], POLLIN, 0 },
					       { fd[1], POLLIN, 0 } };

			if (poll(p, 2, -1) < 0 && errno != EINTR)
				break;
		}
	}
	fprintf(stderr,
		"tapwire: a->b %llu frames (%llu dropped), b->a %llu (%llu)\n",
		(unsigned long long)frames[0], (unsigned long long)dropped[0],
		(unsigned long long)frames[1], (unsigned long long)dropped[1]);
	return 0;
}
