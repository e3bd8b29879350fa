/*
 * mcast.c - the mcast port: a multicast group as one hub segment.
 *
 * QEMU's "-netdev socket,mcast=GROUP:PORT" (and "-netdev dgram" with a
 * multicast remote) puts every VM on the group on one shared segment: each
 * sends its frames to the group and receives everybody's, its own
 * included.  The switch joins the segment as a single port, so every VM
 * on the group is learned on it, and frames from the group are never sent
 * back to it (the switch never sends a frame out of its input port).
 *
 * Sockets, laid out as QEMU's -netdev socket,mcast= does (so both can
 * share a group), both on one interface (default "lo"):
 *  - RX: SO_REUSEADDR, bound to group:port like QEMU's, so it receives
 *    exactly the group's traffic; joined with an ip_mreqn naming the
 *    interface; IP_MULTICAST_ALL off.
 *  - TX: bound to the interface's address with an ephemeral port; sets
 *    IP_MULTICAST_IF, IP_MULTICAST_TTL (ttl) and IP_MULTICAST_LOOP, so
 *    VMs on this host hear us.
 * Our own datagrams come back on the RX socket (the loop is on): they are
 * recognised by their source, the TX socket's address and port, which no
 * QEMU uses (QEMU sends from the group port), and dropped and counted as
 * rx_echo.  Without that, every MAC the switch sends to the group would be
 * re-learned on the mcast port.
 *
 * IPv6 groups (ff00::/8) work the same way with the IPv6 options
 * (IPV6_JOIN_GROUP, IPV6_MULTICAST_IF/HOPS/LOOP); a link- or
 * interface-local group (ff02::, ff01::) is scoped to the interface.  The
 * TX socket is bound to the interface's IPv6 address if it has one, else
 * to [::]; then its port alone marks our echoes.  QEMU 7.2 cannot join an
 * IPv6 group, so such a port has no qemu-args.  On lo, IPv6 multicast
 * needs a local route: "ip -6 route add local ff00::/8 dev lo" (an
 * ordinary route through lo is turned into a reject route).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <jansson.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ports/dgram.h"
#include "ports/port.h"
#include "switch/core/port.h"
#include "switch/config/cfg.h"
#include "switch/base/log.h"
#include "switch/core/switch.h"
#include "switch/base/util.h"

/**
 * struct mcast_port - an mcast port.
 * @port:	base port (carries frames)
 * @loop:	event loop
 * @rx_fd:	socket bound to the group and joined
 * @tx_fd:	socket we send from
 * @rx:		receive engine on @rx_fd
 * @tx:		send engine towards the group
 * @group:	group address and port
 * @tx_addr:	@tx_fd's bound address: the source of our echoes
 * @ifaddr:	the interface's address in the group's family (text)
 * @ifindex:	the interface's index
 */
struct mcast_port {
	struct port port;
	struct loop *loop;
	int rx_fd, tx_fd;
	struct dgram_rx rx;
	struct dgram_tx tx;
	struct vsw_sockaddr group;
	struct vsw_sockaddr tx_addr;
	char ifaddr[INET6_ADDRSTRLEN];
	unsigned int ifindex;
};

static struct log_rl mcast_rl = LOG_RL_INIT(5, 10000);

/* Is @from our TX socket (its port, and its address unless wildcard)? */
static bool mcast_is_echo(const struct mcast_port *m,
			  const struct sockaddr *from, socklen_t from_len)
{
	const struct sockaddr_in *in = (const void *)from;
	const struct sockaddr_in *me = (const void *)&m->tx_addr.ss;
	const struct sockaddr_in6 *in6 = (const void *)from;
	const struct sockaddr_in6 *me6 = (const void *)&m->tx_addr.ss;

	if (from->sa_family != m->tx_addr.ss.ss_family)
		return false;
	if (from->sa_family == AF_INET)
		return from_len >= sizeof(*in) &&
		       in->sin_port == me->sin_port &&
		       in->sin_addr.s_addr == me->sin_addr.s_addr;
	if (from->sa_family == AF_INET6)
		return from_len >= sizeof(*in6) &&
		       in6->sin6_port == me6->sin6_port &&
		       (IN6_IS_ADDR_UNSPECIFIED(&me6->sin6_addr) ||
			IN6_ARE_ADDR_EQUAL(&in6->sin6_addr,
					   &me6->sin6_addr));
	return false;
}

static void mcast_input(struct dgram_rx *rx, const struct sockaddr *from,
			socklen_t from_len, const uint8_t *data, size_t len,
			bool truncated)
{
	struct mcast_port *m = container_of(rx, struct mcast_port, rx);

	if (m->port.removing)
		return;
	if (mcast_is_echo(m, from, from_len)) {
		m->port.stats.rx_echo++;
		return;
	}
	if (unlikely(truncated)) {
		char who[64];

		m->port.stats.rx_too_big++;
		sockaddr_format(from, from_len, who, sizeof(who));
		log_warn_rl(&mcast_rl, "port %s: dropped a %zu-byte datagram "
			    "from %s (too big)", m->port.name, len, who);
		return;
	}
	vsw_input(m->port.sw, &m->port, data, len);
}

static int mcast_send(struct port *port, const uint8_t *frame, size_t len)
{
	struct mcast_port *m = container_of(port, struct mcast_port, port);

	return dgram_tx_send(&m->tx, frame, len);
}

static void mcast_shutdown(struct port *port)
{
	struct mcast_port *m = container_of(port, struct mcast_port, port);

	if (m->rx_fd >= 0)
		close(m->rx_fd);
	if (m->tx_fd >= 0)
		close(m->tx_fd);
	m->rx_fd = m->tx_fd = -1;
}

static void mcast_destroy(struct port *port)
{
	struct mcast_port *m = container_of(port, struct mcast_port, port);

	mcast_shutdown(port);
	dgram_rx_fini(&m->rx);
	dgram_tx_fini(&m->tx);
	port_fini(port);
	free(m);
}

static void mcast_rx_stopped(struct dgram_rx *rx)
{
	struct mcast_port *m = container_of(rx, struct mcast_port, rx);

	port_unhold(&m->port);
}

static void mcast_tx_stopped(struct dgram_tx *tx)
{
	struct mcast_port *m = container_of(tx, struct mcast_port, tx);

	port_unhold(&m->port);
}

static void mcast_close(struct port *port)
{
	struct mcast_port *m = container_of(port, struct mcast_port, port);

	if (port->removing)
		return;
	port->removing = true;
	vsw_port_down(port->sw, port);
	/* Each engine holds the port until it has stopped. */
	port_hold(port);
	port_hold(port);
	dgram_tx_stop(&m->tx);
	dgram_rx_stop(&m->rx);
}

static void mcast_show(const struct port *port, json_t *obj)
{
	const struct mcast_port *m =
		container_of(port, struct mcast_port, port);
	char grp[80], src[80];

	sockaddr_format((const struct sockaddr *)&m->group.ss, m->group.len,
			grp, sizeof(grp));
	sockaddr_format((const struct sockaddr *)&m->tx_addr.ss,
			m->tx_addr.len, src, sizeof(src));
	json_object_set_new(obj, "state",
			    json_string(port->removing ? "closing" : "joined"));
	json_object_set_new(obj, "group", json_string(grp));
	json_object_set_new(obj, "interface",
			    json_string(port->cfg ? port->cfg->ifname : ""));
	json_object_set_new(obj, "source", json_string(src));
	json_object_set_new(obj, "ttl",
			    json_integer(port->cfg ? port->cfg->ttl : 1));
	json_object_set_new(obj, "receive",
			    json_string(m->rx.multishot ? "multishot"
							: "single-shot"));
	dgram_tx_show(&m->tx, obj);
}

static void mcast_qemu_args(const struct port *port, char *buf, size_t size)
{
	const struct mcast_port *m =
		container_of(port, struct mcast_port, port);

	/* localaddr picks the interface QEMU joins and sends on. */
	snprintf(buf, size, "socket,mcast=%s:%u,localaddr=%s",
		 port->cfg->group, port->cfg->port, m->ifaddr);
}

/* The IPv4 and IPv6 groups' operations, alike but for @qemu_args_. */
#define MCAST_OPS(qemu_args_)                                                  \
	{ .type = "mcast",                                                     \
	  .send = mcast_send,                                                  \
	  .destroy = mcast_destroy,                                            \
	  .qemu_args = (qemu_args_),                                           \
	  .close = mcast_close,                                                \
	  .finish = mcast_shutdown,                                            \
	  .show = mcast_show }

static const struct port_ops mcast_ops = MCAST_OPS(mcast_qemu_args);

/* QEMU 7.2 cannot join an IPv6 group: no qemu-args for those. */
static const struct port_ops mcast6_ops = MCAST_OPS(NULL);

/*
 * The interface's IPv4 address (SIOCGIFADDR), and whether it does
 * multicast at all: lo does not unless told ("ip link set lo multicast
 * on"), and joining on it then succeeds but nothing is ever delivered.
 */
static int mcast_ifaddr(const char *ifname, struct in_addr *addr,
			bool *multicast)
{
	struct ifreq ifr = { 0 };
	int fd, ret = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	strlcpy_(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
	if (ioctl(fd, SIOCGIFADDR, &ifr) < 0) {
		ret = -errno;
		goto out;
	}
	*addr = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		ret = -errno;
	else
		*multicast = ifr.ifr_flags & IFF_MULTICAST;
out:
	close(fd);
	return ret;
}

/*
 * The receive socket as QEMU makes its own: bound to group:port with
 * SO_REUSEADDR, since the QEMUs on this host bind the same address.
 * Joining is the caller's (it differs between IPv4 and IPv6).
 */
static int mcast_rx_socket(struct mcast_port *m, const char **what)
{
	int one = 1;

	*what = "create the receive socket";
	m->rx_fd = socket(m->group.ss.ss_family,
			  SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (m->rx_fd < 0)
		return -errno;
	if (setsockopt(m->rx_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		return -errno;
	*what = "bind the receive socket to the group";
	if (bind(m->rx_fd, (struct sockaddr *)&m->group.ss, m->group.len))
		return -errno;
	return 0;
}

static int mcast_open_rx(struct mcast_port *m, const struct cfg_port *cfg,
			 const char **what)
{
	struct ip_mreqn mreq = { 0 };
	int zero = 0, ret;

	ret = mcast_rx_socket(m, what);
	if (ret)
		return ret;
	*what = "join the group";
	mreq.imr_multiaddr =
		((struct sockaddr_in *)&m->group.ss)->sin_addr;
	mreq.imr_ifindex = (int)m->ifindex;
	if (setsockopt(m->rx_fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq,
		       sizeof(mreq)))
		return -errno;
	*what = "set IP_MULTICAST_ALL";
	if (setsockopt(m->rx_fd, IPPROTO_IP, IP_MULTICAST_ALL, &zero,
		       sizeof(zero)))
		return -errno;
	(void)cfg;
	return 0;
}

/**
 * mcast_tx_socket() - create the send socket and bind it.
 * @m:		the port; gets @m->tx_fd and, in @m->tx_addr, the address
 *		the socket got (our echoes come from it)
 * @me:		the interface's address to bind to (any port)
 * @me_len:	its length
 * @what:	set to the step that failed
 *
 * Leaves *@what at the send options, which the caller sets next.
 *
 * Return: 0 or a negative errno.
 */
static int mcast_tx_socket(struct mcast_port *m, const struct sockaddr *me,
			   socklen_t me_len, const char **what)
{
	socklen_t len = sizeof(m->tx_addr.ss);

	*what = "create the send socket";
	m->tx_fd = socket(me->sa_family,
			  SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (m->tx_fd < 0)
		return -errno;
	*what = "bind the send socket";
	if (bind(m->tx_fd, me, me_len))
		return -errno;
	if (getsockname(m->tx_fd, (struct sockaddr *)&m->tx_addr.ss, &len))
		return -errno;
	m->tx_addr.len = len;
	*what = "set the send options";
	return 0;
}

static int mcast_open_tx(struct mcast_port *m, const struct cfg_port *cfg,
			 struct in_addr ifaddr, const char **what)
{
	struct ip_mreqn mreq = { .imr_ifindex = (int)m->ifindex };
	/* An address of our own, different from every QEMU's (they send
	 * from the group port): that is how we know our echoes. */
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_addr = ifaddr };
	int ttl = (int)cfg->ttl, one = 1, ret;

	ret = mcast_tx_socket(m, (struct sockaddr *)&me, sizeof(me), what);
	if (ret)
		return ret;
	if (setsockopt(m->tx_fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq,
		       sizeof(mreq)) ||
	    setsockopt(m->tx_fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl,
		       sizeof(ttl)) ||
	    setsockopt(m->tx_fd, IPPROTO_IP, IP_MULTICAST_LOOP, &one,
		       sizeof(one)))
		return -errno;
	return 0;
}

/*
 * The interface's IPv6 address (a global one if it has one, else its
 * link-local one, else [::]) and whether it does multicast.
 */
static int mcast_ifaddr6(const char *ifname, unsigned int ifindex,
			 struct sockaddr_in6 *addr, bool *multicast)
{
	struct ifaddrs *ifa, *i;
	bool have = false;

	*addr = (struct sockaddr_in6){ .sin6_family = AF_INET6 };
	if (getifaddrs(&ifa))
		return -errno;
	for (i = ifa; i; i = i->ifa_next) {
		const struct sockaddr_in6 *a = (const void *)i->ifa_addr;

		if (strcmp(i->ifa_name, ifname))
			continue;
		*multicast = i->ifa_flags & IFF_MULTICAST;
		if (!a || a->sin6_family != AF_INET6 ||
		    (have && IN6_IS_ADDR_LINKLOCAL(&a->sin6_addr)))
			continue;
		addr->sin6_addr = a->sin6_addr;
		addr->sin6_scope_id = IN6_IS_ADDR_LINKLOCAL(&a->sin6_addr) ?
				      ifindex : 0;
		have = true;
	}
	freeifaddrs(ifa);
	return 0;
}

static int mcast_open_rx6(struct mcast_port *m, const char **what)
{
	const struct sockaddr_in6 *grp = (const void *)&m->group.ss;
	struct ipv6_mreq mreq = { .ipv6mr_interface = m->ifindex };
	int zero = 0, ret;

	ret = mcast_rx_socket(m, what);
	if (ret)
		return ret;
	*what = "join the group";
	mreq.ipv6mr_multiaddr = grp->sin6_addr;
	if (setsockopt(m->rx_fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq,
		       sizeof(mreq)))
		return -errno;
#ifdef IPV6_MULTICAST_ALL
	/* Binding to the group already filters; older kernels lack it. */
	if (setsockopt(m->rx_fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, &zero,
		       sizeof(zero)) && errno != ENOPROTOOPT) {
		*what = "set IPV6_MULTICAST_ALL";
		return -errno;
	}
#else
	(void)zero;
#endif
	return 0;
}

static int mcast_open_tx6(struct mcast_port *m, const struct cfg_port *cfg,
			  const struct sockaddr_in6 *ifaddr, const char **what)
{
	int ifindex = (int)m->ifindex, hops = (int)cfg->ttl, one = 1, fd, ret;

	ret = mcast_tx_socket(m, (const struct sockaddr *)ifaddr,
			      sizeof(*ifaddr), what);
	if (ret)
		return ret;
	if (setsockopt(m->tx_fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex,
		       sizeof(ifindex)) ||
	    setsockopt(m->tx_fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
		       sizeof(hops)) ||
	    setsockopt(m->tx_fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &one,
		       sizeof(one)))
		return -errno;
	/* Joining needs no route, sending does: find out now. */
	*what = "join the group";
	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex,
		       sizeof(ifindex)) ||
	    connect(fd, (struct sockaddr *)&m->group.ss, m->group.len)) {
		int err = errno;

		close(fd);
		return err == ENETUNREACH || err == EHOSTUNREACH ? -ENODEV
								  : -err;
	}
	close(fd);
	return 0;
}

/**
 * mcast_port_create() - create an mcast port.
 * @sw:		the switch
 * @cfg:	its configuration
 *
 * Return: 0, or a negative errno after logging what failed.
 */
static int mcast_port_create(struct vsw *sw, const struct cfg_port *cfg)
{
	struct mcast_port *m;
	struct sockaddr_in6 ifaddr6;
	struct in_addr ifaddr;
	const char *what = "set up";
	bool multicast = false, v6 = strchr(cfg->group, ':') != NULL;
	char src[80];
	int ret;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	port_init(&m->port, v6 ? &mcast6_ops : &mcast_ops, sw, cfg->name);
	m->loop = vsw_loop(sw);
	m->rx_fd = m->tx_fd = -1;
	ret = sockaddr_from_ip(&m->group, cfg->group, cfg->port);
	if (ret)
		goto err;
	what = "find the interface";
	m->ifindex = if_nametoindex(cfg->ifname);
	if (!m->ifindex) {
		ret = -errno;
		goto err;
	}
	if (v6) {
		struct sockaddr_in6 *grp = (void *)&m->group.ss;

		/* ff01::/ff02:: mean nothing without an interface. */
		if (IN6_IS_ADDR_MC_LINKLOCAL(&grp->sin6_addr) ||
		    IN6_IS_ADDR_MC_NODELOCAL(&grp->sin6_addr))
			grp->sin6_scope_id = m->ifindex;
		what = "get the interface's IPv6 address";
		ret = mcast_ifaddr6(cfg->ifname, m->ifindex, &ifaddr6,
				    &multicast);
	} else {
		what = "get the interface's IPv4 address";
		ret = mcast_ifaddr(cfg->ifname, &ifaddr, &multicast);
	}
	if (ret)
		goto err;
	if (!multicast) {
		what = "join the group";
		ret = -ENODEV;
		goto err;
	}
	if (v6) {
		inet_ntop(AF_INET6, &ifaddr6.sin6_addr, m->ifaddr,
			  sizeof(m->ifaddr));
		ret = mcast_open_rx6(m, &what);
		if (!ret)
			ret = mcast_open_tx6(m, cfg, &ifaddr6, &what);
	} else {
		inet_ntop(AF_INET, &ifaddr, m->ifaddr, sizeof(m->ifaddr));
		ret = mcast_open_rx(m, cfg, &what);
		if (!ret)
			ret = mcast_open_tx(m, cfg, ifaddr, &what);
	}
	if (ret)
		goto err;
	what = "set up";
	ret = dgram_rx_init(&m->rx, m->loop, m->rx_fd, mcast_input,
			    mcast_rx_stopped);
	if (ret)
		goto err;
	ret = dgram_tx_init(&m->tx, &m->port, m->loop, m->tx_fd, &m->group,
			    mcast_tx_stopped, cfg->tx_queue_frames,
			    cfg->tx_queue_bytes);
	if (ret)
		goto err;
	sockaddr_format((struct sockaddr *)&m->group.ss, m->group.len,
			m->port.peer, sizeof(m->port.peer));
	ret = port_register(&m->port, cfg);
	if (ret)
		goto err;
	dgram_rx_start(&m->rx);
	vsw_port_up(sw, &m->port);
	sockaddr_format((struct sockaddr *)&m->tx_addr.ss, m->tx_addr.len,
			src, sizeof(src));
	log_info("port %s: joined %s on %s, sending from %s", m->port.name,
		 m->port.peer, cfg->ifname, src);
	return 0;

err:
	if (ret == -ENODEV && !strcmp(what, "join the group") && v6)
		log_err("port %s: cannot join %s on interface %s: %s "
			"(multicast must be on there and routed: "
			"\"ip link set %s multicast on; "
			"ip -6 route add %sff00::/8 dev %s\")",
			cfg->name, cfg->group, cfg->ifname,
			multicast ? "no route to the group"
				  : "the interface has multicast off",
			cfg->ifname,
			/* via lo, only a local route is not a reject */
			strcmp(cfg->ifname, "lo") ? "" : "local ",
			cfg->ifname);
	else if (ret == -ENODEV && !strcmp(what, "join the group"))
		log_err("port %s: cannot join %s on interface %s: %s "
			"(multicast must be on there and routed: "
			"\"ip link set %s multicast on; "
			"ip route add 224.0.0.0/4 dev %s\")",
			cfg->name, cfg->group, cfg->ifname,
			multicast ? strerror(-ret)
				  : "the interface has multicast off",
			cfg->ifname, cfg->ifname);
	else
		log_err("port %s: cannot %s (group %s port %u, interface "
			"%s): %s", cfg->name, what, cfg->group, cfg->port,
			cfg->ifname, strerror(-ret));
	mcast_destroy(&m->port);
	return ret;
}

/* ----- configuration ----- */

enum { MCAST_DEF_TTL = 1 };

/* A multicast group: IPv4 224.0.0.0/4 or IPv6 ff00::/8, literally. */
static int parse_mcast_group(struct cfg_ctx *ctx, const struct cfg_key *key,
			     const json_t *val, void *base)
{
	struct in6_addr a6;
	struct in_addr a4;
	struct cfg_quote q;
	const char *s;
	int r;

	r = cfg_get_string(ctx, val, &s);
	if (r)
		return r;
	if (strlen(s) < CFG_ADDR_MAX && inet_pton(AF_INET, s, &a4) == 1) {
		if ((ntohl(a4.s_addr) >> 28) != 0xe)
			return cfg_fail(ctx,
					"%s is not an IPv4 multicast "
					"address (224.0.0.0/4)",
					cfg_quoted(&q, s));
	} else if (strlen(s) < CFG_ADDR_MAX &&
		   inet_pton(AF_INET6, s, &a6) == 1) {
		if (a6.s6_addr[0] != 0xff)
			return cfg_fail(ctx,
					"%s is not an IPv6 multicast "
					"address (ff00::/8)",
					cfg_quoted(&q, s));
	} else {
		return cfg_fail(ctx, "%s is not a literal multicast address",
				cfg_quoted(&q, s));
	}
	strlcpy_(cfg_key_dst(key, base), s, CFG_ADDR_MAX);
	return 0;
}

static const struct cfg_key mcast_keys[] = {
	CFG_PORT_KEY_NAME,
	CFG_PORT_KEY_TYPE,
	CFG_PORT_KEY("group", parse_mcast_group, CFG_V_STR, group, 0, 0, true),
	CFG_PORT_KEY_PORT(1),
	CFG_PORT_KEY("interface", cfg_parse_ifname, CFG_V_STR, ifname, 0, 0,
		     false),
	CFG_PORT_KEY("ttl", cfg_parse_uint, CFG_V_UINT, ttl, 0, 255, false),
	CFG_PORT_KEYS_TX_QUEUE,
};

static int mcast_parse(struct cfg_ctx *ctx, const json_t *obj,
		       struct cfg_port *port)
{
	struct cfg_quote q;
	int r;

	strlcpy_(port->ifname, "lo", sizeof(port->ifname));
	port->ttl = MCAST_DEF_TTL;
	r = cfg_port_parse_keys(ctx, obj, port);
	if (r)
		return r;
	/* Joining needs the interface now; a typo must not wait for start. */
	if (!if_nametoindex(port->ifname)) {
		cfg_path_push_key(ctx, "interface");
		r = cfg_fail(ctx, "there is no interface %s",
			     cfg_quoted(&q, port->ifname));
		cfg_path_pop(ctx);
	}
	return r;
}

const struct port_type mcast_port_type =
	PORT_TYPE("mcast", mcast_parse, mcast_keys, mcast_port_create);
