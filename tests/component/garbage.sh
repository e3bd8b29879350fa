#!/bin/bash
# A length prefix no QEMU would send, or random bytes, close that one
# connection, with one log line naming the port and the reason; everyone
# else carries on.  A frame above max_frame but within QEMU's 69632-byte
# limit is only skipped: the stream is still in step.
set -eu
. "$(dirname "$0")/lib-component.sh"

vsw_up unix:vm

# Each bad input goes to a fresh connection: vm/3, vm/4, ... in this order.
bad="00000000 00000005 0000000d 00011001 00011170 ffffffff"
n=2
script=$(for hex in $bad random; do
	n=$((n + 1))
	echo "open G$n unix:$T/vm.sock"
	# A good frame first: it must still be delivered.
	echo "send G$n dst=$MAC_B src=52:54:00:00:01:0$n tag=before-$n"
	echo "expect B dst=$MAC_B src=52:54:00:00:01:0$n tag=before-$n"
	if [ "$hex" = random ]; then
		echo "raw G$n random=4096 seed=7"
	else
		echo "raw G$n $hex 00112233445566778899"
	fi
	echo "expect-closed G$n"
	echo "send A dst=$MAC_B src=$MAC_A tag=still-$n"
	echo "expect B dst=$MAC_B src=$MAC_A tag=still-$n"
	echo "send B dst=$MAC_A src=$MAC_B tag=still-$n"
	echo "expect A dst=$MAC_A src=$MAC_B tag=still-$n"
done)

fio <<EOF
$(vm_open A B)
$(send_expect B A dst=$BCAST src=$MAC_B tag=b-here)
$script

# Too big for max_frame (65535) but not for QEMU: skipped, and the
# connection (vm/10) carries on.
open S unix:$T/vm.sock
send S dst=$MAC_B src=$MAC_C len=65536 tag=over
send S dst=$MAC_B src=$MAC_C len=69632 tag=qemu-max
$(send_expect S B dst=$MAC_B src=$MAC_C tag=after-over)
$(send_expect B S dst=$MAC_C src=$MAC_B tag=to-s)
wait-log $VSW_LOG port vm/10 .*above max_frame

# A frame cut short by a hang-up is simply forgotten.
open H unix:$T/vm.sock
raw H 00000064 0011223344556677
close H
wait-log $VSW_LOG port vm/11 (.*): peer closed
$(send_expect A B dst=$MAC_B src=$MAC_A tag=end)
expect-none A ms=100
expect-none B ms=0
expect-none S ms=0
EOF
pid_alive "$VSW_PID" || die "vswitchd died"

# One line per bad connection, naming the port and the reason.
n=2
for reason in 'prefix 0\b' 'prefix 5 (below' 'prefix 13 (below' \
	'prefix 69633 (above' 'prefix 70000 (above' 'prefix 4294967295 (above' \
	'prefix [0-9]*'; do
	n=$((n + 1))
	lines=$(grep -c "port vm/$n\b" "$VSW_LOG" | tr -d ' ')
	grep -q "port vm/$n\b.*bad length $reason" "$VSW_LOG" ||
		die "no log line gives vm/$n's reason \"bad length $reason\""
	# "connected" plus the reason.
	[ "$lines" -eq 2 ] || {
		grep "port vm/$n\b" "$VSW_LOG" >&2
		die "vm/$n: expected one line on closing, got $((lines - 1))"
	}
done
