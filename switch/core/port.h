/*
 * port.h - the switch port: base struct, type operations and counters.
 *
 * A port is anything the switch exchanges frames with.  Each port type
 * embeds struct port first in its own struct and recovers it with
 * container_of(); the type's behaviour is a const struct port_ops.
 *
 * Some ports carry frames (an accepted QEMU connection, a connect-out
 * stream); others only manage them (a listener that accepts connections and
 * creates one child port per connection).  Only ports that carry frames and
 * are up take part in forwarding: vsw_port_up() adds them to the switch's
 * forwarding set, vsw_port_down() removes them and flushes their learned
 * MACs, so the MAC table never names a port that cannot send.
 *
 * Life cycle:
 *   create (the type's descriptor, struct port_type in ports/port.h;
 *   may fail, nothing to undo for the caller)
 *   -> vsw_add_port() (named, counted against the port limit); a port
 *      made by another (an accepted connection, a udp peer) is then
 *      port_adopt()ed by its parent
 *   -> vsw_port_up() / vsw_port_down(), any number of times
 *   -> ops->close() (port del, reload, a peer that went away): the type
 *      sets @removing, closes its children (port_close_children()), and
 *      stops its I/O, holding the port (port_hold()) for every request
 *      or engine that must end first and letting go (port_unhold()) as
 *      each ends
 *   -> port_settle(): once nothing is held and no child is left, the
 *      type's ops->finish (descriptors, files), "removed" in the log and
 *      port_release(): out of its parent and the switch, taps detached,
 *      freed with ops->destroy after the current batch of completions.
 *      A child that goes on its own (a peer that hung up) calls
 *      port_release() itself; its parent settles then.
 * At exit every port is closed the same way, the loop drains until no
 * request is in flight (loop_drain()), and then every remaining port is
 * destroyed directly.  Outside the core, ports are walked with
 * vsw_for_each_port() or port_for_each_child(), never by their links.
 *
 * What a new port type touches is listed in ports/port.h.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_CORE_PORT_H
#define VSW_SWITCH_CORE_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "switch/base/list.h"

struct port;
struct port_tap;
struct vsw;
struct cfg_port;
struct json_t;
struct frame_meta;

enum { PORT_NAME_MAX = 40 };

/**
 * struct port_stats - per-port counters; every drop has a reason.
 * @rx_frames, @rx_bytes:	frames accepted from this port
 * @tx_frames, @tx_bytes:	frames fully handed to the peer
 * @rx_runt:		frames shorter than an Ethernet header
 * @rx_too_big:		frames above the switch's max_frame
 * @rx_bad_src:		frames with a group or zero source MAC
 * @rx_bad_len:		stream length prefixes out of range (connection closed)
 * @rx_hairpin:		frames whose destination sits on the same port
 * @rx_echo:		mcast: our own datagrams heard back from the group
 * @tx_drop_full:	frames dropped because a TX queue (ours or the
 *			kernel's) was full
 * @tx_drop_down:	frames for the port while it (or its link) was not up
 * @tx_drop_too_big:	frames too big for this port: offload super-frames
 *			whose segments (or the frame itself) would exceed
 *			max_frame, datagrams the socket cannot carry
 * @tx_drop_no_peer:	datagrams nobody was there to take (no socket bound
 *			at the peer's path or port, no route)
 * @tx_drop_error:	frames the kernel refused for another reason (logged,
 *			rate-limited)
 * @tx_queue_hwm:	most frames ever queued at once
 * @connects:		connections made (connect-out) or accepted (listener)
 * @disconnects:	connections lost
 * @refused:		connections refused (listener over its limit); on
 *			udp and unix-dgram ports, datagrams from sources
 *			that are not served (over max_peers, not the
 *			fixed remote, unbound senders)
 */
struct port_stats {
	uint64_t rx_frames, rx_bytes;
	uint64_t tx_frames, tx_bytes;
	uint64_t rx_runt, rx_too_big, rx_bad_src, rx_bad_len, rx_hairpin;
	uint64_t rx_echo;
	uint64_t tx_drop_full, tx_drop_down, tx_drop_too_big;
	uint64_t tx_drop_no_peer, tx_drop_error;
	uint64_t tx_queue_hwm;
	uint64_t connects, disconnects, refused;
};

/**
 * struct port_ops - what a port type does.
 * @type:	type name as in the config ("tcp-listen", ...)
 * @send:	queue one frame for transmission; the frame is borrowed and
 *		must be copied.  Returns 0, -ENOBUFS when the queue is full or
 *		-ENOTCONN when the port is down (the caller counts the drop
 *		with port_count_tx_error()).
 *		NULL for ports that carry no frames.
 * @send_meta:	like @send, for a port with @offload set: the frame comes
 *		with its offload meta (partial checksum, GSO super-frame;
 *		switch/core/offload.h), which may be NULL.  NULL for other ports:
 *		the switch finishes checksums and segments for them.
 * @destroy:	free the port; called only when no request is in flight
 * @qemu_args:	write the QEMU -netdev option that attaches a VM to this
 *		port (without id=), or NULL if VMs do not attach to it
 * @close:	start removing the port at runtime: set @removing, stop its
 *		I/O and close its children, holding the port (port_hold())
 *		for every operation that must end first, then
 *		port_settle().  Idempotent.
 * @finish:	optional: the last step of a removed port, run by
 *		port_settle() once nothing is held and no child is left
 *		(close its descriptors, unlink its files)
 * @show:	add type-specific members ("state", "peer", "tx_queue"...)
 *		to a JSON object describing the port
 */
struct port_ops {
	const char *type;
	int (*send)(struct port *port, const uint8_t *frame, size_t len);
	int (*send_meta)(struct port *port, const uint8_t *frame, size_t len,
			 const struct frame_meta *meta);
	void (*destroy)(struct port *port);
	void (*qemu_args)(const struct port *port, char *buf, size_t size);
	void (*close)(struct port *port);
	void (*finish)(struct port *port);
	void (*show)(const struct port *port, struct json_t *obj);
};

/*
 * A tap sees every frame a port receives (after validation) or queues for
 * sending; the control socket's capture command uses it.  Taps run in the
 * forwarding path and must only copy.  When the port goes away the tap's
 * detach function is called and the tap is forgotten.
 */
typedef void port_tap_fn(struct port_tap *tap, const uint8_t *frame,
			 size_t len);
typedef void port_tap_detach_fn(struct port_tap *tap);

/**
 * struct port_tap - an observer of a port's frames.
 * @fn:		called with each frame
 * @detach:	called when the port is removed
 * @next:	the port's tap list (private)
 */
struct port_tap {
	port_tap_fn *fn;
	port_tap_detach_fn *detach;
	struct port_tap *next;
};

/**
 * struct port - base of every port.
 * @ops:	type operations
 * @sw:		the switch it belongs to
 * @parent:	the port that owns it (the listener that accepted it, the
 *		udp port it is a peer of), or NULL
 * @children:	the ports it owns that are not yet released (private)
 * @sib:	on @parent's @children (private)
 * @n_children:	number of @children
 * @held:	operations that must end before a removed port is released
 *		(port_hold(), port_unhold())
 * @name:	unique name ("vm-tcp", "vm-tcp/3")
 * @peer:	human-readable peer (address, path, pid), may be empty
 * @id:		unique number, never reused while the daemon runs
 * @fwd_index:	index in the switch's forwarding set, -1 when not up
 * @registered:	counted in the switch's port list
 * @removing:	ops->close() has run; the port is on its way out
 * @offload:	takes frames with offload meta whole (ops->send_meta)
 * @pid:	pid of a local peer (SO_PEERCRED), 0 if unknown
 * @cfg:	the configuration it was created from (owned), NULL for
 *		ports created at runtime by others (accepted connections)
 * @taps:	observers of its frames
 * @stats:	counters
 * @link:	on the switch's port list (private)
 */
struct port {
	const struct port_ops *ops;
	struct vsw *sw;
	struct port *parent;
	struct list_head children;
	struct list_node sib;
	unsigned int n_children;
	unsigned int held;
	char name[PORT_NAME_MAX];
	char peer[128];
	uint32_t id;
	int fwd_index;
	bool registered;
	bool removing;
	bool offload;
	int pid;
	struct cfg_port *cfg;
	struct port_tap *taps;
	struct port_stats stats;
	struct list_node link;
};

void port_init(struct port *port, const struct port_ops *ops,
	       struct vsw *sw, const char *name);
void port_fini(struct port *port);
void port_tap_add(struct port *port, struct port_tap *tap);
void port_tap_del(struct port *port, struct port_tap *tap);
void port_tap_run(struct port *port, const uint8_t *frame, size_t len);
void port_detach_taps(struct port *port);
bool port_count_tx_error(struct port *port, int err);
void port_adopt(struct port *parent, struct port *child);
void port_close_children(struct port *parent);
void port_hold(struct port *port);
void port_unhold(struct port *port);
void port_settle(struct port *port);
void port_release(struct port *port);

/**
 * port_for_each_child() - walk the children of @parent_.
 * @c_:		loop variable (declared here)
 * @parent_:	the parent
 *
 * The body may release @c_ (the free is deferred), no other child.
 */
#define port_for_each_child(c_, parent_)                                       \
	list_for_each_safe(c_, &(parent_)->children, struct port, sib)


/**
 * port_is_up() - true while the port takes part in forwarding.
 * @port: the port
 */
static inline bool port_is_up(const struct port *port)
{
	return port->fwd_index >= 0;
}

#endif /* VSW_SWITCH_CORE_PORT_H */
