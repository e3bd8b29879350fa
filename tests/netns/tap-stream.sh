#!/bin/bash
# A TAP port and a QEMU-style stream port on one switch.  An ARP request
# from the namespace behind the TAP reaches the stream peer (frameio) as a
# broadcast frame, and frames frameio sends arrive in the namespace.
set -eu
. "$(dirname "$0")/lib-netns.sh"
netns_init
require_cmd ping tcpdump jq
ns_new A

cat >"$T/sw.json" <<EOF
{ "log_level": "debug",
  "ports": [
    { "name": "tapA", "type": "tap", "ifname": "vtapA" },
    { "name": "vm", "type": "unix-listen", "path": "$T/vm.sock" } ] }
EOF
vsw_ns_start "$T/sw.json"
tap_to_ns vtapA "$NS_A" 10.99.2.1/24
mac_a=$(in_ns "$NS_A" cat /sys/class/net/vtapA/address)

# Record what the TAP port receives, then make the namespace ARP for an
# address nobody has, over and over, until the test ends.
spawn capture "$VSWITCHCTL" -s "$T/ctl.sock" capture tapA -w "$T/tapA.pcap" -c 2
sleep 0.3
spawn arp ip netns exec "$NS_A" ping -i 0.3 -w 20 10.99.2.99

fio <<EOF
open V unix:$T/vm.sock
wait-log $VSW_LOG port vm/1: connected
expect-count V count=2 timeout=5000
EOF
wait_for "two frames captured on tapA" 5 \
	sh -c "tcpdump -r '$T/tapA.pcap' 2>/dev/null | [ \$(wc -l) -ge 2 ]"
tcpdump -enr "$T/tapA.pcap" >"$T/tapA.txt" 2>/dev/null
cat "$T/tapA.txt" >&2
grep -q "$mac_a > ff:ff:ff:ff:ff:ff, ethertype ARP.*Request who-has 10.99.2.99 tell 10.99.2.1" \
	"$T/tapA.txt" || die "no broadcast ARP request from $mac_a captured"

# The other way: five frames from the VM to the namespace's MAC.
rx0=$(in_ns "$NS_A" cat /sys/class/net/vtapA/statistics/rx_packets)
fio <<EOF
open V unix:$T/vm.sock
wait-log $VSW_LOG port vm/2: connected
send V dst=$mac_a src=$MAC_A type=0x88b5 tag=to-ns-1
send V dst=$mac_a src=$MAC_A type=0x88b5 tag=to-ns-2
send V dst=$mac_a src=$MAC_A type=0x88b5 tag=to-ns-3
send V dst=$mac_a src=$MAC_A type=0x88b5 tag=to-ns-4
send V dst=$mac_a src=$MAC_A type=0x88b5 tag=to-ns-5
EOF
rx_grew()
{
	local rx

	rx=$(in_ns "$NS_A" cat /sys/class/net/vtapA/statistics/rx_packets)
	[ "$rx" -ge $((rx0 + 5)) ]
}
wait_for "5 more frames received on vtapA in $NS_A" 5 rx_grew
port_json tapA | jq -e '.result.stats.tx_frames >= 5' >/dev/null ||
	die "tapA counted fewer than 5 frames sent: $(port_json tapA)"
finish
