# lib-netns.sh - helpers for the network namespace tier (sourced, bash).
#
# Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
#
# Builds on tests/component/lib-component.sh (and so tests/lib.sh): $T,
# wait_log, fio, ctl_raw, and the exit checks (every daemon exits with
# status 0 on SIGTERM, no sanitizer report in any log).
#
# The network rule: nothing is ever addressed in the root namespace.  Each
# test makes its own namespaces, named vsw-<test>-<name>-<pid>; vswitchd
# runs inside one of them ($NS_SW), so the TAP devices it creates appear
# there, and the test moves each device into a client namespace of its own
# (tap_to_ns) and addresses it there.  A TAP keeps working when moved while
# vswitchd holds its descriptor.  The namespaces come from tests/lib-ns.sh
# (ns_new, ns_del, in_ns): deleted at exit, whatever the exit path, after
# the daemons have stopped (which deletes the TAPs).
#
#   netns_init             ns_init (skip unless root with ip(8) and
#                          /dev/net/tun); make $NS_SW
#   ns_new NAME            make namespace $NS_<NAME> (lo up)
#   vsw_ns_start CONFIG [LOGNAME] [ENV=VALUE...]
#                          run vswitchd -c CONFIG inside $NS_SW
#   tap_to_ns DEV NS ADDR  move DEV from $NS_SW into NS, address it, up
#   in_ns NS CMD...        run CMD inside NS
#   vctl ARGS...           vswitchctl on the daemon's control socket
#   need_udhcpc            skip unless busybox has udhcpc
#   udhcpc_in NS DEV LOG ARGS...
#                          one busybox udhcpc lease on DEV inside NS, in the
#                          foreground, 5 tries of 1 s (-f -q -n -t 5 -T 1),
#                          with the further ARGS; its output in LOG
#   port_json NAME         the daemon's JSON description of port NAME
#   dhcp77_json [KEYS]     the "dhcp" member the client tests share
#                          (10.77.0.0/24), with the JSON members KEYS added

# The variables set here are for the tests that source this file.
# shellcheck disable=SC2034
. "$(dirname "${BASH_SOURCE[0]}")/../component/lib-component.sh"

. "$(dirname "${BASH_SOURCE[0]}")/../lib-ns.sh"

VSWITCHCTL=$top_builddir/vswitchctl

netns_init()
{
	ns_init
	ns_new SW
}

# vsw_ns_start CONFIG [LOGNAME] [VAR=VALUE...]: like vsw_start, but the
# daemon runs inside $NS_SW, with the given environment additions.
vsw_ns_start()
{
	local cfg=$1 name=${2:-vswitchd}

	shift 2 || shift $#
	vsw_spawn "$name" env "$@" ip netns exec "$NS_SW" "$VSWITCHD" -c "$cfg"
}

tap_to_ns()
{
	local dev=$1 ns=$2 addr=$3

	ip -n "$NS_SW" link set "$dev" netns "$ns" ||
		die "cannot move $dev into $ns"
	# No IPv6 chatter (router solicitations, MLD) in the way of checks.
	in_ns "$ns" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1" || :
	ip -n "$ns" addr add "$addr" dev "$dev"
	ip -n "$ns" link set "$dev" up
}

vctl()
{
	"$VSWITCHCTL" -s "$T/ctl.sock" "$@"
}

port_json()
{
	vctl raw port/show "{\"name\":\"$1\"}"
}

need_udhcpc()
{
	require_cmd busybox
	busybox udhcpc --help >/dev/null 2>&1 || skip "busybox has no udhcpc"
}

udhcpc_in()
{
	local ns=$1 dev=$2 out=$3

	shift 3
	in_ns "$ns" busybox udhcpc -i "$dev" -f -q -n -t 5 -T 1 "$@" >"$out" 2>&1
}

# dhcp77_json [KEYS]: the "dhcp" member of the configurations of the tests
# with real clients (dhcp-udhcpc, dhcp-clients): 10.77.0.0/24, server .1,
# range .100 to .120, router .254, DNS .53 and .54, domain test.example,
# 600 s leases kept in $T/leases, and the further JSON members KEYS.
dhcp77_json()
{
	cat <<EOF
"dhcp": { "subnet": "10.77.0.0/24", "server_ip": "10.77.0.1",
            "range_start": "10.77.0.100", "range_end": "10.77.0.120",
            "router": "10.77.0.254", "dns": [ "10.77.0.53", "10.77.0.54" ],
            "domain": "test.example", "lease_s": 600,
            "lease_file": "$T/leases"${1:+,
            $1} }
EOF
}
