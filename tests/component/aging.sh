#!/bin/bash
# FDB aging: with mac_aging_s 1 a silent MAC is forgotten, and frames to it
# flood again.  There is no clock to warp yet, so this test waits for real.
set -eu
. "$(dirname "$0")/lib-component.sh"

cat >"$T/sw.json" <<EOF
{ "log_level": "debug",
  "switch": { "mac_aging_s": 1 },
  "ports": [ { "name": "vm", "type": "unix-listen", "path": "$T/vm.sock" } ] }
EOF
vsw_start "$T/sw.json"

fio <<EOF
open A unix:$T/vm.sock
open B unix:$T/vm.sock
open C unix:$T/vm.sock
wait-log $VSW_LOG port vm/3: connected

send A dst=$BCAST src=$MAC_A tag=learn-a
expect B dst=$BCAST src=$MAC_A tag=learn-a
expect C dst=$BCAST src=$MAC_A tag=learn-a

# Fresh entry: unicast, C sees nothing.
send B dst=$MAC_A src=$MAC_B tag=fresh
expect A dst=$MAC_A src=$MAC_B tag=fresh
expect-none C ms=300

# Still well inside the second (about 0.5 s after learning).
send B dst=$MAC_A src=$MAC_B tag=young
expect A dst=$MAC_A src=$MAC_B tag=young
expect-none C ms=100

# About 2.5 s after A last spoke the entry has aged out: it floods.
sleep 1900
send B dst=$MAC_A src=$MAC_B tag=aged
expect A dst=$MAC_A src=$MAC_B tag=aged
expect C dst=$MAC_A src=$MAC_B tag=aged

# A speaks again and is learned again.
send A dst=$MAC_B src=$MAC_A tag=back
expect B dst=$MAC_B src=$MAC_A tag=back
send B dst=$MAC_A src=$MAC_B tag=relearned
expect A dst=$MAC_A src=$MAC_B tag=relearned
expect-none C ms=200
EOF
