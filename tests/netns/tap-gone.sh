#!/bin/bash
# Deleting a TAP device from under vswitchd (ip link del) puts that port
# down with one log line; the other ports keep forwarding, vswitchctl shows
# the port down with the reason, and "port del" then removes it.
set -eu
. "$(dirname "$0")/lib-netns.sh"
netns_init
require_cmd ping jq
ns_new A
ns_new B
ns_new C

cat >"$T/sw.json" <<EOF
{ "log_level": "debug",
  "ports": [
    { "name": "tapA", "type": "tap", "ifname": "vtapA" },
    { "name": "tapB", "type": "tap", "ifname": "vtapB" },
    { "name": "tapC", "type": "tap", "ifname": "vtapC" } ] }
EOF
vsw_ns_start "$T/sw.json"
tap_to_ns vtapA "$NS_A" 10.99.3.1/24
tap_to_ns vtapB "$NS_B" 10.99.3.2/24
tap_to_ns vtapC "$NS_C" 10.99.3.3/24
in_ns "$NS_A" ping -c 2 -i 0.2 -W 2 10.99.3.3 >&2 || die "A cannot reach C"
in_ns "$NS_A" ping -c 2 -i 0.2 -W 2 10.99.3.2 >&2 || die "A cannot reach B"

ip -n "$NS_C" link del vtapC
wait_log "$VSW_LOG" 'port tapC: read failed on TAP device vtapC: .*the port is down'
port_json tapC | jq -e '.result.state == "down" and
	(.result.last_error | length > 0) and .result.stats.disconnects == 1' \
	>/dev/null || die "tapC is not shown down: $(port_json tapC)"
vctl ports >&2
vctl ports | grep -q '^tapC .* down ' || die "vswitchctl ports does not show tapC down"

# The others carry on, both ways, and frames for C are counted drops.
in_ns "$NS_A" ping -c 3 -i 0.2 -W 2 10.99.3.2 >&2 || die "A lost B"
in_ns "$NS_B" ping -c 3 -i 0.2 -W 2 10.99.3.1 >&2 || die "B lost A"
port_json tapA | jq -e '.result.state == "up"' >/dev/null ||
	die "tapA is not up: $(port_json tapA)"
[ "$(grep -c 'read failed on TAP device' "$VSW_LOG")" = 1 ] ||
	die "expected exactly one 'read failed' line in the log"

vctl port del tapC
wait_log "$VSW_LOG" 'port tapC: removed'
! vctl ports | grep -q '^tapC ' || die "tapC is still listed after port del"
in_ns "$NS_A" ping -c 2 -i 0.2 -W 2 10.99.3.2 >&2 || die "A lost B after port del"
finish
