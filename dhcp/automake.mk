## The DHCPv4 server core (transport-free), part of libvsw.a.
libvsw_a_SOURCES += \
	dhcp/proto.h \
	dhcp/options.c dhcp/options.h \
	dhcp/lease.c dhcp/lease.h \
	dhcp/dhcp.c dhcp/dhcp.h dhcp/server.h \
	dhcp/reply.c dhcp/arp.c dhcp/lease-file.c

EXTRA_DIST += docs/dhcp.md
