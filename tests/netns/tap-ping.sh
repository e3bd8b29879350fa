#!/bin/bash
# Two namespaces, each behind a TAP port of one vswitchd (which runs in a
# third): ping both ways, and a short iperf3 run if iperf3 is installed.
# Three rounds cover the three ways a TAP port reads: the default
# (READ_MULTISHOT where the kernel has it), one-shot reads
# (VSWITCHD_NO_MULTISHOT=1), and jumbo frames beyond the 16 KiB shared
# buffers (max_frame 65535, MTU 9000, unfragmented 9000-byte pings).
set -eu
. "$(dirname "$0")/lib-netns.sh"
netns_init
require_cmd ping
ns_new A
ns_new B

write_config()
{
	cat >"$T/sw.json" <<-EOF
	{ "log_level": "debug",
	  "switch": { "max_frame": $1 },
	  "ports": [
	    { "name": "tapA", "type": "tap", "ifname": "vtapA"$2 },
	    { "name": "tapB", "type": "tap", "ifname": "vtapB"$2 } ] }
	EOF
}

# round NAME MAX_FRAME MTU_KEY PING_SIZE RX_MODE [ENV...]
round()
{
	local name=$1 max=$2 mtu=$3 size=$4 mode=$5

	shift 5
	log "round $name"
	write_config "$max" "$mtu"
	vsw_ns_start "$T/sw.json" "vswitchd-$name" "$@"
	log_has "$VSW_LOG" "port tapA: created TAP device vtapA .*$mode)"
	tap_to_ns vtapA "$NS_A" 10.99.1.1/24
	tap_to_ns vtapB "$NS_B" 10.99.1.2/24
	in_ns "$NS_A" ping -c 3 -i 0.2 -W 2 -M 'do' -s "$size" 10.99.1.2 >&2 ||
		die "$name: no ping reply from B to A ($size bytes)"
	in_ns "$NS_B" ping -c 3 -i 0.2 -W 2 -M 'do' -s "$size" 10.99.1.1 >&2 ||
		die "$name: no ping reply from A to B ($size bytes)"
	port_json tapA | grep -q '"state": *"up"' ||
		die "$name: port tapA is not up: $(port_json tapA)"
}

finish_round()
{
	vsw_stop
	[ "$VSW_RC" = 0 ] || die "vswitchd exited with status $VSW_RC"
	# Closing the descriptors deleted the devices we created.
	! ip -n "$NS_A" link show vtapA >/dev/null 2>&1 ||
		die "vtapA outlived the daemon that created it"
}

round default 1518 '' 1472 'read-multishot\|read'
if command -v iperf3 >/dev/null; then
	spawn iperf3-server ip netns exec "$NS_B" iperf3 -s -1 -B 10.99.1.2
	wait_for "iperf3 listening in $NS_B" 5 \
		sh -c "ip netns exec '$NS_B' ss -ltn | grep -q ':5201 '"
	in_ns "$NS_A" iperf3 -c 10.99.1.2 -t 2 -f m >"$T/iperf3.out" 2>&1 ||
		die "iperf3 failed: $(cat "$T/iperf3.out")"
	log "iperf3 through vswitchd: $(grep receiver "$T/iperf3.out")"
else
	log "iperf3 not installed: no throughput run"
fi
finish_round

round oneshot 1518 '' 1472 'read' VSWITCHD_NO_MULTISHOT=1
finish_round

round jumbo 65535 ', "mtu": 9000' 8972 'read-multishot\|read'
finish_round
finish
