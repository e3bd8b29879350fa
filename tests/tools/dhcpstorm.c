/*
 * dhcpstorm.c - many DHCP clients on one interface, for the crash test.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 *
 *	dhcpstorm dora IFNAME ROUND N RATE ACKFILE
 *	dhcpstorm check IFNAME ACKFILE...
 *
 * dora: N clients (chaddr 02:dc:ROUND:00:HI:LO, keyed by chaddr) start a
 * DORA exchange each, RATE new clients a second, over a packet socket on
 * IFNAME; unanswered messages are sent again every 500 ms.  Every DHCPACK
 * received appends "MAC IP" to ACKFILE at once (one write() each), so
 * whatever kills the server mid-run, ACKFILE lists exactly the ACKs the
 * clients hold.  Runs until every client is bound or it is killed.
 *
 * check: for every line of the ACKFILEs (a later line for a MAC wins),
 * the client comes back as after a reboot: an INIT-REBOOT REQUEST for
 * its address must be ACKed with it, and a DISCOVER must be OFFERed it.
 * Prints each failure; exits 1 if any (or no answer within 10 s).
 *
 * Replies are asked for by broadcast (flag set) and read from the packet
 * socket, so the clients need no addresses and the interface none either.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

enum { MAX_CLIENTS = 4096, RETRY_MS = 500, CHECK_TIMEOUT_MS = 10000 };

enum { DISCOVER = 1, OFFER = 2, REQUEST = 3, ACK = 5, NAK = 6 };

/* What a client waits for. */
enum { ST_IDLE, ST_WANT_OFFER, ST_WANT_ACK, ST_DONE };

struct client {
	uint8_t mac[6];
	uint32_t xid, ip, want_ip, server;
	int state;
	uint64_t sent_ms;
	bool reboot;	/* check: INIT-REBOOT first, then DISCOVER */
	bool ok;
};

static struct client cl[MAX_CLIENTS];
static unsigned int n_cl;
static int sock, ifindex;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint16_t ip_csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Sends @type for @c: DISCOVER; REQUEST selecting (server set) or
 * INIT-REBOOT (server 0), both asking for @c->want_ip. */
static void send_msg(struct client *c, int type)
{
	uint8_t f[14 + 20 + 8 + 300] = { 0 };
	uint8_t *ip = f + 14, *udp = ip + 20, *b = udp + 8, *o = b + 240;

	memset(f, 0xff, 6);
	memcpy(f + 6, c->mac, 6);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((20 + 8 + 300) >> 8);
	ip[3] = (uint8_t)(20 + 8 + 300);
	ip[8] = 64;
	ip[9] = 17;
	put32(ip + 16, 0xffffffff);
	ip[10] = 0;
	ip[11] = 0;
	{
		uint16_t s = ip_csum(ip, 20);

		ip[10] = (uint8_t)(s >> 8);
		ip[11] = (uint8_t)s;
	}
	udp[1] = 68;
	udp[3] = 67;
	udp[4] = (uint8_t)((8 + 300) >> 8);
	udp[5] = (uint8_t)(8 + 300);
	b[0] = 1;
	b[1] = 1;
	b[2] = 6;
	put32(b + 4, c->xid);
	b[10] = 0x80;	/* broadcast replies */
	memcpy(b + 28, c->mac, 6);
	put32(b + 236, 0x63825363);
	*o++ = 53;
	*o++ = 1;
	*o++ = (uint8_t)type;
	if (type == REQUEST) {
		*o++ = 50;
		*o++ = 4;
		put32(o, c->want_ip);
		o += 4;
		if (c->server) {
			*o++ = 54;
			*o++ = 4;
			put32(o, c->server);
			o += 4;
		}
	}
	*o = 255;
	if (send(sock, f, sizeof(f), 0) < 0)
		perror("dhcpstorm: send");
	c->sent_ms = now_ms();
}

static struct client *by_xid(uint32_t xid)
{
	for (unsigned int i = 0; i < n_cl; i++)
		if (cl[i].xid == xid)
			return &cl[i];
	return NULL;
}

/* One reply: returns its client (or NULL), type in @type, yiaddr and
 * server id filled in. */
static struct client *recv_reply(int *type, uint32_t *yiaddr, uint32_t *sid)
{
	uint8_t f[2048];
	struct sockaddr_ll from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(sock, f, sizeof(f), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &fl);
	const uint8_t *ip = f + 14, *udp, *b;
	size_t ihl, off;
	struct client *c;

	if (n < 14 + 20 + 8 + 240 || from.sll_pkttype == PACKET_OUTGOING ||
	    f[12] != 0x08 || f[13] != 0 || ip[9] != 17)
		return NULL;
	ihl = (size_t)(ip[0] & 15) * 4;
	udp = ip + ihl;
	b = udp + 8;
	if (udp[3] != 68 || b[0] != 2 || (size_t)(b - f) + 240 > (size_t)n)
		return NULL;
	c = by_xid(get32(b + 4));
	if (!c || memcmp(b + 28, c->mac, 6))
		return NULL;
	*yiaddr = get32(b + 16);
	*type = 0;
	*sid = 0;
	for (off = (size_t)(b - f) + 240; off + 1 < (size_t)n;) {
		uint8_t code = f[off], len;

		if (code == 255)
			break;
		if (code == 0) {
			off++;
			continue;
		}
		len = f[off + 1];
		if (off + 2 + len > (size_t)n)
			break;
		if (code == 53 && len == 1)
			*type = f[off + 2];
		if (code == 54 && len == 4)
			*sid = get32(f + off + 2);
		off += 2 + (size_t)len;
	}
	return c;
}

static int open_sock(const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL) };

	ifindex = (int)if_nametoindex(ifname);
	if (!ifindex) {
		fprintf(stderr, "dhcpstorm: no interface %s\n", ifname);
		return -1;
	}
	sock = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (sock < 0) {
		perror("dhcpstorm: socket");
		return -1;
	}
	sll.sll_ifindex = ifindex;
	if (bind(sock, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("dhcpstorm: bind");
		return -1;
	}
	return 0;
}

static void wait_input(int ms)
{
	struct pollfd p = { .fd = sock, .events = POLLIN };

	poll(&p, 1, ms);
}

static int dora(unsigned int round, unsigned int n, unsigned int rate,
		const char *ackfile)
{
	int out = open(ackfile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		       0644);
	uint64_t start = now_ms();
	unsigned int started = 0, done = 0;

	if (out < 0) {
		perror(ackfile);
		return 2;
	}
	n_cl = n > MAX_CLIENTS ? MAX_CLIENTS : n;
	for (unsigned int i = 0; i < n_cl; i++) {
		uint8_t m[6] = { 0x02, 0xdc, (uint8_t)round, 0,
				 (uint8_t)(i >> 8), (uint8_t)i };

		memcpy(cl[i].mac, m, 6);
		cl[i].xid = round << 16 | i;
	}
	while (done < n_cl) {
		uint64_t now = now_ms();
		unsigned int due = (unsigned int)((now - start) * rate / 1000);
		struct client *c;
		uint32_t yi, sid;
		int type;

		for (; started < n_cl && started <= due; started++) {
			cl[started].state = ST_WANT_OFFER;
			send_msg(&cl[started], DISCOVER);
		}
		for (unsigned int i = 0; i < started; i++) {
			c = &cl[i];
			if (c->state == ST_DONE || now < c->sent_ms + RETRY_MS)
				continue;
			/* No answer: begin again (the server may be new). */
			c->state = ST_WANT_OFFER;
			send_msg(c, DISCOVER);
		}
		wait_input(5);
		while ((c = recv_reply(&type, &yi, &sid))) {
			char line[64];
			const uint8_t *m = c->mac;
			struct in_addr a = { htonl(yi) };
			int len;

			if (type == OFFER && c->state == ST_WANT_OFFER) {
				c->want_ip = yi;
				c->server = sid;
				c->state = ST_WANT_ACK;
				send_msg(c, REQUEST);
			} else if (type == ACK && c->state == ST_WANT_ACK &&
				   yi == c->want_ip) {
				c->state = ST_DONE;
				done++;
				len = snprintf(line, sizeof(line),
					       "%02x:%02x:%02x:%02x:%02x:%02x "
					       "%s\n",
					       m[0], m[1], m[2], m[3], m[4],
					       m[5], inet_ntoa(a));
				if (write(out, line, (size_t)len) != len)
					perror(ackfile);
			} else if (type == NAK) {
				c->state = ST_WANT_OFFER;
				send_msg(c, DISCOVER);
			}
		}
	}
	close(out);
	return 0;
}

static int load_acks(const char *file)
{
	FILE *f = fopen(file, "re");
	char mac[32], ip[32];

	if (!f) {
		perror(file);
		return -1;
	}
	while (fscanf(f, "%31s %31s", mac, ip) == 2) {
		unsigned int m[6];
		struct in_addr a;
		struct client *c = NULL;

		if (sscanf(mac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2],
			   &m[3], &m[4], &m[5]) != 6 ||
		    !inet_aton(ip, &a))
			continue;
		uint8_t m8[6];

		for (int k = 0; k < 6; k++)
			m8[k] = (uint8_t)m[k];
		for (unsigned int i = 0; i < n_cl && !c; i++)
			if (!memcmp(cl[i].mac, m8, 6))
				c = &cl[i];
		if (!c && n_cl < MAX_CLIENTS) {
			c = &cl[n_cl++];
			memcpy(c->mac, m8, 6);
			c->xid = 0x80000000u | (uint32_t)n_cl;
		}
		if (c)
			c->ip = ntohl(a.s_addr);
	}
	fclose(f);
	return 0;
}

static int check(void)
{
	uint64_t start = now_ms();
	unsigned int done = 0, bad = 0;

	for (unsigned int i = 0; i < n_cl; i++) {
		cl[i].want_ip = cl[i].ip;
		cl[i].server = 0;
		cl[i].reboot = true;
		cl[i].state = ST_WANT_ACK;
		send_msg(&cl[i], REQUEST);
	}
	while (done < n_cl && now_ms() < start + CHECK_TIMEOUT_MS) {
		struct client *c;
		uint32_t yi, sid;
		int type;

		for (unsigned int i = 0; i < n_cl; i++) {
			c = &cl[i];
			if (c->state != ST_DONE &&
			    now_ms() >= c->sent_ms + RETRY_MS)
				send_msg(c, c->state == ST_WANT_ACK ? REQUEST
								     : DISCOVER);
		}
		wait_input(5);
		while ((c = recv_reply(&type, &yi, &sid))) {
			struct in_addr a = { htonl(c->ip) }, b = { htonl(yi) };
			char want[INET_ADDRSTRLEN], got[INET_ADDRSTRLEN];

			inet_ntop(AF_INET, &a, want, sizeof(want));
			inet_ntop(AF_INET, &b, got, sizeof(got));
			if (c->state == ST_WANT_ACK && (type == ACK || type == NAK)) {
				if (type != ACK || yi != c->ip) {
					printf("%02x:%02x:%02x:%02x:%02x:%02x "
					       "held %s: INIT-REBOOT got %s %s\n",
					       c->mac[0], c->mac[1], c->mac[2],
					       c->mac[3], c->mac[4], c->mac[5],
					       want, type == ACK ? "ACK" : "NAK",
					       got);
					bad++;
				}
				c->state = ST_WANT_OFFER;
				send_msg(c, DISCOVER);
			} else if (c->state == ST_WANT_OFFER && type == OFFER) {
				if (yi != c->ip) {
					printf("%02x:%02x:%02x:%02x:%02x:%02x "
					       "held %s: DISCOVER offered %s\n",
					       c->mac[0], c->mac[1], c->mac[2],
					       c->mac[3], c->mac[4], c->mac[5],
					       want, got);
					bad++;
				}
				c->state = ST_DONE;
				done++;
			}
		}
	}
	if (done < n_cl) {
		printf("%u of %u clients got no answer\n", n_cl - done, n_cl);
		bad++;
	}
	printf("checked %u clients, %u failures\n", n_cl, bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 7 && !strcmp(argv[1], "dora")) {
		if (open_sock(argv[2]))
			return 2;
		return dora((unsigned int)atoi(argv[3]),
			    (unsigned int)atoi(argv[4]),
			    (unsigned int)atoi(argv[5]), argv[6]);
	}
	if (argc >= 4 && !strcmp(argv[1], "check")) {
		if (open_sock(argv[2]))
			return 2;
		for (int i = 3; i < argc; i++)
			if (load_acks(argv[i]))
				return 2;
		return check();
	}
	fprintf(stderr, "usage: dhcpstorm dora IFNAME ROUND N RATE ACKFILE\n"
			"       dhcpstorm check IFNAME ACKFILE...\n");
	return 2;
}
