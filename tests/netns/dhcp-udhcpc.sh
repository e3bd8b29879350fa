#!/bin/bash
# The embedded DHCP server on a TAP port: busybox udhcpc in a client
# namespace gets an address from the configured range with the configured
# router and DNS, `vswitchctl leases` lists it, and after a restart of
# vswitchd (the lease file) the client gets the same address again.
set -eu
. "$(dirname "$0")/lib-netns.sh"
netns_init
need_udhcpc
ns_new C

cat >"$T/sw.json" <<EOF
{ "runtime_dir": "$T",
  $(dhcp77_json),
  "ports": [ { "name": "tapC", "type": "tap", "ifname": "vdhcpC" } ] }
EOF

# udhcpc's script: apply the address and record what the server said.
cat >"$T/udhcpc.sh" <<EOF
#!/bin/sh
case "\$1" in
deconfig) ip addr flush dev "\$interface" ;;
bound|renew)
	echo "\$1" >>"$T/reasons"
	ip addr flush dev "\$interface"
	ip addr add "\$ip/\$mask" dev "\$interface"
	for r in \$router; do ip route replace default via "\$r"; break; done
	printf 'ip=%s\nmask=%s\nrouter=%s\ndns=%s\nserverid=%s\ndomain=%s\nlease=%s\n' \
		"\$ip" "\$mask" "\$router" "\$dns" "\$serverid" "\$domain" \
		"\$lease" >"$T/lease.\$\$.out"
	mv "$T/lease.\$\$.out" "$T/lease.out" ;;
esac
EOF
chmod +x "$T/udhcpc.sh"

# get_lease ROUND [UDHCPC-ARGS...]
get_lease()
{
	local round=$1

	shift
	rm -f "$T/lease.out"
	udhcpc_in "$NS_C" vdhcpC "$T/udhcpc-$round.log" "$@" -s "$T/udhcpc.sh" ||
		die "$round: udhcpc got no lease: $(cat "$T/udhcpc-$round.log")"
	[ -s "$T/lease.out" ] || die "$round: the udhcpc script did not run"
	cat "$T/lease.out" >&2
}

# The TAP moves into the client namespace with a fixed MAC: the client
# (keyed by its MAC) is the same one after the restart.
client_link()
{
	ip -n "$NS_SW" link set vdhcpC netns "$NS_C"
	in_ns "$NS_C" sysctl -qw net.ipv6.conf.vdhcpC.disable_ipv6=1 || :
	ip -n "$NS_C" link set vdhcpC address 02:77:00:00:00:42
	ip -n "$NS_C" link set vdhcpC up
}

value() { sed -n "s/^$1=//p" "$T/lease.out"; }

vsw_ns_start "$T/sw.json" vswitchd-1
log_has "$VSW_LOG" 'port dhcp: DHCP server 10.77.0.1'
client_link

# Ask for .110 (option 50): the server's own first choice for this client
# (a hash of its MAC) is then unlikely to be the address it holds, which
# makes the check after the restart a check of the lease file.
get_lease first -r 10.77.0.110
addr=$(value ip)
case $addr in
10.77.0.1[0-1][0-9] | 10.77.0.120) ;;
*) die "address $addr is not in 10.77.0.100-10.77.0.120" ;;
esac
[ "$addr" = 10.77.0.110 ] || die "requested 10.77.0.110, got $addr"
[ "$(value mask)" = 24 ] || die "mask $(value mask), want 24"
[ "$(value router)" = 10.77.0.254 ] || die "router $(value router)"
[ "$(value dns)" = "10.77.0.53 10.77.0.54" ] || die "dns $(value dns)"
[ "$(value serverid)" = 10.77.0.1 ] || die "server id $(value serverid)"
[ "$(value domain)" = test.example ] || die "domain $(value domain)"
[ "$(value lease)" = 600 ] || die "lease time $(value lease)"
ip -n "$NS_C" -4 addr show dev vdhcpC | grep -q "inet $addr/24" ||
	die "the address is not on the interface"
# The server answers ARP for itself: the client can reach it.
in_ns "$NS_C" ip neigh flush dev vdhcpC
in_ns "$NS_C" busybox arping -c 1 -w 2 -I vdhcpC 10.77.0.1 >&2 ||
	die "no ARP reply from the server"

vctl leases >"$T/leases.txt"
cat "$T/leases.txt" >&2
grep -q "$addr" "$T/leases.txt" || die "vswitchctl leases does not list $addr"
grep -q "bound" "$T/leases.txt" || die "the lease is not shown as bound"
vctl raw dhcp/leases '{}' >"$T/leases.json"
grep -q "\"ip\": *\"$addr\"" "$T/leases.json" ||
	die "dhcp/leases: $(cat "$T/leases.json")"
vctl raw show '{}' | grep -q '"ack": *[1-9]' || die "show has no dhcp acks"
grep -q "^$addr .* tapC *\$" "$T/leases.txt" ||
	die "the lease does not name the client's port tapC"

# Renew: a running udhcpc asked to renew (SIGUSR1) unicasts a REQUEST
# with its address in ciaddr (RENEWING); the ACK restarts the lease.
expires() {
	vctl --json leases | jq --arg ip "$addr" '.[] | select(.ip == $ip) | .expires_s'
}
rm -f "$T/reasons"
spawn udhcpc-renew ip netns exec "$NS_C" busybox udhcpc -i vdhcpC -f \
	-r "$addr" -t 5 -T 1 -s "$T/udhcpc.sh"
renew_pid=$SPAWN_PID
wait_for "udhcpc to be bound" 10 grep -q bound "$T/reasons"
sleep 2
before=$(expires)
kill -USR1 "$renew_pid"
wait_for "udhcpc to renew" 10 grep -q renew "$T/reasons"
after=$(expires)
log "lease time left: $before s before the renewal, $after s after"
[ "$after" -gt "$before" ] || die "the renewal did not restart the lease"
[ "$(value ip)" = "$addr" ] || die "renewed $(value ip), want $addr"
stop_pid "$renew_pid"

# Reload with a changed DHCP section: the server is replaced, the lease
# carries over through the lease file, the new settings apply.
sed -i 's/"lease_s": 600/"lease_s": 900/' "$T/sw.json"
vctl reload >"$T/reload.txt" || die "reload failed: $(cat "$T/reload.txt")"
grep -q "changed: *dhcp" "$T/reload.txt" ||
	die "the reload did not replace the DHCP server: $(cat "$T/reload.txt")"
wait_for "the new DHCP server" 5 eval 'vctl leases | grep -q "$addr"'
get_lease reloaded -r "$addr"
[ "$(value ip)" = "$addr" ] || die "after the reload: $(value ip), want $addr"
[ "$(value lease)" = 900 ] || die "after the reload: lease $(value lease), want 900"

vsw_stop
[ "$VSW_RC" = 0 ] || die "vswitchd exited with status $VSW_RC"
grep -q "^$addr " "$T/leases" || die "the lease file has no $addr: $(cat "$T/leases")"

# A fresh daemon, a fresh TAP and a client that forgot everything: the
# lease file gives the same address back.
ip -n "$NS_C" link del vdhcpC 2>/dev/null || :
vsw_ns_start "$T/sw.json" vswitchd-2
client_link
vctl leases | grep -q "$addr" || die "the restarted server did not load $addr"
get_lease second
[ "$(value ip)" = "$addr" ] || die "after a restart: $(value ip), want $addr"
vsw_stop
[ "$VSW_RC" = 0 ] || die "vswitchd exited with status $VSW_RC"
exit 0
