#!/bin/bash
# udp ports: every source address is its own child port ("u/1", "u/2");
# learning, flooding and unicast between UDP peers and a stream peer;
# max_peers, idle expiry, a fixed remote that gets frames before it ever
# sent one, and runt and oversize datagrams counted and dropped.
set -eu
. "$(dirname "$0")/lib-component.sh"

need_vswitchctl

# Ports unlikely to be taken; three in a row.
P=$((20000 + ($$ * 3) % 30000))
P2=$((P + 1)) P3=$((P + 2))

cat >"$T/sw.json" <<EOF2
{ "log_level": "debug",
  "switch": { "max_frame": 1518 },
  "ports": [
    { "name": "u", "type": "udp", "address": "127.0.0.1", "port": $P,
      "max_peers": 2, "peer_idle_s": 1 },
    { "name": "f", "type": "udp", "address": "127.0.0.1", "port": $P2,
      "remote_address": "127.0.0.1", "remote_port": $P3 },
    { "name": "s", "type": "unix-listen", "path": "$T/s.sock" } ] }
EOF2
vsw_start "$T/sw.json"


# The fixed remote's child exists from the start, and gets floods before
# it has sent anything.
"$VSWITCHCTL" ports >"$T/ports0.out"
grep -q '^f/1 .*127\.0\.0\.1:'"$P3" "$T/ports0.out" ||
	die "no fixed child f/1 at start: $(cat "$T/ports0.out")"

fio <<EOF2
open S unix:$T/s.sock
open F udp:127.0.0.1:$P2,$P3
$(send_expect S F dst=$BCAST src=$MAC_C tag=to-fixed)

# Two UDP peers: each becomes a child once it sends.
open A udp:127.0.0.1:$P
open B udp:127.0.0.1:$P
$(send_expect A "S F" dst=$BCAST src=$MAC_A tag=a-hello)
$(send_expect B "S A F" dst=$BCAST src=$MAC_B tag=b-hello)

# Learned: unicast goes to exactly one peer.
$(send_expect S A dst=$MAC_A src=$MAC_C tag=c-to-a)
$(send_expect A B dst=$MAC_B src=$MAC_A tag=a-to-b)
$(send_expect B S dst=$MAC_C src=$MAC_B tag=b-to-c)
expect-none A ms=100
expect-none B ms=0
expect-none F ms=0

# A third peer is over max_peers (2): dropped and counted.
open C udp:127.0.0.1:$P
send C dst=$BCAST src=$MAC_D tag=c-refused
wait-log $VSW_LOG port u: dropping datagrams from .*max_peers reached
expect-none S ms=100

# Runts and oversize datagrams are dropped and counted.
raw A 0102030405
send A dst=$MAC_C src=$MAC_A len=2000 tag=too-big
$(send_expect A S dst=$MAC_C src=$MAC_A tag=after)

# The fixed port takes nobody else.
open G udp:127.0.0.1:$P2
send G dst=$BCAST src=$MAC_D tag=not-fixed
wait-log $VSW_LOG port f: dropping datagrams from .*not the configured remote
$(send_expect F S dst=$MAC_C src=$MAC_D tag=from-fixed)
expect-none S ms=100
EOF2

"$VSWITCHCTL" ports >"$T/ports1.out"
for p in u/1 u/2 f/1; do
	grep -q "^$p " "$T/ports1.out" || die "no $p in: $(cat "$T/ports1.out")"
done
! grep -q '^u/3 ' "$T/ports1.out" || die "u/3 exists over max_peers"
expect_stat u refused 1
expect_stat f refused 1
expect_stat u/1 rx_runt 1
expect_stat u/1 rx_too_big 1
expect_stat u/1 rx_frames 3
expect_stat u peers 2
"$VSWITCHCTL" mac show >"$T/macs.out"
grep -qi "$MAC_A.* u/1" "$T/macs.out" || die "$MAC_A not on u/1: $(cat "$T/macs.out")"

# Idle expiry: both peers went quiet; after peer_idle_s (1 s) they go,
# the fixed peer stays, and a new source gets a slot.
wait_log "$VSW_LOG" 'port u/1 (.*): peer silent' 5
wait_log "$VSW_LOG" 'port u/2 (.*): peer silent' 5
"$VSWITCHCTL" ports >"$T/ports2.out"
! grep -q '^u/[12] ' "$T/ports2.out" || die "idle peers still listed"
grep -q '^f/1 ' "$T/ports2.out" || die "the fixed peer expired"
expect_stat u peers 0
fio <<EOF2
open C udp:127.0.0.1:$P
open S unix:$T/s.sock
$(send_expect C S dst=$BCAST src=$MAC_D tag=c-now)
EOF2
wait_log "$VSW_LOG" 'port u/3: peer 127.0.0.1:'

# Removing the port removes its children.
"$VSWITCHCTL" port del u >/dev/null
wait_log "$VSW_LOG" 'port u: removed'
"$VSWITCHCTL" ports >"$T/ports3.out"
! grep -q '^u' "$T/ports3.out" || die "u still listed: $(cat "$T/ports3.out")"
