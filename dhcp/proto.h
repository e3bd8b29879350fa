/*
 * proto.h - DHCPv4 wire constants: BOOTP header layout, message types,
 * option codes and the sizes RFC 2131 and RFC 1542 impose.
 *
 * Everything here describes bytes on the wire; nothing is a host structure.
 * Offsets are relative to the start of the BOOTP message (the UDP payload),
 * so the parser and the reply builder index one flat, bounds-checked buffer
 * instead of overlaying a packed struct on untrusted memory.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#ifndef VSW_DHCP_PROTO_H
#define VSW_DHCP_PROTO_H

/* RFC 2131 §2: BOOTP fixed header fields, as byte offsets. */
enum dhcp_hdr_off {
	DHCP_OFF_OP = 0,
	DHCP_OFF_HTYPE = 1,
	DHCP_OFF_HLEN = 2,
	DHCP_OFF_HOPS = 3,
	DHCP_OFF_XID = 4,
	DHCP_OFF_SECS = 8,
	DHCP_OFF_FLAGS = 10,
	DHCP_OFF_CIADDR = 12,
	DHCP_OFF_YIADDR = 16,
	DHCP_OFF_SIADDR = 20,
	DHCP_OFF_GIADDR = 24,
	DHCP_OFF_CHADDR = 28,
	DHCP_OFF_SNAME = 44,
	DHCP_OFF_FILE = 108,
	DHCP_OFF_COOKIE = 236,
	DHCP_OFF_OPTIONS = 240,
};

/* Sizes from RFC 2131 §2, RFC 1542 §2.1 and RFC 951. */
enum dhcp_sizes {
	DHCP_CHADDR_LEN = 16,
	DHCP_SNAME_LEN = 64,
	DHCP_FILE_LEN = 128,
	DHCP_HDR_LEN = 236,		/* fixed header, without the cookie */
	DHCP_MIN_LEN = 240,		/* header + magic cookie */
	DHCP_BOOTP_MIN_LEN = 300,	/* RFC 1542 §2.1: pad replies to this */
	DHCP_MIN_OPTIONS_LEN = 312,	/* RFC 2131 §2: incl. the cookie */
	DHCP_MIN_MAX_MSG = 576,		/* RFC 2132 §9.10: floor of option 57 */
	DHCP_CLIENT_ID_MAX = 255,
	DHCP_HOSTNAME_MAX = 64,		/* incl. NUL */
};

enum dhcp_ports {
	DHCP_SERVER_PORT = 67,
	DHCP_CLIENT_PORT = 68,
};

enum dhcp_op {
	DHCP_BOOTREQUEST = 1,
	DHCP_BOOTREPLY = 2,
};

/* RFC 2131 §2: the broadcast bit of the flags field. */
enum { DHCP_FLAG_BROADCAST = 0x8000 };

/* RFC 2131 §3: the magic cookie 99.130.83.99. */
enum { DHCP_MAGIC_COOKIE = 0x63825363 };

/* RFC 2132 §9.6: option 53 values. */
enum dhcp_msg_type {
	DHCP_DISCOVER = 1,
	DHCP_OFFER = 2,
	DHCP_REQUEST = 3,
	DHCP_DECLINE = 4,
	DHCP_ACK = 5,
	DHCP_NAK = 6,
	DHCP_RELEASE = 7,
	DHCP_INFORM = 8,
};

/* Option codes this server reads or writes (RFC 2132 unless noted). */
enum dhcp_opt_code {
	DOPT_PAD = 0,
	DOPT_SUBNET_MASK = 1,
	DOPT_ROUTER = 3,
	DOPT_DNS = 6,
	DOPT_HOSTNAME = 12,
	DOPT_DOMAIN = 15,
	DOPT_MTU = 26,
	DOPT_BROADCAST = 28,
	DOPT_REQUESTED_IP = 50,
	DOPT_LEASE_TIME = 51,
	DOPT_OVERLOAD = 52,
	DOPT_MSG_TYPE = 53,
	DOPT_SERVER_ID = 54,
	DOPT_PARAM_LIST = 55,
	DOPT_MESSAGE = 56,
	DOPT_MAX_MSG_SIZE = 57,
	DOPT_T1 = 58,
	DOPT_T2 = 59,
	DOPT_VENDOR_CLASS = 60,
	DOPT_CLIENT_ID = 61,
	DOPT_RAPID_COMMIT = 80,		/* RFC 4039 */
	DOPT_DOMAIN_SEARCH = 119,	/* RFC 3397 */
	DOPT_CLASSLESS_ROUTES = 121,	/* RFC 3442 */
	DOPT_END = 255,
};

/* RFC 2132 §9.3: option 52 values. */
enum dhcp_overload {
	DHCP_OVERLOAD_FILE = 1,
	DHCP_OVERLOAD_SNAME = 2,
	DHCP_OVERLOAD_BOTH = 3,
};

/* The headers below BOOTP are switch/core/pkt.h's; only this is the server's:
 * the length its ARP replies are padded to. */
enum { DHCP_ETH_MIN_FRAME = 60 };	/* without FCS */

#endif /* VSW_DHCP_PROTO_H */
