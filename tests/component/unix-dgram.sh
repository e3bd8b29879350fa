#!/bin/bash
# unix-dgram ports, with multishot and with single-shot receives: peers
# known by their bound paths, learning and flooding with a stream peer,
# a stalled peer's full queue (EAGAIN) counted as tx_drop_full, a
# datagram too big for the receive buffer (MSG_TRUNC) and one above
# max_frame counted as rx_too_big, a fixed remote_path that is not bound
# yet (tx_drop_no_peer), the socket file removed at exit, and a stale one
# left by a killed daemon replaced.
set -eu
. "$(dirname "$0")/lib-component.sh"

need_vswitchctl

cat >"$T/sw.json" <<EOF2
{ "log_level": "debug",
  "switch": { "max_frame": 1518 },
  "ports": [
    { "name": "d", "type": "unix-dgram", "path": "$T/sw.dgram",
      "peer_idle_s": 0, "tx_queue_frames": 16 },
    { "name": "r", "type": "unix-dgram", "path": "$T/r.dgram",
      "remote_path": "$T/vm-r.dgram" },
    { "name": "s", "type": "unix-listen", "path": "$T/s.sock" } ] }
EOF2


for mode in multishot single-shot; do
	vsw_start_recv "$mode" "$T/sw.json"
	expect_stat d receive $mode

	fio <<EOF2
open S unix:$T/s.sock
# The fixed remote is not bound yet: its frames are counted drops.
send S dst=$BCAST src=$MAC_C tag=nobody-yet
open A unixdgram:$T/sw.dgram
open B unixdgram:$T/sw.dgram
$(send_expect A S dst=$BCAST src=$MAC_A tag=a-hello)
$(send_expect B "S A" dst=$BCAST src=$MAC_B tag=b-hello)
$(send_expect S B dst=$MAC_B src=$MAC_C tag=c-to-b)
$(send_expect B A dst=$MAC_A src=$MAC_B tag=b-to-a)
expect-none S ms=100

# Too big: above max_frame, and above the receive buffer (truncated).
send A dst=$MAC_C src=$MAC_A len=2000
send A dst=$MAC_C src=$MAC_A len=70000
$(send_expect A S dst=$MAC_C src=$MAC_A tag=after-big)

# A peer that stops reading: its kernel queue (10 datagrams) fills, then
# its 16-frame TX queue, the rest are dropped, and the others are not
# held up.
stall B
flood S count=50 dst=$MAC_B src=$MAC_C
$(send_expect S A dst=$MAC_A src=$MAC_C tag=still-fast)
resume B
drain B

# The fixed remote binds its path (as QEMU does) and is reached.
open R unixdgram:$T/r.dgram,$T/vm-r.dgram
$(send_expect S R dst=$BCAST src=$MAC_C tag=to-r)
$(send_expect R S dst=$MAC_C src=$MAC_D tag=from-r)
EOF2
	expect_stat d/1 rx_too_big 2
	expect_stat_gt0 d/2 tx_drop_full
	expect_stat_gt0 r/1 tx_drop_no_peer
	expect_stat r/1 tx_drop_down 0
	expect_stat d peers 2
	"$VSWITCHCTL" ports >"$T/ports.out"
	grep -q "^d/1 .*fio-.*-A.dgram" "$T/ports.out" ||
		die "no d/1 for A: $(cat "$T/ports.out")"
	vsw_stop
	[ "$VSW_RC" = 0 ] || die "vswitchd exited with $VSW_RC"
	[ ! -e "$T/sw.dgram" ] || die "$T/sw.dgram left behind at exit"
done

# A killed daemon leaves its socket file; the next one replaces it.
vsw_start "$T/sw.json" vswitchd-killed
vsw_kill
[ -S "$T/sw.dgram" ] || die "no socket file left by the killed daemon"
vsw_start "$T/sw.json" vswitchd-again
wait_log "$VSW_LOG" "removing stale socket $T/sw.dgram"
fio <<EOF2
open S unix:$T/s.sock
open A unixdgram:$T/sw.dgram
$(send_expect A S dst=$BCAST src=$MAC_A tag=again)
EOF2
