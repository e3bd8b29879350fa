#!/bin/bash
# Issue 12: no client ever holds a DHCPACK the lease file does not know.
# Rounds of 150 new clients each (tests/tools/dhcpstorm, one packet
# socket in a client namespace), 300 DORAs a second starting; vswitchd
# is SIGKILLed at a random moment 0.2 to 0.7 s into each round.  After
# every restart each client that holds an ACK (all rounds so far) finds
# its lease loaded (`vswitchctl --json leases`) and gets the same address
# again: its INIT-REBOOT REQUEST is ACKed with it and a new DISCOVER is
# OFFERed it.
set -eu
. "$(dirname "$0")/lib-netns.sh"
netns_init
require_cmd jq
STORM=$top_builddir/tests/tools/dhcpstorm
[ -x "$STORM" ] || skip "no $STORM (make check builds it)"
ns_new C
ROUNDS=${DHCP_CRASH_ROUNDS:-4}

cat >"$T/sw.json" <<EOF2
{ "runtime_dir": "$T",
  "dhcp": { "subnet": "10.79.0.0/16", "server_ip": "10.79.0.1",
            "range_start": "10.79.1.0", "range_end": "10.79.4.255",
            "router": "10.79.0.254", "lease_s": 3600,
            "lease_file": "$T/leases" },
  "ports": [ { "name": "tapC", "type": "tap", "ifname": "vcrashC" } ] }
EOF2

# start N: a daemon (log vswitchd-N), its TAP in the client namespace.
start()
{
	vsw_ns_start "$T/sw.json" "vswitchd-$1"
	ip -n "$NS_SW" link set vcrashC netns "$NS_C"
	in_ns "$NS_C" sysctl -qw net.ipv6.conf.vcrashC.disable_ipv6=1 || :
	ip -n "$NS_C" link set vcrashC up
}

# Every held ACK is a bound lease of the running daemon, and the client
# gets that address again.
check_acks()
{
	local n

	[ -s "$T/acks" ] || return 0
	vctl --json leases | jq -r '.[] | select(.state == "bound") |
		"\(.mac) \(.ip)"' | sort >"$T/loaded"
	sort -u "$T/acks" >"$T/held"
	n=$(wc -l <"$T/held")
	comm -23 "$T/held" "$T/loaded" >"$T/missing"
	[ ! -s "$T/missing" ] ||
		die "$1: $(wc -l <"$T/missing") of $n acknowledged leases are not in the lease file after the restart, e.g. $(head -n 3 "$T/missing" | tr '\n' ' ')"
	in_ns "$NS_C" "$STORM" check vcrashC "$T/acks" >"$T/check-$1.out" 2>&1 ||
		die "$1: clients holding ACKs got other addresses: $(head -n 5 "$T/check-$1.out")"
	log "$1: all $n acknowledged clients have their addresses back"
}

total=0
for r in $(seq 1 "$ROUNDS"); do
	start "$r"
	check_acks "round $r (after restart)"
	spawn "storm-$r" ip netns exec "$NS_C" "$STORM" dora vcrashC "$r" \
		150 300 "$T/acks"
	storm=$SPAWN_PID
	# 0.2 to 0.7 s: mid-way through the DORAs.
	sleep "0.$((RANDOM % 6 + 2))"
	vsw_kill
	stop_pid "$storm"
	n=$(wc -l <"$T/acks" 2>/dev/null || echo 0)
	log "round $r: killed with $((n - total)) new ACKs held by clients"
	total=$n
done
[ "$total" -gt 0 ] || die "no client got an ACK in any round"
start final
check_acks final
vsw_stop
[ "$VSW_RC" = 0 ] || die "vswitchd exited with status $VSW_RC"
exit 0
