#!/bin/bash
# Frames a datagram port cannot send are counted for what happened, with
# no log line per frame: a frame above what UDP over IPv4 carries (65507
# bytes) but within the default max_frame is tx_drop_too_big on the udp
# peer (EMSGSIZE), while a 65507-byte one arrives; frames for a
# unix-dgram peer whose socket has gone are tx_drop_no_peer, and that
# peer stays up (a datagram peer has no connection to lose).  Neither is
# counted as tx_drop_down.
set -eu
. "$(dirname "$0")/lib-component.sh"

need_vswitchctl

# A UDP port unlikely to be taken.
P=$((20000 + ($$ * 7) % 30000))

cat >"$T/sw.json" <<EOF
{ "ports": [
    { "name": "u", "type": "udp", "address": "127.0.0.1", "port": $P },
    { "name": "d", "type": "unix-dgram", "path": "$T/d.dgram" },
    { "name": "s", "type": "unix-listen", "path": "$T/s.sock" } ] }
EOF
vsw_start "$T/sw.json"


fio <<EOF
open S unix:$T/s.sock
open A udp:127.0.0.1:$P
open B unixdgram:$T/d.dgram
$(send_expect A S dst=$BCAST src=$MAC_A tag=a-hello)
$(send_expect B S dst=$BCAST src=$MAC_B tag=b-hello)
drain A ms=100

# UDP over IPv4 carries 65507 bytes at most.
$(send_expect S A dst=$MAC_A src=$MAC_C len=65507 tag=biggest)
send S dst=$MAC_A src=$MAC_C len=65508 tag=too-big-1
send S dst=$MAC_A src=$MAC_C len=65535 tag=too-big-2
send S dst=$MAC_A src=$MAC_C len=65535 tag=too-big-3
$(send_expect S A dst=$MAC_A src=$MAC_C tag=after-big)

# B goes away (its socket file with it); the switch still knows it.
close B
send S dst=$MAC_B src=$MAC_C tag=nobody-1
send S dst=$MAC_B src=$MAC_C tag=nobody-2
$(send_expect S A dst=$MAC_A src=$MAC_C tag=after-gone)
EOF

expect_stat u/1 tx_drop_too_big 3
expect_stat u/1 tx_drop_down 0
expect_stat d/1 tx_drop_no_peer 2
expect_stat d/1 tx_drop_down 0
expect_stat d/1 state up
! grep -E 'Message too long|No such file|Connection refused|send to' \
	"$VSW_LOG" || die "per-frame send errors were logged"
# vswitchctl ports -s names the new reasons as columns.
"$VSWITCHCTL" ports -s >"$T/ports-s.out"
for col in TX-DROP-TOO-BIG TX-DROP-NO-PEER TX-DROP-ERROR; do
	head -n 1 "$T/ports-s.out" | grep -qw -- "$col" ||
		die "ports -s has no $col column: $(head -n 1 "$T/ports-s.out")"
done
