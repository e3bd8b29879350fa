#!/bin/bash
# The slirp uplink's host forwards and faults, with real guests, in a
# private network namespace (only lo: nothing leaves it):
# - a configured forward names its guest by a DHCP reservation's hostname
#   and reaches the HTTP server inside that guest;
# - vswitchctl forwards add/list/del at runtime; a taken host port is an
#   error naming it, at runtime (error reply) and at start (exit status);
# - a forward to a guest that is gone is refused quickly, not left hanging;
# - a guest resolves a name through slirp's DNS (10.0.2.3) from a resolver
#   this test runs on 127.0.0.1;
# - removing the slirp port leaves the switch running; a reload brings the
#   uplink back.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib-qemu.sh"
isolate_netns "$@"

qemu_setup
require_cmd busybox dnsmasq timeout
mkdir -p "$TESTDIR/run" "$TESTDIR/www"
MAC_A=52:54:00:00:06:1a
MAC_B=52:54:00:00:06:1b
HOST_HTTP=8080 FWD_A=18080 FWD_B=18081 TAKEN=18082

# What the host serves (reached by the guests at 10.0.2.2), and a port
# another program holds.
echo "host-$$" >"$TESTDIR/www/index.html"
spawn httpd busybox httpd -f -p "127.0.0.1:$HOST_HTTP" -h "$TESTDIR/www"
spawn taken busybox httpd -f -p "127.0.0.1:$TAKEN" -h "$TESTDIR/www"
wait_for_tcp "$HOST_HTTP"
wait_for_tcp "$TAKEN"

# A resolver of our own on loopback, and this namespace's resolv.conf
# pointing at it (slirp forwards 10.0.2.3:53 to the host's resolver).
spawn dnsmasq dnsmasq --no-daemon --conf-file=/dev/null --no-resolv \
	--no-hosts --listen-address=127.0.0.1 --bind-interfaces --port=53 \
	--address=/uplink.vswitchd.test/10.0.2.2
echo "nameserver 127.0.0.1" >"$TESTDIR/resolv.conf"
mount --bind "$TESTDIR/resolv.conf" /etc/resolv.conf

# config FORWARD_PORT: the test's configuration, the forward on that port.
config() {
	cat <<EOF
{ "runtime_dir": "$TESTDIR/run",
  "dhcp": { "reservations": [
      { "mac": "$MAC_A", "ip": "10.0.2.50", "hostname": "web" } ] },
  "slirp": { "forwards": [
      { "host_port": $1, "guest": "web", "guest_port": 80 } ] },
  "ports": [ { "name": "vm", "type": "unix-listen",
               "path": "$TESTDIR/run/vm.sock" } ] }
EOF
}

# A forward whose host port is taken: vswitchd refuses to start, saying so.
config "$TAKEN" >"$TESTDIR/taken.json"
rc=0
timeout 10 "$VSWITCHD" -c "$TESTDIR/taken.json" >"$TESTDIR/taken.log" 2>&1 || rc=$?
sed 's/^/    [taken] /' "$TESTDIR/taken.log" >&2
check "a taken host port stops the start (exit status $rc)" test "$rc" = 1
check "the message names the forward and its port" \
	grep -q "slirp.forwards\[0\]: cannot forward tcp 127.0.0.1 port $TAKEN: Address already in use" "$TESTDIR/taken.log"

config "$FWD_A" >"$TESTDIR/vswitchd.json"
vswitchd_start "$TESTDIR/vswitchd.json"
vswitchd_wait_ready 10 "unix:$TESTDIR/run/vm.sock" || die "vswitchd did not start"

guest_boot a "$MAC_A" stream,server=off,addr.type=unix,addr.path="$TESTDIR/run/vm.sock"
guest_boot b "$MAC_B" stream,server=off,addr.type=unix,addr.path="$TESTDIR/run/vm.sock"
guest_wait_ready a
guest_wait_ready b
for g in a b; do
	check "guest $g gets a lease" guest_dhcp "$g"
	guest_run "$g" "mkdir -p /www && echo guest-$g-$$ >/www/index.html && httpd -p 80 -h /www" >/dev/null
done
ip_b=$(guest_run b 'cat /tmp/ip')
check "A holds its reservation" eval '[ "$(guest_run a "cat /tmp/ip")" = 10.0.2.50 ]'

# host_get PORT: GET / from 127.0.0.1:PORT, in at most 8 s.
host_get() {
	timeout 8 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" &&
		printf "GET / HTTP/1.0\r\n\r\n" >&3 && cat <&3' _ "$1"
}

check "the configured forward reaches guest A by its hostname" \
	eval 'host_get "$FWD_A" | grep -q "guest-a-$$"'
check "guest A reaches the host through the gateway" \
	eval 'guest_run a "printf \"GET / HTTP/1.0\\r\\n\\r\\n\" | nc -w 10 10.0.2.2 $HOST_HTTP" | grep -q "host-$$"'

# Runtime forwards.
check "forwards add (runtime)" \
	ctl forwards add "{\"host_port\": $FWD_B, \"guest\": \"$ip_b\", \"guest_port\": 80}"
check "the runtime forward reaches guest B" \
	eval 'host_get "$FWD_B" | grep -q "guest-b-$$"'
ctl forwards >"$TESTDIR/forwards.txt" || :
sed 's/^/    [forwards] /' "$TESTDIR/forwards.txt" >&2
check "forwards lists both, with their source" \
	eval 'grep -q "$FWD_A .*web.*10.0.2.50.*config" "$TESTDIR/forwards.txt" &&
	      grep -q "$FWD_B .*$ip_b.*runtime" "$TESTDIR/forwards.txt"'
rc=0
ctl forwards add "{\"host_port\": $TAKEN, \"guest\": \"$ip_b\", \"guest_port\": 80}" \
	2>"$TESTDIR/err.txt" || rc=$?
check "a taken host port at runtime is an error reply naming it" \
	eval '[ "$rc" = 1 ] && grep -q "port $TAKEN: Address already in use" "$TESTDIR/err.txt"'
rc=0
ctl forwards add "{\"host_port\": $FWD_A, \"guest\": \"$ip_b\", \"guest_port\": 80}" \
	2>"$TESTDIR/err.txt" || rc=$?
check "a forward already in force is refused" \
	eval '[ "$rc" = 1 ] && grep -q "already forwarded" "$TESTDIR/err.txt"'
# Bad forward requests: an error reply each, nothing changes.
for bad in '{"host_port": 0, "guest": "10.0.2.60", "guest_port": 80}' \
	'{"host_port": 18090, "guest": "nosuch", "guest_port": 80}' \
	'{"host_port": 18090, "guest": "10.0.9.1", "guest_port": 80}' \
	'{"proto": "sctp", "host_port": 18090, "guest": "10.0.2.60", "guest_port": 80}' \
	'{"host_port": 18090, "guest": "10.0.2.60"}'; do
	check "forwards add refuses $bad" eval '! ctl forwards add "$bad" 2>/dev/null'
done
for bad in '{"host_port": 70000}' '{"proto": "sctp", "host_port": 1}' \
	'{"host_port": 1, "host_address": "localhost"}' '{"host_port": 18099}'; do
	check "forwards del refuses $bad" eval '! ctl forwards del "$bad" 2>/dev/null'
done
check "the bad requests changed nothing (two forwards)" \
	eval '[ "$(ctl --json forwards | jq length)" = 2 ]'
check "forwards del" ctl forwards del "{\"host_port\": $FWD_B}"
check "a deleted forward no longer listens" eval '! host_get "$FWD_B"'

# DNS through slirp from our own resolver on loopback.
check "guest A resolves a name through slirp's DNS" \
	eval 'guest_run a "nslookup uplink.vswitchd.test 10.0.2.3" | grep -q "Address.*10.0.2.2"'

# A guest that is gone: its forward is refused, quickly.
ctl forwards add "{\"host_port\": $FWD_B, \"guest\": \"$ip_b\", \"guest_port\": 80}" >/dev/null
check "the forward to B works before B goes" eval 'host_get "$FWD_B" | grep -q "guest-b-$$"'
guest_kill b
wait_for "B's port to close (its MAC gone from the table)" 10 \
	eval '! ctl mac | grep -qi "$MAC_B"'
t0=$(date +%s%N)
rc=0
host_get "$FWD_B" >"$TESTDIR/gone.txt" 2>&1 || rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
log "the forward to the gone guest ended after ${ms} ms (status $rc)"
check "a forward to a gone guest fails" eval '[ "$rc" != 0 ] && ! grep -q "guest-b" "$TESTDIR/gone.txt"'
check "... within 5 s, not by the client's timeout" test "$ms" -lt 5000
check "the slirp port counts the refusal" \
	eval 'ctl --json port show slirp | grep -q "\"refused_forwards\": [1-9]"'

# Removing the uplink leaves the rest; a reload brings it back.
check "port del slirp" ctl port del slirp
check "the switch still answers" ctl show
check "guest A's port is still there" eval 'ctl mac | grep -qi "$MAC_A"'
check "without the uplink the host is out of reach" \
	eval '! guest_run a "printf \"GET / HTTP/1.0\\r\\n\\r\\n\" | nc -w 3 10.0.2.2 $HOST_HTTP" | grep -q "host-$$"'
check "reload brings the uplink back" eval 'ctl reload | grep -q "added: *slirp"'
wait_for "the slirp port" 5 eval 'ctl ports | grep -q "^slirp "'
check "with the uplink back, the host is in reach again" \
	eval 'guest_run a "printf \"GET / HTTP/1.0\\r\\n\\r\\n\" | nc -w 10 10.0.2.2 $HOST_HTTP" | grep -q "host-$$"'
check "and the configured forward works again" \
	eval 'host_get "$FWD_A" | grep -q "guest-a-$$"'

# "restrict": forwards only, no way out.
sed -i 's|"slirp": {|"slirp": { "restrict": true,|' "$TESTDIR/vswitchd.json"
check "reload with restrict replaces the uplink" \
	eval 'ctl reload | grep -q "changed: *slirp"'
wait_for "the restricted uplink" 5 \
	eval 'ctl --json port show slirp | grep -q "\"restrict\": true"'
check "restricted: the guest cannot reach the host" \
	eval '! guest_run a "printf \"GET / HTTP/1.0\\r\\n\\r\\n\" | nc -w 3 10.0.2.2 $HOST_HTTP" | grep -q "host-$$"'
check "restricted: the forward still reaches the guest" \
	eval 'host_get "$FWD_A" | grep -q "guest-a-$$"'
vswitchd_stop_check
finish
