#!/bin/bash
# Flooding before learning, unicast after it, and what is never forwarded:
# back to the sender, or from a group or zero source address.
set -eu
. "$(dirname "$0")/lib-component.sh"

vsw_up unix:vm tcp:vm-tcp
tcp=$(vsw_tcp_port vm-tcp)

fio <<EOF
# A and B speak UNIX, C speaks TCP.
open A unix:$T/vm.sock
open B unix:$T/vm.sock
open C tcp:127.0.0.1:$tcp
wait-log $VSW_LOG port vm/2: connected
wait-log $VSW_LOG port vm-tcp/1: connected

# Nobody is known yet: A's frame to B floods, but not back to A.
$(send_expect A "B C" dst=$MAC_B src=$MAC_A tag=unknown)
expect-none A ms=100

# A was learned, so B's answer goes to A alone.
$(send_expect B A dst=$MAC_A src=$MAC_B tag=answer)
expect-none C ms=200

# Both are known now: unicast in both directions, C sees nothing.
send A dst=$MAC_B src=$MAC_A tag=uni-ab len=1514
send B dst=$MAC_A src=$MAC_B tag=uni-ba len=64
expect B dst=$MAC_B src=$MAC_A tag=uni-ab len=1514
expect A dst=$MAC_A src=$MAC_B tag=uni-ba len=64
expect-none C ms=200

# Broadcast always floods, known sender or not; never back to the sender.
$(send_expect C "A B" dst=$BCAST src=$MAC_C tag=bcast-c)
$(send_expect A "B C" dst=$BCAST src=$MAC_A tag=bcast-a)

# C was learned from its broadcast: unicast to it over TCP.
$(send_expect A C dst=$MAC_C src=$MAC_A tag=to-c)

# Multicast (IPv4 and IPv6 mapped) floods even though C is known.
send C dst=01:00:5e:00:00:fb src=$MAC_C tag=mcast4 type=0x0800
send C dst=33:33:00:00:00:01 src=$MAC_C tag=mcast6 type=0x86dd
expect A dst=01:00:5e:00:00:fb src=$MAC_C tag=mcast4 type=0x0800
expect A dst=33:33:00:00:00:01 src=$MAC_C tag=mcast6 type=0x86dd
expect B dst=01:00:5e:00:00:fb src=$MAC_C tag=mcast4 type=0x0800
expect B dst=33:33:00:00:00:01 src=$MAC_C tag=mcast6 type=0x86dd

# A frame to the sender's own port goes nowhere, not even back.
send A dst=$MAC_A src=$MAC_D tag=hairpin

# Group or zero sources are dropped, and must not be learned either.
send A dst=$BCAST src=01:00:5e:00:00:01 tag=group-src
send A dst=$BCAST src=00:00:00:00:00:00 tag=zero-src
$(send_expect B "A C" dst=01:00:5e:00:00:01 src=$MAC_B tag=to-group)
expect-none A ms=200
expect-none B ms=0
expect-none C ms=0
EOF
