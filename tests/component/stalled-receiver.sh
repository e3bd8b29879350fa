#!/bin/bash
# A VM that stops reading must not hold up the others: its queue fills and
# its frames are dropped, while everyone else keeps receiving everything.
set -eu
. "$(dirname "$0")/lib-component.sh"

vsw_up -s '"tx_queue_frames": 256' unix:vm

# 20 rounds of 200 frames of 1000 bytes: about 4 MB, far beyond what C's
# socket and queue can hold.  Each round fits B's queue even if the switch
# takes it in one gulp, and B must get every frame of every round.
rounds=$(for i in $(seq 20); do
	echo "flood A count=200 dst=$BCAST src=$MAC_A len=1000 tag=storm$i"
	echo "expect-count B count=200 timeout=5000"
done)

fio <<EOF
$(vm_open A B C)
$(send_expect C "A B" dst=$BCAST src=$MAC_C tag=c-here)

stall C
$rounds
expect-none B ms=100

# The switch still works for B and, once C reads again, for C too.
$(send_expect B A dst=$MAC_A src=$MAC_B tag=after)
resume C
drain C ms=200
$(send_expect A C dst=$MAC_C src=$MAC_A tag=c-again)
expect-none B ms=100
EOF
pid_alive "$VSW_PID" || die "vswitchd died"
