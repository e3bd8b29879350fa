## The switch core, built once into libvsw.a for the daemon and the tests.
noinst_LIBRARIES += libvsw.a
libvsw_a_SOURCES = \
	switch/util.h \
	switch/log.c switch/log.h \
	switch/eth.c switch/eth.h \
	switch/fdb.c switch/fdb.h \
	switch/cfg.c switch/cfg.h switch/cfg-locate.c switch/cfg-locate.h \
	switch/loop.c switch/loop.h \
	switch/switch.c switch/switch.h \
	switch/daemon.c switch/daemon.h \
	switch/ctl.c switch/ctl.h switch/ctl-cmds.c \
	ports/port.c ports/port.h \
	ports/stream.c ports/stream.h \
	ports/txq.c ports/txq.h \
	ports/stream-conn.c ports/stream-conn.h \
	ports/listen.c ports/connect.c \
	ports/sockaddr.c ports/sockaddr.h \
	ports/unix-sock.c ports/unix-sock.h

VSW_LIBS = libvsw.a $(URING_LIBS) $(JANSSON_LIBS)

sbin_PROGRAMS += vswitchd
vswitchd_SOURCES = switch/main.c
vswitchd_LDADD = $(VSW_LIBS)
