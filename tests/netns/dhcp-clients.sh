#!/bin/bash
# The embedded DHCP server against real clients, each in a namespace of its
# own behind a TAP port of one vswitchd:
#   A  ISC dhclient: a lease from the range with the configured router, DNS,
#      MTU, domain and search; release (dhclient -r) removes the lease from
#      `vswitchctl leases` and a new dhclient gets the same address again.
#   B  dhcpcd (DUID client id, requires option 54, asks for rapid commit,
#      which the server allows): a lease by DISCOVER/ACK, listed with its
#      RFC 4361 client id; no dhcpcd left running.
#   R  dhclient with a reserved MAC: the reserved address and hostname.
#   N  dhclient that remembers 192.0.2.50 (another subnet): its INIT-REBOOT
#      REQUEST gets a NAK, it falls back to DISCOVER and gets a lease from
#      the range; `show` counts the NAK.
# The clients run with scripts of their own (they record what they got and
# apply only the address, inside their namespace) and in a private mount
# namespace where /etc/resolv.conf and dhcpcd's state directories are
# bind-mounted copies in the test directory, so the host is left alone.
set -eu
. "$(dirname "$0")/lib-netns.sh"
netns_init
require_cmd dhclient dhcpcd mount
ns_new A
ns_new B
ns_new R
ns_new N

cat >"$T/sw.json" <<EOF
{ "runtime_dir": "$T",
  $(dhcp77_json '"search": [ "test.example", "example.org" ],
            "mtu": 1400, "rapid_commit": true,
            "reservations": [ { "mac": "02:77:00:00:00:99",
                                "ip": "10.77.0.10", "hostname": "resv1" } ]'),
  "ports": [ { "name": "tapA", "type": "tap", "ifname": "vdhcpA" },
             { "name": "tapB", "type": "tap", "ifname": "vdhcpB" },
             { "name": "tapR", "type": "tap", "ifname": "vdhcpR" },
             { "name": "tapN", "type": "tap", "ifname": "vdhcpN" } ] }
EOF

# What the clients may write instead of the host's files.
: >"$T/resolv.conf"
mkdir -p "$T/dhcpcd-db" "$T/run"

# dhclient's script: record the variables, apply only the address.
cat >"$T/dhclient-script" <<EOF
#!/bin/sh
out="$T/dhclient-\$interface"
echo "\$reason" >>"\$out.reasons"
case "\$reason" in
BOUND|RENEW|REBIND|REBOOT)
	ip -4 addr flush dev "\$interface"
	ip addr add "\$new_ip_address/\$new_subnet_mask" dev "\$interface"
	{
		echo "ip=\$new_ip_address"
		echo "mask=\$new_subnet_mask"
		echo "router=\$new_routers"
		echo "dns=\$new_domain_name_servers"
		echo "mtu=\$new_interface_mtu"
		echo "domain=\$new_domain_name"
		echo "search=\$new_domain_search"
		echo "hostname=\$new_host_name"
		echo "serverid=\$new_dhcp_server_identifier"
		echo "lease=\$new_dhcp_lease_time"
	} >"\$out.tmp"
	mv "\$out.tmp" "\$out.out" ;;
RELEASE|EXPIRE|FAIL|STOP)
	ip -4 addr flush dev "\$interface" ;;
esac
exit 0
EOF
# dhcpcd's script (it replaces dhcpcd-run-hooks, so no hook runs at all).
cat >"$T/dhcpcd-script" <<EOF
#!/bin/sh
out="$T/dhcpcd-\$interface"
echo "\$reason" >>"\$out.reasons"
case "\$reason" in
BOUND|RENEW|REBIND|REBOOT|INFORM)
	{
		echo "ip=\$new_ip_address"
		echo "mask=\$new_subnet_mask"
		echo "router=\$new_routers"
		echo "dns=\$new_domain_name_servers"
		echo "mtu=\$new_interface_mtu"
		echo "serverid=\$new_dhcp_server_identifier"
	} >"\$out.tmp"
	mv "\$out.tmp" "\$out.out" ;;
esac
exit 0
EOF
chmod +x "$T/dhclient-script" "$T/dhcpcd-script"

cat >"$T/dhclient.conf" <<EOF
timeout 10;
retry 1;
request subnet-mask, broadcast-address, routers, domain-name,
	domain-name-servers, domain-search, host-name, interface-mtu;
EOF
cat >"$T/dhcpcd.conf" <<EOF
duid
persistent
option rapid_commit
option domain_name_servers, domain_name, domain_search, host_name
option classless_static_routes, interface_mtu
require dhcp_server_identifier
noipv4ll
noarp
EOF

# private_ns NS CMD...: CMD inside NS (ip netns exec gives it a mount
# namespace of its own, a slave of the host's) with /etc/resolv.conf and
# dhcpcd's directories (/var/lib/dhcpcd, /run) replaced by the test's.
# ip and sh exec CMD: a background private_ns has CMD's pid.
private_sh='mount --bind "$0/resolv.conf" /etc/resolv.conf &&
	mount --bind "$0/dhcpcd-db" /var/lib/dhcpcd &&
	mount --bind "$0/run" /run || exit 126
	exec "$@"'
private_ns()
{
	local ns=$1

	shift
	exec ip netns exec "$ns" sh -c "$private_sh" "$T" "$@"
}

# Belt and braces: no dhclient outlives the test, whoever started it.
_kill_dhclients()
{
	local f pid

	for f in "$T"/dhclient-*.pid; do
		[ -s "$f" ] || continue
		pid=$(cat "$f")
		grep -q dhclient "/proc/$pid/cmdline" 2>/dev/null &&
			kill "$pid" 2>/dev/null || :
	done
}
on_exit _kill_dhclients

# client_link DEV NS [MAC]
client_link()
{
	ip -n "$NS_SW" link set "$1" netns "$2"
	in_ns "$2" sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1" || :
	[ -z "${3-}" ] || ip -n "$2" link set "$1" address "$3"
	ip -n "$2" link set "$1" up
}

# dhclient_start DEV NS: run dhclient in the foreground (a tracked
# background child) until its script has recorded a lease.
dhclient_start()
{
	local dev=$1 ns=$2

	rm -f "$T/dhclient-$dev.out"
	spawn "dhclient-$dev" private_ns "$ns" dhclient -4 -d -v \
		-cf "$T/dhclient.conf" -sf "$T/dhclient-script" \
		-lf "$T/dhclient-$dev.leases" -pf "$T/dhclient-$dev.pid" "$dev"
	DHCLIENT_PID=$SPAWN_PID
	wait_for "a lease for dhclient on $dev" 15 \
		test -s "$T/dhclient-$dev.out" ||
		die "dhclient on $dev: $(cat "$T/dhclient-$dev.log")"
	cat "$T/dhclient-$dev.out" >&2
}

# value FILE KEY
value() { sed -n "s/^$2=//p" "$1"; }

# expect FILE KEY WANT
expect()
{
	local got

	got=$(value "$1" "$2")
	[ "$got" = "$3" ] || die "$(basename "$1"): $2 is '$got', want '$3'"
}

# dhcp_stat NAME: a counter of the server's statistics in `show`.
dhcp_stat()
{
	vctl --json show |
		jq --arg k "$1" '[.. | objects | select(has("nak")) | .[$k]] | add'
}

in_range()
{
	case $1 in
	10.77.0.1[0-1][0-9] | 10.77.0.120) ;;
	*) die "address '$1' is not in 10.77.0.100-10.77.0.120" ;;
	esac
}

vsw_ns_start "$T/sw.json" vswitchd
log_has "$VSW_LOG" 'port dhcp: DHCP server 10.77.0.1'
client_link vdhcpA "$NS_A"
client_link vdhcpB "$NS_B"
client_link vdhcpR "$NS_R" 02:77:00:00:00:99
client_link vdhcpN "$NS_N"

# 1. ISC dhclient: address, router, DNS, MTU, domain, search.
log "1: dhclient"
dhclient_start vdhcpA "$NS_A"
outA=$T/dhclient-vdhcpA.out
addrA=$(value "$outA" ip)
in_range "$addrA"
expect "$outA" mask 255.255.255.0
expect "$outA" router 10.77.0.254
expect "$outA" dns "10.77.0.53 10.77.0.54"
expect "$outA" mtu 1400
expect "$outA" domain test.example
expect "$outA" search "test.example. example.org."
expect "$outA" serverid 10.77.0.1
expect "$outA" lease 600
ip -n "$NS_A" -4 addr show dev vdhcpA | grep -q "inet $addrA/24" ||
	die "dhclient's address is not on vdhcpA"

# 2. dhcpcd: one shot, no daemon left, DUID client id.
log "2: dhcpcd"
offer0=$(dhcp_stat offer) ack0=$(dhcp_stat ack)
(private_ns "$NS_B" timeout 20 dhcpcd -4 -1 -B -t 10 \
	-f "$T/dhcpcd.conf" -c "$T/dhcpcd-script" \
	--nohook resolv.conf --nohook hostname vdhcpB \
	>"$T/dhcpcd.log" 2>&1) ||
	die "dhcpcd got no lease: $(cat "$T/dhcpcd.log")"
cat "$T/dhcpcd.log" >&2
outB=$T/dhcpcd-vdhcpB.out
[ -s "$outB" ] || die "the dhcpcd script did not record a lease: $(cat "$T/dhcpcd-vdhcpB.reasons" 2>/dev/null)"
cat "$outB" >&2
addrB=$(value "$outB" ip)
in_range "$addrB"
[ "$addrB" != "$addrA" ] || die "dhclient and dhcpcd both got $addrA"
expect "$outB" router 10.77.0.254
expect "$outB" dns "10.77.0.53 10.77.0.54"
expect "$outB" mtu 1400
expect "$outB" serverid 10.77.0.1
[ -s "$T/dhcpcd-db/duid" ] || die "dhcpcd made no DUID in the test's directory"
duid=$(tr -d ' :\n' <"$T/dhcpcd-db/duid" | tr 'A-F' 'a-f')
vctl raw dhcp/leases '{}' >"$T/leases-B.json"
jq -e --arg ip "$addrB" '[.. | objects | select(.ip? == $ip)] | length == 1' \
	"$T/leases-B.json" >/dev/null ||
	die "dhcp/leases does not list $addrB once: $(cat "$T/leases-B.json")"
cid=$(jq -r --arg ip "$addrB" '.. | objects | select(.ip? == $ip) |
	(.client_id // .clientid // .cid // empty)' "$T/leases-B.json")
[ -n "$cid" ] || die "the lease of $addrB has no client id: $(cat "$T/leases-B.json")"
# RFC 4361 client id: type 255, IAID (4 bytes), then the DUID.
cidhex=$(printf '%s' "$cid" | tr -d ': .-' | tr 'A-F' 'a-f')
case $cidhex in
ff????????"$duid") ;;
*) die "client id '$cid' is not 255, IAID, DUID $duid" ;;
esac
vctl leases >"$T/leases-B.txt"
cat "$T/leases-B.txt" >&2
grep -q "$addrB" "$T/leases-B.txt" || die "vswitchctl leases does not list $addrB"
pgrep -f "dhcpcd.*vdhcpB" >/dev/null && die "dhcpcd left a daemon running"
# dhcpcd asks for rapid commit (option 80) and the server allows it: an ACK
# answers its DISCOVER, without an OFFER.
[ "$(dhcp_stat offer)" = "$offer0" ] && [ "$(dhcp_stat ack)" = $((ack0 + 1)) ] ||
	die "no rapid commit for dhcpcd: offers $offer0 -> $(dhcp_stat offer), acks $ack0 -> $(dhcp_stat ack)"

# 3. A reservation: address and hostname.
log "3: reservation"
pidA=$DHCLIENT_PID
dhclient_start vdhcpR "$NS_R"
outR=$T/dhclient-vdhcpR.out
expect "$outR" ip 10.77.0.10
expect "$outR" hostname resv1
expect "$outR" router 10.77.0.254

# 4. Release and re-acquire with dhclient.
log "4: release"
vctl leases | grep -q "$addrA" || die "no lease of $addrA before the release"
# dhclient unicasts the RELEASE, and then its script flushes the address:
# if the server's MAC is not resolved yet, the flush can drop the packet
# still waiting for ARP.  The server's MAC is known (52:55 + its address).
in_ns "$NS_A" ip neigh replace 10.77.0.1 lladdr 52:55:0a:4d:00:01 \
	dev vdhcpA nud permanent
(private_ns "$NS_A" dhclient -4 -r -v -cf "$T/dhclient.conf" \
	-sf "$T/dhclient-script" -lf "$T/dhclient-vdhcpA.leases" \
	-pf "$T/dhclient-vdhcpA.pid" vdhcpA >"$T/dhclient-release.log" 2>&1) ||
	die "dhclient -r: $(cat "$T/dhclient-release.log")"
# dhclient -r stops the running one (pid file) after its RELEASE.
wait_for "the first dhclient to stop" 5 eval '! pid_alive "$pidA"'
stop_pid "$pidA" 1
grep -q RELEASE "$T/dhclient-vdhcpA.reasons" || die "dhclient did not release"
wait_for "the lease of $addrA to go" 3 \
	eval '! vctl leases | grep -q "$addrA\\b"' ||
	die "released lease still listed: $(vctl leases)"
vctl raw dhcp/leases '{}' >"$T/leases-rel.json"
cat "$T/leases-rel.json" >&2
dhclient_start vdhcpA "$NS_A"
expect "$outA" ip "$addrA"
vctl leases | grep -q "$addrA" || die "the re-acquired $addrA is not listed"

# 5. INIT-REBOOT for an address of another subnet: NAK, then DISCOVER.
log "5: INIT-REBOOT NAK"
cat >"$T/dhclient-vdhcpN.leases" <<EOF
lease {
  interface "vdhcpN";
  fixed-address 192.0.2.50;
  option subnet-mask 255.255.255.0;
  option dhcp-server-identifier 192.0.2.1;
  option dhcp-lease-time 600;
  renew 6 2099/01/01 00:00:00;
  rebind 6 2099/01/01 00:00:00;
  expire 6 2099/01/01 00:00:00;
}
EOF
nak0=$(dhcp_stat nak)
dhclient_start vdhcpN "$NS_N"
outN=$T/dhclient-vdhcpN.out
in_range "$(value "$outN" ip)"
grep -q "DHCPNAK" "$T/dhclient-vdhcpN.log" ||
	die "dhclient saw no NAK: $(cat "$T/dhclient-vdhcpN.log")"
nak1=$(dhcp_stat nak)
[ "$nak1" -gt "$nak0" ] ||
	die "show counts no NAK ($nak0 -> $nak1): $(vctl --json show)"

vctl --json show | jq '.. | objects | select(has("nak"))' >&2 || :
vsw_stop
[ "$VSW_RC" = 0 ] || die "vswitchd exited with status $VSW_RC"
exit 0
