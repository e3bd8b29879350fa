## The port types and their helpers, part of libvsw.a.  A new port type
## adds its file here (ports/port.h has the whole recipe); the fuzz
## harnesses are in tests/fuzz/automake.mk.
libvsw_a_SOURCES += \
	ports/port.h ports/port-types.c \
	ports/bound-sock.c ports/bound-sock.h \
	ports/stream.c ports/stream.h \
	ports/txq.c ports/txq.h \
	ports/stream-conn.c ports/stream-conn.h \
	ports/listen.c ports/connect.c \
	ports/dgram-engine.c ports/dgram.c ports/dgram.h ports/mcast.c \
	ports/tap.c \
	ports/internal.c ports/internal.h \
	ports/lease-commit.c ports/lease-commit.h \
	ports/slirp-refuse.c ports/slirp-refuse.h
if HAVE_SLIRP
libvsw_a_SOURCES += ports/slirp.c ports/slirp.h
endif
