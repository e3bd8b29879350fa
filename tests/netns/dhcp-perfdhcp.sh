#!/bin/bash
# The embedded DHCP server under ISC perfdhcp (kea-admin), which plays a
# relay agent: it sends from port 67 with giaddr set to its own address,
# and the server answers unicast to giaddr:67.  2000 DORA exchanges over
# 2000 simulated clients at a moderate rate (this is not a timing test)
# into a /16 pool: every DISCOVER gets its OFFER and every REQUEST its
# ACK, `vswitchctl --json leases` lists one bound lease per distinct
# client perfdhcp saw, and no packet was counted malformed.
set -eu
. "$(dirname "$0")/lib-netns.sh"
netns_init
PATH=$PATH:/usr/sbin
require_cmd perfdhcp jq
ns_new P

# perfdhcp's address must be in the server's one subnet: giaddr is only
# where the replies go, the subnet is always the configured one.
cat >"$T/sw.json" <<EOF
{ "runtime_dir": "$T",
  "dhcp": { "subnet": "10.78.0.0/16", "server_ip": "10.78.0.1",
            "range_start": "10.78.1.0", "range_end": "10.78.255.254",
            "router": "10.78.0.254", "dns": [ "10.78.0.53" ],
            "lease_s": 3600, "lease_file": "$T/leases" },
  "ports": [ { "name": "tapP", "type": "tap", "ifname": "vdhcpP" } ] }
EOF
vsw_ns_start "$T/sw.json"
tap_to_ns vdhcpP "$NS_P" 10.78.0.2/16

# -R 2000: the clients' MACs (and client ids, 01 + MAC) vary over 2000
# values from 00:0c:01:02:03:04; -s makes the run repeatable, -x l prints
# every lease received (counted below rather than assumed), -d 2 gives a
# reply 2 s before it counts as dropped, -W waits 1 s for late replies
# after the last exchange.
rc=0
in_ns "$NS_P" perfdhcp -4 -l 10.78.0.2 -r 300 -R 2000 -n 2000 -s 7 \
	-d 2 -W 1000000 -x l 10.78.0.1 >"$T/perfdhcp.out" 2>&1 || rc=$?
grep -Ev '^[0-9a-f]+,[0-9.]+,' "$T/perfdhcp.out" >&2

# Both exchanges of every DORA: DISCOVER-OFFER and REQUEST-ACK.
# stat SECTION FIELD: a count from the "Statistics for: SECTION" block.
stat()
{
	sed -n "/^\*\*\*Statistics for: $1\*\*\*/,/^\$/s/^$2: //p" \
		"$T/perfdhcp.out"
}
for x in DISCOVER-OFFER REQUEST-ACK; do
	sent=$(stat "$x" 'sent packets')
	recv=$(stat "$x" 'received packets')
	drops=$(stat "$x" drops)
	log "$x: sent $sent, received $recv, drops $drops"
	[ "$sent" = 2000 ] || die "$x: perfdhcp sent ${sent:-no} packets, want 2000"
	if [ "$recv" != "$sent" ] || [ "$drops" != 0 ]; then
		die "$x: $sent sent, ${recv:-no} answered, ${drops:-no} drops"
	fi
	for f in orphans 'rejected leases' 'non unique addresses'; do
		[ "$(stat "$x" "$f")" = 0 ] || die "$x: $f: $(stat "$x" "$f")"
	done
done
grep -q '^Malformed packets: 0$' "$T/perfdhcp.out" ||
	die "perfdhcp found malformed replies"
# (Checked after the counts, which say more: it exits 3 on drops.)
[ "$rc" = 0 ] || die "perfdhcp exited with status $rc"

# -x l prints "client-id,address," for each lease of either exchange.
clients=$(grep -E '^[0-9a-f]+,[0-9.]+,' "$T/perfdhcp.out" | cut -d, -f1 |
	sort -u | wc -l)
log "perfdhcp simulated $clients distinct clients"
[ "$clients" -ge 1000 ] || die "perfdhcp used only $clients clients"

# One bound lease per client, the address perfdhcp was given.
vctl --json leases >"$T/leases.json"
n=$(jq '[.[] | select(.state == "bound")] | length' "$T/leases.json")
log "vswitchctl leases: $n bound"
[ "$n" = "$clients" ] || die "$n bound leases, want $clients"
grep -E '^[0-9a-f]+,[0-9.]+,' "$T/perfdhcp.out" | cut -d, -f1,2 | sort -u \
	>"$T/perfdhcp.leases"
jq -r '.[] | "\(.client_id),\(.ip)"' "$T/leases.json" | sort \
	>"$T/vswitchd.leases"
cmp -s "$T/perfdhcp.leases" "$T/vswitchd.leases" ||
	die "leases differ: $(diff "$T/perfdhcp.leases" "$T/vswitchd.leases" |
		head -n 10)"

# The server's own counters agree: nothing malformed, refused or lost.
port_json dhcp >"$T/dhcp.json"
jq -c .result.dhcp "$T/dhcp.json" >&2
for c in malformed nak pool_full; do
	[ "$(jq ".result.dhcp.$c" "$T/dhcp.json")" = 0 ] ||
		die "the server counted $c: $(jq -c .result.dhcp "$T/dhcp.json")"
done
for c in discover offer request ack; do
	[ "$(jq ".result.dhcp.$c" "$T/dhcp.json")" = 2000 ] ||
		die "the server counted $c $(jq ".result.dhcp.$c" "$T/dhcp.json"), want 2000"
done

vsw_stop
[ "$VSW_RC" = 0 ] || die "vswitchd exited with status $VSW_RC"
[ "$(grep -c '^10\.78\.' "$T/leases")" = "$clients" ] ||
	die "the lease file does not have $clients leases"
exit 0
