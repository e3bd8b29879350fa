#!/bin/bash
# Two guests wired straight to each other (no vswitchd): checks the guest
# image, the serial console control and the network path QEMU gives us, so a
# failure in the other tests points at the switch, not at the harness.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib-qemu.sh"

qemu_setup
sock=$TESTDIR/direct.sock

# A listens (QEMU creates the socket at start), B connects to it.
guest_boot a 52:54:00:00:0d:01 stream,server=on,addr.type=unix,addr.path="$sock"
wait_for_socket "$sock" 30
guest_boot b 52:54:00:00:0d:02 stream,server=off,addr.type=unix,addr.path="$sock"
guest_wait_ready a
guest_wait_ready b

out=$(guest_run a 'echo hello; echo to-stderr >&2; exit 3') && rc=0 || rc=$?
check "guest_run returns the exit status" [ "$rc" = 3 ]
check "guest_run returns stdout and stderr" [ "$out" = "$(printf 'hello\nto-stderr')" ]
# shellcheck disable=SC2016 # literal on purpose
tricky='quotes "and" $dollars `ticks` \n * ;|&'
out=$(guest_run a "printf '%s\n' '$tricky'")
check "guest_run passes quoting through" [ "$out" = "$tricky" ]

guest_run a 'ip addr add 10.0.0.1/24 dev eth0 && ip link set eth0 up'
guest_run b 'ip addr add 10.0.0.2/24 dev eth0 && ip link set eth0 up'
check "a pings b" guest_ping a 10.0.0.2
check "b pings a" guest_ping b 10.0.0.1

guest_stop b
check "b powered off" eval '! guest_alive b'
check "a no longer reaches b" eval '! guest_ping a 10.0.0.2 1'
finish
