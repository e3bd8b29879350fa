#!/bin/bash
# Guests on the datagram port types: A on a UNIX datagram socket (QEMU
# `-netdev dgram` unix, switch port unix-dgram), B on a UNIX stream
# (unix-listen) and C on UDP over the loopback address (QEMU `-netdev dgram`
# inet, switch port udp). Every guest pings the two others, and each guest's
# MAC is learned on its own port: the datagram peers are child ports
# "<name>/<n>", like a listener's connections.
# shellcheck disable=SC2317 # functions run through check
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib-qemu.sh"

qemu_setup
run=$TESTDIR/run
mkdir -p "$run"
usock=$run/vm-unix.sock
swdg=$run/sw.dgram
vmdg=$TESTDIR/vm-a.dgram
MAC_A=52:54:00:00:05:0a MAC_B=52:54:00:00:05:0b MAC_C=52:54:00:00:05:0c

gen_config() {
	cat <<JSON
{
  "log_level": "debug",
  "ports": [
    { "name": "vm-dg",   "type": "unix-dgram",  "path": "$swdg" },
    { "name": "vm-unix", "type": "unix-listen", "path": "$usock" },
    { "name": "vm-udp",  "type": "udp", "address": "127.0.0.1", "port": $1 }
  ]
}
JSON
}

# The UDP port is picked at random: try another one if it was taken.
started=
for _ in 1 2 3 4 5; do
	P0=$(free_udp_port)
	gen_config "$P0" >"$TESTDIR/vswitchd.json"
	vswitchd_start "$TESTDIR/vswitchd.json" --runtime-dir "$run"
	if vswitchd_wait_ready 10 "unix:$usock" "unix:$swdg" "unix:$run/ctl.sock"; then
		started=1
		break
	fi
	if vswitchd_alive || ! grep -qi 'in use' "$TESTDIR/vswitchd.log"; then
		die "vswitchd did not start (config $TESTDIR/vswitchd.json)"
	fi
	vswitchd_stop
	log "UDP port $P0 was taken; trying another"
done
[ -n "$started" ] || die "vswitchd could not bind a free UDP port in 5 tries"
P1=$(free_udp_port)
while [ "$P1" = "$P0" ]; do P1=$(free_udp_port); done

guest_boot a "$MAC_A" dgram,local.type=unix,local.path="$vmdg",remote.type=unix,remote.path="$swdg"
guest_boot b "$MAC_B" stream,server=off,addr.type=unix,addr.path="$usock"
guest_boot c "$MAC_C" dgram,local.type=inet,local.host=127.0.0.1,local.port="$P1",remote.type=inet,remote.host=127.0.0.1,remote.port="$P0"
guest_wait_ready a
guest_wait_ready b
guest_wait_ready c

guest_run a 'ip addr add 10.0.5.1/24 dev eth0 && ip link set eth0 up'
guest_run b 'ip addr add 10.0.5.2/24 dev eth0 && ip link set eth0 up'
guest_run c 'ip addr add 10.0.5.3/24 dev eth0 && ip link set eth0 up'

check "A (unix-dgram) pings B (unix stream)" guest_ping a 10.0.5.2
check "B (unix stream) pings A (unix-dgram)" guest_ping b 10.0.5.1
check "C (udp) pings A (unix-dgram)" guest_ping c 10.0.5.1
check "C (udp) pings B (unix stream)" guest_ping c 10.0.5.2
check "A (unix-dgram) pings C (udp)" guest_ping a 10.0.5.3
check "B (unix stream) pings C (udp)" guest_ping b 10.0.5.3

ctl ports -s >&2 || :
mac_table_save
check "A's MAC is learned on a child of vm-dg" learned_on "$MAC_A" 'vm-dg/[0-9]*'
check "B's MAC is learned on a connection of vm-unix" learned_on "$MAC_B" 'vm-unix/[0-9]*'
check "C's MAC is learned on a child of vm-udp" learned_on "$MAC_C" 'vm-udp/[0-9]*'

# The children are the peers QEMU bound: A's socket path, C's address.
ctl ports >"$TESTDIR/ports.out"
# peer_is MAC PEER: the port MAC is learned on has PEER as its peer
peer_is() {
	local p
	p=$(mac_port "$1") && [ -n "$p" ] &&
		awk -v p="$p" -v peer="$2" '$1 == p && $4 == peer { f = 1 } END { exit !f }' "$TESTDIR/ports.out"
}
check "vm-dg's child has A's socket path as its peer" peer_is "$MAC_A" "$vmdg"
check "vm-udp's child has C's address as its peer" peer_is "$MAC_C" "127.0.0.1:$P1"

guest_stop a
guest_stop b
guest_stop c
check "vswitchd still runs" vswitchd_alive
vswitchd_stop_check
finish
