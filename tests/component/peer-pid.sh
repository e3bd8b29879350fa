#!/bin/bash
# A local UNIX peer is named by its pid (SO_PEERCRED) on both kinds of
# UNIX stream port: the process that connected to a unix-listen port, and
# the process that listens where a unix-connect port connects to.
# "port show" has it as "pid", "ports" as PEER pid=N, and a unix-connect
# port that lost its peer shows no pid.
set -eu
. "$(dirname "$0")/lib-component.sh"

need_vswitchctl
command -v socat >/dev/null ||
	skip "socat is not installed (build-aux/deps.sh test installs it)"

cat >"$T/sw.json" <<EOF
{ "log_level": "debug",
  "ports": [
    { "name": "in", "type": "unix-listen", "path": "$T/in.sock" },
    { "name": "out", "type": "unix-connect", "path": "$T/vm.sock",
      "reconnect_min_ms": 20, "reconnect_max_ms": 200 } ] }
EOF
vsw_start "$T/sw.json"

# Two stand-ins for QEMU that only read: one listens (server=on), one
# connects (server=off).
spawn listener socat -u UNIX-LISTEN:"$T/vm.sock" OPEN:/dev/null
listener=$SPAWN_PID
wait_log "$VSW_LOG" 'port out: connected to'
spawn connector socat -u UNIX-CONNECT:"$T/in.sock" OPEN:/dev/null
connector=$SPAWN_PID
wait_log "$VSW_LOG" 'port in/1: connected'

# pid PORT: the "pid" member of "port show PORT", empty if none.
pid()
{
	"$VSWITCHCTL" --json port show "$1" |
		sed -n 's/^ *"pid": \([0-9]*\),\{0,1\}$/\1/p'
}
expect_pid()
{
	local got

	got=$(pid "$1")
	[ "$got" = "$2" ] || die "port $1: pid is '$got', expected '$2'"
}
expect_pid in/1 "$connector"
expect_pid out "$listener"
"$VSWITCHCTL" ports >"$T/ports.out"
grep -q "^out .* pid=$listener " "$T/ports.out" ||
	die "ports shows no pid=$listener for out: $(cat "$T/ports.out")"
grep -q "^in/1 .* pid=$connector " "$T/ports.out" ||
	die "ports shows no pid=$connector for in/1: $(cat "$T/ports.out")"

# The listener goes: out is down and names no process any more.
stop_pid "$listener"
wait_log "$VSW_LOG" 'port out (.*): peer closed the connection'
wait_for "out to show no pid" 5 eval '[ -z "$(pid out)" ]'
