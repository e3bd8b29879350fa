#!/bin/bash
# "Stopped" means the ports are free: 50 stop/start cycles in a row of one
# configuration with tcp, udp, unix-listen, unix-dgram and tap ports, each
# start right after the last stop, with a VM-like client connected to the
# stream ports and datagrams arriving as the daemon stops.  None may fail
# to bind ("Address already in use" came from requests still in flight
# when the ring was torn down, which kept their sockets for a while), and
# right after each stop no socket or TAP device of the daemon is left.
set -eu
. "$(dirname "$0")/lib-netns.sh"
netns_init
require_cmd socat

cycles=${VSW_RESTART_CYCLES:-50}
cat >"$T/sw.json" <<EOF
{ "runtime_dir": "$T/run",
  "ports": [
    { "name": "vm-tcp", "type": "tcp-listen", "address": "127.0.0.1",
      "port": 7311 },
    { "name": "vm-udp", "type": "udp", "address": "127.0.0.1",
      "port": 7312 },
    { "name": "vm-unix", "type": "unix-listen", "path": "$T/vm.sock" },
    { "name": "vm-dg", "type": "unix-dgram", "path": "$T/vm.dgram" },
    { "name": "host", "type": "tap", "ifname": "vrst0" } ] }
EOF

both_connected()
{
	[ "$(grep -c ': connected (' "$VSW_LOG")" -ge 2 ]
}

for i in $(seq 1 "$cycles"); do
	# Every other cycle takes the single-shot paths of older kernels.
	mode=
	[ $((i % 2)) = 1 ] || mode=VSWITCHD_NO_MULTISHOT=1
	vsw_ns_start "$T/sw.json" "vswitchd-$i" $mode
	# Clients that hold requests of the daemon in flight when it stops
	# (each ends when the daemon closes its connection).
	spawn "tcp-$i" ip netns exec "$NS_SW" socat -u TCP:127.0.0.1:7311 \
		/dev/null
	c1=$SPAWN_PID
	spawn "unix-$i" ip netns exec "$NS_SW" socat -u \
		"UNIX-CONNECT:$T/vm.sock" /dev/null
	c2=$SPAWN_PID
	wait_for "both clients connected on cycle $i" 5 both_connected
	head -c 60 /dev/zero | in_ns "$NS_SW" socat -u - \
		UDP-SENDTO:127.0.0.1:7312 2>/dev/null || :
	vsw_stop
	[ "$VSW_RC" = 0 ] || die "cycle $i: vswitchd exited with $VSW_RC"
	# At once, before anything else runs: nothing of it may be left.
	left=$(in_ns "$NS_SW" ss -Htuan 'sport = :7311 or sport = :7312' |
		grep -v TIME-WAIT || :)
	[ -z "$left" ] || die "cycle $i: sockets outlive the daemon: $left"
	! ip -n "$NS_SW" link show vrst0 >/dev/null 2>&1 ||
		die "cycle $i: the TAP device outlives the daemon"
	grep -q 'in use\|still in flight' "$VSW_LOG" &&
		die "cycle $i: $(grep 'in use\|still in flight' "$VSW_LOG")"
	stop_pid $c1 1
	stop_pid $c2 1
done
log "$cycles stop/start cycles, each start bound every port"
finish
