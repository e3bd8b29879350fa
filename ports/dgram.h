/*
 * dgram.h - datagram port engines: receive with source addresses, send to
 * one address from a bounded queue.
 *
 * QEMU's datagram backends (-netdev dgram, socket,udp=, socket,mcast=)
 * carry one raw Ethernet frame per datagram, with no header, and reply to
 * whatever address a frame came from.  Three port types share the two
 * engines here (dgram-engine.c):
 *
 *  - udp and unix-dgram (dgram.c): one bound socket; every distinct
 *    source address becomes a child port "<name>/<n>" (like a listener's
 *    connections), up to max_peers; a child silent for peer_idle_s is
 *    removed.  With a fixed remote the one child exists from the start
 *    and other sources are refused.
 *  - mcast (mcast.c): the group is a single port, a hub segment.
 *
 * Receiving (struct dgram_rx): one multishot recvmsg with buffers from the
 * loop's datagram group (LOOP_DGRAM_BUF_GROUP, 64 KiB each), so a datagram
 * always arrives whole or is flagged MSG_TRUNC; or, when the kernel lacks
 * multishot receives (or VSWITCHD_NO_MULTISHOT is set), one single-shot
 * recvmsg at a time into the engine's own buffer, passing MSG_TRUNC so the
 * result is the datagram's real length.  A truncated datagram is never
 * forwarded: the owner counts it as rx_too_big.
 *
 * Sending (struct dgram_tx): frames are copied into a bounded queue and
 * leave one sendmsg at a time, with msg_name set to the peer, MSG_DONTWAIT
 * so the kernel answers at once.  One send in flight per peer keeps the
 * order and the accounting simple; datagram sends complete without
 * waiting, so this costs a completion per frame and no latency.  A send
 * the kernel refuses (EAGAIN/ENOBUFS: the peer's queue is full, which for
 * AF_UNIX happens after 10 datagrams; ECONNREFUSED/ENOENT: nobody bound
 * there) drops that frame and counts it; nothing is ever retried.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_PORTS_DGRAM_H
#define VSW_PORTS_DGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "switch/base/sockaddr.h"
#include "ports/txq.h"
#include "switch/base/loop.h"

struct port;
struct vsw;
struct cfg_port;
struct json_t;
struct dgram_rx;
struct dgram_tx;

/*
 * Called for each datagram: @data/@len is the payload (@len is the real
 * length; when @truncated only part of it was received).
 */
typedef void dgram_rx_fn(struct dgram_rx *rx, const struct sockaddr *from,
			 socklen_t from_len, const uint8_t *data, size_t len,
			 bool truncated);
/* Called when the receive request has ended after dgram_rx_stop(). */
typedef void dgram_rx_stopped_fn(struct dgram_rx *rx);
/* Called when the send in flight has ended after dgram_tx_stop(). */
typedef void dgram_tx_stopped_fn(struct dgram_tx *tx);

/**
 * struct dgram_rx - receive engine on one datagram socket.
 * @loop:	event loop
 * @fd:		the socket (owned by the caller)
 * @input:	datagram handler
 * @stopped:	called once the request has ended after dgram_rx_stop()
 * @multishot:	receive with a multishot recvmsg and provided buffers
 * @armed:	a receive request is in flight
 * @stopping:	dgram_rx_stop() has run: do not re-arm
 * @op:		completion record
 * @msg:	recvmsg header (multishot: only the name length matters)
 * @iov:	single-shot: the buffer
 * @name:	single-shot: the source address
 * @buf:	single-shot: the receive buffer (LOOP_DGRAM_BUF_SIZE bytes)
 */
struct dgram_rx {
	struct loop *loop;
	int fd;
	dgram_rx_fn *input;
	dgram_rx_stopped_fn *stopped;
	bool multishot, armed, stopping;
	struct uop op;
	struct msghdr msg;
	struct iovec iov;
	struct sockaddr_storage name;
	uint8_t *buf;
};

int dgram_rx_init(struct dgram_rx *rx, struct loop *loop, int fd,
		  dgram_rx_fn *input, dgram_rx_stopped_fn *stopped);
void dgram_rx_fini(struct dgram_rx *rx);
void dgram_rx_start(struct dgram_rx *rx);
void dgram_rx_stop(struct dgram_rx *rx);

/**
 * struct dgram_tx - send engine towards one address.
 * @port:	the port whose counters it keeps
 * @loop:	event loop
 * @fd:		socket to send from (owned by the caller)
 * @dst:	where every datagram goes
 * @stopped:	called once the send in flight ended after dgram_tx_stop()
 * @busy:	a send is in flight
 * @stopping:	dgram_tx_stop() has run: queue and send nothing more
 * @txq:	the bounded queue (frames without headers)
 * @op:		completion record
 * @msg:	sendmsg header of the send in flight
 * @iov:	its frame (two pieces when it wraps in @txq)
 * @flush:	flush record
 */
struct dgram_tx {
	struct port *port;
	struct loop *loop;
	int fd;
	struct vsw_sockaddr dst;
	dgram_tx_stopped_fn *stopped;
	bool busy, stopping;
	struct txq txq;
	struct uop op;
	struct msghdr msg;
	struct iovec iov[2];
	struct loop_flush flush;
};

int dgram_tx_init(struct dgram_tx *tx, struct port *port, struct loop *loop,
		  int fd, const struct vsw_sockaddr *dst,
		  dgram_tx_stopped_fn *stopped, unsigned int frames,
		  size_t bytes);
void dgram_tx_fini(struct dgram_tx *tx);
int dgram_tx_send(struct dgram_tx *tx, const uint8_t *frame, size_t len);
void dgram_tx_stop(struct dgram_tx *tx);
void dgram_tx_show(const struct dgram_tx *tx, struct json_t *obj);


#endif /* VSW_PORTS_DGRAM_H */
