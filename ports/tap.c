/*
 * tap.c - tap ports: a Linux TAP device as a switch port.
 *
 * The host side of the switch: frames the kernel sends out of the TAP
 * device arrive here, and frames the switch writes come into the host's
 * network stack as if received on that device.  Addressing the device,
 * moving it into another network namespace or enslaving it to a bridge is
 * the user's business; the port only creates (or attaches to) the device,
 * brings the link up and sets the MTU it was given.
 *
 * Opening: /dev/net/tun with TUNSETIFF(IFF_TAP | IFF_NO_PI).  That creates
 * the device, or attaches to an existing persistent one ("ip tuntap add ...
 * user ..."), which is how an unprivileged vswitchd gets a TAP.  A device
 * we created disappears when the descriptor closes; a persistent one stays.
 * Offloads ("offload": true, off by default): IFF_VNET_HDR with a 12-byte
 * header (TUNSETVNETHDRSZ, little-endian), and TUNSETOFFLOAD with CSUM,
 * TSO4 and TSO6, so the kernel hands us frames with partial checksums and
 * TCP super-frames of up to 64 KiB, and takes the same from us.  Every
 * read then starts with the header, parsed and checked by switch/core/offload.c
 * (a header that does not describe its frame is counted in
 * errors.rx_bad_vnet_hdr and the frame dropped), and reads always use 64
 * KiB buffers.  The frame goes into the switch with its meta; the switch
 * hands it whole to ports with offloads (tap_send_meta() writes header and
 * frame as one unit) and finishes the checksum or segments the
 * super-frame for every other port, since no QEMU socket peer can take
 * those frames (QEMU's stream and datagram backends carry plain Ethernet
 * frames, no virtio-net header).  Without offloads there is no
 * header at all.
 *
 * Receiving: one read is exactly one frame, and a read into a short buffer
 * truncates silently, so every buffer holds max_frame + 1 bytes at least:
 * a read that fills max_frame + 1 bytes was too big or truncated, and the
 * switch drops it as too big.  When the loop's shared provided buffers
 * (16 KiB) are large enough, the port reads into them, with one
 * IORING_OP_READ_MULTISHOT (kernel 6.7 and later, probed) or else
 * TAP_RX_SLOTS one-shot reads with buffer selection kept in flight.  For a
 * max_frame beyond 16 KiB it takes the loop's 64 KiB datagram buffers
 * instead; without buffer rings, each one-shot read has a buffer of its
 * own.  A read that ends is re-armed at once.
 *
 * Sending: frames are copied into a bounded txq (tail drop when full) and
 * written one frame per write, up to TAP_TX_SLOTS writes in flight.  The
 * queue releases a frame only when it and every older frame completed, so a
 * write never names bytes that were reused.  TAP writes never block: the
 * kernel takes the frame or fails, and a write while the link is down fails
 * with EIO, which is a counted drop (tx_drop_down), never a retry; every
 * write error counts where port_count_tx_error() says.
 *
 * Errors: a read or write that says the device is gone (ip link del;
 * EBADFD) puts the port down with one log line; it stays down, with its
 * reason in "last_error", until it is removed or the configuration is
 * reloaded.  A link that is merely down is not an error: reads wait, and
 * writes are counted drops.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "switch/core/offload.h"
#include "ports/port.h"
#include "switch/core/port.h"
#include "ports/txq.h"
#include "switch/config/cfg.h"
#include "switch/base/log.h"
#include "switch/base/loop.h"
#include "switch/core/switch.h"
#include "switch/base/util.h"

enum {
	TAP_RX_SLOTS = 4, /* one-shot reads kept in flight */
	TAP_TX_SLOTS = 64, /* writes in flight */
	/* Not in liburing 2.3's enum; kernel 6.7+ (probed). */
	TAP_OP_READ_MULTISHOT = 49,
	TAP_ETH_HLEN = 14,
	/* A frame with an 802.1Q tag is the MTU plus this. */
	TAP_FRAME_OVERHEAD = 18,
};

/**
 * enum tap_rx_mode - how the port reads.
 * @TAP_RX_MULTISHOT:	one READ_MULTISHOT into the loop's provided buffers
 * @TAP_RX_BUFSEL:	one-shot reads picking provided buffers
 * @TAP_RX_OWN:		one-shot reads into the port's own buffers
 */
enum tap_rx_mode {
	TAP_RX_MULTISHOT,
	TAP_RX_BUFSEL,
	TAP_RX_OWN,
};

static const char *const tap_rx_mode_names[] = {
	[TAP_RX_MULTISHOT] = "read-multishot",
	[TAP_RX_BUFSEL] = "read",
	[TAP_RX_OWN] = "read-own-buffers",
};

struct tap_port;

/**
 * struct tap_rx - one read request slot.
 * @op:		completion record
 * @tp:		its port
 * @buf:	own buffer (TAP_RX_OWN), else NULL
 * @armed:	a read is in flight
 */
struct tap_rx {
	struct uop op;
	struct tap_port *tp;
	uint8_t *buf;
	bool armed;
};

/**
 * struct tap_tx - one write request slot.
 * @op:		completion record
 * @tp:		its port
 * @iov:	the frame's bytes (two pieces when it wraps in the queue)
 * @len:	bytes written: vnet header and frame
 * @res:	the write's result, once @done
 * @done:	the write completed
 */
struct tap_tx {
	struct uop op;
	struct tap_port *tp;
	struct iovec iov[2];
	uint32_t len;
	int res;
	bool done;
};

/**
 * struct tap_port - a tap port.
 * @port:	base port
 * @loop:	event loop
 * @fd:		the /dev/net/tun descriptor, -1 once closed
 * @ifname:	device name as the kernel confirmed it
 * @ifindex:	device index when opened (in vswitchd's namespace)
 * @mtu:	device MTU when opened
 * @persistent:	the device existed (persistent) and outlives the port
 * @failed:	a device error put the port down for good
 * @offload:	IFF_VNET_HDR and offloads are on
 * @hdr_len:	bytes of vnet header before each frame: 0 or 12
 * @rx_mode:	how the port reads
 * @n_rx:	read slots in use
 * @rx_big:	reads pick the loop's 64 KiB datagram buffers, not the
 *		16 KiB stream ones (a max_frame beyond 16 KiB)
 * @rx_buf_size: size of each buffer a read may fill
 * @inflight:	requests in flight (a multishot read counts once)
 * @last_err:	negative errno that failed the port, 0 if none
 * @rx_errors:	reads that failed (the first one fails the port)
 * @rx_nobufs:	reads that found no provided buffer (re-armed)
 * @tx_errors:	writes that failed for another reason than a down link
 * @rx_bad_hdr:	reads whose vnet header did not describe the frame
 * @rx_gso:	super-frames read (offload)
 * @rx_csum:	frames read with a partial checksum (offload)
 * @rx:		read slots
 * @tx:		write slots, a ring indexed by @tx_head..@tx_tail
 * @tx_head:	sequence number of the oldest write in flight
 * @tx_tail:	sequence number of the next write
 * @txq:	transmit queue
 * @flush:	flush record (write what was queued this batch)
 */
struct tap_port {
	struct port port;
	struct loop *loop;
	int fd;
	char ifname[IFNAMSIZ];
	int ifindex;
	unsigned int mtu;
	bool persistent;
	bool failed;
	bool offload;
	unsigned int hdr_len;
	enum tap_rx_mode rx_mode;
	unsigned int n_rx;
	bool rx_big;
	size_t rx_buf_size;
	unsigned int inflight;
	int last_err;
	uint64_t rx_errors, rx_nobufs, tx_errors;
	uint64_t rx_bad_hdr, rx_gso, rx_csum;
	struct tap_rx rx[TAP_RX_SLOTS];
	struct tap_tx tx[TAP_TX_SLOTS];
	unsigned int tx_head, tx_tail;
	struct txq txq;
	struct loop_flush flush;
};

static void tap_rx_done(struct uop *op, int res, unsigned int flags);
static void tap_tx_done(struct uop *op, int res, unsigned int flags);
static void tap_flush(struct loop_flush *flush);

static bool tap_running(const struct tap_port *tp)
{
	return tp->fd >= 0 && !tp->failed && !tp->port.removing;
}

/* READ_MULTISHOT is an opcode, so the probe sees it (unlike recv's flag). */
static bool tap_have_read_multishot(struct loop *loop)
{
	static int cached = -1;
	struct io_uring_probe *probe;

	if (cached >= 0)
		return cached;
	probe = io_uring_get_probe_ring(loop_ring(loop));
	cached = probe && io_uring_opcode_supported(probe,
						    TAP_OP_READ_MULTISHOT);
	if (probe)
		io_uring_free_probe(probe);
	return cached;
}

/* Says why the device could not be opened, in the user's terms. */
static void tap_open_error(const struct tap_port *tp, const char *ifname,
			   bool opening, int err)
{
	const char *name = tp->port.name;
	bool exists = if_nametoindex(ifname) != 0;

	switch (err) {
	case -EACCES:
	case -EPERM:
		if (exists && !opening)
			log_err("port %s: TAP device %s exists but is not "
				"yours: attaching to it needs CAP_NET_ADMIN, "
				"or a persistent device owned by you (ip "
				"tuntap add dev %s mode tap user %u)",
				name, ifname, ifname, (unsigned int)geteuid());
		else if (opening)
			log_err("port %s: cannot open /dev/net/tun: %s; "
				"creating TAP device %s needs CAP_NET_ADMIN, "
				"or an existing persistent device owned by you "
				"(ip tuntap add dev %s mode tap user %u) and "
				"access to /dev/net/tun",
				name, strerror(-err), ifname, ifname,
				(unsigned int)geteuid());
		else
			log_err("port %s: creating TAP device %s needs "
				"CAP_NET_ADMIN or an existing persistent "
				"device owned by you (ip tuntap add dev %s "
				"mode tap user %u)",
				name, ifname, ifname, (unsigned int)geteuid());
		break;
	case -EBUSY:
		log_err("port %s: TAP device %s is busy: another process has "
			"it open (another vswitchd, or QEMU?)",
			name, ifname);
		break;
	case -EINVAL:
		log_err("port %s: %s exists and is not a single-queue TAP "
			"device (a TUN, a multi_queue TAP or another kind of "
			"interface?)",
			name, ifname);
		break;
	case -ENOENT:
	case -ENODEV:
	case -ENXIO:
		if (opening) {
			log_err("port %s: cannot open /dev/net/tun: %s (is "
				"the tun module loaded? modprobe tun)",
				name, strerror(-err));
			break;
		}
		/* fall through */
	default:
		log_err("port %s: cannot %s TAP device %s: %s", name,
			opening ? "open /dev/net/tun for" : "create", ifname,
			strerror(-err));
		break;
	}
}

/* Header size and byte order, then the offloads the kernel may use. */
static int tap_setup_offload(struct tap_port *tp)
{
	int sz = OFFLOAD_VNET_HDR_LEN, le = 1, ret;
	unsigned long off = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;

	if (ioctl(tp->fd, TUNSETVNETHDRSZ, &sz) < 0) {
		ret = -errno;
		log_err_errno(ret, "port %s: TUNSETVNETHDRSZ on %s",
			      tp->port.name, tp->ifname);
		return ret;
	}
	/* Native order is little-endian on the hosts we run on; ask anyway. */
	if (ioctl(tp->fd, TUNSETVNETLE, &le) < 0 && errno != EINVAL) {
		ret = -errno;
		log_err_errno(ret, "port %s: TUNSETVNETLE on %s",
			      tp->port.name, tp->ifname);
		return ret;
	}
	if (ioctl(tp->fd, TUNSETOFFLOAD, off) < 0) {
		ret = -errno;
		log_err_errno(ret, "port %s: TUNSETOFFLOAD on %s",
			      tp->port.name, tp->ifname);
		return ret;
	}
	tp->hdr_len = OFFLOAD_VNET_HDR_LEN;
	return 0;
}

/* Creates the device, or attaches to the persistent device of that name. */
static int tap_open_dev(struct tap_port *tp, const char *ifname)
{
	struct ifreq ifr;
	int fd, ret;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		tap_open_error(tp, ifname, true, ret);
		return ret;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (tp->offload ? IFF_VNET_HDR : 0);
	strlcpy_(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		ret = -errno;
		close(fd);
		tap_open_error(tp, ifname, false, ret);
		return ret;
	}
	strlcpy_(tp->ifname, ifr.ifr_name, sizeof(tp->ifname));
	if (ioctl(fd, TUNGETIFF, &ifr) == 0)
		tp->persistent = ifr.ifr_flags & IFF_PERSIST;
	tp->fd = fd;
	return tp->offload ? tap_setup_offload(tp) : 0;
}

/*
 * Sets the MTU (if configured) and brings the link up.  A link we may not
 * bring up (an unprivileged vswitchd on a persistent device) is only a
 * warning: writes fail with EIO and are counted until someone does.
 */
static int tap_setup_link(struct tap_port *tp, const struct cfg_port *cfg)
{
	unsigned int max_frame = vsw_get_params(tp->port.sw)->max_frame;
	const char *name = tp->port.name;
	struct ifreq ifr;
	int s, ret = 0;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		ret = -errno;
		log_err_errno(ret, "port %s: socket for device ioctls", name);
		return ret;
	}
	memset(&ifr, 0, sizeof(ifr));
	strlcpy_(ifr.ifr_name, tp->ifname, sizeof(ifr.ifr_name));
	if (ioctl(s, SIOCGIFINDEX, &ifr) == 0)
		tp->ifindex = ifr.ifr_ifindex;
	if (ioctl(s, SIOCGIFMTU, &ifr) == 0)
		tp->mtu = (unsigned int)ifr.ifr_mtu;
	if (cfg->mtu && cfg->mtu != tp->mtu) {
		ifr.ifr_mtu = (int)cfg->mtu;
		if (ioctl(s, SIOCSIFMTU, &ifr) < 0) {
			ret = -errno;
			log_err_errno(ret, "port %s: cannot set the MTU of %s "
				      "to %u", name, tp->ifname, cfg->mtu);
			goto out;
		}
		tp->mtu = cfg->mtu;
	}
	if (tp->mtu + TAP_FRAME_OVERHEAD > max_frame)
		log_warn("port %s: %s has MTU %u but switch.max_frame is %u: "
			 "frames above max_frame are dropped (set \"mtu\")",
			 name, tp->ifname, tp->mtu, max_frame);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		ret = -errno;
		log_err_errno(ret, "port %s: cannot read the flags of %s",
			      name, tp->ifname);
		goto out;
	}
	if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
			log_warn_errno(-errno, "port %s: cannot bring %s up "
				       "(frames to it are dropped until it "
				       "is: ip link set %s up)",
				       name, tp->ifname, tp->ifname);
	}
out:
	close(s);
	return ret;
}

static void tap_arm_rx(struct tap_port *tp, struct tap_rx *rx)
{
	struct io_uring_sqe *sqe = loop_sqe(tp->loop, &rx->op);

	switch (tp->rx_mode) {
	case TAP_RX_MULTISHOT:
		io_uring_prep_rw(TAP_OP_READ_MULTISHOT, sqe, tp->fd, NULL, 0,
				 0);
		sqe->flags |= IOSQE_BUFFER_SELECT;
		sqe->buf_group = tp->rx_big ? LOOP_DGRAM_BUF_GROUP
					    : LOOP_RX_BUF_GROUP;
		break;
	case TAP_RX_BUFSEL:
		io_uring_prep_read(sqe, tp->fd, NULL,
				   (unsigned int)tp->rx_buf_size, 0);
		sqe->flags |= IOSQE_BUFFER_SELECT;
		sqe->buf_group = tp->rx_big ? LOOP_DGRAM_BUF_GROUP
					    : LOOP_RX_BUF_GROUP;
		break;
	case TAP_RX_OWN:
		io_uring_prep_read(sqe, tp->fd, rx->buf,
				   (unsigned int)tp->rx_buf_size, 0);
		break;
	}
	rx->armed = true;
	tp->inflight++;
}

/* Stops every request: pending reads are cancelled, writes complete. */
static void tap_cancel(struct tap_port *tp)
{
	struct io_uring_sqe *sqe;

	if (!tp->inflight)
		return;
	if (loop_features(tp->loop)->cancel_fd) {
		sqe = loop_sqe(tp->loop, NULL);
		io_uring_prep_cancel_fd(sqe, tp->fd, IORING_ASYNC_CANCEL_ALL);
		return;
	}
	for (unsigned int i = 0; i < tp->n_rx; i++) {
		if (!tp->rx[i].armed)
			continue;
		sqe = loop_sqe(tp->loop, NULL);
		io_uring_prep_cancel64(sqe, (uint64_t)(uintptr_t)&tp->rx[i].op,
				       0);
	}
}

/* Once nothing is in flight: close a failed or removed port's device. */
static void tap_settle(struct tap_port *tp)
{
	if (tp->inflight || !(tp->failed || tp->port.removing))
		return;
	if (tp->fd >= 0) {
		/* Deletes the device unless it is persistent. */
		close(tp->fd);
		tp->fd = -1;
	}
	txq_clear(&tp->txq);
	tp->tx_head = tp->tx_tail = 0;
	/* A failed port stays until it is removed. */
	port_settle(&tp->port);
}

/* A device error: the port goes down and stays down (see the top). */
static void tap_fail(struct tap_port *tp, const char *what, int err)
{
	if (tp->failed || tp->port.removing)
		return;
	tp->failed = true;
	tp->last_err = err;
	tp->port.stats.disconnects++;
	log_warn("port %s: %s on TAP device %s: %s; the port is down until "
		 "it is removed or the configuration reloaded",
		 tp->port.name, what, tp->ifname, strerror(-err));
	vsw_port_down(tp->port.sw, &tp->port);
	tap_cancel(tp);
}

/* One read's bytes: the frame, after its vnet header with offloads. */
static void tap_deliver(struct tap_port *tp, const uint8_t *buf, size_t n)
{
	struct frame_meta meta;
	int r;

	if (!tap_running(tp))
		return;
	if (!tp->hdr_len) {
		vsw_input(tp->port.sw, &tp->port, buf, n);
		return;
	}
	if (n < OFFLOAD_VNET_HDR_LEN) {
		tp->rx_bad_hdr++;
		return;
	}
	r = offload_parse_vnet_hdr(buf, buf + OFFLOAD_VNET_HDR_LEN,
				   n - OFFLOAD_VNET_HDR_LEN, &meta);
	if (r < 0) {
		tp->rx_bad_hdr++;
		return;
	}
	if (r > 0) {
		if (offload_is_gso(&meta))
			tp->rx_gso++;
		else
			tp->rx_csum++;
	}
	vsw_input_meta(tp->port.sw, &tp->port, buf + OFFLOAD_VNET_HDR_LEN,
		       n - OFFLOAD_VNET_HDR_LEN, r > 0 ? &meta : NULL);
}

static void tap_rx_done(struct uop *op, int res, unsigned int flags)
{
	struct tap_rx *rx = container_of(op, struct tap_rx, op);
	struct tap_port *tp = rx->tp;
	bool more = flags & IORING_CQE_F_MORE;

	if (!more) {
		rx->armed = false;
		tp->inflight--;
	}
	if (flags & IORING_CQE_F_BUFFER) {
		unsigned int bid = flags >> IORING_CQE_BUFFER_SHIFT;

		if (tp->rx_big) {
			if (res > 0)
				tap_deliver(tp, loop_dgram_buf(tp->loop, bid),
					    (size_t)res);
			loop_dgram_buf_return(tp->loop, bid);
		} else {
			if (res > 0)
				tap_deliver(tp, loop_rx_buf(tp->loop, bid),
					    (size_t)res);
			loop_rx_buf_return(tp->loop, bid);
		}
	} else if (res > 0 && rx->buf) {
		tap_deliver(tp, rx->buf, (size_t)res);
	} else if (res == -ENOBUFS) {
		/* The shared ring ran dry; this batch returns buffers. */
		tp->rx_nobufs++;
	} else if (res < 0 && res != -EAGAIN && res != -EINTR &&
		   res != -ECANCELED) {
		tp->rx_errors++;
		tap_fail(tp, "read failed", res);
	}
	if (more)
		return;
	if (tap_running(tp))
		tap_arm_rx(tp, rx);
	else
		tap_settle(tp);
}

static void tap_tx_account(struct tap_port *tp, const struct tap_tx *tx)
{
	static struct log_rl tx_rl = LOG_RL_INIT(5, 10000);
	struct port_stats *st = &tp->port.stats;
	uint64_t ignored = 0;

	if (likely(tx->res == (int)tx->len)) {
		st->tx_frames += txq_consume(&tp->txq, tx->len, &st->tx_bytes);
		return;
	}
	txq_consume(&tp->txq, tx->len, &ignored);
	switch (tx->res) {
	case -EBADFD: /* the device went away */
	case -ENODEV:
	case -ENXIO:
		tp->tx_errors++;
		st->tx_drop_down++;
		tap_fail(tp, "write failed", tx->res);
		return;
	}
	/* EIO, a link that is down, and the like are counted only. */
	if (tx->res < 0 && port_count_tx_error(&tp->port, tx->res))
		return;
	if (tx->res >= 0)
		st->tx_drop_error++;
	tp->tx_errors++;
	log_warn_rl(&tx_rl, "port %s: writing a %u-byte frame to %s: %s",
		    tp->port.name, tx->len, tp->ifname,
		    tx->res < 0 ? strerror(-tx->res) : "short write");
}

static void tap_tx_done(struct uop *op, int res, unsigned int flags)
{
	struct tap_tx *tx = container_of(op, struct tap_tx, op);
	struct tap_port *tp = tx->tp;

	(void)flags;
	tp->inflight--;
	txq_send_end(&tp->txq);
	tx->res = res;
	tx->done = true;
	/* Frames leave the queue in order, whatever order writes end in. */
	while (tp->tx_head != tp->tx_tail) {
		struct tap_tx *t = &tp->tx[tp->tx_head % TAP_TX_SLOTS];

		if (!t->done)
			break;
		tap_tx_account(tp, t);
		tp->tx_head++;
	}
	if (!tap_running(tp))
		tap_settle(tp);
	else if (!txq_empty(&tp->txq))
		loop_want_flush(tp->loop, &tp->flush);
}

/* Starts writes for queued frames that have none yet. */
static void tap_flush(struct loop_flush *flush)
{
	struct tap_port *tp = container_of(flush, struct tap_port, flush);
	struct txq *q = &tp->txq;

	while (tap_running(tp)) {
		unsigned int k = tp->tx_tail - tp->tx_head;
		const struct txq_frame *f;
		struct io_uring_sqe *sqe;
		struct tap_tx *tx;
		size_t off, first, len;

		if (k >= TAP_TX_SLOTS || k >= q->n_frames)
			return;
		/* The k-th unsent frame ends at f->end and starts f->len
		 * bytes, plus its vnet header with offloads, before. */
		f = &q->frames[(q->fhead + k) % q->max_frames];
		len = f->len + tp->hdr_len;
		off = (size_t)((f->end - len) % q->size);
		first = MIN(len, q->size - off);
		tx = &tp->tx[tp->tx_tail % TAP_TX_SLOTS];
		tx->len = (uint32_t)len;
		tx->done = false;
		sqe = loop_sqe(tp->loop, &tx->op);
		if (first == len) {
			io_uring_prep_write(sqe, tp->fd, q->buf + off,
					    (unsigned int)len, 0);
		} else {
			/* Wrapped in the ring: one writev is still one frame. */
			tx->iov[0].iov_base = q->buf + off;
			tx->iov[0].iov_len = first;
			tx->iov[1].iov_base = q->buf;
			tx->iov[1].iov_len = len - first;
			io_uring_prep_writev(sqe, tp->fd, tx->iov, 2, 0);
		}
		txq_send_begin(q);
		tp->tx_tail++;
		tp->inflight++;
	}
}

static int tap_send_meta(struct port *port, const uint8_t *frame, size_t len,
			 const struct frame_meta *meta)
{
	struct tap_port *tp = container_of(port, struct tap_port, port);
	uint8_t hdr[OFFLOAD_VNET_HDR_LEN];

	if (!tap_running(tp))
		return -ENOTCONN;
	/* The switch drops runts on input; TAP refuses them (EINVAL). */
	if (unlikely(len < TAP_ETH_HLEN))
		return -EINVAL;
	if (tp->hdr_len)
		offload_build_vnet_hdr(meta, hdr);
	if (!txq_push(&tp->txq, hdr, tp->hdr_len, frame, len))
		return -ENOBUFS;
	if (tp->txq.n_frames > port->stats.tx_queue_hwm)
		port->stats.tx_queue_hwm = tp->txq.n_frames;
	loop_want_flush(tp->loop, &tp->flush);
	return 0;
}

static int tap_send(struct port *port, const uint8_t *frame, size_t len)
{
	return tap_send_meta(port, frame, len, NULL);
}

static void tap_destroy(struct port *port)
{
	struct tap_port *tp = container_of(port, struct tap_port, port);

	if (tp->fd >= 0)
		close(tp->fd);
	for (unsigned int i = 0; i < TAP_RX_SLOTS; i++)
		free(tp->rx[i].buf);
	txq_fini(&tp->txq);
	port_fini(port);
	free(tp);
}

static void tap_close(struct port *port)
{
	struct tap_port *tp = container_of(port, struct tap_port, port);

	if (port->removing)
		return;
	port->removing = true;
	vsw_port_down(port->sw, port);
	if (!tp->failed)
		tap_cancel(tp);
	tap_settle(tp);
}

static void tap_show(const struct port *port, json_t *obj)
{
	const struct tap_port *tp =
		container_of(port, const struct tap_port, port);
	const char *state = port->removing ? "closing"
			    : tp->failed   ? "down"
					   : "up";

	json_object_set_new(obj, "state", json_string(state));
	json_object_set_new(obj, "ifname", json_string(tp->ifname));
	json_object_set_new(obj, "ifindex", json_integer(tp->ifindex));
	json_object_set_new(obj, "mtu", json_integer(tp->mtu));
	json_object_set_new(obj, "persistent", json_boolean(tp->persistent));
	json_object_set_new(obj, "rx_mode",
			    json_string(tap_rx_mode_names[tp->rx_mode]));
	txq_show(&tp->txq, obj);
	json_object_set_new(obj, "offload", json_boolean(tp->offload));
	if (tp->offload)
		json_object_set_new(obj, "offload_rx",
				    json_pack("{s:I, s:I}", "gso",
					      (json_int_t)tp->rx_gso, "csum",
					      (json_int_t)tp->rx_csum));
	json_object_set_new(obj, "errors",
			    json_pack("{s:I, s:I, s:I, s:I}", "rx",
				      (json_int_t)tp->rx_errors, "rx_nobufs",
				      (json_int_t)tp->rx_nobufs, "tx",
				      (json_int_t)tp->tx_errors,
				      "rx_bad_vnet_hdr",
				      (json_int_t)tp->rx_bad_hdr));
	if (tp->last_err)
		json_object_set_new(obj, "last_error",
				    json_string(strerror(-tp->last_err)));
}

static const struct port_ops tap_ops = {
	.type = "tap",
	.send = tap_send,
	.send_meta = tap_send_meta,
	.destroy = tap_destroy,
	.close = tap_close,
	.show = tap_show,
};

/* Picks the read mode and allocates own buffers when they are needed. */
static int tap_setup_rx(struct tap_port *tp)
{
	const struct loop_features *feat = loop_features(tp->loop);
	unsigned int max_frame = vsw_get_params(tp->port.sw)->max_frame;

	/* A buffer must hold max_frame + 1 bytes to tell a truncated read:
	 * the stream buffers when they are large enough, else the datagram
	 * ones (made on first use), else buffers of our own. */
	/* With offloads, a header and a 64 KiB super-frame. */
	if (feat->buf_ring &&
	    (tp->offload || max_frame >= LOOP_RX_BUF_SIZE) &&
	    max_frame < LOOP_DGRAM_BUF_SIZE && loop_dgram_bufs(tp->loop) == 0)
		tp->rx_big = true;
	if (feat->buf_ring &&
	    ((max_frame < LOOP_RX_BUF_SIZE && !tp->offload) || tp->rx_big)) {
		tp->rx_buf_size = tp->rx_big ? LOOP_DGRAM_BUF_SIZE
					     : LOOP_RX_BUF_SIZE;
		tp->rx_mode = feat->multishot_recv &&
					      tap_have_read_multishot(tp->loop)
				      ? TAP_RX_MULTISHOT
				      : TAP_RX_BUFSEL;
		tp->n_rx = tp->rx_mode == TAP_RX_MULTISHOT ? 1 : TAP_RX_SLOTS;
		return 0;
	}
	tp->rx_mode = TAP_RX_OWN;
	tp->n_rx = TAP_RX_SLOTS;
	tp->rx_buf_size = tp->offload ? (size_t)LOOP_DGRAM_BUF_SIZE
				      : (size_t)max_frame + 1;
	for (unsigned int i = 0; i < tp->n_rx; i++) {
		tp->rx[i].buf = malloc(tp->rx_buf_size);
		if (!tp->rx[i].buf)
			return -ENOMEM;
	}
	return 0;
}

/**
 * tap_port_create() - create a tap port: open the device, start reading.
 * @sw:		the switch
 * @cfg:	its configuration (type tap; ifname set)
 *
 * Creates the TAP device cfg->ifname, or attaches to the persistent device
 * of that name, sets its MTU if configured and brings it up.  On failure
 * nothing is left behind (a device we created is deleted again).
 *
 * Return: 0, or a negative errno after logging what failed.
 */
static int tap_port_create(struct vsw *sw, const struct cfg_port *cfg)
{
	struct tap_port *tp = calloc(1, sizeof(*tp));
	int ret;

	if (!tp)
		return -ENOMEM;
	port_init(&tp->port, &tap_ops, sw, cfg->name);
	tp->loop = vsw_loop(sw);
	tp->fd = -1;
	tp->offload = cfg->offload;
	tp->port.offload = cfg->offload;
	loop_flush_init(&tp->flush, tap_flush);
	for (unsigned int i = 0; i < TAP_RX_SLOTS; i++) {
		tp->rx[i].op.done = tap_rx_done;
		tp->rx[i].tp = tp;
	}
	for (unsigned int i = 0; i < TAP_TX_SLOTS; i++) {
		tp->tx[i].op.done = tap_tx_done;
		tp->tx[i].tp = tp;
	}
	ret = txq_init(&tp->txq, cfg->tx_queue_bytes, cfg->tx_queue_frames);
	if (!ret)
		ret = tap_setup_rx(tp);
	if (!ret)
		ret = port_keep_cfg(&tp->port, cfg);
	if (ret) {
		log_err_errno(ret, "port %s: cannot create", cfg->name);
		goto err;
	}
	ret = tap_open_dev(tp, cfg->ifname);
	if (ret)
		goto err;
	ret = tap_setup_link(tp, cfg);
	if (ret)
		goto err;
	ret = vsw_add_port(sw, &tp->port);
	if (ret) {
		log_err_errno(ret, "port %s: cannot create", cfg->name);
		goto err;
	}
	snprintf(tp->port.peer, sizeof(tp->port.peer), "dev %s", tp->ifname);
	log_info("port %s: %s TAP device %s (ifindex %d, MTU %u, %s%s)",
		 cfg->name, tp->persistent ? "attached to persistent" : "created",
		 tp->ifname, tp->ifindex, tp->mtu,
		 tap_rx_mode_names[tp->rx_mode],
		 tp->offload ? ", offload" : "");
	for (unsigned int i = 0; i < tp->n_rx; i++)
		tap_arm_rx(tp, &tp->rx[i]);
	tp->port.stats.connects++;
	vsw_port_up(sw, &tp->port);
	return 0;

err:
	tap_destroy(&tp->port);
	return ret;
}

/* ----- configuration ----- */

static int parse_mtu(struct cfg_ctx *ctx, const struct cfg_key *key,
		     const json_t *val, void *base)
{
	/* The largest MTU whose frame, with its tag, still fits max_frame. */
	unsigned int max = cfg_ctx_config(ctx)->sw.max_frame - 18;

	/* An MTU of 68 would still make frames the switch drops. */
	if (max < 68)
		return cfg_fail(ctx,
				"switch.max_frame %u leaves no room for the "
				"minimum MTU of 68 (it must be at least 86)",
				cfg_ctx_config(ctx)->sw.max_frame);
	return cfg_get_uint(ctx, val, 68, max, "at most switch.max_frame - 18",
			    cfg_key_dst(key, base));
}

static const struct cfg_key tap_keys[] = {
	CFG_PORT_KEY_NAME,
	CFG_PORT_KEY_TYPE,
	CFG_PORT_KEY("ifname", cfg_parse_ifname, CFG_V_STR, ifname, 0, 0,
		     false),
	CFG_PORT_KEY("mtu", parse_mtu, CFG_V_UINT, mtu, 0, 0, false),
	CFG_PORT_KEY("offload", cfg_parse_bool, CFG_V_BOOL, offload, 0, 0,
		     false),
	CFG_PORT_KEYS_TX_QUEUE,
};

static int tap_parse(struct cfg_ctx *ctx, const json_t *obj,
		     struct cfg_port *port)
{
	struct cfg_quote q;
	int r = cfg_port_parse_keys(ctx, obj, port);

	if (r || port->ifname[0])
		return r;
	/* Without "ifname" the device is named after the port. */
	if (strlen(port->name) >= CFG_IFNAME_MAX)
		return cfg_fail(ctx,
				"the port name is too long to name the "
				"device (set \"ifname\", at most %d bytes)",
				CFG_IFNAME_MAX - 1);
	/* Valid port names, but the kernel refuses them as device names. */
	if (!strcmp(port->name, ".") || !strcmp(port->name, ".."))
		return cfg_fail(ctx,
				"the port name %s cannot name the device (set "
				"\"ifname\")",
				cfg_quoted(&q, port->name));
	strlcpy_(port->ifname, port->name, sizeof(port->ifname));
	return 0;
}

const struct port_type tap_port_type =
	PORT_TYPE("tap", tap_parse, tap_keys, tap_port_create);
