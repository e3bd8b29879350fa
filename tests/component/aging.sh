#!/bin/bash
# FDB aging: a silent MAC is forgotten once mac_aging_s have passed, and
# frames to it flood again; until then it stays.  The switch clock is
# moved forward with debug/time-warp instead of waiting for real, so the
# steps cannot be late.
set -eu
. "$(dirname "$0")/lib-component.sh"

vsw_up -s '"mac_aging_s": 60' unix:vm

# One script, fed step by step: the connections stay open across the
# warps (a hang-up would take the MACs with it).
# step [MS]: move the switch clock MS forward (if given), then run the
# script lines on stdin and wait until they ran.
step()
{
	[ -z "${1-}" ] || time_warp "$1"
	fio_bg fio
	fio_bg_sync fio
}

fio_bg_start fio
step <<EOF
$(vm_open A B C)

$(send_expect A "B C" dst=$BCAST src=$MAC_A tag=learn-a)

# Fresh entry: unicast, C sees nothing.
$(send_expect B A dst=$MAC_A src=$MAC_B tag=fresh)
expect-none C ms=300
EOF

# Still inside the 60 s (about 30 s after learning).
step 30000 <<EOF
$(send_expect B A dst=$MAC_A src=$MAC_B tag=young)
expect-none C ms=100
EOF

# About 61 s after A last spoke the entry has aged out: it floods.
step 31000 <<EOF
$(send_expect B "A C" dst=$MAC_A src=$MAC_B tag=aged)

# A speaks again and is learned again.
$(send_expect A B dst=$MAC_B src=$MAC_A tag=back)
$(send_expect B A dst=$MAC_A src=$MAC_B tag=relearned)
expect-none C ms=200
EOF
fio_bg_end fio
