#!/bin/bash
# Both QEMU multicast backends on one segment with vswitchd: a guest on
# `-netdev dgram` with a multicast remote (QEMU 7.2 wants local.port there
# although it only uses local.host), a guest on
# `-netdev socket,mcast=`, and a guest on a unix-listen stream port of
# vswitchd, which also has an mcast port on the same group. All three ping
# each other; both multicast guests are then learned on the mcast port.
#
# Everything runs in a network namespace of the test's own, where lo does
# multicast (never in the host's).
# shellcheck disable=SC2317 # functions run through check
set -eu

# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib-qemu.sh"
# shellcheck source=../lib-ns.sh
. "$(dirname "$0")/../lib-ns.sh"
# Outside: make the namespace, run this script again inside it, delete it
# whatever happens.
ns_reexec SW -- "$@"

# Inside $NS_SW from here on.
qemu_setup

GROUP=239.192.0.2
MPORT=5002
run=$TESTDIR/run
mkdir -p "$run"
usock=$run/vm-unix.sock
MAC_D=52:54:00:00:07:01 MAC_K=52:54:00:00:07:02 MAC_S=52:54:00:00:07:03
IP_D=10.0.7.1 IP_K=10.0.7.2 IP_S=10.0.7.3

ip link set lo up
ip link set lo multicast on
ip route add 224.0.0.0/4 dev lo

cat >"$TESTDIR/vswitchd.json" <<JSON
{
  "log_level": "debug",
  "ports": [
    { "name": "seg", "type": "mcast", "group": "$GROUP", "port": $MPORT,
      "interface": "lo" },
    { "name": "vm-unix", "type": "unix-listen", "path": "$usock" }
  ]
}
JSON
vswitchd_start "$TESTDIR/vswitchd.json" --runtime-dir "$run"
vswitchd_wait_ready 10 "unix:$usock" "unix:$run/ctl.sock" ||
	die "vswitchd did not start (config $TESTDIR/vswitchd.json)"

guest_boot d "$MAC_D" dgram,remote.type=inet,remote.host="$GROUP",remote.port="$MPORT",local.type=inet,local.host=127.0.0.1,local.port="$MPORT"
guest_boot k "$MAC_K" socket,mcast="$GROUP:$MPORT",localaddr=127.0.0.1
guest_boot s "$MAC_S" stream,server=off,addr.type=unix,addr.path="$usock"
guests_ip4_ready d="$IP_D" k="$IP_K" s="$IP_S"

# Every guest pings every other one: each of the 3 pairs, both ways.
declare -A ip_of=([d]=$IP_D [k]=$IP_K [s]=$IP_S)
for from in d k s; do
	for to in d k s; do
		[ "$from" != "$to" ] || continue
		check "$from pings $to" guest_ping "$from" "${ip_of[$to]}" 2
	done
done

mac_table_save
check "the dgram guest's MAC is learned on the mcast port (once)" learned_on "$MAC_D" seg
check "the socket,mcast guest's MAC is learned on the mcast port (once)" learned_on "$MAC_K" seg
check "the stream guest's MAC is learned on its connection (once)" learned_on "$MAC_S" 'vm-unix/[0-9]*'
echo_n=$(ctl ports -s | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$1 == "seg" { print $col["RX-ECHO"] }')
check "the mcast port dropped its own datagrams (rx_echo ${echo_n:-?} > 0)" \
	[ "${echo_n:-0}" -gt 0 ]

guest_stop d
guest_stop k
guest_stop s
check "vswitchd still runs" vswitchd_alive
vswitchd_stop_check
finish
