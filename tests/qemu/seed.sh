#!/bin/bash
# The seed topology with vswitchd alone: two guests on a QEMU multicast
# segment (`-netdev socket,mcast=`), a guest on a UNIX stream and a "host"
# behind a TAP, all joined by one vswitchd with an mcast, a unix-listen and a
# tap port. This is what the classic "QEMU multicast + socat TAP" recipe
# does, with learning and without a second process per attachment.
#
# Everything runs in a network namespace of the test's own (multicast never
# touches the host's): vswitchd and the guests in $NS_SW, where lo does
# multicast; the TAP is moved into a second namespace, $NS_HOST, and
# addressed there. Every machine pings every other one; then each MAC must
# be learned once, on its own port (the mcast guests on the mcast port), the
# switch's own datagrams heard back from the group must have been dropped
# (rx_echo > 0), and the counters must stand still once the traffic stops
# (a forwarding loop through the group would make them run away).
# shellcheck disable=SC2317 # functions run through check
set -eu

# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib-qemu.sh"
# shellcheck source=../lib-ns.sh
. "$(dirname "$0")/../lib-ns.sh"
# Outside: make the namespaces, run this script again inside $NS_SW,
# delete them whatever happens.
[ -n "${VSW_NS_INNER-}" ] || [ -c /dev/net/tun ] || skip "no /dev/net/tun"
ns_reexec SW HOST -- "$@"

# Inside $NS_SW from here on.
require_cmd ping
qemu_setup

GROUP=239.192.0.1
MPORT=5000
TAPDEV=vswseed0
run=$TESTDIR/run
mkdir -p "$run"
usock=$run/vm-unix.sock
MAC_M1=52:54:00:00:06:01 MAC_M2=52:54:00:00:06:02 MAC_S=52:54:00:00:06:03
IP_M1=10.0.6.1 IP_M2=10.0.6.2 IP_S=10.0.6.3 IP_H=10.0.6.4

ip link set lo up
ip link set lo multicast on
ip route add 224.0.0.0/4 dev lo
# No IPv6 chatter (router solicitations, MLD) on the TAP, here or after the
# move, in the way of the counter checks.
sysctl -qw net.ipv6.conf.default.disable_ipv6=1 || :
ip netns exec "$NS_HOST" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 || :
ip -n "$NS_HOST" link set lo up

cat >"$TESTDIR/vswitchd.json" <<JSON
{
  "log_level": "debug",
  "ports": [
    { "name": "seg", "type": "mcast", "group": "$GROUP", "port": $MPORT,
      "interface": "lo" },
    { "name": "vm-unix", "type": "unix-listen", "path": "$usock" },
    { "name": "host", "type": "tap", "ifname": "$TAPDEV" }
  ]
}
JSON
vswitchd_start "$TESTDIR/vswitchd.json" --runtime-dir "$run"
vswitchd_wait_ready 10 "unix:$usock" "unix:$run/ctl.sock" ||
	die "vswitchd did not start (config $TESTDIR/vswitchd.json)"

# The host: the TAP vswitchd made, moved into $NS_HOST (it keeps working).
wait_for "TAP device $TAPDEV" 5 ip link show "$TAPDEV" >/dev/null
ip link set "$TAPDEV" netns "$NS_HOST"
ip netns exec "$NS_HOST" sysctl -qw "net.ipv6.conf.$TAPDEV.disable_ipv6=1" || :
ip -n "$NS_HOST" addr add "$IP_H/24" dev "$TAPDEV"
ip -n "$NS_HOST" link set "$TAPDEV" up
MAC_H=$(ip -n "$NS_HOST" -o link show "$TAPDEV" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
[ -n "$MAC_H" ] || die "no MAC address on $TAPDEV"
log "host: $TAPDEV in $NS_HOST, $IP_H, MAC $MAC_H"

guest_boot m1 "$MAC_M1" socket,mcast="$GROUP:$MPORT",localaddr=127.0.0.1
guest_boot m2 "$MAC_M2" socket,mcast="$GROUP:$MPORT",localaddr=127.0.0.1
guest_boot s "$MAC_S" stream,server=off,addr.type=unix,addr.path="$usock"
guests_ip4_ready m1="$IP_M1" m2="$IP_M2" s="$IP_S"

host_ping() {
	ip netns exec "$NS_HOST" ping -c 2 -i 0.2 -W 2 "$1" >&2
}
# Every machine pings every other one: each of the 6 pairs, both ways.
declare -A ip_of=([m1]=$IP_M1 [m2]=$IP_M2 [s]=$IP_S [host]=$IP_H)
for from in host m1 m2 s; do
	for to in m1 m2 s host; do
		[ "$from" != "$to" ] || continue
		if [ "$from" = host ]; then
			check "host (tap) pings $to" host_ping "${ip_of[$to]}"
		else
			check "$from pings $to" guest_ping "$from" "${ip_of[$to]}" 2
		fi
	done
done

# --- MACs: each learned once, on its own port
mac_table_save
check "m1's MAC is learned on the mcast port (once)" learned_on "$MAC_M1" seg
check "m2's MAC is learned on the mcast port (once)" learned_on "$MAC_M2" seg
check "s's MAC is learned on its connection (once)" learned_on "$MAC_S" 'vm-unix/[0-9]*'
check "the host's MAC is learned on the tap port (once)" learned_on "$MAC_H" host
n_macs=$(grep -c '^[0-9a-f][0-9a-f]:' "$TESTDIR/macs.out" || :)
check "the table holds these 4 MACs and nothing else ($n_macs entries)" [ "$n_macs" = 4 ]

# --- no loop: once the traffic has stopped, the counters stand still
# counters: NAME RX-FRAMES TX-FRAMES RX-ECHO of every port, from `ports -s`
counters() {
	ctl ports -s | awk '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ print $1, $col["RX-FRAMES"], $col["TX-FRAMES"], $col["RX-ECHO"] }'
}
# Late ARP probes (a neighbour entry's DELAY state ends after 5 s) may still
# come: wait up to 10 s for two snapshots 1 s apart to agree. A loop never
# settles.
settled=
before=$(counters)
for _ in $(seq 10); do
	sleep 1
	after=$(counters)
	if [ "$after" = "$before" ]; then
		settled=1
		break
	fi
	log "counters still moving:"
	diff <(printf '%s\n' "$before") <(printf '%s\n' "$after") | sed 's/^/    /' >&2 || :
	before=$after
done
ctl ports -s >&2
check "the frame counters stand still once the traffic stops (no loop)" [ -n "$settled" ]
seg_tx=$(counters | awk '$1 == "seg" { print $3 }')
seg_echo=$(counters | awk '$1 == "seg" { print $4 }')
check "the mcast port heard its own datagrams and dropped them (rx_echo $seg_echo > 0)" \
	[ "${seg_echo:-0}" -gt 0 ]
check "every datagram it sent came back once (rx_echo $seg_echo = tx_frames $seg_tx)" \
	[ "$seg_echo" = "$seg_tx" ]

guest_stop m1
guest_stop m2
guest_stop s
check "vswitchd still runs" vswitchd_alive
vswitchd_stop_check
finish
