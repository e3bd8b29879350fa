#!/bin/bash
# 802.1Q: the VLAN id is part of the learning key, and tagged frames pass
# through the switch byte for byte.
set -eu
. "$(dirname "$0")/lib-component.sh"

vsw_up unix:vm

# MAC_A lives on A in VLAN 10 and on B in VLAN 20 (two VMs, one MAC).
fio <<EOF
$(vm_open A B C)

$(send_expect A "B C" dst=$BCAST src=$MAC_A vlan=10 tag=hello-10)
$(send_expect B "A C" dst=$BCAST src=$MAC_A vlan=20 tag=hello-20)

# Two entries: each VLAN reaches its own port; had B's frame moved the
# one entry, VLAN 10 would go to B.
$(send_expect C A dst=$MAC_A src=$MAC_C vlan=10 tag=to-10)
$(send_expect C B dst=$MAC_A src=$MAC_C vlan=20 tag=to-20)
expect-none A ms=200
expect-none B ms=0

# Untagged is yet another key: MAC_A is unknown there, so it floods.
$(send_expect C "A B" dst=$MAC_A src=$MAC_C tag=untagged)

# Byte-exact: priority bits, an inner EtherType, full-size, smallest
# tagged frame, and a VLAN 0 priority tag all arrive unchanged.  C is
# known in VLAN 10 (it sent there), not in VLAN 4094.
$(send_expect A C dst=$MAC_C src=$MAC_A vlan=10 pcp=5 type=0x0800 len=1518 tag=pcp5)
$(send_expect A "B C" dst=$MAC_C src=$MAC_A vlan=4094 pcp=7 type=0x86dd len=18)
$(send_expect A "B C" dst=$BCAST src=$MAC_A vlan=0 pcp=3 tag=prio)
expect-none A ms=200
expect-none B ms=0
expect-none C ms=0
EOF
