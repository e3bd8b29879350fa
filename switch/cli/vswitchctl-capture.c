/*
 * vswitchctl-capture.c - vswitchctl capture: copy a port's pcap stream to
 * a file or a pipe.
 *
 * After its one reply line, a capture connection carries a classic libpcap
 * stream (docs/control-protocol.md).  We copy it in whole units only: the
 * 24-byte file header, then complete records (16-byte header plus the
 * captured bytes).  So whenever we stop, on -c COUNT, on SIGINT, SIGTERM
 * or SIGHUP, or because the reader of a pipe went away, the output ends
 * on a record boundary and any pcap reader takes it.  A signal only sets
 * a flag; the signals are blocked except inside ppoll(), so one is never
 * missed between checking the flag and waiting.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "switch/cli/vswitchctl.h"

/* Set by the signal handler to end the capture. */
static volatile sig_atomic_t capture_stop;

enum {
	PCAP_FILE_HDR = 24,
	PCAP_REC_HDR = 16,
	/* Larger than any snaplen a sane pcap writer uses (tcpdump: 262144). */
	PCAP_MAX_CAPLEN = 262144,
};

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

/* Writes all of @buf, resuming after short writes and EINTR. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/**
 * struct pcap_state - where we are in the stream.
 * @have_hdr:	the file header has been checked and written
 * @big_endian:	the writer's byte order, from the magic number
 */
struct pcap_state {
	bool have_hdr;
	bool big_endian;
};

/*
 * Finds the end of the complete units at the start of @p, stopping after
 * @max records.  Returns their length, or -EBADMSG if the stream is not
 * pcap; *@n_recs counts the records.
 */
static long long complete_units(struct pcap_state *st, const uint8_t *p,
				size_t len, long long max, long long *n_recs)
{
	size_t off = 0;

	*n_recs = 0;
	if (!st->have_hdr) {
		uint32_t magic;

		if (len < PCAP_FILE_HDR)
			return 0;
		magic = get_le32(p);
		if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d)
			st->big_endian = false;
		else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1)
			st->big_endian = true;
		else
			return -EBADMSG;
		st->have_hdr = true;
		off = PCAP_FILE_HDR;
	}
	while (*n_recs < max && len - off >= PCAP_REC_HDR) {
		const uint8_t *caplen = p + off + 8;
		uint32_t n = st->big_endian ? get_be32(caplen)
					    : get_le32(caplen);

		if (n > PCAP_MAX_CAPLEN)
			return -EBADMSG;
		if (len - off - PCAP_REC_HDR < n)
			break;
		off += PCAP_REC_HDR + n;
		(*n_recs)++;
	}
	return (long long)off;
}

/**
 * capture_stream() - copy a capture's pcap stream to @out_fd.
 * @c:		client whose capture reply has been read; the buffer may
 *		already hold the start of the stream
 * @out_fd:	output file or pipe
 * @count:	stop after this many records; 0: no limit
 * @written:	set to the number of records written
 *
 * Return: 0 when the capture ended as asked (count reached, signal, or the
 * reader of @out_fd went away), -ECONNRESET if vswitchd ended it, -EBADMSG
 * if the stream is not pcap, or another negative errno (of a write, if
 * @out_fd is the culprit: the caller cannot tell, so it says both).
 */
static int capture_stream(struct vctl_client *c, int out_fd, long long count,
			  long long *written)
{
	struct pcap_state st = { 0 };
	struct pollfd pfds[2] = {
		{ .fd = c->fd, .events = POLLIN },
		/* Only errors: a pipe reports POLLERR once its reader left. */
		{ .fd = out_fd, .events = 0 },
	};
	nfds_t n_pfds = 1;
	struct stat sb;
	sigset_t unblocked;
	int ret;

	*written = 0;
	if (fstat(out_fd, &sb) == 0 &&
	    (S_ISFIFO(sb.st_mode) || S_ISSOCK(sb.st_mode)))
		n_pfds = 2;
	sigprocmask(SIG_SETMASK, NULL, &unblocked);
	sigdelset(&unblocked, SIGINT);
	sigdelset(&unblocked, SIGTERM);
	sigdelset(&unblocked, SIGHUP);

	for (;;) {
		long long max = count ? count - *written : -1;
		long long end, n_recs;

		if (max < 0)
			max = (long long)(~0ULL >> 1);
		end = complete_units(&st, (const uint8_t *)c->buf + c->start,
				     c->len - c->start, max, &n_recs);
		if (end < 0)
			return (int)end;
		if (end > 0) {
			ret = write_all(out_fd, c->buf + c->start, (size_t)end);
			if (ret == -EPIPE)
				return 0; /* the reader has had enough */
			if (ret)
				return ret;
			c->start += (size_t)end;
			*written += n_recs;
		}
		if (count && *written >= count)
			return 0;
		if (capture_stop)
			return 0;

		ret = ppoll(pfds, n_pfds, NULL, &unblocked);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n_pfds == 2 && pfds[1].revents)
			return 0;
		ret = vctl_read_more(c, 0);
		if (ret == 0)
			return -ECONNRESET;
		if (ret < 0 && ret != -EAGAIN)
			return ret == -EMSGSIZE ? -EBADMSG : ret;
	}
}

static void on_stop_signal(int sig UNUSED)
{
	capture_stop = 1;
}

/*
 * SIGINT, SIGTERM and SIGHUP end the capture cleanly; they are blocked
 * except inside the wait (see vswitchctl-capture.c).  SIGPIPE is ignored:
 * a reader that went away shows up as EPIPE, which also ends the capture.
 */
static void capture_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	sigset_t block;

	sigemptyset(&block);
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
		sigaddset(&block, sigs[i]);
		sigaction(sigs[i], &sa, NULL);
	}
	sigprocmask(SIG_BLOCK, &block, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/*
 * vswitchctl capture PORT [-w FILE] [-c COUNT] [--snaplen N]: "capture",
 * then the pcap stream to FILE or stdout (a pipe, never a terminal).
 */
int cmd_capture(struct vctl_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "write", required_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'c' },
		{ "snaplen", required_argument, NULL, VCTL_OPT_SNAPLEN },
		{ NULL, 0, NULL, 0 },
	};
	json_t *args = json_object(), *reply = NULL, *r;
	long long count = 0, snaplen, written = 0;
	const char *file = NULL, *fmt;
	int opt, ret = 0, out = -1;

	while (!ret &&
	       (opt = vctl_getopt(ctx, argc, argv, "w:c:", opts)) != -1) {
		switch (opt) {
		case 'w':
			file = optarg;
			break;
		case 'c':
			if (!vctl_parse_ll(optarg, 1, LLONG_MAX, &count))
				ret = vctl_usage_error(ctx, "bad count '%s'",
						       optarg);
			break;
		case VCTL_OPT_SNAPLEN:
			if (!vctl_parse_ll(optarg, 1, INT_MAX, &snaplen))
				ret = vctl_usage_error(ctx, "bad snaplen '%s'",
						       optarg);
			else
				json_object_set_new(args, "snaplen",
						    json_integer(snaplen));
			break;
		default:
			ret = vctl_usage_error(ctx, NULL);
			break;
		}
	}
	if (!ret && argc - optind != 1)
		ret = vctl_usage_error(ctx, argc - optind ? "unexpected "
							    "argument"
							  : "missing PORT");
	if (!ret)
		ret = vctl_str_arg(ctx, args, "port", argv[optind]);
	if (file && !strcmp(file, "-"))
		file = NULL;
	if (!ret && !file && isatty(STDOUT_FILENO)) {
		vctl_err("refusing to write a binary pcap stream to a "
			 "terminal: use -w FILE, or a pipe such as "
			 "'vswitchctl capture %s | tcpdump -r -'",
			 argv[optind]);
		ret = VCTL_EXIT_USAGE;
	}
	if (ret) {
		json_decref(args);
		return ret;
	}

	ret = vctl_call(ctx, "capture", args, &reply);
	if (ret)
		return ret;
	if (!json_is_true(json_object_get(reply, "ok"))) {
		ret = vctl_daemon_error(reply);
		goto out;
	}
	r = json_object_get(reply, "result");
	fmt = jstr(r, "format");
	if (fmt && strcmp(fmt, "pcap")) {
		vctl_err("vswitchd offers a capture format this vswitchctl "
			 "does not know");
		ret = VCTL_EXIT_ERROR;
		goto out;
	}

	if (file) {
		out = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			   0666);
		if (out < 0) {
			vctl_err("cannot open %s: %s", file, strerror(errno));
			ret = VCTL_EXIT_ERROR;
			goto out;
		}
	}
	fflush(stdout);
	capture_signals();
	ret = capture_stream(&ctx->client, file ? out : STDOUT_FILENO, count,
			     &written);
	switch (ret) {
	case 0:
		break;
	case -ECONNRESET:
		vctl_err("vswitchd ended the capture (the port was deleted, "
			 "or vswitchd stopped)");
		break;
	case -EBADMSG:
		vctl_err("malformed pcap stream from vswitchd");
		break;
	default:
		vctl_err("capture: %s", strerror(-ret));
		break;
	}
	ret = ret ? VCTL_EXIT_ERROR : VCTL_EXIT_OK;
	/* close() can be the first to report a failed write (NFS, quota). */
	if (out >= 0 && close(out) < 0 && !ret) {
		vctl_err("cannot write %s: %s", file, strerror(errno));
		ret = VCTL_EXIT_ERROR;
	}
	fprintf(stderr, "%lld packet%s captured\n", written,
		written == 1 ? "" : "s");
out:
	json_decref(reply);
	return ret;
}
