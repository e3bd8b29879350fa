# lib-component.sh - helpers for the component tests (sourced, bash).
#
# Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
#
# Builds on tests/lib.sh (die, wait_for, spawn, stop_pid, pid_alive,
# on_exit, $TESTDIR).  A test writes a configuration into $T (= $TESTDIR),
# starts daemons with vsw_start and talks to them with frameio scripts fed
# to fio on stdin.  At exit every daemon still running gets SIGTERM and
# must exit with status 0; one that died on its own, or a sanitizer report
# in any log under $T, fails the test.  So --enable-asan/--enable-ubsan
# builds need nothing special.  See docs/testing.md.

# The variables set here are for the tests that source this file.
# shellcheck disable=SC2034
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

FRAMEIO=$top_builddir/tests/tools/frameio
VSWITCHCTL=${VSWITCHCTL:-$top_builddir/vswitchctl}
for _prog in "$VSWITCHD" "$FRAMEIO"; do
	[ -x "$_prog" ] || die "$_prog is not built (run make check)"
done
make_testdir
T=$TESTDIR

# Frames in the tests come from these locally administered QEMU-style MACs.
MAC_A=52:54:00:00:00:0a
MAC_B=52:54:00:00:00:0b
MAC_C=52:54:00:00:00:0c
MAC_D=52:54:00:00:00:0d
BCAST=ff:ff:ff:ff:ff:ff

VSW_PID=	# the daemon vsw_start started last
VSW_LOG=	# and its log
_vsw_pids=	# daemons started and not yet stopped or killed by the test
_vsw_bad=

# _vsw_forget PID: the test has dealt with this daemon itself.
_vsw_forget()
{
	local p rest=

	for p in $_vsw_pids; do
		[ "$p" = "$1" ] || rest="$rest $p"
	done
	_vsw_pids=$rest
	[ "$1" != "$VSW_PID" ] || VSW_PID=
}

# wait_log FILE BRE [SECONDS]: wait until a line of FILE matches BRE.  If
# the daemon started last dies meanwhile, fail at once.
wait_log()
{
	local file=$1 re=$2 secs=${3:-5} i=0

	until grep -q -- "$re" "$file" 2>/dev/null; do
		if [ -n "$VSW_PID" ] && ! pid_alive "$VSW_PID"; then
			tail -n 20 "$file" >&2 || :
			die "vswitchd exited; we waited for \"$re\" in $file"
		fi
		i=$((i + 1))
		[ $i -le $((secs * 50)) ] ||
			die "no line matching \"$re\" in $file after $secs s"
		sleep 0.02
	done
}

# log_has FILE BRE: FILE has a line matching BRE, or the test fails.
log_has()
{
	grep -q -- "$2" "$1" || die "$1 has no line matching \"$2\""
}

# vsw_start CONFIG [NAME]: run vswitchd -c CONFIG, logging to $T/NAME.log
# (NAME defaults to vswitchd), and wait until it runs.  Sets VSW_PID and
# VSW_LOG.
vsw_start()
{
	vsw_spawn "${2:-vswitchd}" "$VSWITCHD" -c "$1"
}

# vsw_start_recv MODE CONFIG: vsw_start CONFIG (log vswitchd-MODE.log) with
# multishot receives (MODE multishot) or single-shot ones (MODE
# single-shot: VSWITCHD_NO_MULTISHOT=1, which stays exported until the
# next call).
vsw_start_recv()
{
	case $1 in
	multishot) unset VSWITCHD_NO_MULTISHOT ;;
	single-shot) export VSWITCHD_NO_MULTISHOT=1 ;;
	*) die "vsw_start_recv: no receive mode $1" ;;
	esac
	vsw_start "$2" "vswitchd-$1"
}

# vsw_spawn NAME CMD...: vsw_start's work for a daemon that CMD starts
# (vswitchd itself, or vswitchd under a wrapper that execs it, as
# ip netns exec does): log to $T/NAME.log, checked at exit like the
# others; wait until it runs.  Sets VSW_PID and VSW_LOG.
vsw_spawn()
{
	local name=$1

	shift
	spawn "$name" "$@"
	VSW_PID=$SPAWN_PID
	VSW_LOG=$T/$name.log
	_vsw_pids="$_vsw_pids $VSW_PID"
	# After spawn's own cleanup, so that it runs before it.
	on_exit _vsw_stop_left
	wait_log "$VSW_LOG" ' running with '
}

# vsw_config [-s SWITCH-KEYS] PORT...: write $T/sw.json, the configuration
# most tests start from: log_level debug, a "switch" section holding the
# JSON members SWITCH-KEYS (e.g. '"mac_aging_s": 1') if given, and one
# port per argument:
#   unix:NAME[:KEYS]   a unix-listen port NAME on $T/NAME.sock, with the
#                      further JSON members KEYS if given
#   tcp:NAME           a tcp-listen port NAME on 127.0.0.1, port 0 (the
#                      kernel's pick: vsw_tcp_port NAME says which)
#   {...}              this port object as it is
vsw_config()
{
	local sw='' ports='' p name keys

	if [ "${1-}" = -s ]; then
		sw="
  \"switch\": { $2 },"
		shift 2
	fi
	for p in "$@"; do
		case $p in
		unix:*)
			name=${p#unix:} keys=
			case $name in *:*) keys=", ${name#*:}" name=${name%%:*} ;; esac
			p="{ \"name\": \"$name\", \"type\": \"unix-listen\", \"path\": \"$T/$name.sock\"$keys }" ;;
		tcp:*)
			p="{ \"name\": \"${p#tcp:}\", \"type\": \"tcp-listen\", \"address\": \"127.0.0.1\",
      \"port\": 0 }" ;;
		'{'*) ;;
		*) die "vsw_config: bad port '$p'" ;;
		esac
		ports="$ports${ports:+,}
    $p"
	done
	printf '{ "log_level": "debug",%s\n  "ports": [%s ] }\n' "$sw" "$ports" \
		>"$T/sw.json"
}

# vsw_up [-s SWITCH-KEYS] PORT...: vsw_config, then vsw_start $T/sw.json.
vsw_up()
{
	vsw_config "$@"
	vsw_start "$T/sw.json"
}

# vm_open NAME...: frameio lines (for a fio script) that connect each NAME
# to the unix-listen port vm ($T/vm.sock) in turn and wait until the
# switch has them all (vm/1 ... vm/N, on a port nobody used before).
vm_open()
{
	local n

	for n in "$@"; do
		echo "open $n unix:$T/vm.sock"
	done
	echo "wait-log $VSW_LOG port vm/$#: connected"
}

# send_expect FROM TOS FIELD...: frameio lines (for a fio script): FROM
# sends the frame FIELD... (dst=... src=... tag=...) and each port of TOS
# (a space-separated list, in order) expects it.
send_expect()
{
	local from=$1 tos=$2 to

	shift 2
	echo "send $from $*"
	for to in $tos; do
		echo "expect $to $*"
	done
}

# fio_bg_start NAME: a frameio in the background (-i: it runs each line as
# it comes) that fio_bg NAME feeds; its output in $T/NAME.out.  For a test
# that must act between two steps of one script, its connections open.
# fio_bg NAME: append the script lines on stdin.
# fio_bg_sync NAME: wait until frameio has run every line appended so far.
# fio_bg_end NAME: end the script; the test fails unless frameio passed.
declare -gA _fio_fd=() _fio_pid=() _fio_sync=()
fio_bg_start()
{
	local fd

	mkfifo "$T/$1.in"
	"$FRAMEIO" -i -v <"$T/$1.in" >"$T/$1.out" 2>&1 &
	_fio_pid[$1]=$!
	track_pid "$!"
	exec {fd}>"$T/$1.in"
	_fio_fd[$1]=$fd
	_fio_sync[$1]=0
}
fio_bg()
{
	cat >&"${_fio_fd[$1]}"
}
fio_bg_sync()
{
	local n=$((_fio_sync[$1] + 1))

	_fio_sync[$1]=$n
	# frameio -v prints each command as it starts it: once this one
	# (a sleep of n ms, unique) is printed, every line before it ran.
	echo "sleep $n" | fio_bg "$1"
	wait_log "$T/$1.out" ": sleep $n\$" 20
}
fio_bg_end()
{
	local rc=0 fd=${_fio_fd[$1]}

	exec {fd}>&-
	wait "${_fio_pid[$1]}" || rc=$?
	unset '_vsw_live[${_fio_pid[$1]}]'
	[ $rc = 0 ] || die "frameio $1 failed (exit status $rc): $(cat "$T/$1.out")"
}

# time_warp MS: move the switch clock of the daemon started last MS
# milliseconds forward (debug/time-warp), instead of waiting for real.
time_warp()
{
	ctl_ok "{\"cmd\":\"debug/time-warp\",\"args\":{\"ms\":$1}}" >/dev/null
}

# need_vswitchctl: fail unless $VSWITCHCTL (default: the one built here)
# is there.
need_vswitchctl()
{
	[ -x "$VSWITCHCTL" ] || die "$VSWITCHCTL is not built (run make)"
}

# port_stat PORT KEY: a member of "vswitchctl --json port show PORT" (a
# number or a string) on the daemon whose control socket vswitchctl finds.
port_stat()
{
	"$VSWITCHCTL" --json port show "$1" |
		sed -n "s/^ *\"$2\": \"\\{0,1\\}\\([0-9a-z.:-]*\\)\"\\{0,1\\},\\{0,1\\}\$/\\1/p" |
		head -n 1
}

# expect_stat PORT KEY VALUE: port_stat PORT KEY is VALUE, or the test fails.
expect_stat()
{
	local v

	v=$(port_stat "$1" "$2")
	[ "$v" = "$3" ] || die "port $1: $2 is '$v', expected $3"
}

# expect_stat_gt0 PORT KEY: port_stat PORT KEY is a number above 0.
expect_stat_gt0()
{
	local v

	v=$(port_stat "$1" "$2")
	[ -n "$v" ] && [ "$v" -gt 0 ] || die "port $1: $2 is '$v', expected > 0"
}

# vsw_stop [PID]: SIGTERM, reap (SIGKILL after 5 s); VSW_RC = exit status.
vsw_stop()
{
	local pid=${1:-$VSW_PID}

	stop_pid "$pid" 5
	VSW_RC=$STOP_STATUS
	_vsw_forget "$pid"
}

# vsw_kill [PID]: SIGKILL and reap, as a crash would end it.
vsw_kill()
{
	local pid=${1:-$VSW_PID}

	stop_pid "$pid" 2 KILL
	_vsw_forget "$pid"
}

# fio: run the frameio script on stdin; any failure fails the test.
fio()
{
	"$FRAMEIO" -v || die "frameio script failed (exit status $?)"
}

# Cleanups run in reverse order: this one, registered before any daemon
# starts, runs last, after every daemon has stopped.
_vsw_check_logs()
{
	local log

	for log in "$T"/*.log "$T"/*.out; do
		[ -f "$log" ] || continue
		if grep -E -q 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
			"$log"; then
			printf '%s: FAIL: sanitizer report in %s:\n' \
				"$TEST_NAME" "$log" >&2
			cat "$log" >&2
			_vsw_bad=1
		fi
	done
	if [ -n "$_vsw_bad" ]; then
		printf '%s: test files kept in %s\n' "$TEST_NAME" "$T" >&2
		exit 1
	fi
}
on_exit _vsw_check_logs

# Stops the daemons the test left running and checks how they end.
_vsw_stop_left()
{
	local pid

	for pid in $_vsw_pids; do
		_vsw_forget "$pid"
		if pid_alive "$pid"; then
			stop_pid "$pid" 5
			[ "$STOP_STATUS" = 0 ] && continue
			log "FAIL: vswitchd (pid $pid) exited with status" \
				"$STOP_STATUS on SIGTERM"
		else
			stop_pid "$pid" 0
			log "FAIL: vswitchd (pid $pid) died during the test" \
				"(status $STOP_STATUS)"
		fi
		_vsw_bad=1
	done
}

# ctl_raw JSON-LINE...: send request lines to the control socket of the
# daemon started last ($T/ctl.sock unless CTL is set) and print the reply
# lines.  The daemon answers every line, then closes; socat gives up
# 10 s after its input ends if it does not.
ctl_raw()
{
	command -v socat >/dev/null || die "socat is not installed"
	printf '%s\n' "$@" |
		timeout 20 socat -t 10 - "UNIX-CONNECT:${CTL:-$T/ctl.sock}"
}

# ctl_ok JSON-LINE: one request that must succeed; prints the reply.
ctl_ok()
{
	local reply

	reply=$(ctl_raw "$1") || die "control request failed: $1"
	case $reply in
	'{"ok":true'*) printf '%s\n' "$reply" ;;
	*) die "control request $1 was refused: $reply" ;;
	esac
}

# vsw_tcp_port NAME: the TCP port a tcp-listen port NAME with "port": 0 got
# from the kernel (vswitchd logs it once it listens).
vsw_tcp_port()
{
	wait_log "$VSW_LOG" "port $1: listening on 127\\.0\\.0\\.1:[0-9]"
	sed -n "s/.*port $1: listening on 127\\.0\\.0\\.1:\\([0-9]*\\).*/\\1/p" \
		"$VSW_LOG" | tail -n 1
}
