## libvsw.a: everything but the programs' main(), for the daemon, the
## tests and the fuzzers; ports/automake.mk and dhcp/automake.mk add
## their folders.  Grouped by layer (docs/architecture.md).
noinst_LIBRARIES += libvsw.a
libvsw_a_SOURCES = \
	switch/base/util.h switch/base/list.h switch/base/runtime-dir.h \
	switch/base/log.c switch/base/log.h \
	switch/base/loop.c switch/base/loop.h \
	switch/base/iobuf.c switch/base/iobuf.h \
	switch/base/safe-file.c switch/base/safe-file.h \
	switch/base/sockaddr.c switch/base/sockaddr.h \
	switch/base/unix-sock.c switch/base/unix-sock.h
libvsw_a_SOURCES += \
	switch/core/eth.c switch/core/eth.h \
	switch/core/pkt.c switch/core/pkt.h \
	switch/core/csum.c switch/core/csum.h \
	switch/core/fdb.c switch/core/fdb.h \
	switch/core/switch.c switch/core/switch.h switch/core/vsw-params.h \
	switch/core/port.c switch/core/port.h switch/core/tx-drop.c \
	switch/core/offload.c switch/core/offload.h
libvsw_a_SOURCES += \
	switch/config/cfg.c switch/config/cfg.h switch/config/cfg-int.h \
	switch/config/cfg-keys.h switch/config/cfg-parse.c \
	switch/config/cfg-ports.c switch/config/cfg-dhcp.c \
	switch/config/cfg-slirp.c \
	switch/config/cfg-locate.c switch/config/cfg-locate.h
libvsw_a_SOURCES += \
	switch/control/ctl.c switch/control/ctl.h \
	switch/control/ctl-dispatch.c switch/control/ctl-dispatch.h
## The composition root, but for main.c.
libvsw_a_SOURCES += \
	switch/daemon.c switch/daemon.h \
	switch/ctl-args.c switch/ctl-args.h switch/ctl-cmds.c

VSW_LIBS = libvsw.a $(URING_LIBS) $(JANSSON_LIBS) $(SLIRP_LIBS)


sbin_PROGRAMS += vswitchd
vswitchd_SOURCES = switch/main.c
vswitchd_LDADD = $(VSW_LIBS)

## vswitchctl: everything but main() in a library, which the reply
## harness (tests/fuzz/fuzz-ctl-reply.c) links too.
noinst_LIBRARIES += libvswitchctl.a
libvswitchctl_a_SOURCES = \
	switch/cli/vswitchctl.c switch/cli/vswitchctl.h \
	switch/cli/vswitchctl-util.c switch/cli/vswitchctl-client.c \
	switch/cli/vswitchctl-table.c \
	switch/cli/vswitchctl-ports.c switch/cli/vswitchctl-mac.c \
	switch/cli/vswitchctl-capture.c switch/base/util.h
bin_PROGRAMS += vswitchctl
vswitchctl_SOURCES = switch/cli/vswitchctl-main.c
vswitchctl_LDADD = libvswitchctl.a $(JANSSON_LIBS)


bashcompletiondir = $(datadir)/bash-completion/completions
install-data-local: install-bash-completion
uninstall-local: uninstall-bash-completion
install-bash-completion:
	$(MKDIR_P) '$(DESTDIR)$(bashcompletiondir)'
	$(INSTALL_DATA) $(srcdir)/docs/vswitchctl.bash-completion \
		'$(DESTDIR)$(bashcompletiondir)/vswitchctl'
uninstall-bash-completion:
	rm -f '$(DESTDIR)$(bashcompletiondir)/vswitchctl'
.PHONY: install-bash-completion uninstall-bash-completion

## Man pages: written in Markdown, converted with go-md2man; the tarball
## ships the roff so users need no converter.
dist_man_MANS = docs/vswitchd.8 docs/vswitchctl.8 docs/vswitchd.json.5
MAINTAINERCLEANFILES = $(dist_man_MANS)
docs/%.8: docs/%.8.md
	$(AM_V_GEN)$(MKDIR_P) docs && $(GO_MD2MAN) -in $< -out $@
docs/%.5: docs/%.5.md
	$(AM_V_GEN)$(MKDIR_P) docs && $(GO_MD2MAN) -in $< -out $@
