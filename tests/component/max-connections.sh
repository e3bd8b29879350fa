#!/bin/bash
# max_connections: one connection too many is closed at once, the others
# keep working, and a slot freed by a hang-up can be used again.
set -eu
. "$(dirname "$0")/lib-component.sh"

vsw_up 'unix:vm:"max_connections": 3'

fio <<EOF
$(vm_open A B C)

# The fourth is refused, even when it has already sent a frame (raw, as
# the switch may hang up before we get to write it).
open D unix:$T/vm.sock
raw D 0000003c ffffffffffff 52540000000d 88b5 $(printf '%092d' 0)
expect-closed D timeout=2000
wait-log $VSW_LOG port vm: refusing connection .*max_connections (3)

$(send_expect A "B C" dst=$BCAST src=$MAC_A tag=still-a)
$(send_expect C A dst=$MAC_A src=$MAC_C tag=still-c)
expect-none A ms=100
expect-none B ms=0

# C leaves; its slot takes a new connection (vm/4: D never got a number).
close C
wait-log $VSW_LOG port vm/3 (.*): peer closed
open E unix:$T/vm.sock
wait-log $VSW_LOG port vm/4: connected
$(send_expect E "A B" dst=$BCAST src=$MAC_D tag=e-here)
$(send_expect A E dst=$MAC_D src=$MAC_A tag=to-e)
expect-none A ms=100
expect-none B ms=0
expect-none E ms=0
EOF
