/*
 * ctl-cmds.c - the control commands (see docs/control-protocol.md).
 *
 * Each command declares its arguments in the table at the end, which
 * ctl-dispatch.c checks before the handler runs (an unknown argument is
 * an error: a typo must not silently do something else); the handler
 * does its work on the loop thread and returns a JSON result.
 * ctl_server_new() registers the table with the transport.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ports/internal.h"
#include "switch/core/port.h"
#ifdef HAVE_SLIRP
#include "ports/slirp.h"
#endif
#include "switch/config/cfg.h"
#include "switch/ctl-args.h"
#include "switch/control/ctl-dispatch.h"
#include "switch/control/ctl.h"
#include "switch/daemon.h"
#include "switch/core/eth.h"
#include "switch/core/fdb.h"
#include "switch/base/log.h"
#include "switch/base/loop.h"
#include "switch/core/switch.h"
#include "switch/base/util.h"

/* ---- results ---------------------------------------------------------- */

static int set_result(struct ctl_req *req, json_t *result)
{
	if (!result)
		return ctl_fail(req, -ENOMEM, "out of memory");
	req->result = result;
	return 0;
}

/* ---- port description ------------------------------------------------- */

static json_t *port_stats_json(const struct port_stats *st)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
			 "s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			 "rx_frames", (json_int_t)st->rx_frames, "rx_bytes",
			 (json_int_t)st->rx_bytes, "tx_frames",
			 (json_int_t)st->tx_frames, "tx_bytes",
			 (json_int_t)st->tx_bytes, "rx_runt",
			 (json_int_t)st->rx_runt, "rx_too_big",
			 (json_int_t)st->rx_too_big, "rx_bad_src",
			 (json_int_t)st->rx_bad_src, "rx_bad_len",
			 (json_int_t)st->rx_bad_len, "rx_hairpin",
			 (json_int_t)st->rx_hairpin, "rx_echo",
			 (json_int_t)st->rx_echo, "tx_drop_full",
			 (json_int_t)st->tx_drop_full, "tx_drop_down",
			 (json_int_t)st->tx_drop_down, "tx_drop_too_big",
			 (json_int_t)st->tx_drop_too_big, "tx_drop_no_peer",
			 (json_int_t)st->tx_drop_no_peer, "tx_drop_error",
			 (json_int_t)st->tx_drop_error, "tx_queue_hwm",
			 (json_int_t)st->tx_queue_hwm, "connects",
			 (json_int_t)st->connects, "disconnects",
			 (json_int_t)st->disconnects, "refused",
			 (json_int_t)st->refused);
}

static json_t *port_json(struct vswd *d, const struct port *p)
{
	json_t *obj = json_object();

	if (!obj)
		return NULL;
	json_object_set_new(obj, "name", json_string(p->name));
	json_object_set_new(obj, "type",
			    json_string(p->cfg ? cfg_port_type_name(p->cfg->type)
					       : p->ops->type));
	json_object_set_new(obj, "parent",
			    p->parent ? json_string(p->parent->name)
				      : json_null());
	json_object_set_new(obj, "peer", json_string(p->peer));
	if (p->pid)
		json_object_set_new(obj, "pid", json_integer(p->pid));
	json_object_set_new(obj, "macs",
			    json_integer(fdb_owner_count(vsw_fdb(d->sw),
							 (void *)p)));
	if (p->ops->show)
		p->ops->show(p, obj);
	json_object_set_new(obj, "stats", port_stats_json(&p->stats));
	if (p->cfg)
		json_object_set_new(obj, "config", cfg_port_to_json(p->cfg));
	return obj;
}

/* Ports are listed in creation order: configured ones first, as written. */
static int port_id_cmp(const void *a, const void *b)
{
	const struct port *pa = *(const struct port *const *)a;
	const struct port *pb = *(const struct port *const *)b;

	return pa->id < pb->id ? -1 : pa->id > pb->id;
}

/* ---- commands --------------------------------------------------------- */

static int cmd_help(struct ctl_req *req)
{
	json_t *list = json_array();
	size_t n;
	const struct ctl_cmd *cmds = ctl_cmds_table(&n);

	for (size_t i = 0; list && i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "cmd",
						      cmds[i].name, "args",
						      cmds[i].synopsis, "help",
						      cmds[i].help));
	return set_result(req, list);
}

static int cmd_show(struct ctl_req *req)
{
	struct vswd *d = req->d;
	const struct loop_features *lf = loop_features(d->loop);
	const struct vsw_stats *vs = vsw_stats(d->sw);
	const struct vsw_params *sc = vsw_get_params(d->sw);
	struct fdb_stats fs;
	unsigned int clients;
	size_t buffered;
	json_t *res;

	fdb_get_stats(vsw_fdb(d->sw), &fs);
	ctl_server_usage(d->ctl, &clients, &buffered);
	res = json_pack("{s:s, s:i, s:I, s:I, s:o, s:s, s:{s:s, s:i, s:i, s:I}, "
			  "s:{s:i, s:i}, "
			  "s:{s:i, s:i, s:i, s:I, s:I, s:I, s:I, s:I}, "
			  "s:{s:I, s:I, s:I}, s:{s:b, s:b, s:b, s:i}, s:s}",
			  "version", PACKAGE_VERSION, "pid", (int)getpid(),
			  "started", (json_int_t)d->started, "uptime_s",
			  (json_int_t)((loop_now(d->loop) - d->started_ms) /
				       1000),
			  "config",
			  d->config_path ? json_string(d->config_path)
					 : json_null(),
			  "runtime_dir", d->cfg.runtime_dir, "control", "path",
			  d->cfg.control.path, "clients", (int)clients,
			  "max_clients", (int)d->cfg.control.max_clients,
			  "buffered_bytes", (json_int_t)buffered, "ports",
			  "count",
			  (int)vsw_n_ports(d->sw), "max", (int)sc->max_ports,
			  "mac", "entries", (int)fs.entries, "max",
			  (int)fs.max_entries, "aging_s", (int)sc->mac_aging_s,
			  "learned", (json_int_t)fs.learned, "moved",
			  (json_int_t)fs.moved, "move_held",
			  (json_int_t)fs.move_held, "aged",
			  (json_int_t)fs.aged, "evicted",
			  (json_int_t)fs.evicted, "forwarding", "unicast",
			  (json_int_t)vs->unicast, "flooded",
			  (json_int_t)vs->flooded, "dropped",
			  (json_int_t)vs->dropped, "io_uring",
			  "multishot_recv", lf->multishot_recv,
			  "multishot_accept", lf->multishot_accept, "buf_ring",
			  lf->buf_ring, "ring_flags", (int)lf->ring_flags,
			  "log_level", log_level_name(log_get_level()));
	if (res)
		json_object_set_new(res, "dhcp",
				    d->dhcp ? internal_dhcp_stats(d->dhcp)
					    : json_null());
	return set_result(req, res);
}

static int cmd_dhcp_leases(struct ctl_req *req)
{
	json_t *list;

	if (!req->d->dhcp)
		return ctl_fail(req, -ENOENT, "no DHCP server is configured "
				"(add a \"dhcp\" section)");
	list = internal_dhcp_leases(req->d->dhcp);
	if (!list)
		return ctl_fail(req, -ENOMEM, "out of memory");
	return set_result(req, list);
}

#ifdef HAVE_SLIRP
static int need_slirp(struct ctl_req *req)
{
	if (req->d->slirp)
		return 0;
	return ctl_fail(req, -ENOENT, "no slirp uplink is running%s",
			req->d->cfg.slirp.enabled ? ""
						  : " (add a \"slirp\" section)");
}

static int cmd_forwards_list(struct ctl_req *req)
{
	json_t *list;

	list = slirp_port_forwards(req->d->slirp);
	if (!list)
		return ctl_fail(req, -ENOMEM, "out of memory");
	return set_result(req, list);
}

static int cmd_forwards_add(struct ctl_req *req)
{
	struct vsw_err verr;
	struct cfg_forward fw;
	char err[256];
	int ret;

	ret = cfg_parse_forward(req->args, &req->d->cfg, &fw, &verr);
	if (ret)
		return ctl_fail(req, ret, "%s", verr.msg);
	ret = slirp_port_forward_add(req->d->slirp, &fw, err, sizeof(err));
	if (ret)
		return ctl_fail(req, ret, "%s", err);
	return set_result(req, json_object());
}

/* A forward is named by its host side: proto, host_address, host_port. */
static int cmd_forwards_del(struct ctl_req *req)
{
	struct cfg_forward fw = { .host_address = "127.0.0.1" };
	const char *proto = ctl_arg_str(req, "proto");
	const char *addr = ctl_arg_str(req, "host_address");
	json_t *port = ctl_arg_json(req, "host_port");
	uint8_t buf[16];
	char err[256];
	int ret;

	if (proto && strcmp(proto, "tcp") && strcmp(proto, "udp"))
		return ctl_fail(req, -EINVAL, "proto must be tcp or udp");
	fw.udp = proto && !strcmp(proto, "udp");
	if (addr) {
		if (strlen(addr) >= sizeof(fw.host_address) ||
		    (inet_pton(AF_INET, addr, buf) != 1 &&
		     inet_pton(AF_INET6, addr, buf) != 1))
			return ctl_fail(req, -EINVAL, "host_address must be a "
					"literal IPv4 or IPv6 address");
		strlcpy_(fw.host_address, addr, sizeof(fw.host_address));
	}
	if (!json_is_integer(port) || json_integer_value(port) < 1 ||
	    json_integer_value(port) > 65535)
		return ctl_fail(req, -EINVAL, "host_port must be an integer "
				"1..65535");
	fw.host_port = (uint16_t)json_integer_value(port);
	ret = slirp_port_forward_del(req->d->slirp, &fw, err, sizeof(err));
	if (ret)
		return ctl_fail(req, ret, "%s", err);
	return set_result(req, json_object());
}
#endif

static int cmd_port_list(struct ctl_req *req)
{
	unsigned int n = vsw_n_ports(req->d->sw), i = 0;
	struct port **ports;
	json_t *list;

	ports = calloc(n ? n : 1, sizeof(*ports));
	list = json_array();
	if (!ports || !list) {
		free(ports);
		json_decref(list);
		return ctl_fail(req, -ENOMEM, "out of memory");
	}
	for (struct port *p = vsw_first_port(req->d->sw); p && i < n;
	     p = vsw_port_next(p))
		ports[i++] = p;
	if (i)
		qsort(ports, i, sizeof(*ports), port_id_cmp);
	for (unsigned int k = 0; k < i; k++)
		json_array_append_new(list, port_json(req->d, ports[k]));
	free(ports);
	return set_result(req, list);
}

static int cmd_port_show(struct ctl_req *req)
{
	struct port *p = ctl_arg_port(req, "name");

	return set_result(req, port_json(req->d, p));
}

static int cmd_port_add(struct ctl_req *req)
{
	json_t *obj = ctl_arg_json(req, "port");
	struct cfg_port pc;
	struct vsw_err verr;
	struct port *p;
	int ret;

	ret = cfg_parse_port(obj, &req->d->cfg, &pc, &verr);
	if (ret)
		return ctl_fail(req, ret, "%s", verr.msg);
	ret = vswd_port_add(req->d, &pc, req->err, sizeof(req->err));
	if (ret)
		return ret;
	p = vsw_find_port(req->d->sw, pc.name);
	return set_result(req, p ? port_json(req->d, p) : json_object());
}

static int cmd_port_del(struct ctl_req *req)
{
	struct port *p = ctl_arg_port(req, "name");
	int ret;

	ret = vswd_port_del(req->d, p);
	if (ret == -EALREADY)
		return ctl_fail(req, ret, "port %s is already being removed",
				p->name);
	if (ret)
		return ctl_fail(req, ret, "port %s cannot be removed", p->name);
	log_info("port %s: removal requested", p->name);
	return 0;
}

/**
 * struct mac_walk - state of a mac/show walk.
 * @filter:	only this port, or NULL
 * @vlan:	only this VLAN, or -1
 * @entries:	collected entries
 * @n, @cap:	count and capacity of @entries
 */
struct mac_walk {
	const struct port *filter;
	long vlan;
	struct fdb_entry_info *entries;
	size_t n, cap;
	bool nomem;
};

static void mac_collect(const struct fdb_entry_info *info, void *aux)
{
	struct mac_walk *w = aux;

	if ((w->filter && info->owner != w->filter) ||
	    (w->vlan >= 0 && info->vlan != w->vlan) || w->nomem)
		return;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		struct fdb_entry_info *e =
			realloc(w->entries, cap * sizeof(*e));

		if (!e) {
			w->nomem = true;
			return;
		}
		w->entries = e;
		w->cap = cap;
	}
	w->entries[w->n++] = *info;
}

static int mac_cmp(const void *a, const void *b)
{
	const struct fdb_entry_info *ea = a, *eb = b;
	const struct port *pa = ea->owner, *pb = eb->owner;
	int r = strcmp(pa->name, pb->name);

	if (r)
		return r;
	r = memcmp(ea->mac, eb->mac, ETH_ADDR_LEN);
	return r ? r : (int)ea->vlan - (int)eb->vlan;
}

static int cmd_mac_show(struct ctl_req *req)
{
	struct mac_walk w = {
		.filter = ctl_arg_port(req, "port"),
		.vlan = (long)ctl_arg_uint(req, "vlan", -1),
	};
	json_t *list;

	fdb_foreach(vsw_fdb(req->d->sw), loop_now(req->d->loop), mac_collect,
		    &w);
	list = json_array();
	if (w.nomem || !list) {
		free(w.entries);
		json_decref(list);
		return ctl_fail(req, -ENOMEM, "out of memory");
	}
	if (w.n)
		qsort(w.entries, w.n, sizeof(*w.entries), mac_cmp);
	for (size_t i = 0; i < w.n; i++) {
		const struct fdb_entry_info *e = &w.entries[i];
		char mac[ETH_MAC_STR_LEN];

		eth_format_mac(e->mac, mac);
		json_array_append_new(
			list,
			json_pack("{s:s, s:i, s:s, s:I, s:b}", "mac", mac,
				  "vlan", (int)e->vlan, "port",
				  ((const struct port *)e->owner)->name,
				  "age_s", (json_int_t)(e->age_ms / 1000),
				  "static", e->is_static));
	}
	free(w.entries);
	return set_result(req, list);
}

static int cmd_mac_flush(struct ctl_req *req)
{
	struct fdb *fdb = vsw_fdb(req->d->sw);
	struct port *p = ctl_arg_port(req, "port");
	unsigned int n;

	n = p ? fdb_flush_owner(fdb, p) : fdb_flush_all(fdb);
	return set_result(req, json_pack("{s:i}", "flushed", (int)n));
}

static int cmd_mac_add(struct ctl_req *req)
{
	const uint8_t *mac = ctl_arg_mac(req, "mac");
	json_int_t vlan = ctl_arg_uint(req, "vlan", 0);
	struct port *p = ctl_arg_port(req, "port");
	int ret;

	if (eth_is_multicast(mac))
		return ctl_fail(req, -EINVAL,
				"a group address cannot be a static entry");
	if (!port_is_up(p))
		return ctl_fail(req, -ENOTCONN,
				"port %s does not carry frames now", p->name);
	ret = fdb_add_static(vsw_fdb(req->d->sw), mac, (uint16_t)vlan, p);
	if (ret == -ENOSPC)
		return ctl_fail(req, ret, "the MAC table is full");
	return ret;
}

static int cmd_mac_del(struct ctl_req *req)
{
	const uint8_t *mac = ctl_arg_mac(req, "mac");
	json_int_t vlan = ctl_arg_uint(req, "vlan", 0);
	int ret;

	ret = fdb_del(vsw_fdb(req->d->sw), mac, (uint16_t)vlan);
	if (ret == -ENOENT)
		return ctl_fail(req, ret, "no such entry in the MAC table");
	return ret;
}

static int cmd_qemu_args(struct ctl_req *req)
{
	struct port *p = ctl_arg_port(req, "port");
	char netdev[256], cmd[512];

	if (!p->ops->qemu_args)
		return ctl_fail(req, -EOPNOTSUPP,
				"VMs do not attach to port %s directly%s%s",
				p->name, p->parent ? "; use " : "",
				p->parent ? p->parent->name : "");
	p->ops->qemu_args(p, netdev, sizeof(netdev));
	snprintf(cmd, sizeof(cmd),
		 "qemu-system-x86_64 ... -netdev %s,id=n0 -device "
		 "virtio-net-pci,netdev=n0,mac=52:54:00:xx:xx:xx",
		 netdev);
	return set_result(req, json_pack("{s:s, s:s}", "netdev", netdev,
					 "command", cmd));
}

static int cmd_stats_reset(struct ctl_req *req)
{
	struct port *only = ctl_arg_port(req, "port");

	vsw_for_each_port(p, req->d->sw)
		if (!only || p == only)
			memset(&p->stats, 0, sizeof(p->stats));
	if (!only)
		vsw_reset_stats(req->d->sw);
	return 0;
}

static int cmd_log_level(struct ctl_req *req)
{
	const char *name = ctl_arg_str(req, "level");
	int level;

	if (name) {
		level = log_level_from_name(name);
		if (level < 0)
			return ctl_fail(req, -EINVAL,
					"\"%s\" is not a log level (error, "
					"warn, info, debug)",
					name);
		req->d->level_override = level;
		vswd_apply_log_level(req->d);
		log_info("log level set to %s", name);
	}
	return set_result(req, json_pack("{s:s}", "level",
					 log_level_name(log_get_level())));
}

static int cmd_reload(struct ctl_req *req)
{
	return vswd_reload(req->d, &req->result, req->err, sizeof(req->err));
}

static int cmd_capture(struct ctl_req *req)
{
	struct port *p = ctl_arg_port(req, "port");
	json_int_t snaplen = ctl_arg_uint(req, "snaplen", 65535);

	ctl_client_start_capture(req->client, p, (uint32_t)snaplen);
	return set_result(req, json_pack("{s:s, s:i}", "format", "pcap",
					 "snaplen", (int)snaplen));
}

static int cmd_time_warp(struct ctl_req *req)
{
	json_int_t ms = ctl_arg_uint(req, "ms", 0);

	loop_warp(req->d->loop, (uint64_t)ms);
	return set_result(req, json_pack("{s:I}", "now_ms",
					 (json_int_t)loop_now(req->d->loop)));
}

/* Arguments that several commands share. */
#define PORT_ARG(name, required) CTL_ARG(name, ctl_type_port, required)
#define VLAN_ARG CTL_UINT("vlan", 0, 4095)
#define MAC_ARG CTL_ARG("mac", ctl_type_mac, true)

static const struct ctl_cmd ctl_cmd_table[] = {
	{ .name = "help",
	  .synopsis = "",
	  .help = "list the commands",
	  .fn = cmd_help },
	{ .name = "show",
	  .synopsis = "",
	  .help = "summary of the switch",
	  .fn = cmd_show },
	{ .name = "port/list",
	  .synopsis = "",
	  .help = "every port with its state and counters",
	  .fn = cmd_port_list },
	{ .name = "port/show",
	  .synopsis = "name",
	  .help = "one port in detail",
	  .fn = cmd_port_show,
	  .args = CTL_ARGS(PORT_ARG("name", true)) },
	{ .name = "port/add",
	  .synopsis = "port",
	  .help = "create a port (same JSON as the config file)",
	  .fn = cmd_port_add,
	  /* The configuration parser checks the object, in its words. */
	  .args = CTL_ARGS(CTL_ARG("port", ctl_type_json, true)) },
	{ .name = "port/del",
	  .synopsis = "name",
	  .help = "remove a port or close a connection",
	  .fn = cmd_port_del,
	  .args = CTL_ARGS(PORT_ARG("name", true)) },
	{ .name = "mac/show",
	  .synopsis = "[port] [vlan]",
	  .help = "the MAC table",
	  .fn = cmd_mac_show,
	  .args = CTL_ARGS(PORT_ARG("port", false), VLAN_ARG) },
	{ .name = "mac/flush",
	  .synopsis = "[port]",
	  .help = "forget learned MACs",
	  .fn = cmd_mac_flush,
	  .args = CTL_ARGS(PORT_ARG("port", false)) },
	{ .name = "mac/add",
	  .synopsis = "mac port [vlan]",
	  .help = "add a static MAC entry",
	  .fn = cmd_mac_add,
	  .args = CTL_ARGS(MAC_ARG, PORT_ARG("port", true), VLAN_ARG) },
	{ .name = "mac/del",
	  .synopsis = "mac [vlan]",
	  .help = "delete a MAC entry",
	  .fn = cmd_mac_del,
	  .args = CTL_ARGS(MAC_ARG, VLAN_ARG) },
	{ .name = "dhcp/leases",
	  .synopsis = "",
	  .help = "the DHCP server's leases",
	  .fn = cmd_dhcp_leases },
#ifdef HAVE_SLIRP
	{ .name = "forwards/list",
	  .synopsis = "",
	  .help = "the slirp uplink's host port forwards",
	  .fn = cmd_forwards_list,
	  .ready = need_slirp },
	/* The configuration parser checks a forward, in its own words. */
	{ .name = "forwards/add",
	  .synopsis = "proto host_address host_port guest guest_port",
	  .help = "add a host port forward",
	  .fn = cmd_forwards_add,
	  .ready = need_slirp,
	  .own_args = true },
	/* The handler checks the values, in the words of forwards/add. */
	{ .name = "forwards/del",
	  .synopsis = "proto host_address host_port",
	  .help = "remove a host port forward",
	  .fn = cmd_forwards_del,
	  .args = CTL_ARGS(CTL_ARG("proto", ctl_type_string, false),
			   CTL_ARG("host_address", ctl_type_string, false),
			   CTL_ARG("host_port", ctl_type_json, false)),
	  .ready = need_slirp },
#endif
	{ .name = "qemu-args",
	  .synopsis = "port",
	  .help = "QEMU arguments to attach a VM to a port",
	  .fn = cmd_qemu_args,
	  .args = CTL_ARGS(PORT_ARG("port", true)) },
	{ .name = "stats/reset",
	  .synopsis = "[port]",
	  .help = "zero counters",
	  .fn = cmd_stats_reset,
	  .args = CTL_ARGS(PORT_ARG("port", false)) },
	{ .name = "log/level",
	  .synopsis = "[level]",
	  .help = "show or set the log level",
	  .fn = cmd_log_level,
	  .args = CTL_ARGS(CTL_ARG("level", ctl_type_string, false)) },
	{ .name = "reload",
	  .synopsis = "",
	  .help = "re-read the configuration file, apply the difference",
	  .fn = cmd_reload },
	{ .name = "capture",
	  .synopsis = "port [snaplen]",
	  .help = "stream a port's frames as pcap",
	  .fn = cmd_capture,
	  .args = CTL_ARGS(PORT_ARG("port", true),
			   CTL_UINT("snaplen", 14, 65535)) },
	{ .name = "debug/time-warp",
	  .synopsis = "ms",
	  .help = "move the switch clock forward (tests)",
	  .fn = cmd_time_warp,
	  .args = CTL_ARGS(CTL_UINT("ms", 0, (json_int_t)1 << 40)) },
};

/**
 * ctl_cmds_table() - the daemon's control commands.
 * @n:	set to their number
 *
 * Return: the table (static).
 */
const struct ctl_cmd *ctl_cmds_table(size_t *n)
{
	*n = ARRAY_SIZE(ctl_cmd_table);
	return ctl_cmd_table;
}

/**
 * ctl_server_new() - open the daemon's control socket, its commands
 * registered.
 * @d:		the daemon (its running config names the socket)
 * @err:	negative errno on failure (already logged)
 *
 * Return: new server, or NULL.
 */
struct ctl_server *ctl_server_new(struct vswd *d, int *err)
{
	const struct ctl_registry reg = {
		.cmds = ctl_cmd_table,
		.n_cmds = ARRAY_SIZE(ctl_cmd_table),
		.d = d,
	};

	return ctl_server_open(d->loop, &d->cfg.control, &reg, err);
}
