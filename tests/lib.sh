# Shared helpers for the shell tests (component, netns and qemu tiers).
#
# Source it right after `set -eu`:
#
#     . "$(dirname "$0")/../lib.sh"        # or the right relative path
#
# Exit codes follow automake: 0 pass, 1 fail, 77 skip (99 hard error is not used).
#
# What it gives you:
#   top_srcdir, top_builddir   repo top / build top (env overrides; default: the repo top)
#   VSWITCHD                   $top_builddir/vswitchd unless set
#   TEST_NAME                  basename of the running script
#   log MSG...                 a line on stderr, prefixed with the test name
#   skip REASON...             say why on stderr, run the cleanups, exit 77
#   die MSG...                 say what failed on stderr, exit 1 (cleanups run)
#   on_exit CMD                register a cleanup (a shell string); they run in
#                              reverse order at exit, whatever the exit path
#   wait_for DESC TIMEOUT CMD...  poll CMD (every 0.1 s) until it succeeds; after
#                              TIMEOUT seconds say "timed out after Ns waiting for DESC"
#                              and return 1 (which ends the test under set -e)
#   make_testdir               create $TESTDIR (mktemp -d) removed at exit
#                              unless the test failed or VSW_KEEP_TESTDIR=1
#   require_cmd CMD...         skip unless every CMD is in PATH
#   require_root               skip unless running as root
#   isolate_netns "$@"         re-run the test in private network + mount
#                              namespaces (only lo, up); call it first
#   spawn NAME CMD...          run CMD in the background, output to
#                              $TESTDIR/NAME.log; pid in SPAWN_PID; killed at exit
#   track_pid PID              stop this background child at exit (if still running)
#   stop_pid PID [T [SIG]]     send SIG (TERM), wait up to T s (default 5), then SIGKILL
#   pid_alive PID              true while PID runs (a zombie counts as dead)
#   free_tcp_port              print a TCP port nobody listens on (127.0.0.1)
#   free_udp_port              print a UDP port nobody has bound
#   tcp_listening PORT         true if some socket listens on TCP PORT
#   wait_for_tcp PORT [T]      wait until TCP PORT listens
#   wait_for_socket PATH [T]   wait until the UNIX socket PATH exists
#   vswitchd_start CONFIG [ARGS...]  start the daemon (log $TESTDIR/vswitchd.log),
#                              pid in VSWITCHD_PID; stopped at exit
#   vswitchd_wait_ready [T] tcp:PORT|unix:PATH...  wait until the daemon listens
#                              (returns 1 at once if it exits)
#   vswitchd_start_free_port GEN [WAIT_ARG...]  config with a free TCP port, start, wait
#   vswitchd_alive             the daemon we started still runs
#   vswitchd_stop              SIGTERM the daemon and wait for it
#   vswitchd_stop_check        vswitchd_stop, then check: exit status 0, no
#                              sanitizer report in its log
#   vswitchd_kill              SIGKILL the daemon and reap it
#   check DESC CMD...          run CMD; log "ok: DESC" or count a failure
#   finish                     exit 1 if any check failed, else 0

# ---------------------------------------------------------------------------
# locations

TEST_NAME=$(basename "$0" .sh)
# Ours alone: never reuse (and remove at exit) a TESTDIR from the environment.
unset TESTDIR
_vsw_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$_vsw_lib_dir/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${VSWITCHD:=$top_builddir/vswitchd}"
export top_srcdir top_builddir

# ---------------------------------------------------------------------------
# messages and exits

log() { printf '%s: %s\n' "$TEST_NAME" "$*" >&2; }

skip() {
	printf '%s: SKIP: %s\n' "$TEST_NAME" "$*" >&2
	exit 77
}

die() {
	printf '%s: FAIL: %s\n' "$TEST_NAME" "$*" >&2
	exit 1
}

# ---------------------------------------------------------------------------
# cleanup registry

_vsw_cleanups=()
_vsw_failures=0
declare -gA _vsw_live=()	# pids started through this library and not yet reaped

on_exit() { _vsw_cleanups+=("$1"); }

_vsw_run_cleanups() {
	local rc=$? i
	set +e
	trap - EXIT INT TERM HUP
	for ((i = ${#_vsw_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_vsw_cleanups[i]}" </dev/null
	done
	if [ -n "${TESTDIR-}" ] && [ -d "$TESTDIR" ]; then
		if [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ -s "$TESTDIR/vswitchd.log" ]; then
			printf '%s: last lines of vswitchd.log:\n' "$TEST_NAME" >&2
			tail -n 25 "$TESTDIR/vswitchd.log" | sed 's/^/    [vswitchd] /' >&2
		fi
		if [ "$rc" != 0 ] && [ "$rc" != 77 ] || [ "${VSW_KEEP_TESTDIR-0}" = 1 ]; then
			printf '%s: test files kept in %s\n' "$TEST_NAME" "$TESTDIR" >&2
		else
			rm -rf "$TESTDIR"
		fi
	fi
	exit "$rc"
}
trap _vsw_run_cleanups EXIT
trap 'printf "%s: interrupted\n" "$TEST_NAME" >&2; exit 1' INT TERM HUP

# ---------------------------------------------------------------------------
# waiting

# wait_for DESCRIPTION TIMEOUT_SECONDS CMD [ARGS...]
wait_for() {
	local desc=$1 timeout=$2 deadline
	shift 2
	deadline=$(($(date +%s%N) / 1000000 + timeout * 1000))
	while :; do
		if "$@"; then
			return 0
		fi
		if [ $(($(date +%s%N) / 1000000)) -ge "$deadline" ]; then
			printf '%s: timed out after %ss waiting for %s\n' "$TEST_NAME" "$timeout" "$desc" >&2
			return 1
		fi
		sleep 0.1
	done
}

# ---------------------------------------------------------------------------
# requirements and scratch space

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c not installed"
	done
}

require_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
}

# isolate_netns "$@": re-run the calling test in network and mount
# namespaces of its own, with only lo (up).  What the test starts, a slirp
# uplink above all, can then reach nothing but this namespace's loopback,
# and it all goes away with the test's last process.  Call it first, before
# anything is created.  Needs root.
isolate_netns() {
	if [ "${VSW_ISOLATED-}" != 1 ]; then
		[ "$(id -u)" = 0 ] || skip "needs root for a private network namespace"
		require_cmd unshare ip
		VSW_ISOLATED=1 exec unshare --net --mount "$0" "$@"
	fi
	ip link set lo up
}

make_testdir() {
	[ -z "${TESTDIR-}" ] || return 0
	TESTDIR=$(mktemp -d "${TMPDIR:-/tmp}/vsw-$TEST_NAME.XXXXXX")
	# Each test's daemons keep their control sockets to themselves, and
	# vswitchctl finds them there.
	VSWITCHD_RUNTIME_DIR=$TESTDIR
	export VSWITCHD_RUNTIME_DIR
}

# ---------------------------------------------------------------------------
# processes

pid_alive() {
	local state
	[ -r "/proc/$1/stat" ] || return 1
	# field 3 of /proc/PID/stat, after the parenthesised command name
	state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
	[ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# track_pid PID: stop PID at exit unless stop_pid reaped it before.
# (A pid is tracked until reaped, so it cannot have been reused meanwhile.)
track_pid() {
	_vsw_live[$1]=1
	on_exit "_vsw_reap $1"
}
_vsw_reap() {
	[ -z "${_vsw_live[$1]-}" ] || stop_pid "$1" 3
}

# stop_pid PID [TIMEOUT [SIGNAL]]: send SIGNAL (default TERM), then SIGKILL if
# PID is still there after TIMEOUT (default 5) s; reap it. Its exit status
# (128+N for signal N) is left in STOP_STATUS.
stop_pid() {
	local pid=$1 timeout=${2:-5} sig=${3:-TERM} i=0 forced=0
	STOP_STATUS=
	[ -n "$pid" ] || return 0
	unset '_vsw_live[$pid]'
	# stderr off: bash would report "Killed"/"Terminated" for the job
	{
		if kill -"$sig" "$pid"; then
			while pid_alive "$pid" && [ "$i" -lt $((timeout * 10)) ]; do
				sleep 0.1
				i=$((i + 1))
			done
			if pid_alive "$pid"; then
				forced=1
				kill -KILL "$pid"
			fi
		fi
		STOP_STATUS=0
		wait "$pid" || STOP_STATUS=$?
	} 2>/dev/null
	[ "$forced" = 0 ] || log "pid $pid ignored SIG$sig for ${timeout}s; sent SIGKILL"
	return 0
}

# spawn NAME CMD [ARGS...]: background process with its output in $TESTDIR/NAME.log
spawn() {
	local name=$1
	shift
	make_testdir
	"$@" </dev/null >>"$TESTDIR/$name.log" 2>&1 &
	SPAWN_PID=$!
	track_pid "$SPAWN_PID"
}

# ---------------------------------------------------------------------------
# sockets

# tcp_listening PORT: some socket (v4 or v6) is in LISTEN on PORT.
tcp_listening() {
	local hex
	hex=$(printf '%04X' "$1")
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		awk -v p=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }'
}

# free_tcp_port: a port in 20000..59999 that nothing listens on or uses.
# Racy by nature (someone may take it before we bind); callers that can,
# retry on a bind failure.
free_tcp_port() { _vsw_free_port TCP /proc/net/tcp /proc/net/tcp6; }

# free_udp_port: the same for UDP: no socket is bound to it or sends to it.
free_udp_port() { _vsw_free_port UDP /proc/net/udp /proc/net/udp6; }

# _vsw_free_port WHAT FILE...: a port that is neither the local nor the
# remote port of a socket listed in the /proc/net FILEs.
_vsw_free_port() {
	local what=$1 port tries=0 hex
	shift
	while [ "$tries" -lt 200 ]; do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		hex=$(printf '%04X' "$port")
		if ! cat "$@" 2>/dev/null |
			awk -v p=":$hex" 'substr($2, length($2) - 4) == p || substr($3, length($3) - 4) == p { f = 1 } END { exit !f }'; then
			echo "$port"
			return 0
		fi
		tries=$((tries + 1))
	done
	die "found no free $what port after 200 tries"
}

wait_for_tcp() {
	wait_for "a listener on TCP port $1" "${2:-10}" tcp_listening "$1"
}

wait_for_socket() {
	wait_for "the UNIX socket $1" "${2:-10}" test -S "$1"
}

# ---------------------------------------------------------------------------
# the daemon

VSWITCHD_PID=

vswitchd_start() {
	local config=$1
	shift
	[ -x "$VSWITCHD" ] || die "no vswitchd at $VSWITCHD (build it, or set top_builddir / VSWITCHD)"
	make_testdir
	log "starting $VSWITCHD -c $config $*"
	"$VSWITCHD" -c "$config" "$@" </dev/null >>"$TESTDIR/vswitchd.log" 2>&1 &
	VSWITCHD_PID=$!
	track_pid "$VSWITCHD_PID"
}

# vswitchd_wait_ready [TIMEOUT] tcp:PORT|unix:PATH...: wait until every TCP
# port listens and every UNIX socket exists. Returns 1 at once, with the tail of
# the daemon's log, if the daemon exits meanwhile (a caller may retry on
# "address in use"); returns 1 after TIMEOUT (default 10) s.
vswitchd_wait_ready() {
	local timeout=10 t0 what ok
	case ${1-} in [0-9]*) timeout=$1; shift ;; esac
	t0=$(date +%s)
	while :; do
		ok=1
		for what in "$@"; do
			case $what in
			tcp:*) tcp_listening "${what#tcp:}" || ok=0 ;;
			unix:*) [ -S "${what#unix:}" ] || ok=0 ;;
			*) die "vswitchd_wait_ready: bad argument '$what'" ;;
			esac
		done
		[ "$ok" = 0 ] || return 0
		if ! vswitchd_alive; then
			log "vswitchd exited before it was ready (waiting for $*); its log:"
			tail -n 20 "$TESTDIR/vswitchd.log" | sed 's/^/    [vswitchd] /' >&2
			return 1
		fi
		if [ $(($(date +%s) - t0)) -ge "$timeout" ]; then
			log "timed out after ${timeout}s waiting for vswitchd to be ready ($*); its log:"
			tail -n 20 "$TESTDIR/vswitchd.log" | sed 's/^/    [vswitchd] /' >&2
			return 1
		fi
		sleep 0.1
	done
}

# vswitchd_start_free_port GEN_CONFIG [WAIT_ARG...]: pick a free TCP port,
# write the config `GEN_CONFIG PORT` prints to $TESTDIR/vswitchd.json, start
# the daemon (with --runtime-dir $TESTDIR/run) and wait for tcp:PORT and the
# WAIT_ARGs. Another port is tried (5 times) when the daemon could not bind
# its port. Sets VSW_TCP_PORT.
vswitchd_start_free_port() {
	local gen=$1
	shift
	make_testdir
	mkdir -p "$TESTDIR/run"
	for _ in 1 2 3 4 5; do
		VSW_TCP_PORT=$(free_tcp_port)
		"$gen" "$VSW_TCP_PORT" >"$TESTDIR/vswitchd.json"
		vswitchd_start "$TESTDIR/vswitchd.json" --runtime-dir "$TESTDIR/run"
		if vswitchd_wait_ready 10 "tcp:$VSW_TCP_PORT" "$@"; then
			return 0
		fi
		if vswitchd_alive || ! grep -qi 'in use' "$TESTDIR/vswitchd.log"; then
			die "vswitchd did not start (config $TESTDIR/vswitchd.json)"
		fi
		vswitchd_stop
		log "TCP port $VSW_TCP_PORT was taken; trying another"
	done
	die "vswitchd could not bind a free TCP port in 5 tries"
}

vswitchd_stop() {
	VSWITCHD_STATUS=
	[ -n "$VSWITCHD_PID" ] || return 0
	stop_pid "$VSWITCHD_PID" 5
	VSWITCHD_STATUS=$STOP_STATUS
	VSWITCHD_PID=
}

# vswitchd_stop_check: stop the daemon with SIGTERM and count a failed check
# unless it exits with status 0 and its log has no sanitizer report.
vswitchd_stop_check() {
	vswitchd_stop
	check "vswitchd exits with status 0 on SIGTERM (got ${VSWITCHD_STATUS:-none})" \
		[ "${VSWITCHD_STATUS:-none}" = 0 ]
	check "no sanitizer report in vswitchd.log" \
		eval '! grep -E "ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:" "$TESTDIR/vswitchd.log" >&2'
}

# vswitchd_kill: SIGKILL the daemon (a crash) and reap it.
vswitchd_kill() {
	[ -n "$VSWITCHD_PID" ] || return 0
	stop_pid "$VSWITCHD_PID" 2 KILL
	VSWITCHD_PID=
}

# vswitchd_alive: the daemon we started is still running
vswitchd_alive() {
	[ -n "$VSWITCHD_PID" ] && pid_alive "$VSWITCHD_PID"
}

# ---------------------------------------------------------------------------
# checks that count instead of stopping the test

check() {
	local desc=$1
	shift
	if "$@"; then
		log "ok: $desc"
	else
		log "NOT OK: $desc"
		_vsw_failures=$((_vsw_failures + 1))
	fi
}

finish() {
	if [ "$_vsw_failures" -gt 0 ]; then
		log "$_vsw_failures check(s) failed"
		exit 1
	fi
	log "all checks passed"
	exit 0
}
