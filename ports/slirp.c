/*
 * slirp.c - the libslirp NAT uplink port.
 *
 * libslirp is a user-mode TCP/IP stack: to the guests it is a host on the
 * LAN (the gateway and the DNS forwarder), and what they send beyond it
 * leaves through ordinary host sockets.  It runs inside the io_uring loop,
 * with no thread and no glib loop:
 *
 * - Frames the switch sends to this port go straight into slirp_input().
 * - slirp's sockets change every iteration, so they sit in a private
 *   epoll set; one one-shot POLL_ADD on the epoll descriptor wakes the
 *   loop.  A "step" (run from the port's loop flush) asks slirp which
 *   sockets it wants (slirp_pollfds_fill), brings the epoll set in line,
 *   reads the ready ones without blocking, and hands them to
 *   slirp_pollfds_poll, which also runs slirp's TCP timers.  The step is
 *   wanted after input, after a wake-up, after slirp's notify, and at the
 *   deadline slirp gives (a loop timer): at most a second when idle, half
 *   a second with TCP sockets (forward listeners included), a few ms with
 *   a delayed ACK pending.
 * - send_packet is called from inside slirp.  During a step the frame goes
 *   to vsw_input() at once; from inside slirp_input() (that is, from inside
 *   forwarding) it is queued and injected by the flush, so forwarding never
 *   re-enters itself.
 * - slirp's timers (IPv6 router advertisements) are loop timers; its clock
 *   is the loop's, so debug/time-warp moves both.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include "ports/slirp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <slirp/libslirp.h>

#include "ports/port.h"
#include "switch/core/port.h"
#include "ports/slirp-refuse.h"
#include "switch/core/fdb.h"
#include "switch/config/cfg.h"
#include "switch/base/log.h"
#include "switch/base/loop.h"
#include "switch/core/switch.h"
#include "switch/base/util.h"

enum {
	/* Frames slirp emits from inside slirp_input(), until the flush. */
	SLIRP_QUEUE_BYTES = 1 << 20,
	SLIRP_EPOLL_BATCH = 256,
	/* slirp's "no deadline" */
	SLIRP_NO_TIMEOUT = UINT32_MAX,
};

/**
 * struct slirp_timer - a timer slirp asked for.
 * @lt:		the loop timer
 * @sp:		its port
 * @id:		slirp's id (timer_new_opaque), or -1 for a callback timer
 * @cb_opaque:	slirp's argument for it
 * @cb:		callback (timer_new form)
 * @next:	next timer of the port
 */
struct slirp_timer {
	struct loop_timer lt;
	struct slirp_port *sp;
	int id;
	void *cb_opaque;
	SlirpTimerCb cb;
	struct slirp_timer *next;
};

/**
 * struct slirp_watch - what the epoll set holds for one descriptor.
 * @events:	epoll events registered; meaningful while @registered
 * @registered:	the descriptor is in the epoll set
 * @seen:	step in which slirp last asked for it
 * @revents:	what epoll reported in step @ready
 * @ready:	step of @revents
 */
struct slirp_watch {
	uint32_t events;
	bool registered;
	uint32_t seen;
	uint32_t revents;
	uint32_t ready;
};

/**
 * struct slirp_fwd - a host forward in force.
 * @f:		its settings
 * @runtime:	added through the control socket (not from the config)
 */
struct slirp_fwd {
	struct cfg_forward f;
	bool runtime;
};

struct slirp_port {
	struct port port;
	struct loop *loop;
	Slirp *slirp;
	struct cfg_slirp cfg;
	const char *search[5];

	int epfd;
	struct uop poll_op;
	bool poll_armed;
	struct loop_flush flush;
	struct loop_timer tick;
	bool in_step;
	uint32_t step_no;

	/* slirp_pollfds_fill() output, by index */
	struct pollfd *fill;
	size_t n_fill, cap_fill;
	/* by descriptor number */
	struct slirp_watch *watch;
	size_t n_watch;
	/* descriptors in the epoll set */
	int *watched;
	size_t n_watched, cap_watched;

	uint8_t *q;
	size_t q_len;

	struct slirp_timer *timers;
	struct slirp_fwd *fwds;
	size_t n_fwds;
	struct slirp_refuse refuse;
	struct loop_timer refuse_timer;
	struct log_rl refuse_rl;

	uint64_t steps, q_drops, guest_errors, epoll_errors;
	uint64_t wake_ms, throttled;
	unsigned int wakes;
};

static const struct port_ops slirp_ops;

static struct slirp_port *sp_of(struct port *port)
{
	return container_of(port, struct slirp_port, port);
}

static void slirp_want_step(struct slirp_port *sp)
{
	if (!sp->port.removing)
		loop_want_flush(sp->loop, &sp->flush);
}

/* ------------------------------------------------------------------ */
/* Callbacks from libslirp                                             */
/* ------------------------------------------------------------------ */

static ssize_t cb_send_packet(const void *buf, size_t len, void *opaque)
{
	struct slirp_port *sp = opaque;
	uint32_t n = (uint32_t)len;

	if (sp->port.removing || len < 14)
		return (ssize_t)len;
	if (refuse_from_slirp(&sp->refuse, buf, len, loop_now(sp->loop)) &&
	    !sp->refuse_timer.armed)
		loop_timer_arm(sp->loop, &sp->refuse_timer,
			       loop_now(sp->loop) + REFUSE_WAIT_MS);
	if (sp->in_step) {
		vsw_input(sp->port.sw, &sp->port, buf, len);
		return (ssize_t)len;
	}
	/* Dropping is fine: slirp's TCP retransmits. */
	if (sp->q_len + sizeof(n) + len > SLIRP_QUEUE_BYTES) {
		sp->q_drops++;
		return (ssize_t)len;
	}
	memcpy(sp->q + sp->q_len, &n, sizeof(n));
	memcpy(sp->q + sp->q_len + sizeof(n), buf, len);
	sp->q_len += sizeof(n) + len;
	slirp_want_step(sp);
	return (ssize_t)len;
}

static void cb_guest_error(const char *msg, void *opaque)
{
	static struct log_rl rl = LOG_RL_INIT(10, 10000);
	struct slirp_port *sp = opaque;

	sp->guest_errors++;
	log_warn_rl(&rl, "port %s: slirp: %s", sp->port.name, msg);
}

static int64_t cb_clock_get_ns(void *opaque)
{
	struct slirp_port *sp = opaque;

	return (int64_t)loop_now(sp->loop) * 1000000;
}

static void slirp_timer_fire(struct loop_timer *lt, uint64_t now UNUSED)
{
	struct slirp_timer *t = container_of(lt, struct slirp_timer, lt);
	struct slirp_port *sp = t->sp;

	if (sp->port.removing)
		return;
	if (t->id >= 0)
		slirp_handle_timer(sp->slirp, (SlirpTimerId)t->id,
				   t->cb_opaque);
	else
		t->cb(t->cb_opaque);
	slirp_want_step(sp);
}

static struct slirp_timer *timer_add(struct slirp_port *sp, int id,
				     SlirpTimerCb cb, void *cb_opaque)
{
	struct slirp_timer *t = calloc(1, sizeof(*t));

	/* slirp has no way to hear of a failure; it would crash on NULL. */
	if (!t)
		abort();
	loop_timer_init(&t->lt, slirp_timer_fire);
	t->sp = sp;
	t->id = id;
	t->cb = cb;
	t->cb_opaque = cb_opaque;
	t->next = sp->timers;
	sp->timers = t;
	return t;
}

static void *cb_timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
	return timer_add(opaque, -1, cb, cb_opaque);
}

static void *cb_timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
	return timer_add(opaque, (int)id, NULL, cb_opaque);
}

static void cb_timer_free(void *timer, void *opaque)
{
	struct slirp_port *sp = opaque;
	struct slirp_timer *t = timer;

	for (struct slirp_timer **pp = &sp->timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	loop_timer_cancel(sp->loop, &t->lt);
	free(t);
}

/* @expire_ms is absolute on cb_clock_get_ns()'s timebase: loop time. */
static void cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	struct slirp_port *sp = opaque;
	struct slirp_timer *t = timer;

	loop_timer_arm(sp->loop, &t->lt,
		       expire_ms < 0 ? 0 : (uint64_t)expire_ms);
}

static void cb_register_poll_fd(int fd UNUSED, void *opaque UNUSED)
{
	/* The epoll set follows slirp_pollfds_fill() instead. */
}

/*
 * slirp says this before it closes a socket: take the descriptor out of
 * the epoll set now, or a new socket given the same number could inherit
 * its stale registration.
 */
static void cb_unregister_poll_fd(int fd, void *opaque)
{
	struct slirp_port *sp = opaque;

	if (fd < 0 || (size_t)fd >= sp->n_watch || !sp->watch[fd].registered)
		return;
	epoll_ctl(sp->epfd, EPOLL_CTL_DEL, fd, NULL);
	sp->watch[fd].registered = false;
}

static void cb_notify(void *opaque)
{
	slirp_want_step(opaque);
}

static const SlirpCb slirp_callbacks = {
	.send_packet = cb_send_packet,
	.guest_error = cb_guest_error,
	.clock_get_ns = cb_clock_get_ns,
	.timer_new = cb_timer_new,
	.timer_free = cb_timer_free,
	.timer_mod = cb_timer_mod,
	.register_poll_fd = cb_register_poll_fd,
	.unregister_poll_fd = cb_unregister_poll_fd,
	.notify = cb_notify,
	.timer_new_opaque = cb_timer_new_opaque,
};

/* ------------------------------------------------------------------ */
/* The step: slirp's sockets through the epoll set                     */
/* ------------------------------------------------------------------ */

static int cb_add_poll(int fd, int events, void *opaque)
{
	struct slirp_port *sp = opaque;

	if (sp->n_fill == sp->cap_fill) {
		size_t cap = sp->cap_fill ? 2 * sp->cap_fill : 64;
		struct pollfd *p = realloc(sp->fill, cap * sizeof(*p));

		if (!p)
			return -1;
		sp->fill = p;
		sp->cap_fill = cap;
	}
	sp->fill[sp->n_fill] =
		(struct pollfd){ .fd = fd, .events = (short)events };
	return (int)sp->n_fill++;
}

static uint32_t to_epoll(int events)
{
	return (events & SLIRP_POLL_IN ? EPOLLIN : 0) |
	       (events & SLIRP_POLL_OUT ? EPOLLOUT : 0) |
	       (events & SLIRP_POLL_PRI ? EPOLLPRI : 0);
}

static int to_slirp(uint32_t events)
{
	return (events & EPOLLIN ? SLIRP_POLL_IN : 0) |
	       (events & EPOLLOUT ? SLIRP_POLL_OUT : 0) |
	       (events & EPOLLPRI ? SLIRP_POLL_PRI : 0) |
	       (events & EPOLLERR ? SLIRP_POLL_ERR : 0) |
	       (events & (EPOLLHUP | EPOLLRDHUP) ? SLIRP_POLL_HUP : 0);
}

static struct slirp_watch *watch_of(struct slirp_port *sp, int fd)
{
	if ((size_t)fd >= sp->n_watch) {
		size_t n = MAX((size_t)fd + 1, 2 * sp->n_watch);
		struct slirp_watch *w = realloc(sp->watch, n * sizeof(*w));

		if (!w)
			return NULL;
		memset(w + sp->n_watch, 0, (n - sp->n_watch) * sizeof(*w));
		sp->watch = w;
		sp->n_watch = n;
	}
	return &sp->watch[fd];
}

static bool watched_add(struct slirp_port *sp, int fd)
{
	if (sp->n_watched == sp->cap_watched) {
		size_t cap = sp->cap_watched ? 2 * sp->cap_watched : 64;
		int *p = realloc(sp->watched, cap * sizeof(*p));

		if (!p)
			return false;
		sp->watched = p;
		sp->cap_watched = cap;
	}
	sp->watched[sp->n_watched++] = fd;
	return true;
}

/* Puts one descriptor in the epoll set with @events, or updates it. */
static void watch_set(struct slirp_port *sp, int fd, uint32_t events)
{
	struct slirp_watch *w = watch_of(sp, fd);
	struct epoll_event ev = { .events = events, .data.fd = fd };
	bool listed = w && w->registered;

	if (!w)
		return;
	w->seen = sp->step_no;
	if (w->registered && w->events == events)
		return;
	if (epoll_ctl(sp->epfd, w->registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD,
		      fd, &ev) &&
	    epoll_ctl(sp->epfd, w->registered ? EPOLL_CTL_ADD : EPOLL_CTL_MOD,
		      fd, &ev)) {
		sp->epoll_errors++;
		w->registered = false;
		return;
	}
	w->events = events;
	w->registered = true;
	/* A descriptor unregistered by slirp may still be in the list. */
	for (size_t i = 0; !listed && i < sp->n_watched; i++)
		listed = sp->watched[i] == fd;
	if (!listed && !watched_add(sp, fd)) {
		epoll_ctl(sp->epfd, EPOLL_CTL_DEL, fd, NULL);
		w->registered = false;
	}
}

/* Brings the epoll set in line with what slirp asked for in this step. */
static void watch_sync(struct slirp_port *sp)
{
	size_t kept = 0;

	for (size_t i = 0; i < sp->n_fill; i++)
		watch_set(sp, sp->fill[i].fd, to_epoll(sp->fill[i].events));
	for (size_t i = 0; i < sp->n_watched; i++) {
		int fd = sp->watched[i];
		struct slirp_watch *w = &sp->watch[fd];

		if (w->registered && w->seen == sp->step_no) {
			sp->watched[kept++] = fd;
			continue;
		}
		if (w->registered)
			epoll_ctl(sp->epfd, EPOLL_CTL_DEL, fd, NULL);
		w->registered = false;
	}
	sp->n_watched = kept;
}

static int cb_get_revents(int idx, void *opaque)
{
	struct slirp_port *sp = opaque;
	const struct slirp_watch *w;
	int fd;

	if (idx < 0 || (size_t)idx >= sp->n_fill)
		return 0;
	fd = sp->fill[idx].fd;
	if ((size_t)fd >= sp->n_watch)
		return 0;
	w = &sp->watch[fd];
	return w->ready == sp->step_no ? to_slirp(w->revents) : 0;
}

static void slirp_poll_done(struct uop *op, int res, unsigned int flags);

static void slirp_arm_poll(struct slirp_port *sp)
{
	struct io_uring_sqe *sqe;

	if (sp->poll_armed || sp->port.removing)
		return;
	sqe = loop_sqe(sp->loop, &sp->poll_op);
	io_uring_prep_poll_add(sqe, sp->epfd, POLLIN);
	sp->poll_armed = true;
}

/*
 * A descriptor slirp asks for but cannot serve (a forward's listener when
 * accept() fails with EMFILE) stays ready: the wake-up would come back
 * at once, forever.  More than this many in one millisecond and the next
 * one waits for the next millisecond.
 */
enum { SLIRP_WAKES_PER_MS = 16 };

static void slirp_rearm_poll(struct slirp_port *sp)
{
	uint64_t now = loop_now(sp->loop);

	if (now != sp->wake_ms) {
		sp->wake_ms = now;
		sp->wakes = 0;
	}
	if (++sp->wakes > SLIRP_WAKES_PER_MS) {
		sp->throttled++;
		if (!sp->tick.armed || sp->tick.deadline > now + 1)
			loop_timer_arm(sp->loop, &sp->tick, now + 1);
		return;
	}
	slirp_arm_poll(sp);
}

static void slirp_step(struct slirp_port *sp)
{
	struct epoll_event evs[SLIRP_EPOLL_BATCH];
	uint32_t timeout = SLIRP_NO_TIMEOUT;
	int n;

	sp->steps++;
	sp->step_no++;
	sp->n_fill = 0;
	slirp_pollfds_fill(sp->slirp, &timeout, cb_add_poll, sp);
	watch_sync(sp);
	n = epoll_wait(sp->epfd, evs, SLIRP_EPOLL_BATCH, 0);
	for (int i = 0; i < n; i++) {
		struct slirp_watch *w = &sp->watch[evs[i].data.fd];

		w->revents = evs[i].events;
		w->ready = sp->step_no;
	}
	sp->in_step = true;
	slirp_pollfds_poll(sp->slirp, n < 0, cb_get_revents, sp);
	sp->in_step = false;
	if (timeout != SLIRP_NO_TIMEOUT)
		loop_timer_arm(sp->loop, &sp->tick,
			       loop_now(sp->loop) + timeout);
	else
		loop_timer_cancel(sp->loop, &sp->tick);
	slirp_rearm_poll(sp);
}

/* Injects what slirp emitted from inside input, then runs a step. */
static void slirp_flush(struct loop_flush *flush)
{
	struct slirp_port *sp = container_of(flush, struct slirp_port, flush);
	size_t off = 0;

	while (off < sp->q_len && !sp->port.removing) {
		uint32_t n;

		memcpy(&n, sp->q + off, sizeof(n));
		vsw_input(sp->port.sw, &sp->port, sp->q + off + sizeof(n), n);
		off += sizeof(n) + n;
	}
	sp->q_len = 0;
	if (!sp->port.removing)
		slirp_step(sp);
}

static void slirp_tick_fire(struct loop_timer *timer, uint64_t now UNUSED)
{
	slirp_want_step(container_of(timer, struct slirp_port, tick));
}

static void slirp_settle(struct slirp_port *sp)
{
	if (sp->poll_armed || !sp->port.removing)
		return;
	if (sp->epfd >= 0) {
		close(sp->epfd);
		sp->epfd = -1;
	}
	port_settle(&sp->port);
}

static void slirp_poll_done(struct uop *op, int res, unsigned int flags UNUSED)
{
	struct slirp_port *sp = container_of(op, struct slirp_port, poll_op);

	sp->poll_armed = false;
	if (sp->port.removing) {
		slirp_settle(sp);
		return;
	}
	if (res < 0 && res != -ECANCELED)
		sp->epoll_errors++;
	slirp_want_step(sp);
}

/* ------------------------------------------------------------------ */
/* Host forwards                                                       */
/* ------------------------------------------------------------------ */

static bool refuse_present(const uint8_t mac[6], void *aux)
{
	struct slirp_port *sp = aux;

	return fdb_lookup(vsw_fdb(sp->port.sw), mac, 0, loop_now(sp->loop));
}

static void refuse_emit(const uint8_t *frame, size_t len, void *aux)
{
	struct slirp_port *sp = aux;

	slirp_input(sp->slirp, frame, (int)len);
}

/* A forwarded connection's guest did not answer: refuse it if gone. */
static void slirp_refuse_fire(struct loop_timer *timer, uint64_t now)
{
	struct slirp_port *sp =
		container_of(timer, struct slirp_port, refuse_timer);
	uint64_t refused = sp->refuse.refused, next;

	if (sp->port.removing)
		return;
	next = refuse_expire(&sp->refuse, now, refuse_present, refuse_emit, sp);
	if (next != UINT64_MAX)
		loop_timer_arm(sp->loop, &sp->refuse_timer, next);
	if (sp->refuse.refused != refused) {
		log_info_rl(&sp->refuse_rl,
			    "port %s: refused %" PRIu64
			    " forwarded connection(s): the guest is gone",
			    sp->port.name, sp->refuse.refused - refused);
		slirp_want_step(sp);
	}
}

static socklen_t fwd_host_addr(const struct cfg_forward *fw,
			       struct sockaddr_storage *ss)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, fw->host_address, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(fw->host_port);
		return sizeof(*in);
	}
	inet_pton(AF_INET6, fw->host_address, &in6->sin6_addr);
	in6->sin6_family = AF_INET6;
	in6->sin6_port = htons(fw->host_port);
	return sizeof(*in6);
}

static int fwd_flags(const struct cfg_forward *fw)
{
	/* An IPv6 host address takes only IPv6 clients, as written. */
	return (fw->udp ? SLIRP_HOSTFWD_UDP : 0) |
	       (strchr(fw->host_address, ':') ? SLIRP_HOSTFWD_V6ONLY : 0);
}

static int fwd_open(struct slirp_port *sp, const struct cfg_forward *fw,
		    char *err, size_t err_size)
{
	struct sockaddr_storage h;
	struct sockaddr_in g = {
		.sin_family = AF_INET,
		.sin_port = htons(fw->guest_port),
		.sin_addr.s_addr = htonl(fw->guest_ip),
	};
	socklen_t hlen = fwd_host_addr(fw, &h);

	errno = 0;
	if (slirp_add_hostxfwd(sp->slirp, (struct sockaddr *)&h, hlen,
			       (struct sockaddr *)&g, sizeof(g),
			       fwd_flags(fw)) == 0)
		return 0;
	snprintf(err, err_size, "cannot forward %s %s port %u: %s",
		 fw->udp ? "udp" : "tcp", fw->host_address, fw->host_port,
		 errno ? strerror(errno) : "refused by libslirp");
	return errno ? -errno : -EINVAL;
}

static void fwd_close(struct slirp_port *sp, const struct cfg_forward *fw)
{
	struct sockaddr_storage h;
	socklen_t hlen = fwd_host_addr(fw, &h);

	slirp_remove_hostxfwd(sp->slirp, (struct sockaddr *)&h, hlen,
			      fwd_flags(fw));
}

static int fwd_append(struct slirp_port *sp, const struct cfg_forward *fw,
		      bool runtime)
{
	struct slirp_fwd *p =
		realloc(sp->fwds, (sp->n_fwds + 1) * sizeof(*sp->fwds));

	if (!p)
		return -ENOMEM;
	sp->fwds = p;
	sp->fwds[sp->n_fwds++] = (struct slirp_fwd){ *fw, runtime };
	return 0;
}

/**
 * slirp_port_forward_add() - add a host forward at runtime.
 * @port:	the slirp port
 * @fw:		validated forward
 * @err:	message on failure
 * @err_size:	size of @err
 *
 * Return: 0, -EEXIST, or the error of the host socket (EADDRINUSE...).
 */
int slirp_port_forward_add(struct port *port, const struct cfg_forward *fw,
			   char *err, size_t err_size)
{
	struct slirp_port *sp = sp_of(port);
	int ret;

	for (size_t i = 0; i < sp->n_fwds; i++) {
		if (cfg_forward_same_host(&sp->fwds[i].f, fw)) {
			snprintf(err, err_size,
				 "%s %s port %u is already "
				 "forwarded",
				 fw->udp ? "udp" : "tcp", fw->host_address,
				 fw->host_port);
			return -EEXIST;
		}
	}
	ret = fwd_open(sp, fw, err, err_size);
	if (ret)
		return ret;
	ret = fwd_append(sp, fw, true);
	if (ret) {
		fwd_close(sp, fw);
		snprintf(err, err_size, "out of memory");
		return ret;
	}
	log_info("port %s: forward %s %s:%u -> %s:%u added", port->name,
		 fw->udp ? "udp" : "tcp", fw->host_address, fw->host_port,
		 fw->guest, fw->guest_port);
	slirp_want_step(sp);
	return 0;
}

/**
 * slirp_port_forward_del() - remove a host forward.
 * @port:	the slirp port
 * @fw:		names it by protocol, host address and host port
 * @err:	message on failure
 * @err_size:	size of @err
 *
 * Return: 0 or -ENOENT.
 */
int slirp_port_forward_del(struct port *port, const struct cfg_forward *fw,
			   char *err, size_t err_size)
{
	struct slirp_port *sp = sp_of(port);

	for (size_t i = 0; i < sp->n_fwds; i++) {
		if (!cfg_forward_same_host(&sp->fwds[i].f, fw))
			continue;
		fwd_close(sp, &sp->fwds[i].f);
		memmove(&sp->fwds[i], &sp->fwds[i + 1],
			(sp->n_fwds - i - 1) * sizeof(*sp->fwds));
		sp->n_fwds--;
		log_info("port %s: forward %s %s:%u removed", port->name,
			 fw->udp ? "udp" : "tcp", fw->host_address,
			 fw->host_port);
		slirp_want_step(sp);
		return 0;
	}
	snprintf(err, err_size, "no %s forward on %s port %u",
		 fw->udp ? "udp" : "tcp", fw->host_address, fw->host_port);
	return -ENOENT;
}

/**
 * slirp_port_forwards() - the forwards in force, as a JSON array.
 * @port: the slirp port
 *
 * Return: new reference, or NULL.
 */
json_t *slirp_port_forwards(const struct port *port)
{
	const struct slirp_port *sp =
		container_of(port, const struct slirp_port, port);
	json_t *list = json_array();

	for (size_t i = 0; list && i < sp->n_fwds; i++) {
		const struct cfg_forward *fw = &sp->fwds[i].f;
		char ip[INET_ADDRSTRLEN];
		struct in_addr a = { htonl(fw->guest_ip) };

		json_array_append_new(
			list,
			json_pack("{s:s, s:s, s:i, s:s, s:s, s:i, s:s}",
				  "proto", fw->udp ? "udp" : "tcp",
				  "host_address", fw->host_address, "host_port",
				  fw->host_port, "guest", fw->guest, "guest_ip",
				  inet_ntop(AF_INET, &a, ip, sizeof(ip)),
				  "guest_port", fw->guest_port, "source",
				  sp->fwds[i].runtime ? "runtime" : "config"));
	}
	return list;
}

/* ------------------------------------------------------------------ */
/* Port operations                                                     */
/* ------------------------------------------------------------------ */

static int slirp_send(struct port *port, const uint8_t *frame, size_t len)
{
	struct slirp_port *sp = sp_of(port);

	if (port->removing)
		return -ENOTCONN;
	/* Never from inside a step (slirp is not re-entrant); not expected. */
	if (sp->in_step) {
		port->stats.tx_drop_down++;
		return -EBUSY;
	}
	port->stats.tx_frames++;
	port->stats.tx_bytes += len;
	refuse_from_guest(&sp->refuse, frame, len);
	slirp_input(sp->slirp, frame, (int)len);
	slirp_want_step(sp);
	return 0;
}

static void slirp_free_state(struct slirp_port *sp)
{
	if (sp->slirp) {
		/* Closes every host socket, the forwards' listeners too. */
		slirp_cleanup(sp->slirp);
		sp->slirp = NULL;
	}
	while (sp->timers)
		cb_timer_free(sp->timers, sp);
	loop_timer_cancel(sp->loop, &sp->tick);
	loop_timer_cancel(sp->loop, &sp->refuse_timer);
	free(sp->fill);
	free(sp->watch);
	free(sp->watched);
	free(sp->q);
	free(sp->fwds);
	sp->fill = NULL;
	sp->watch = NULL;
	sp->watched = NULL;
	sp->q = NULL;
	sp->fwds = NULL;
	sp->n_fill = sp->n_watch = sp->n_watched = sp->n_fwds = 0;
}

static void slirp_destroy(struct port *port)
{
	struct slirp_port *sp = sp_of(port);

	slirp_free_state(sp);
	if (sp->epfd >= 0)
		close(sp->epfd);
	port_fini(port);
	free(sp);
}

static void slirp_close(struct port *port)
{
	struct slirp_port *sp = sp_of(port);

	if (port->removing)
		return;
	port->removing = true;
	vsw_port_down(port->sw, port);
	sp->q_len = 0;
	/* Now, so that a new uplink can bind the same host ports at once. */
	slirp_free_state(sp);
	if (sp->poll_armed) {
		struct io_uring_sqe *sqe = loop_sqe(sp->loop, NULL);

		io_uring_prep_cancel64(sqe, (uint64_t)(uintptr_t)&sp->poll_op,
				       0);
	}
	slirp_settle(sp);
}

static const char *ip4(uint32_t ip, char *buf)
{
	struct in_addr a = { htonl(ip) };

	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static void slirp_show(const struct port *port, json_t *obj)
{
	const struct slirp_port *sp =
		container_of(port, const struct slirp_port, port);
	const struct cfg_slirp *c = &sp->cfg;
	char a[INET6_ADDRSTRLEN], net[INET_ADDRSTRLEN + 4];

	snprintf(net, sizeof(net), "%s/%d", ip4(c->network, a),
		 __builtin_popcount(c->netmask));
	json_object_set_new(obj, "state",
			    json_string(port->removing ? "closing" : "up"));
	json_object_set_new(obj, "network", json_string(net));
	json_object_set_new(obj, "gateway", json_string(ip4(c->gateway, a)));
	json_object_set_new(obj, "dns", json_string(ip4(c->dns, a)));
	if (c->ipv6) {
		snprintf(net, sizeof(net), "/%u", c->prefix6_len);
		inet_ntop(AF_INET6, &c->prefix6, a, sizeof(a));
		json_object_set_new(obj, "ipv6_prefix",
				    json_pack("s++", a, net, ""));
	}
	json_object_set_new(obj, "restrict", json_boolean(c->restricted));
	json_object_set_new(obj, "sockets",
			    json_integer((json_int_t)sp->n_watched));
	json_object_set_new(obj, "forwards", slirp_port_forwards(port));
	json_object_set_new(
		obj, "slirp",
		json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "steps",
			  (json_int_t)sp->steps, "throttled",
			  (json_int_t)sp->throttled, "refused_forwards",
			  (json_int_t)sp->refuse.refused, "queue_drops",
			  (json_int_t)sp->q_drops, "guest_errors",
			  (json_int_t)sp->guest_errors, "epoll_errors",
			  (json_int_t)sp->epoll_errors));
}

static const struct port_ops slirp_ops = {
	.type = "slirp",
	.send = slirp_send,
	.destroy = slirp_destroy,
	.close = slirp_close,
	.show = slirp_show,
};

bool port_is_slirp(const struct port *port)
{
	return port && port->ops == &slirp_ops;
}

/* ------------------------------------------------------------------ */
/* Creation                                                            */
/* ------------------------------------------------------------------ */

static struct in6_addr in6_host(const struct in6_addr *prefix, uint8_t host)
{
	struct in6_addr a = *prefix;

	a.s6_addr[15] = host;
	return a;
}

static Slirp *slirp_start(struct slirp_port *sp)
{
	const struct cfg_slirp *c = &sp->cfg;
	uint32_t dhcp_start = (~c->netmask > 15 ? 15 : 4) | c->network;
	struct sockaddr_in out4 = { .sin_family = AF_INET };
	struct sockaddr_in6 out6 = { .sin6_family = AF_INET6 };
	SlirpConfig sc = {
		/* 4 is the first that honours disable_dhcp. */
		.version = 4,
		.restricted = c->restricted,
		.in_enabled = true,
		.vnetwork.s_addr = htonl(c->network),
		.vnetmask.s_addr = htonl(c->netmask),
		.vhost.s_addr = htonl(c->gateway),
		.in6_enabled = c->ipv6,
		.vprefix_addr6 = c->prefix6,
		.vprefix_len = (uint8_t)c->prefix6_len,
		.vhost6 = in6_host(&c->prefix6, 2),
		.vnameserver6 = in6_host(&c->prefix6, 3),
		/* Unused (slirp's DHCP is off), but kept inside the network. */
		.vdhcp_start.s_addr = htonl(dhcp_start),
		.vnameserver.s_addr = htonl(c->dns),
		.vdnssearch = c->n_search ? sp->search : NULL,
		.vdomainname = c->domain[0] ? c->domain : NULL,
		.if_mtu = c->mtu,
		.if_mru = c->mtu,
		.disable_host_loopback = !c->host_loopback,
		.disable_dhcp = true,
	};

	for (unsigned int i = 0; i < c->n_search; i++)
		sp->search[i] = c->search[i];
	if (c->outbound_address[0] &&
	    inet_pton(AF_INET, c->outbound_address, &out4.sin_addr) == 1)
		sc.outbound_addr = &out4;
	if (c->outbound_address6[0] &&
	    inet_pton(AF_INET6, c->outbound_address6, &out6.sin6_addr) == 1)
		sc.outbound_addr6 = &out6;
	return slirp_new(&sc, &slirp_callbacks, sp);
}

static void slirp_pin_mac(struct slirp_port *sp, const uint8_t mac[6])
{
	if (fdb_add_static(vsw_fdb(sp->port.sw), mac, 0, &sp->port))
		log_warn("port %s: cannot pin slirp's MAC addresses (MAC "
			 "table full of static entries?)",
			 sp->port.name);
}

/*
 * slirp's own MACs are static entries of its port, so no guest can take
 * the gateway's address over by sending from it.  slirp sends IPv4 from
 * 52:55 and the gateway's address and answers ARP for the DNS address
 * from 52:55 and that address; IPv6 goes out from 52:55 (its prefix's
 * ::2 and ::3, whose bytes 12 to 15 are the host part) or 52:56 (the
 * link-local fe80::2 and ::3), followed by the address's last 4 bytes.
 * The port going down removes them.
 */
static void slirp_pin_macs(struct slirp_port *sp)
{
	static const uint8_t v6_prefix[4][2] = {
		{ 0x52, 0x55 },
		{ 0x52, 0x55 },
		{ 0x52, 0x56 },
		{ 0x52, 0x56 },
	};
	const uint32_t v6_host[4] = { 2, 3, 2, 3 };
	uint8_t mac[6] = { 0x52, 0x55 };

	put_be32(mac + 2, sp->cfg.gateway);
	slirp_pin_mac(sp, mac);
	put_be32(mac + 2, sp->cfg.dns);
	slirp_pin_mac(sp, mac);
	for (unsigned int i = 0; sp->cfg.ipv6 && i < 4; i++) {
		memcpy(mac, v6_prefix[i], 2);
		put_be32(mac + 2, v6_host[i]);
		slirp_pin_mac(sp, mac);
	}
}

/**
 * slirp_port_create() - create, register and start the uplink port.
 * @sw:		the switch
 * @cfg:	validated "slirp" section
 * @out:	the new port
 *
 * A forward whose host socket cannot be opened fails the creation, with
 * the forward named in the log.
 *
 * Return: 0, or a negative errno (logged).
 */
int slirp_port_create(struct vsw *sw, const struct cfg_slirp *cfg,
		      struct port **out)
{
	struct slirp_port *sp = calloc(1, sizeof(*sp));
	char err[256], a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	int ret = -ENOMEM;

	if (!sp) {
		log_err("port %s: out of memory", SLIRP_PORT_NAME);
		return -ENOMEM;
	}
	port_init(&sp->port, &slirp_ops, sw, SLIRP_PORT_NAME);
	sp->loop = vsw_loop(sw);
	sp->cfg = *cfg;
	sp->cfg.forwards = NULL;
	sp->cfg.n_forwards = 0;
	sp->poll_op.done = slirp_poll_done;
	loop_flush_init(&sp->flush, slirp_flush);
	loop_timer_init(&sp->tick, slirp_tick_fire);
	loop_timer_init(&sp->refuse_timer, slirp_refuse_fire);
	sp->refuse_rl = (struct log_rl)LOG_RL_INIT(10, 10000);
	refuse_init(&sp->refuse, cfg->gateway);
	sp->epfd = epoll_create1(EPOLL_CLOEXEC);
	sp->q = malloc(SLIRP_QUEUE_BYTES);
	if (sp->epfd < 0 || !sp->q) {
		ret = sp->epfd < 0 ? -errno : -ENOMEM;
		log_err_errno(ret, "port %s: cannot set up", SLIRP_PORT_NAME);
		goto fail;
	}
	sp->slirp = slirp_start(sp);
	if (!sp->slirp) {
		ret = -EINVAL;
		log_err("port %s: libslirp %s refused the configuration",
			SLIRP_PORT_NAME, slirp_version_string());
		goto fail;
	}
	for (size_t i = 0; i < cfg->n_forwards; i++) {
		ret = fwd_open(sp, &cfg->forwards[i], err, sizeof(err));
		if (!ret)
			ret = fwd_append(sp, &cfg->forwards[i], false);
		if (ret) {
			log_err("port %s: slirp.forwards[%zu]: %s",
				SLIRP_PORT_NAME, i,
				ret == -ENOMEM ? "out of memory" : err);
			goto fail;
		}
	}
	ret = vsw_add_port(sw, &sp->port);
	if (ret) {
		log_err_errno(ret, "port %s: cannot create", SLIRP_PORT_NAME);
		goto fail;
	}
	snprintf(sp->port.peer, sizeof(sp->port.peer), "slirp %s/%d",
		 ip4(cfg->network, a), __builtin_popcount(cfg->netmask));
	vsw_port_up(sw, &sp->port);
	slirp_pin_macs(sp);
	log_info("port %s: libslirp %s uplink on %s/%d, gateway %s, dns %s, "
		 "%zu forwards%s",
		 SLIRP_PORT_NAME, slirp_version_string(), ip4(cfg->network, a),
		 __builtin_popcount(cfg->netmask), ip4(cfg->gateway, b),
		 ip4(cfg->dns, err), sp->n_fwds,
		 cfg->restricted ? ", restricted" : "");
	slirp_step(sp);
	*out = &sp->port;
	return 0;
fail:
	slirp_destroy(&sp->port);
	return ret;
}

/* ----- the "slirp" section ----- */

static bool slirp_enabled(const struct vsw_config *cfg)
{
	return cfg->slirp.enabled;
}

static bool slirp_same(const struct vsw_config *a, const struct vsw_config *b)
{
	return cfg_slirp_same(&a->slirp, &b->slirp);
}

static void slirp_carry(struct vsw_config *next, struct vsw_config *running)
{
	free(next->slirp.forwards);
	next->slirp = running->slirp;
	running->slirp.forwards = NULL;
}

static void slirp_forget(struct vsw_config *cfg)
{
	free(cfg->slirp.forwards);
	memset(&cfg->slirp, 0, sizeof(cfg->slirp));
}

static int slirp_create(struct vsw *sw, const struct vsw_config *cfg,
			struct port **out)
{
	return slirp_port_create(sw, &cfg->slirp, out);
}

const struct port_section_type slirp_section_type = {
	SLIRP_PORT_NAME, "the slirp uplink", true,
	slirp_enabled, slirp_same, slirp_carry, slirp_forget, slirp_create,
};
