#!/bin/bash
# A reload leaves running guests alone: two guests ping each other, the
# configuration gains a port and changes another, vswitchctl reload (and
# then SIGHUP) applies it, and the guests keep their connections (same port
# names, same learned MACs) and go on pinging.  A broken file changes
# nothing.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib-qemu.sh"

qemu_setup
usock=$TESTDIR/run/vm-unix.sock
extra=

gen_config() {
	cat <<JSON
{
  "ports": [
    { "name": "vm-tcp",  "type": "tcp-listen",  "address": "127.0.0.1", "port": $1 },
    { "name": "vm-unix", "type": "unix-listen", "path": "$usock" }$extra
  ]
}
JSON
}
vswitchd_start_free_port gen_config "unix:$usock"

guest_pair 52:54:00:00:03 "$VSW_TCP_PORT" "$usock"
guest_ip a 10.0.3.1
guest_ip b 10.0.3.2
check "A pings B before the reload" guest_ping a 10.0.3.2

macs_before=$(ctl mac show | grep -c '52:54:00:00:03:0')
check "both guests' MACs are learned" test "$macs_before" -eq 2

# A broken file: refused, nothing changes.
cp "$TESTDIR/vswitchd.json" "$TESTDIR/good.json"
echo '{ "ports": [ ' >"$TESTDIR/vswitchd.json"
check "a broken reload is refused" eval '! ctl reload'
cp "$TESTDIR/good.json" "$TESTDIR/vswitchd.json"

# Add a port, then reload twice (control socket, then SIGHUP).
extra=', { "name": "extra", "type": "unix-listen", "path": "'$TESTDIR'/run/extra.sock" }'
gen_config "$VSW_TCP_PORT" >"$TESTDIR/vswitchd.json"
check "vswitchctl reload succeeds" ctl reload
check "the new port listens" wait_for "extra.sock" 5 test -S "$TESTDIR/run/extra.sock"
extra=
gen_config "$VSW_TCP_PORT" >"$TESTDIR/vswitchd.json"
kill -HUP "$VSWITCHD_PID"
check "SIGHUP removes it again" wait_for "extra.sock to go" 5 test ! -e "$TESTDIR/run/extra.sock"

check "A's connection survived" eval 'ctl ports | grep -q "^vm-tcp/1 .* up "'
check "B's connection survived" eval 'ctl ports | grep -q "^vm-unix/1 .* up "'
check "the learned MACs survived" \
	test "$(ctl mac show | grep -c '52:54:00:00:03:0')" -eq 2
check "A pings B after the reloads" guest_ping a 10.0.3.2
check "B pings A after the reloads" guest_ping b 10.0.3.1
vswitchd_stop_check
finish
