/*
 * tx-drop.c - which counter a frame the kernel would not send goes to.
 *
 * Every port type that hands frames to a socket or a device (datagram
 * sends of udp, unix-dgram and mcast ports, TAP writes) and the switch,
 * for what a port's send refused, map the error here, so one errno means
 * one counter everywhere and the counter names what happened.  These are
 * per-frame outcomes that a peer or the traffic causes, so they are
 * counted, never logged; only an errno nobody expects asks for a
 * (rate-limited) log line from the caller, who knows the context.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <errno.h>

#include "switch/core/port.h"

/**
 * port_count_tx_error() - count a frame that could not be sent.
 * @port:	the port it was for
 * @err:	negative errno of the send (or of the port's send operation)
 *
 * tx_drop_too_big: EMSGSIZE, a datagram larger than the socket can carry
 * (UDP above 65507 bytes over IPv4, 65527 over IPv6; a UNIX datagram
 * above the socket's send buffer).  tx_drop_full: EAGAIN, ENOBUFS,
 * ENOMEM, a queue (ours or the kernel's) that is full.  tx_drop_no_peer:
 * ECONNREFUSED, ENOENT, EHOSTUNREACH, EHOSTDOWN, ENETUNREACH, nobody
 * there to take it (no socket bound at the UNIX path or UDP port, no
 * route).  tx_drop_down: ENOTCONN, EIO (a TAP link that is down),
 * ENETDOWN, EPIPE, ECANCELED, the port or its link is not up.  Anything
 * else: tx_drop_error.
 *
 * Return: true if @err is an expected outcome (counted, not to be
 * logged), false if it was counted in tx_drop_error and the caller
 * should log it, rate-limited.
 */
bool port_count_tx_error(struct port *port, int err)
{
	struct port_stats *st = &port->stats;

	switch (err) {
	case -EMSGSIZE:
		st->tx_drop_too_big++;
		return true;
	case -EAGAIN:
#if EWOULDBLOCK != EAGAIN
	case -EWOULDBLOCK:
#endif
	case -ENOBUFS:
	case -ENOMEM:
		st->tx_drop_full++;
		return true;
	case -ECONNREFUSED:
	case -ENOENT:
	case -EHOSTUNREACH:
	case -EHOSTDOWN:
	case -ENETUNREACH:
		st->tx_drop_no_peer++;
		return true;
	case -ENOTCONN:
	case -EIO:
	case -ENETDOWN:
	case -EPIPE:
	case -ECANCELED:
		st->tx_drop_down++;
		return true;
	default:
		st->tx_drop_error++;
		return false;
	}
}
