#!/bin/bash
# The stream decoder must reassemble frames however they are cut, and the
# switch must finish a frame it could only partly write before the next:
# one byte at a time, split prefixes, 65535-byte frames both ways, and
# jumbo frames queued behind a receiver that pauses.
set -eu
. "$(dirname "$0")/lib-component.sh"

vsw_up unix:vm tcp:vm-tcp
tcp=$(vsw_tcp_port vm-tcp)

# 20 distinct 65535-byte frames (1.3 MB) while B does not read.
jumbos=$(for i in $(seq 10 29); do
	echo "send A dst=$MAC_B src=$MAC_A len=65535 tag=jumbo-$i"
done)
expect_jumbos=$(for i in $(seq 10 29); do
	echo "expect B dst=$MAC_B src=$MAC_A len=65535 tag=jumbo-$i"
done)

fio <<EOF
open A unix:$T/vm.sock
open B unix:$T/vm.sock
open C tcp:127.0.0.1:$tcp
wait-log $VSW_LOG port vm-tcp/1: connected
send A dst=$BCAST src=$MAC_A tag=a
send B dst=$BCAST src=$MAC_B tag=b
send C dst=$BCAST src=$MAC_C tag=c
drain A ms=100
drain B ms=0
drain C ms=0

# One byte per write, with a pause so that each is its own read.
send A dst=$MAC_B src=$MAC_A tag=bytewise chunk=1 gap=1
expect B dst=$MAC_B src=$MAC_A tag=bytewise
send C dst=$MAC_A src=$MAC_C tag=bytewise-tcp chunk=1 gap=1
expect A dst=$MAC_A src=$MAC_C tag=bytewise-tcp
# Prefixes and bodies split at odd places.
send A dst=$MAC_C src=$MAC_A len=200 tag=by3 chunk=3 gap=1
expect C dst=$MAC_C src=$MAC_A len=200 tag=by3
send B dst=$MAC_A src=$MAC_B len=1000 tag=by7 chunk=7
expect A dst=$MAC_A src=$MAC_B len=1000 tag=by7

# Largest frames, both ways, over UNIX and TCP, whole and in pieces.
$(send_expect A B dst=$MAC_B src=$MAC_A len=65535 tag=jumbo-ab)
# (Nobody is known in VLAN 99, so this one floods.)
$(send_expect B "A C" dst=$MAC_A src=$MAC_B len=65535 vlan=99 tag=jumbo-ba)
send C dst=$MAC_A src=$MAC_C len=65535 tag=jumbo-ca chunk=1500
expect A dst=$MAC_A src=$MAC_C len=65535 tag=jumbo-ca
send A dst=$MAC_C src=$MAC_A len=65535 tag=jumbo-ac chunk=4099 gap=1
expect C dst=$MAC_C src=$MAC_A len=65535 tag=jumbo-ac

# B pauses: the switch's writes to it come up short and must resume
# mid-frame; every frame arrives whole and in order.
stall B
$jumbos
sleep 200
resume B
$expect_jumbos
expect-none A ms=200
expect-none B ms=0
expect-none C ms=0
EOF
