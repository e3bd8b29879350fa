/*
 * stream-conn.h - one QEMU stream connection as a switch port.
 *
 * The engine shared by connections a listener accepted and by connect-out
 * ports.  It receives with a multishot recv into the loop's provided
 * buffers (or single-shot recvs into its own buffer on older kernels),
 * decodes QEMU's length-prefixed framing and feeds the switch; it sends from
 * a bounded queue with exactly one send in flight, so a short write resumes
 * at the right byte and frames never interleave.
 *
 * Closing: stream_conn_close() takes the port out of forwarding at once,
 * shuts the socket down so pending requests complete, and when the last one
 * has, closes the descriptor and calls the owner's closed() hook.  The hook
 * either frees the port (accepted connections) or schedules a reconnect
 * (connect-out ports), which later calls stream_conn_attach() again.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_PORTS_STREAM_CONN_H
#define VSW_PORTS_STREAM_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include "switch/core/port.h"
#include "ports/stream.h"
#include "ports/txq.h"
#include "switch/base/log.h"
#include "switch/base/loop.h"

struct stream_conn;

typedef void stream_conn_closed_fn(struct stream_conn *conn);

/**
 * struct stream_conn - a stream connection port.
 * @port:	base port
 * @loop:	event loop
 * @closed:	owner's hook, called once the connection is fully closed
 * @fd:		connected socket, -1 when none
 * @attached:	between stream_conn_attach() and the end of closing
 * @closing:	stream_conn_close() has run; waiting for requests to end
 * @tx_busy:	a send is in flight
 * @inflight:	requests in flight (a multishot recv counts once)
 * @dec:	framing decoder
 * @txq:	transmit queue
 * @rx_op, @tx_op: completion records
 * @flush:	flush record (send what was queued this batch)
 * @rx_buf:	receive buffer when provided buffers are unavailable
 */
struct stream_conn {
	struct port port;
	struct loop *loop;
	stream_conn_closed_fn *closed;
	int fd;
	bool attached, closing, tx_busy;
	unsigned int inflight;
	struct stream_dec dec;
	struct txq txq;
	struct uop rx_op, tx_op;
	struct loop_flush flush;
	uint8_t *rx_buf;
};

int stream_conn_init(struct stream_conn *conn, const struct port_ops *ops,
		     struct vsw *sw, const char *name,
		     stream_conn_closed_fn *closed, unsigned int tx_frames,
		     size_t tx_bytes);
void stream_conn_fini(struct stream_conn *conn);
void stream_conn_attach(struct stream_conn *conn, int fd);
void stream_conn_close(struct stream_conn *conn, enum log_level level,
		       const char *why, int err);
int stream_conn_send(struct port *port, const uint8_t *frame, size_t len);
void stream_conn_show(const struct stream_conn *conn, struct json_t *obj);

#endif /* VSW_PORTS_STREAM_CONN_H */
