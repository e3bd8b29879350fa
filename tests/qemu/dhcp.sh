#!/bin/bash
# Issue 5's promise with real guests: vswitchd's built-in default (no
# configuration at all) hands out addresses by itself.  Two guests boot with
# no network configuration, run busybox udhcpc, get leases from 10.0.2.15
# on with router 10.0.2.2 and DNS 10.0.2.3, apply them and ping each other
# by those addresses.  It runs in a private network namespace (the default
# has a slirp uplink).
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib-qemu.sh"
# The default has a slirp uplink: nothing but this namespace's lo for it.
isolate_netns "$@"

qemu_setup
vswitchd_start_default

guest_pair 52:54:00:00:05 7000 "$TESTDIR/run/vm.sock"

check "guest A gets a lease" guest_dhcp a
check "guest B gets a lease" guest_dhcp b
ctl leases >"$TESTDIR/leases.txt" || :
sed 's/^/    [leases] /' "$TESTDIR/leases.txt" >&2
ip_a=$(grep -i '52:54:00:00:05:0a' "$TESTDIR/leases.txt" | awk '{print $1}')
ip_b=$(grep -i '52:54:00:00:05:0b' "$TESTDIR/leases.txt" | awk '{print $1}')
check "A's lease is listed by vswitchctl leases" test -n "$ip_a"
check "B's lease is listed by vswitchctl leases" test -n "$ip_b"
case $ip_a in 10.0.2.*) ;; *) ip_a= ;; esac
check "the addresses come from 10.0.2.0/24 and differ" \
	eval '[ -n "$ip_a" ] && [ "$ip_a" != "$ip_b" ]'
check "A was told router 10.0.2.2 and DNS 10.0.2.3" \
	guest_run a 'grep -q "router=10.0.2.2 dns=10.0.2.3" /tmp/lease'
check "vswitchd logged each lease" \
	eval 'grep -q "dhcp: $ip_a leased to 52:54:00:00:05:0a for 3600s" "$TESTDIR/vswitchd.log" &&
	      grep -q "dhcp: $ip_b leased to 52:54:00:00:05:0b for 3600s" "$TESTDIR/vswitchd.log"'
check "A pings B by its leased address" guest_ping a "$ip_b"
check "B pings A by its leased address" guest_ping b "$ip_a"
vswitchd_stop_check
finish
