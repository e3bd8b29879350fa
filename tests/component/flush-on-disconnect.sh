#!/bin/bash
# A connection that closes takes its MACs with it: frames to them flood
# until the VM speaks again, now from its new connection.
set -eu
. "$(dirname "$0")/lib-component.sh"

vsw_up unix:vm

fio <<EOF
$(vm_open A B C)

# MAC_A learned on A, also in a VLAN; unicast reaches A alone.
send A dst=$BCAST src=$MAC_A tag=hello
send A dst=$BCAST src=$MAC_A vlan=7 tag=hello-7
expect B dst=$BCAST src=$MAC_A tag=hello
expect B dst=$BCAST src=$MAC_A vlan=7 tag=hello-7
expect C dst=$BCAST src=$MAC_A tag=hello
expect C dst=$BCAST src=$MAC_A vlan=7 tag=hello-7
$(send_expect B A dst=$MAC_A src=$MAC_B tag=to-a)
expect-none C ms=200

# The VM goes away; once the switch has noticed, frames to it flood.
close A
wait-log $VSW_LOG port vm/1 (.*): peer closed
send B dst=$MAC_A src=$MAC_B tag=gone
send B dst=$MAC_A src=$MAC_B vlan=7 tag=gone-7
expect C dst=$MAC_A src=$MAC_B tag=gone
expect C dst=$MAC_A src=$MAC_B vlan=7 tag=gone-7

# It comes back on a new connection (vm/4) and is learned there.
open A2 unix:$T/vm.sock
wait-log $VSW_LOG port vm/4: connected
$(send_expect A2 B dst=$MAC_B src=$MAC_A tag=back)
$(send_expect B A2 dst=$MAC_A src=$MAC_B tag=to-a2)
expect-none C ms=200
expect-none A2 ms=0
EOF
