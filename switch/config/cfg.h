/*
 * cfg.h - the configuration file: JSON text to a validated struct vsw_config.
 *
 * Loading is a function of the text (and of the caller's default runtime
 * directory), with two read-only lookups on the host: a control "group" is
 * looked up with getgrnam(), a multicast "interface" with if_nametoindex().
 * It binds nothing and writes nothing, so main.c can refuse a bad file
 * before anything is created, and a reload can diff two validated configs.  A config either loads whole, with every
 * default resolved (the per-port TX queue limits included), or not at all:
 * on failure the output struct is left untouched and struct vsw_err says
 * what is wrong and where, in the form
 *
 *	FILE:LINE:COL: ports[1].port: 70000 is out of range (1..65535)
 *
 * Syntax errors come from jansson.  Every semantic error names the JSON path
 * of the offending value, quotes the value and states the rule; LINE:COL is
 * found by re-scanning the text (cfg-locate.c), since jansson keeps no
 * positions of parsed values.  Unknown keys are errors, so a typo cannot
 * silently leave a default in place.
 *
 * The port types are a table in the port registry (ports/port-types.c);
 * each type's keys and parser sit in its own file, on the machinery of
 * cfg-keys.h.  docs/vswitchd.json.5.md is the reference for every key.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_SWITCH_CFG_H
#define VSW_SWITCH_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <netinet/in.h>

#include "dhcp/dhcp.h"
#include "switch/core/vsw-params.h"

/* A port type as the configuration knows it (switch/config/cfg-keys.h). */
struct cfg_port_type;

/*
 * Buffer sizes, each including the terminating NUL.  CFG_NAME_MAX leaves
 * room for a port name of 24 characters; CFG_PATH_MAX is the size of
 * sun_path in struct sockaddr_un; CFG_ADDR_MAX holds any IPv6 literal.
 */
enum {
	CFG_NAME_MAX = 25,
	CFG_PATH_MAX = 108,
	CFG_ADDR_MAX = 64,
	CFG_IFNAME_MAX = 16, /* IFNAMSIZ */
};

/**
 * struct cfg_port - one validated port.
 * @name:	unique name, 1 to 24 characters from [A-Za-z0-9_.-]; accepted
 *		connections of a listener are named "<name>/<n>"
 * @type:	the port type, an entry of the registry (ports/port-types.c)
 * @address:	tcp-*, udp: the literal IPv4 or IPv6 address as written
 *		(never a host name); empty for other types
 * @port:	tcp-*, udp, mcast: the port; 0 on tcp-listen means "the
 *		kernel picks"
 * @path:	unix-*: socket path, fits sun_path; empty for other types
 * @max_connections: *-listen: connections accepted at once; 0 otherwise
 * @mode:	unix-listen, unix-dgram: file mode of the socket (0..0777);
 *		0 otherwise
 * @reconnect_min_ms: *-connect: first retry delay after a failure
 * @reconnect_max_ms: *-connect: cap of the doubling retry delay
 * @tx_queue_frames: TX queue limit in frames (switch default applied)
 * @tx_queue_bytes: TX queue limit in bytes (switch default applied), at
 *		least one maximum-sized frame plus its 4-byte length prefix
 * @remote_address: udp: fixed peer (point-to-point); empty: any peer
 * @remote_port: udp: its port (set exactly when @remote_address is)
 * @remote_path: unix-dgram: fixed peer socket; empty: any peer
 * @max_peers:	udp, unix-dgram: peers served at once (default 64)
 * @peer_idle_s: udp, unix-dgram: a peer silent this long is forgotten
 *		(default 300; 0 never)
 * @group:	mcast: the group address (IPv4 or IPv6 multicast)
 * @ifname:	mcast: interface to join and send on (default "lo"); tap:
 *		device name (default: the port name)
 * @ttl:	mcast: TTL / hop limit of sent datagrams (default 1)
 * @mtu:	tap: MTU to set, 0 to leave the device's
 * @offload:	tap: IFF_VNET_HDR with checksum and TCP segmentation
 *		offloads (default false)
 *
 * Fields that do not apply to @type are zero or empty.
 */
struct cfg_port {
	char name[CFG_NAME_MAX];
	const struct cfg_port_type *type;
	char address[CFG_ADDR_MAX];
	uint16_t port;
	char path[CFG_PATH_MAX];
	unsigned int max_connections;
	unsigned int mode;
	unsigned int reconnect_min_ms, reconnect_max_ms;
	unsigned int tx_queue_frames, tx_queue_bytes;
	char remote_address[CFG_ADDR_MAX];
	uint16_t remote_port;
	char remote_path[CFG_PATH_MAX];
	unsigned int max_peers;
	unsigned int peer_idle_s;
	char group[CFG_ADDR_MAX];
	char ifname[CFG_IFNAME_MAX];
	unsigned int ttl;
	unsigned int mtu;
	bool offload;
};


/**
 * struct cfg_control - the control socket.
 * @path:	socket path (default "<runtime_dir>/ctl.sock")
 * @mode:	file mode of the socket (default 0600)
 * @group:	group name that owns the socket, empty for none
 * @gid:	that group's id, -1 for none (resolved at load)
 * @max_clients: clients served at once (default 16)
 */
struct cfg_control {
	char path[CFG_PATH_MAX];
	unsigned int mode;
	char group[CFG_NAME_MAX + 8];
	long gid;
	unsigned int max_clients;
};

enum { CFG_FILE_MAX = 256 };

/**
 * struct cfg_dhcp - the embedded DHCP server (the "dhcp" object).
 * @enabled:	the object is present (or the built-in default is used)
 * @dc:		server settings, addresses in host byte order; the
 *		reservations array is owned by the config (cfg_free())
 * @lease_file:	where leases persist (default "<runtime_dir>/dhcp.leases")
 */
struct cfg_dhcp {
	bool enabled;
	struct dhcp_cfg dc;
	char lease_file[CFG_FILE_MAX];
};

bool cfg_dhcp_same(const struct cfg_dhcp *a, const struct cfg_dhcp *b);

/**
 * struct vsw_config - a complete, validated configuration.
 * @log_level:	an enum log_level (switch/base/log.h)
 * @runtime_dir: directory for sockets and state, from the file or else the
 *		caller's default
 * @sw:		switch-wide settings
 * @control:	the control socket
 * @dhcp:	the DHCP server, if enabled
 * @slirp:	the slirp uplink, if enabled
 * @ports:	@n_ports ports in file order; malloc'ed, owned by the config
 * @n_ports:	number of entries in @ports, at least 1
 *
 * Release with cfg_free().
 */
/**
 * struct cfg_forward - one host port forward of the slirp uplink.
 * @udp:		UDP rather than TCP
 * @host_address:	host address to listen on (IPv4 or IPv6 literal)
 * @host_port:		host port
 * @guest:		the guest as written: an IPv4 address or the hostname
 *			of a DHCP reservation
 * @guest_ip:		the guest's address, host byte order
 * @guest_port:		guest port
 */
struct cfg_forward {
	bool udp;
	char host_address[CFG_ADDR_MAX];
	uint16_t host_port;
	char guest[64];
	uint32_t guest_ip;
	uint16_t guest_port;
};

/**
 * struct cfg_slirp - the "slirp" section: the libslirp NAT uplink port.
 * @enabled:		the section is present
 * @network:		the virtual network, host byte order
 * @netmask:		its netmask
 * @gateway:		slirp's own address (the host, as the guests see it)
 * @dns:		slirp's DNS forwarder
 * @ipv6:		IPv6 (SLAAC, DNS, NAT) on
 * @prefix6:		IPv6 prefix; slirp is ::2 and DNS ::3 in it
 * @prefix6_len:	its length
 * @restricted:		no outbound connections, forwards only
 * @host_loopback:	the gateway address reaches the host's 127.0.0.1
 * @outbound_address:	IPv4 source of outbound connections, or ""
 * @outbound_address6:	IPv6 source of outbound connections, or ""
 * @domain:		DNS domain (slirp's own, also the DHCP default)
 * @search:		DNS search list (also the DHCP default)
 * @n_search:		entries in @search
 * @mtu:		MTU of slirp's interface
 * @forwards:		host port forwards (owned)
 * @n_forwards:		entries in @forwards
 */
struct cfg_slirp {
	bool enabled;
	uint32_t network, netmask;
	uint32_t gateway, dns;
	bool ipv6;
	struct in6_addr prefix6;
	unsigned int prefix6_len;
	bool restricted;
	bool host_loopback;
	char outbound_address[CFG_ADDR_MAX];
	char outbound_address6[CFG_ADDR_MAX];
	char domain[64];
	char search[4][64];
	unsigned int n_search;
	unsigned int mtu;
	struct cfg_forward *forwards;
	size_t n_forwards;
};

bool cfg_slirp_same(const struct cfg_slirp *a, const struct cfg_slirp *b);
bool cfg_forward_same_host(const struct cfg_forward *a,
			   const struct cfg_forward *b);

struct vsw_config {
	int log_level;
	char runtime_dir[CFG_PATH_MAX];
	struct vsw_params sw;
	struct cfg_control control;
	struct cfg_dhcp dhcp;
	struct cfg_slirp slirp;
	struct cfg_port *ports;
	size_t n_ports;
};

/**
 * struct vsw_err - why a load failed.
 * @msg:	complete message, ready to print as is:
 *		"SOURCE:LINE:COL: TEXT" when the position is known,
 *		"SOURCE: TEXT" otherwise (truncated if very long)
 * @line:	1-based line of the offending token, 0 if unknown
 * @col:	1-based column in characters (not bytes), 0 if unknown
 */
struct vsw_err {
	char msg[512];
	int line, col;
};

/**
 * cfg_load_file() - read, parse and validate a configuration file.
 * @path:		file to read
 * @default_runtime_dir: runtime_dir used when the file sets none; NULL
 *			means "/run/vswitchd"
 * @out:		filled on success; the caller owns it (cfg_free())
 * @err:		filled on failure, with @path as the source name
 *
 * Return: 0, or a negative errno: -EINVAL for a bad file, -ENOMEM, -EFBIG
 * for a file over 16 MiB, or what opening or reading @path failed with.
 * On failure @out is not touched.
 */
int cfg_load_file(const char *path, const char *default_runtime_dir,
		  struct vsw_config *out, struct vsw_err *err);

/**
 * cfg_load_string() - parse and validate a configuration held in memory.
 * @text:		NUL-terminated JSON text
 * @source_name:	name used in error messages; NULL means "<string>"
 * @default_runtime_dir: as for cfg_load_file()
 * @out:		filled on success; the caller owns it (cfg_free())
 * @err:		filled on failure
 *
 * Return: 0, -EINVAL or -ENOMEM.  On failure @out is not touched.
 */
int cfg_load_string(const char *text, const char *source_name,
		    const char *default_runtime_dir, struct vsw_config *out,
		    struct vsw_err *err);

/**
 * cfg_default() - the built-in configuration, used when there is no file.
 * @out:	filled on success; the caller owns it (cfg_free())
 * @runtime_dir: runtime directory; NULL means "/run/vswitchd"
 *
 * Default switch settings, a tcp-listen port "vm-tcp" on 127.0.0.1:7000,
 * a unix-listen port "vm-unix" at <runtime_dir>/vm.sock, the slirp uplink
 * on 10.0.2.0/24 (gateway .2, DNS .3) and the DHCP server leasing
 * 10.0.2.15-254 with the uplink as router and DNS.
 *
 * Return: 0, -ENOMEM, or -ENAMETOOLONG when @runtime_dir is too long for
 * the socket path.  On failure @out is not touched.
 */
int cfg_default(struct vsw_config *out, const char *runtime_dir);

/**
 * cfg_free() - release what a config owns and zero it.
 * @cfg:	a loaded config, a zeroed struct, or NULL
 */
void cfg_free(struct vsw_config *cfg);

/**
 * cfg_dump() - print every resolved value, one "key = value" per line.
 * @cfg:	a loaded config
 * @f:		output stream
 *
 * Keys are JSON paths ("switch.max_frame", "ports[0].port"); ports list
 * only the keys of their type.  Backslashes and control characters in
 * strings are escaped as in C.  The output is stable: tests compare it.
 */
void cfg_dump(const struct vsw_config *cfg, FILE *f);

/**
 * cfg_port_type_name() - the name of a port type as written in the file.
 * @type:	port type, or NULL
 *
 * Return: a static string such as "tcp-listen"; "?" for NULL.
 */
const char *cfg_port_type_name(const struct cfg_port_type *type);

/**
 * cfg_port_type_find() - a port type by the name the file gives it.
 * @name:	"tcp-listen", ...
 *
 * Return: the type, or NULL if there is none of that name.
 */
const struct cfg_port_type *cfg_port_type_find(const char *name);

struct json_t;

/**
 * cfg_parse_port() - validate one port object against a running config.
 * @obj:	the port as a JSON object, exactly as in a file's "ports"
 * @running:	the configuration in force (switch defaults, runtime_dir)
 * @out:	filled on success
 * @err:	filled on failure; messages carry the JSON path, no position
 *
 * Used by "port add" on the control socket.  Uniqueness against the
 * running ports is the caller's business.
 *
 * Return: 0, -EINVAL or -ENOMEM.
 */
int cfg_parse_port(const struct json_t *obj, const struct vsw_config *running,
		   struct cfg_port *out, struct vsw_err *err);

/**
 * cfg_port_to_json() - a port's resolved settings as a JSON object.
 * @port:	a validated port
 *
 * Every key of the port's type appears, defaults included, so two ports
 * are configured alike exactly when their objects are equal.
 *
 * Return: new reference, or NULL on ENOMEM.
 */
struct json_t *cfg_port_to_json(const struct cfg_port *port);

/**
 * cfg_parse_forward() - validate one forward object against a running config.
 * @obj:	the forward as a JSON object, as in "slirp.forwards"
 * @running:	the configuration in force (slirp network, reservations)
 * @out:	filled on success
 * @err:	filled on failure
 *
 * Used by "forwards/add" on the control socket.
 *
 * Return: 0 or -EINVAL.
 */
int cfg_parse_forward(const struct json_t *obj,
		      const struct vsw_config *running,
		      struct cfg_forward *out, struct vsw_err *err);

#endif /* VSW_SWITCH_CFG_H */
