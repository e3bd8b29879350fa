#!/bin/bash
# vswitchd connecting out to a QEMU that listens (switch port unix-connect,
# QEMU `-netdev stream,server=on`), and surviving restarts on both sides:
#   0. A (tcp-listen port, `-netdev socket,connect=`) pings C;
#   1. vswitchd is killed and started again: it must connect to C again.
#      QEMU 7.2 never reconnects a `connect=` netdev, so A is restarted too;
#   2. C's QEMU is killed and started again on the same socket path:
#      vswitchd must notice, reconnect with its backoff, and A must reach C
#      again within RECONNECT_BOUND seconds.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib-qemu.sh"

RECONNECT_BOUND=${RECONNECT_BOUND:-30}
MAC_A=52:54:00:00:02:0a
MAC_C=52:54:00:00:02:0c

qemu_setup
csock=$TESTDIR/c.sock

gen_config() {
	cat <<JSON
{
  "log_level": "info",
  "ports": [
    { "name": "vm-tcp", "type": "tcp-listen",   "address": "127.0.0.1", "port": $1 },
    { "name": "vmc",    "type": "unix-connect", "path": "$csock" }
  ]
}
JSON
}

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

boot_c() {
	rm -f "$csock"
	guest_boot c "$MAC_C" stream,server=on,addr.type=unix,addr.path="$csock"
	wait_for "QEMU of guest c to listen on $csock" 30 test -S "$csock"
}
# C first: its QEMU listens as soon as it starts; then the switch; then A.
boot_c
vswitchd_start_free_port gen_config
guest_boot a "$MAC_A" socket,connect=127.0.0.1:"$VSW_TCP_PORT"
guest_wait_ready c
guest_wait_ready a
guest_ip c 10.0.0.3
guest_ip a 10.0.0.1
check "A pings C (switch connected out to C)" guest_ping a 10.0.0.3

# --- 1. restart the switch ---------------------------------------------------------
log "phase 1: kill -9 vswitchd, start it again, restart A"
vswitchd_kill
guest_kill a
t0=$(date +%s%N)
vswitchd_start "$TESTDIR/vswitchd.json" --runtime-dir "$TESTDIR/run"
vswitchd_wait_ready 10 "tcp:$VSW_TCP_PORT" || die "vswitchd did not come back on TCP port $VSW_TCP_PORT"
log "vswitchd listens again after $(ms_since "$t0") ms"
guest_start a "$MAC_A" socket,connect=127.0.0.1:"$VSW_TCP_PORT"
guest_ip a 10.0.0.1
t0=$(date +%s%N)
check "after a switch restart, A reaches C within ${RECONNECT_BOUND}s" \
	wait_for "A to reach C through the restarted switch" "$RECONNECT_BOUND" guest_ping a 10.0.0.3 1
log "A reached C $(ms_since "$t0") ms after A was up"

# --- 2. restart C's QEMU -------------------------------------------------------------
log "phase 2: kill -9 C's QEMU, start it again on the same socket path"
guest_kill c
# Let the switch see the EOF and start its reconnect backoff against a dead path.
sleep 1
check "vswitchd survives C's disappearance" vswitchd_alive
t0=$(date +%s%N)
boot_c
guest_wait_ready c
guest_ip c 10.0.0.3
check "after C's restart, A reaches C within ${RECONNECT_BOUND}s" \
	wait_for "A to reach the restarted C" "$RECONNECT_BOUND" guest_ping a 10.0.0.3 1
log "A reached C $(ms_since "$t0") ms after C's QEMU was started again"
check "C reaches A" guest_ping c 10.0.0.1
check "vswitchd still runs" vswitchd_alive
# with A and C still connected: teardown of live connections
vswitchd_stop_check
finish
