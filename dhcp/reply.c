/*
 * reply.c - build and send the DHCP server's OFFER, ACK and NAK (RFC 2131
 * §4.3.1 table 3, §4.1 for where they go).
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 */
#include "config.h"

#include <string.h>

#include "dhcp/options.h"
#include "dhcp/proto.h"
#include "dhcp/server.h"
#include "switch/core/csum.h"
#include "switch/core/eth.h"
#include "switch/core/pkt.h"
#include "switch/base/util.h"

/* Room for the largest reply: a 1500-byte IP packet in Ethernet. */
enum { DHCP_FRAME_MAX = ETH_HDR_LEN + 1500 };

const uint8_t dhcp_bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* Wraps a BOOTP message at @frame + 42 in UDP, IPv4 and Ethernet. */
static void send_ip(struct dhcp_server *srv, uint8_t *frame,
		    const uint8_t *dst_mac, uint32_t dst_ip, uint16_t dport,
		    size_t bootp_len)
{
	uint8_t *ip = frame + ETH_HDR_LEN;
	uint8_t *udp = ip + PKT_IPV4_HLEN_MIN;
	size_t udp_len = PKT_UDP_HLEN + bootp_len;
	uint8_t src[4], dst[4];
	uint16_t c;

	put_be32(src, srv->cfg.server_ip);
	put_be32(dst, dst_ip);
	pkt_eth_write(frame, dst_mac, srv->cfg.server_mac, PKT_ETHERTYPE_IPV4);
	pkt_ipv4_write(ip, (uint16_t)(PKT_IPV4_HLEN_MIN + udp_len),
		       PKT_IPV4_DF, PKT_IP_PROTO_UDP, src, dst);

	put_be16(udp, DHCP_SERVER_PORT);
	put_be16(udp + 2, dport);
	put_be16(udp + 4, (uint16_t)udp_len);
	put_be16(udp + PKT_UDP_CSUM_OFF, 0);
	c = csum_finish(csum_add(csum_pseudo(ip + PKT_IPV4_ADDRS_OFF, 8,
					     PKT_IP_PROTO_UDP,
					     (uint32_t)udp_len),
				 udp, udp_len));
	/* RFC 768: a computed zero is sent as all ones (0 means none). */
	put_be16(udp + PKT_UDP_CSUM_OFF, c ? c : 0xffff);

	srv->send(srv->aux, frame,
		  ETH_HDR_LEN + PKT_IPV4_HLEN_MIN + udp_len);
}

/* Size of the options area after the cookie that the client accepts.
 * RFC 2131 §2: at least 312 octets of options (cookie included); more only
 * if option 57 says so (RFC 2132 §9.10: it counts the IP and UDP headers). */
static size_t reply_opt_space(const struct dhcp_rx *rx)
{
	size_t space = DHCP_MIN_OPTIONS_LEN - 4;
	size_t cap = DHCP_FRAME_MAX - ETH_HDR_LEN - PKT_IPV4_HLEN_MIN -
		     PKT_UDP_HLEN - DHCP_MIN_LEN;
	const uint8_t *v = rx->opts.val[DOPT_MAX_MSG_SIZE];

	if (v) {
		size_t mms = get_be16(v);

		if (mms > PKT_IPV4_HLEN_MIN + PKT_UDP_HLEN + DHCP_MIN_LEN &&
		    mms - (PKT_IPV4_HLEN_MIN + PKT_UDP_HLEN + DHCP_MIN_LEN) >
			    space)
			space = mms - (PKT_IPV4_HLEN_MIN + PKT_UDP_HLEN +
				       DHCP_MIN_LEN);
	}
	return MIN(space, cap);
}

/* Puts the configuration options (RFC 2132 §3, §5, §8). */
static void put_config(struct dhcp_server *srv, struct dopt_writer *w,
		       const char *hostname)
{
	const struct dhcp_cfg *c = &srv->cfg;
	uint8_t b[12];

	dopt_put_u32(w, DOPT_SUBNET_MASK, c->netmask);
	if (c->router)
		dopt_put_u32(w, DOPT_ROUTER, c->router);
	if (c->n_dns) {
		for (unsigned int i = 0; i < c->n_dns; i++)
			put_be32(b + 4 * i, c->dns[i]);
		dopt_put(w, DOPT_DNS, b, 4 * (size_t)c->n_dns);
	}
	if (c->domain[0])
		dopt_put(w, DOPT_DOMAIN, c->domain, strlen(c->domain));
	dopt_put_u32(w, DOPT_BROADCAST, dhcp_bcast_of(c));
	if (c->mtu)
		dopt_put_u16(w, DOPT_MTU, (uint16_t)c->mtu);
	if (hostname && hostname[0])
		dopt_put(w, DOPT_HOSTNAME, hostname, strlen(hostname));
}

/**
 * dhcp_send_reply() - build and send an OFFER, ACK or NAK for @rx.
 * @srv:	server
 * @rx:		the request
 * @type:	DHCP_OFFER, DHCP_ACK or DHCP_NAK
 * @yiaddr:	address given, 0 for NAK and INFORM
 * @hostname:	option 12 to send, or NULL
 * @rapid:	add option 80 (rapid-commit ACK)
 */
void dhcp_send_reply(struct dhcp_server *srv, const struct dhcp_rx *rx,
		       uint8_t type, uint32_t yiaddr, const char *hostname,
		       bool rapid)
{
	uint8_t frame[DHCP_FRAME_MAX];
	uint8_t *msg = frame + ETH_HDR_LEN + PKT_IPV4_HLEN_MIN +
		       PKT_UDP_HLEN;
	const struct dhcp_cfg *c = &srv->cfg;
	bool inform = rx->type == DHCP_INFORM;
	struct dopt_writer w;
	const uint8_t *dst_mac;
	uint32_t dst_ip, ciaddr;
	uint16_t dport = DHCP_CLIENT_PORT, flags = rx->flags;
	size_t len;

	memset(frame, 0, sizeof(frame));
	/* RFC 2131 §4.3.1, table 3: fields of a reply. */
	ciaddr = type == DHCP_NAK ? 0 : rx->ciaddr;
	msg[DHCP_OFF_OP] = DHCP_BOOTREPLY;
	msg[DHCP_OFF_HTYPE] = rx->msg[DHCP_OFF_HTYPE];
	msg[DHCP_OFF_HLEN] = rx->msg[DHCP_OFF_HLEN];
	memcpy(msg + DHCP_OFF_XID, rx->msg + DHCP_OFF_XID, 4);
	put_be32(msg + DHCP_OFF_CIADDR, ciaddr);
	put_be32(msg + DHCP_OFF_YIADDR, yiaddr);
	put_be32(msg + DHCP_OFF_GIADDR, rx->giaddr);
	memcpy(msg + DHCP_OFF_CHADDR, rx->chaddr, DHCP_CHADDR_LEN);
	put_be32(msg + DHCP_OFF_COOKIE, DHCP_MAGIC_COOKIE);

	dopt_writer_init(&w, msg + DHCP_OFF_OPTIONS, reply_opt_space(rx));
	dopt_put_u8(&w, DOPT_MSG_TYPE, type);
	dopt_put_u32(&w, DOPT_SERVER_ID, c->server_ip);
	if (type != DHCP_NAK) {
		if (!inform) {
			dopt_put_u32(&w, DOPT_LEASE_TIME, c->lease_s);
			if (c->t1_s)
				dopt_put_u32(&w, DOPT_T1, c->t1_s);
			if (c->t2_s)
				dopt_put_u32(&w, DOPT_T2, c->t2_s);
		}
		put_config(srv, &w, hostname);
	}
	/* RFC 6842 §3: echo the client identifier unaltered. */
	if (rx->opts.val[DOPT_CLIENT_ID])
		dopt_put(&w, DOPT_CLIENT_ID, rx->opts.val[DOPT_CLIENT_ID],
			 rx->opts.len[DOPT_CLIENT_ID]);
	/* RFC 4039 §4: the ACK that commits a lease at once carries 80. */
	if (rapid)
		dopt_put(&w, DOPT_RAPID_COMMIT, NULL, 0);
	if (type != DHCP_NAK) {
		uint8_t r[5];

		/* RFC 3442: clients taking 121 ignore 3, so the default
		 * route goes inside it. */
		if (c->router && dopt_encode_routes(c->router, r,
						    sizeof(r)) > 0)
			dopt_put(&w, DOPT_CLASSLESS_ROUTES, r, sizeof(r));
		if (srv->search_len)
			dopt_put(&w, DOPT_DOMAIN_SEARCH, srv->search,
				 srv->search_len);
	}
	len = DHCP_MIN_LEN + dopt_finish(&w);
	/* RFC 1542 §2.1: a BOOTP message is at least 300 octets. */
	if (len < DHCP_BOOTP_MIN_LEN)
		len = DHCP_BOOTP_MIN_LEN;

	/*
	 * RFC 2131 §4.1: "If the 'giaddr' field in a DHCP message from a
	 * client is non-zero, the server sends any return messages to the
	 * 'DHCP server' port on the BOOTP relay agent whose address appears
	 * in 'giaddr'.  If the 'giaddr' field is zero and the 'ciaddr' field
	 * is nonzero, then the server unicasts DHCPOFFER and DHCPACK messages
	 * to the address in 'ciaddr'.  If 'giaddr' is zero and 'ciaddr' is
	 * zero, and the broadcast bit is set, then the server broadcasts
	 * DHCPOFFER and DHCPACK messages to 0xffffffff.  If the broadcast bit
	 * is not set and 'giaddr' is zero and 'ciaddr' is zero, then the
	 * server unicasts DHCPOFFER and DHCPACK messages to the client's
	 * hardware address and 'yiaddr' address.  In all cases, when 'giaddr'
	 * is zero, the server broadcasts any DHCPNAK messages to 0xffffffff."
	 *
	 * §4.3.2: a NAK through a relay sets the broadcast bit so the relay
	 * broadcasts it to the client.
	 */
	if (rx->giaddr) {
		dst_mac = rx->src_mac;
		dst_ip = rx->giaddr;
		dport = DHCP_SERVER_PORT;
		if (type == DHCP_NAK)
			flags |= DHCP_FLAG_BROADCAST;
	} else if (type == DHCP_NAK) {
		dst_mac = dhcp_bcast_mac;
		dst_ip = 0xffffffff;
	} else if (ciaddr) {
		dst_mac = rx->src_mac;
		dst_ip = ciaddr;
	} else if ((flags & DHCP_FLAG_BROADCAST) || !yiaddr) {
		dst_mac = dhcp_bcast_mac;
		dst_ip = 0xffffffff;
	} else {
		dst_mac = rx->chaddr;
		dst_ip = yiaddr;
	}
	put_be16(msg + DHCP_OFF_FLAGS, flags);

	if (type == DHCP_OFFER)
		srv->stats.offer++;
	else if (type == DHCP_ACK)
		srv->stats.ack++;
	else
		srv->stats.nak++;
	send_ip(srv, frame, dst_mac, dst_ip, dport, len);
}

