/*
 * main.c - vswitchd: command line, configuration, start-up and shutdown.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "switch/core/port.h"
#include "switch/config/cfg.h"
#include "switch/control/ctl.h"
#include "switch/daemon.h"
#include "switch/base/log.h"
#include "switch/base/loop.h"
#include "switch/base/runtime-dir.h"
#include "switch/base/safe-file.h"
#include "switch/core/switch.h"
#include "switch/base/util.h"

static void notify_systemd(const char *state);

/* At exit, how long the kernel gets to end the requests in flight. */
enum { EXIT_DRAIN_MS = 3000 };

/*
 * At exit every port goes the way of "port del": it cancels its requests,
 * closes its descriptors once they have ended, removes its files and is
 * released, so loop_drain() then finds nothing of it in flight.  (Closing
 * a descriptor with a request in flight frees nothing: the request keeps
 * the socket, bound, until the ring is gone.)  A close may release other
 * ports (a listener its connections), which only go to a deferred free,
 * so the pointers taken first stay valid; closing twice is harmless.
 */
static void close_all_ports(struct vsw *sw)
{
	struct port **all;
	size_t n = 0, cap = 0;

	vsw_for_each_port(p, sw)
		cap++;
	all = calloc(cap ? cap : 1, sizeof(*all));
	if (!all)
		die("out of memory at exit");
	vsw_for_each_port(p, sw)
		if (n < cap)
			all[n++] = p;
	for (size_t i = 0; i < n; i++)
		if (!all[i]->removing)
			all[i]->ops->close(all[i]);
	free(all);
}

/**
 * struct signal_reader - SIGTERM/SIGINT stop the loop, SIGHUP reloads.
 * @fd:		signalfd
 * @info:	read buffer
 * @op:		completion record of the read
 * @d:		the daemon
 */
struct signal_reader {
	int fd;
	struct signalfd_siginfo info;
	struct uop op;
	struct vswd *d;
};

static void signal_arm(struct signal_reader *sr)
{
	struct io_uring_sqe *sqe = loop_sqe(sr->d->loop, &sr->op);

	io_uring_prep_read(sqe, sr->fd, &sr->info, sizeof(sr->info), 0);
}

static void signal_done(struct uop *op, int res, unsigned int flags)
{
	struct signal_reader *sr = container_of(op, struct signal_reader, op);

	if (res == (int)sizeof(sr->info) && sr->info.ssi_signo == SIGHUP) {
		json_t *result = NULL;
		char err[CTL_ERR_MAX];

		log_info("caught SIGHUP, reloading the configuration");
		notify_systemd("RELOADING=1");
		if (vswd_reload(sr->d, &result, err, sizeof(err)))
			log_err("reload refused: %s", err);
		notify_systemd("READY=1");
		json_decref(result);
	} else if (res == (int)sizeof(sr->info)) {
		log_info("caught signal %u, shutting down", sr->info.ssi_signo);
		loop_stop(sr->d->loop);
		return;
	}
	if (res != -ECANCELED)
		signal_arm(sr);
}

static int signal_reader_init(struct signal_reader *sr, struct vswd *d)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	sr->fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sr->fd < 0)
		return -errno;
	sr->d = d;
	sr->op.done = signal_done;
	signal_arm(sr);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: vswitchd [OPTIONS]\n"
		"A userspace Ethernet switch for QEMU virtual machines.\n"
		"\n"
		"  -c, --config FILE      load the JSON configuration FILE\n"
		"                         (without it, a built-in default runs)\n"
		"      --check            validate the configuration (or the "
		"built-in\n"
		"                         default) and exit\n"
		"  -v, --verbose          with --check: print every resolved "
		"setting\n"
		"  -l, --log-level LEVEL  error, warn, info or debug (overrides "
		"the file)\n"
		"      --runtime-dir DIR  directory for sockets (default: "
		"$XDG_RUNTIME_DIR/vswitchd,\n"
		"                         /run/vswitchd as root)\n"
		"                         (or $VSWITCHD_RUNTIME_DIR)\n"
		"  -p, --pid-file FILE    write the daemon's pid to FILE\n"
		"  -h, --help             show this help\n"
		"  -V, --version          show the version\n"
		"\n"
		"Signals: SIGTERM and SIGINT stop, SIGHUP reloads the "
		"configuration.\n"
		"See vswitchd.json(5) in docs/ for the configuration format.\n");
}


/* Creates the runtime directory (one level) if it is missing. */
static void make_runtime_dir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		die("cannot create runtime directory %s: %s", dir,
		    strerror(errno));
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		die("runtime directory %s is not a directory", dir);
}

/*
 * The sd_notify protocol, spoken directly (no libsystemd): one datagram
 * to $NOTIFY_SOCKET, so a Type=notify unit knows when the sockets exist.
 */
static void notify_systemd(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	socklen_t len;
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@') ||
	    strlen(path) >= sizeof(sun.sun_path))
		return;
	strlcpy_(sun.sun_path, path, sizeof(sun.sun_path));
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
			  strlen(path));
	if (path[0] == '@')
		sun.sun_path[0] = '\0'; /* abstract namespace */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL,
		   (struct sockaddr *)&sun, len) < 0)
		log_debug("sd_notify: %s", strerror(errno));
	close(fd);
}

/* Through safe-file.c: never through a link, never half-written. */
static void write_pid_file(const char *path)
{
	char buf[24], err[256];
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());

	if (safe_file_write(path, buf, (size_t)n, err, sizeof(err)))
		die("cannot write pid file: %s", err);
}

static const char *ip4(uint32_t ip, char *buf)
{
	struct in_addr a = { htonl(ip) };

	if (!ip)
		return "none";
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static const char *dhcp_range(const struct dhcp_cfg *dc, char *buf,
			      size_t size)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	snprintf(buf, size, "%s-%s", ip4(dc->range_start, a),
		 ip4(dc->range_end, b));
	return buf;
}

/*
 * Tells the user how to attach QEMU to every port that VMs attach to, and
 * what the VMs will find there.  Ports come in the order of the
 * configuration, which the reader has in front of them; the switch's own
 * list is newest first.
 */
static void print_qemu_args(struct vsw *sw, const struct vsw_config *cfg)
{
	char args[256], range[2 * INET_ADDRSTRLEN + 2];
	char router[INET_ADDRSTRLEN], dns[INET_ADDRSTRLEN];
	int n = 0;

	for (size_t i = 0; i < cfg->n_ports; i++) {
		struct port *p = vsw_find_port(sw, cfg->ports[i].name);

		if (!p || !p->ops->qemu_args)
			continue;
		p->ops->qemu_args(p, args, sizeof(args));
		if (!n++)
			printf("vswitchd is ready. Attach QEMU VMs with "
			       "(give each VM its own MAC address):\n");
		printf("  port %s:\n    qemu-system-x86_64 ... -netdev "
		       "%s,id=n0 -device virtio-net-pci,netdev=n0,"
		       "mac=52:54:00:12:34:%02x\n",
		       p->name, args, 0x10 + n);
	}
	if (n && cfg->dhcp.enabled)
		printf("Guests get addresses by DHCP (%s), router %s, DNS %s%s\n",
		       dhcp_range(&cfg->dhcp.dc, range, sizeof(range)),
		       ip4(cfg->dhcp.dc.router, router),
		       cfg->dhcp.dc.n_dns ? ip4(cfg->dhcp.dc.dns[0], dns) : "none",
		       cfg->slirp.enabled ? "; the slirp uplink leads out "
					    "(the gateway is also the host's "
					    "127.0.0.1)"
					  : "");
	fflush(stdout);
}

/*
 * Every connection, TAP and uplink socket is a descriptor; the usual soft
 * limit of 1024 is below max_ports, so take what the hard limit allows.
 */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		log_warn_errno(-errno, "cannot raise the descriptor limit");
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 'C' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "runtime-dir", required_argument, NULL, 'R' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *level_arg = NULL, *pid_file = NULL;
	struct signal_reader sr = { .fd = -1 };
	struct vswd d = { .level_override = -1 };
	bool check = false, verbose = false;
	struct vsw_err verr;
	int opt, ret;

	vsw_default_runtime_dir(d.cli_runtime_dir, sizeof(d.cli_runtime_dir));
	while ((opt = getopt_long(argc, argv, "c:vl:p:hV", options, NULL)) !=
	       -1) {
		switch (opt) {
		case 'c':
			d.config_path = optarg;
			break;
		case 'C':
			check = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'l':
			level_arg = optarg;
			break;
		case 'R':
			if (!strlcpy_(d.cli_runtime_dir, optarg,
				      sizeof(d.cli_runtime_dir)))
				die("--runtime-dir: path too long");
			break;
		case 'p':
			pid_file = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("vswitchd %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vswitchd: unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}
	if (level_arg) {
		d.level_override = log_level_from_name(level_arg);
		if (d.level_override < 0) {
			fprintf(stderr,
				"vswitchd: unknown log level '%s' (use error, "
				"warn, info or debug)\n",
				level_arg);
			return 2;
		}
	}

	if (d.config_path) {
		ret = cfg_load_file(d.config_path, d.cli_runtime_dir, &d.cfg,
				    &verr);
		if (ret) {
			fprintf(stderr, "vswitchd: %s\n", verr.msg);
			return 1;
		}
	} else {
		ret = cfg_default(&d.cfg, d.cli_runtime_dir);
		if (ret)
			die("cannot build the default configuration for runtime "
			    "directory %s: %s",
			    d.cli_runtime_dir, strerror(-ret));
	}
	if (check) {
		if (verbose)
			cfg_dump(&d.cfg, stdout);
		printf("%s: configuration is valid (%zu ports)\n",
		       d.config_path ? d.config_path : "built-in default",
		       d.cfg.n_ports);
		cfg_free(&d.cfg);
		return 0;
	}
	vswd_apply_log_level(&d);
	make_runtime_dir(d.cfg.runtime_dir);
	/* A peer that vanishes mid-send must not kill the daemon. */
	signal(SIGPIPE, SIG_IGN);
	raise_fd_limit();

	d.loop = loop_new(&ret);
	if (!d.loop) {
		if (ret == -EPERM || ret == -ENOSYS)
			die("io_uring is not available (%s): it may be "
			    "disabled by the kernel.io_uring_disabled sysctl or "
			    "a seccomp profile",
			    strerror(-ret));
		die("cannot set up io_uring: %s", strerror(-ret));
	}
	d.started = time(NULL);
	d.started_ms = loop_now(d.loop);
	d.sw = vsw_new(d.loop, &d.cfg.sw, &ret);
	if (!d.sw)
		die("cannot create the switch: %s", strerror(-ret));
	ret = vswd_create_ports(&d);
	if (!ret) {
		d.ctl = ctl_server_new(&d, &ret);
		if (!d.ctl)
			ret = ret ? ret : -ENOMEM;
	}
	if (ret) {
		/* Nothing starts half-configured. */
		close_all_ports(d.sw);
		if (loop_drain(d.loop, EXIT_DRAIN_MS))
			return 1;
		loop_exit_ring(d.loop);
		vsw_free(d.sw);
		vswd_fini(&d);
		loop_free(d.loop);
		return 1;
	}
	ret = signal_reader_init(&sr, &d);
	if (ret)
		die("cannot set up signal handling: %s", strerror(-ret));
	if (pid_file)
		write_pid_file(pid_file);
	log_info("vswitchd %s running with %zu configured ports%s",
		 PACKAGE_VERSION, d.cfg.n_ports,
		 d.config_path ? "" : " (built-in default)");
	print_qemu_args(d.sw, &d.cfg);
	notify_systemd("READY=1");

	ret = loop_run(d.loop);

	log_info("stopping");
	notify_systemd("STOPPING=1");
	close_all_ports(d.sw);
	ctl_server_stop(d.ctl);
	/* "Stopped" means the ports are free: every request ends before the
	 * descriptors close (see loop_drain()).  If the kernel kept one, its
	 * buffers must not be freed under it: leave them to the exit. */
	if (loop_drain(d.loop, EXIT_DRAIN_MS)) {
		if (pid_file)
			unlink(pid_file);
		return 1;
	}
	loop_exit_ring(d.loop);
	ctl_server_free(d.ctl);
	vsw_free(d.sw);
	vswd_fini(&d);
	loop_free(d.loop);
	if (sr.fd >= 0)
		close(sr.fd);
	if (pid_file)
		unlink(pid_file);
	return ret ? 1 : 0;
}
