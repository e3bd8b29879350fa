#!/bin/bash
# Two guests on vswitchd, one over TCP (QEMU `-netdev socket,connect=`, switch
# port tcp-listen) and one over a UNIX stream (QEMU `-netdev stream,server=off`,
# switch port unix-listen), ping each other. Once B is gone, A's pings to it
# must fail.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib-qemu.sh"

qemu_setup
usock=$TESTDIR/run/vm-unix.sock

gen_config() {
	cat <<JSON
{
  "log_level": "info",
  "switch": { "mac_aging_s": 300, "mac_table_size": 1024 },
  "ports": [
    { "name": "vm-tcp",  "type": "tcp-listen",  "address": "127.0.0.1", "port": $1 },
    { "name": "vm-unix", "type": "unix-listen", "path": "$usock" }
  ]
}
JSON
}
vswitchd_start_free_port gen_config "unix:$usock"

guest_pair 52:54:00:00:01 "$VSW_TCP_PORT" "$usock"

guest_ip a 10.0.0.1
guest_ip b 10.0.0.2

check "A (tcp) pings B (unix)" guest_ping a 10.0.0.2
check "B (unix) pings A (tcp)" guest_ping b 10.0.0.1

guest_stop b
check "once B is stopped, A's ping to B fails" eval '! guest_ping a 10.0.0.2 2'
check "vswitchd still runs" vswitchd_alive
# with A still connected: teardown of live connections, under the sanitizers in CI
vswitchd_stop_check
finish
