#!/bin/bash
# Issue 6's promise with the built-in default: one vswitchd, no other
# process, gives guests addresses (DHCP) and the way out (the slirp
# uplink).  Two unconfigured guests lease addresses, fetch a page from an
# HTTP server on the host's 127.0.0.1 through the gateway 10.0.2.2, ping
# the gateway and each other.  Everything runs in a private network
# namespace with only lo: the uplink can reach nothing else.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib-qemu.sh"
isolate_netns "$@"

qemu_setup
require_cmd busybox
mkdir -p "$TESTDIR/www"
token="host-page-$$-$RANDOM"
echo "$token" >"$TESTDIR/www/index.html"
spawn httpd busybox httpd -f -p 127.0.0.1:8080 -h "$TESTDIR/www"
wait_for_tcp 8080

vswitchd_start_default
check "the default has the slirp uplink" \
	grep -q 'port slirp: libslirp .* uplink on 10.0.2.0/24, gateway 10.0.2.2, dns 10.0.2.3' "$TESTDIR/vswitchd.log"

guest_pair 52:54:00:00:06 7000 "$TESTDIR/run/vm.sock"

check "guest A gets a lease" guest_dhcp a
check "guest B gets a lease" guest_dhcp b
ip_a=$(guest_run a 'cat /tmp/ip')
ip_b=$(guest_run b 'cat /tmp/ip')
log "leases: a=$ip_a b=$ip_b"

# http_get GUEST ADDR PORT: a page through busybox nc (the static
# busybox's wget crashes resolving even a literal address).
http_get() {
	guest_run "$1" "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 10 $2 $3"
}
check "A fetches the host's page through the uplink" \
	eval 'http_get a 10.0.2.2 8080 | grep -q "$token"'
check "B fetches the host's page through the uplink" \
	eval 'http_get b 10.0.2.2 8080 | grep -q "$token"'
check "A pings the gateway" guest_ping a 10.0.2.2
# IPv6 (on by default, as under -netdev user): SLAAC from slirp's router
# advertisements, and slirp's own address answers.
check "A configures an IPv6 address from slirp's advertisements" \
	wait_for "A's fec0:: address" 20 \
	eval 'guest_run a "ip -6 addr show dev eth0" | grep -q "inet6 fec0:"'
check "A pings the gateway over IPv6" \
	eval 'guest_run a "ping -6 -c 2 -W 2 fec0::2" >/dev/null'
check "A pings B" guest_ping a "$ip_b"
check "B pings A" guest_ping b "$ip_a"
# Junk for the uplink: IPv4, IPv6 and ARP frames of every length whose
# headers are nonsense, to slirp's MAC and broadcast.  slirp drops them;
# the switch and the uplink carry on.
{
	echo "open J unix:$TESTDIR/run/vm.sock"
	for type in 0x0800 0x86dd 0x0806; do
		for len in 14 15 20 34 42 54 60 61 100 576 1514 9014; do
			echo "send J dst=52:55:0a:00:02:02 src=52:54:00:00:06:99 type=$type len=$len"
			echo "send J dst=ff:ff:ff:ff:ff:ff src=52:54:00:00:06:99 type=$type len=$len"
		done
	done
	echo "sleep 200"
} >"$TESTDIR/junk.fio"
check "frameio sends junk to the uplink" \
	"$top_builddir/tests/tools/frameio" -f "$TESTDIR/junk.fio"
check "after the junk, A still fetches the host's page" \
	eval 'http_get a 10.0.2.2 8080 | grep -q "$token"'

# slirp's and the DHCP server's MACs are static entries: a guest sending
# from them cannot take them over.
"$top_builddir/vswitchctl" -s "$TESTDIR/run/ctl.sock" mac >"$TESTDIR/mac.txt"
sed 's/^/    [mac] /' "$TESTDIR/mac.txt" >&2
check "the gateway's MAC is pinned to the slirp port" \
	grep -qi "^52:55:0a:00:02:02 .* slirp .*static\|^52:55:0a:00:02:02 .*slirp.*yes" "$TESTDIR/mac.txt"
check "the DHCP server's MAC is pinned to its port" \
	grep -qi "^52:55:0a:00:02:01 .*dhcp" "$TESTDIR/mac.txt"

# No busy polling: with nothing to do the uplink sleeps.  A step is one
# pass over slirp's sockets; a poller would make thousands in 3 s.
steps() {
	"$top_builddir/vswitchctl" -s "$TESTDIR/run/ctl.sock" --json port show slirp |
		sed -n 's/.*"steps": \([0-9]*\).*/\1/p'
}
s0=$(steps)
sleep 3
s1=$(steps)
log "slirp steps while idle for 3 s: $((s1 - s0))"
check "the idle uplink sleeps (at most 20 steps in 3 s)" test $((s1 - s0)) -le 20
vswitchd_stop_check
finish
