#!/bin/bash
# README command 1's promise: vswitchd with no configuration at all serves
# at once, and two guests started with exactly the -netdev arguments it
# prints (one for its TCP listener, one for its UNIX listener) ping each
# other.  It runs in a private network namespace, where 127.0.0.1:7000
# is free and the default's uplink reaches nothing.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib-qemu.sh"
# The default has a slirp uplink: nothing but this namespace's lo for it.
isolate_netns "$@"

qemu_setup
vswitchd_start_default

# The printed lines look like
#   qemu-system-x86_64 ... -netdev socket,connect=127.0.0.1:7000,id=n0 -device ...
mapfile -t netdevs < <(sed -n 's/.* -netdev \([^ ]*\),id=n0 .*/\1/p' "$TESTDIR/stdout.txt")
check "vswitchd printed two -netdev arguments" test "${#netdevs[@]}" -eq 2
tcp_args= unix_args=
for n in "${netdevs[@]}"; do
	case $n in
	socket,connect=127.0.0.1:7000) tcp_args=$n ;;
	stream,server=off,addr.type=unix,addr.path=*) unix_args=$n ;;
	esac
done
check "one of them is socket,connect=127.0.0.1:7000" test -n "$tcp_args"
check "one of them is a UNIX stream" test -n "$unix_args"
[ -n "$tcp_args" ] && [ -n "$unix_args" ] || finish

# shellcheck disable=SC2086
guest_boot a 52:54:00:00:04:0a ${tcp_args//,/ }
# shellcheck disable=SC2086
guest_boot b 52:54:00:00:04:0b ${unix_args//,/ }
guest_wait_ready a
guest_wait_ready b
guest_run a 'ip addr add 10.0.4.1/24 dev eth0 && ip link set eth0 up'
guest_run b 'ip addr add 10.0.4.2/24 dev eth0 && ip link set eth0 up'
check "the TCP guest pings the UNIX guest" guest_ping a 10.0.4.2
check "the UNIX guest pings the TCP guest" guest_ping b 10.0.4.1
vswitchd_stop_check
finish
