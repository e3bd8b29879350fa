#!/bin/bash
# Start-up failures: bad configurations are refused with file:line:col,
# ports that cannot be opened stop the daemon with a message naming the
# port, a stale UNIX socket is replaced and a live one is not.
set -eu
. "$(dirname "$0")/lib-component.sh"

# check_bad NAME JSON LINE:COL TEXT: --check refuses it and says where.
check_bad()
{
	local rc=0

	printf '%s\n' "$2" >"$T/$1.json"
	"$VSWITCHD" --check -c "$T/$1.json" >"$T/$1.out" 2>"$T/$1.log" ||
		rc=$?
	[ $rc -ne 0 ] || die "--check accepted $1.json"
	grep -q "$1\.json:$3: .*$4" "$T/$1.log" || {
		cat "$T/$1.log" >&2
		die "--check on $1.json: no \"$1.json:$3: ...$4\" message"
	}
}

check_bad syntax '{ "ports": [
  { "name": "a", "type": "unix-listen", "path": "/x/a.sock" }
  { "name": "b" } ] }' '3:3' "expected"
check_bad aging-zero '{ "switch": {
    "mac_aging_s": 0 } }' '2:20' 'mac_aging_s.*out of range'
check_bad bad-type '{ "ports": [ { "name": "a", "type": "bogus" } ] }' \
	'1:[0-9]*' 'not a port type'
check_bad unknown-key '{ "swich": {} }' '1:3' 'unknown key "swich"'
check_bad port-string '{ "ports": [ { "name": "a", "type": "tcp-listen",
  "address": "127.0.0.1", "port": "x" } ] }' '2:[0-9]*' 'integer'

# run_fail NAME CONFIG TEXT: vswitchd -c exits non-zero, logging TEXT.
run_fail()
{
	local rc=0

	timeout 10 "$VSWITCHD" -c "$2" >"$T/$1.out" 2>"$T/$1.log" || rc=$?
	[ $rc -ne 124 ] || die "$1: vswitchd kept running"
	[ $rc -ne 0 ] || die "$1: vswitchd exited 0"
	grep -q -- "$3" "$T/$1.log" || {
		cat "$T/$1.log" >&2
		die "$1: no message matching \"$3\""
	}
}

# A first daemon holds a TCP port and a UNIX socket.
cat >"$T/first.json" <<EOF
{ "ports": [
    { "name": "vm", "type": "unix-listen", "path": "$T/vm.sock" },
    { "name": "vm-tcp", "type": "tcp-listen", "address": "127.0.0.1",
      "port": 0 } ] }
EOF
vsw_start "$T/first.json" first
tcp=$(vsw_tcp_port vm-tcp)
first=$VSW_PID

cat >"$T/tcp-busy.json" <<EOF
{ "ports": [ { "name": "busy-tcp", "type": "tcp-listen",
	       "address": "127.0.0.1", "port": $tcp } ] }
EOF
run_fail tcp-busy "$T/tcp-busy.json" 'port busy-tcp: .*in use'

cat >"$T/unix-live.json" <<EOF
{ "ports": [ { "name": "busy-unix", "type": "unix-listen",
	       "path": "$T/vm.sock" } ] }
EOF
run_fail unix-live "$T/unix-live.json" "port busy-unix: .*in use"
[ -S "$T/vm.sock" ] || die "the refused daemon removed the live socket"

# Not a socket at all: left alone.
echo data >"$T/file.sock"
cat >"$T/not-socket.json" <<EOF
{ "ports": [ { "name": "file", "type": "unix-listen",
	       "path": "$T/file.sock" } ] }
EOF
run_fail not-socket "$T/not-socket.json" "port file: .*not a socket"
[ "$(cat "$T/file.sock")" = data ] || die "a regular file was replaced"

# The first daemon never noticed and still switches.
fio <<EOF
open A unix:$T/vm.sock
open B tcp:127.0.0.1:$tcp
wait-log $VSW_LOG port vm-tcp/1: connected
$(send_expect A B dst=$BCAST src=$MAC_A tag=first)
EOF

# Killed without a chance to clean up, it leaves its socket behind; the
# next daemon replaces it.
vsw_kill "$first"
[ -S "$T/vm.sock" ] || die "SIGKILL did not leave the socket file behind"
cat >"$T/second.json" <<EOF
{ "ports": [ { "name": "vm", "type": "unix-listen", "path": "$T/vm.sock" } ] }
EOF
vsw_start "$T/second.json" second
log_has "$VSW_LOG" "port vm: removing stale socket $T/vm.sock"
fio <<EOF
open A unix:$T/vm.sock
open B unix:$T/vm.sock
wait-log $VSW_LOG port vm/2: connected
$(send_expect A B dst=$BCAST src=$MAC_A tag=second)
EOF
