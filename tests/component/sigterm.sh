#!/bin/bash
# SIGTERM: a clean exit with status 0 that hangs up on every VM and removes
# the UNIX socket files the daemon created, and only those.
set -eu
. "$(dirname "$0")/lib-component.sh"

vsw_up unix:vm unix:vm2 tcp:vm-tcp \
	"{ \"name\": \"out\", \"type\": \"unix-connect\", \"path\": \"$T/peer.sock\",
      \"reconnect_min_ms\": 20, \"reconnect_max_ms\": 100 }"
tcp=$(vsw_tcp_port vm-tcp)
for s in vm vm2; do
	[ -S "$T/$s.sock" ] || die "no socket file $T/$s.sock"
done

# VMs on every kind of port stay connected until the switch goes away.
"$FRAMEIO" -v >"$T/fio.out" 2>&1 <<EOF &
open A unix:$T/vm.sock
open B unix:$T/vm2.sock
open C tcp:127.0.0.1:$tcp
listen P unix:$T/peer.sock timeout=5000
$(send_expect A "B C P" dst=$BCAST src=$MAC_A tag=hello)
expect-closed A timeout=10000
expect-closed B timeout=1000
expect-closed C timeout=1000
expect-closed P timeout=1000
EOF
fio_pid=$!
track_pid "$fio_pid"
wait_log "$VSW_LOG" 'port out: connected to'
wait_log "$VSW_LOG" 'port vm-tcp/1: connected'
wait_log "$VSW_LOG" 'port vm2/1: connected'

vsw_stop
[ "$VSW_RC" -eq 0 ] || die "vswitchd exited with status $VSW_RC on SIGTERM"
log_has "$VSW_LOG" 'caught signal 15'
[ ! -e "$T/vm.sock" ] || die "$T/vm.sock left behind"
[ ! -e "$T/vm2.sock" ] || die "$T/vm2.sock left behind"
# The connect-out port's socket belongs to the VM.
[ -S "$T/peer.sock" ] || die "vswitchd removed the VM's socket $T/peer.sock"
# Signal 0: only wait (at most 5 s) and collect its exit status.
stop_pid "$fio_pid" 5 0
cat "$T/fio.out" >&2
[ "$STOP_STATUS" = 0 ] ||
	die "frameio saw no clean hang-up (exit status $STOP_STATUS)"

# A socket file that was replaced behind the daemon's back is not its own
# any more: a second daemon owns it now and keeps it.
vsw_start "$T/sw.json" first
first=$VSW_PID
mv "$T/vm.sock" "$T/moved.sock"
cat >"$T/other.json" <<EOF
{ "runtime_dir": "$T/other",
  "ports": [ { "name": "other", "type": "unix-listen",
	       "path": "$T/vm.sock" } ] }
EOF
vsw_start "$T/other.json" other
vsw_stop "$first"
[ "$VSW_RC" -eq 0 ] || die "vswitchd exited with status $VSW_RC on SIGTERM"
[ -S "$T/vm.sock" ] || die "vswitchd removed a socket file it did not own"
vsw_stop
[ ! -e "$T/vm.sock" ] || die "$T/vm.sock left behind by the second daemon"
