#!/bin/bash
# Pipelined control requests (docs/control-protocol.md allows them): four
# clients each write 5000 mixed requests at once, mutating ones among them
# (mac/add, mac/del, port/add, port/del), read nothing for a second, then
# read slowly.  Every id must be answered exactly once and in order, every
# request must succeed (a replayed mac/del or port/add would not), and the
# MAC table and port list must end as the requests leave them.  A receive
# that landed at a stale offset (the buffer was compacted under it) once
# answered some requests twice and others never.
set -eu
. "$(dirname "$0")/lib-component.sh"

CTLPIPE=$top_builddir/tests/tools/ctlpipe
[ -x "$CTLPIPE" ] || die "$CTLPIPE is not built (run make check)"

mkdir -p "$T/p"
cat >"$T/sw.json" <<EOF
{ "control": { "max_clients": 8 },
  "switch": { "mac_table_size": 65536 },
  "ports": [
    { "name": "vm", "type": "unix-listen", "path": "$T/vm.sock" },
    { "name": "host", "type": "unix-dgram", "path": "$T/host.dgram",
      "remote_path": "$T/peer.dgram" } ] }
EOF
vsw_start "$T/sw.json"

# mac/add needs a port that carries frames: the fixed-remote child of
# the unix-dgram port is up from the start.
port=$(ctl_ok '{"cmd":"port/list"}' | grep -o '"name":"host/[0-9]*"' |
	head -n1 | cut -d'"' -f4)
[ -n "$port" ] || die "no child port of the unix-dgram port"

"$CTLPIPE" "$T/ctl.sock" 4 5000 1000 "$port" "$T/p" ||
	die "pipelined requests were not answered exactly once"
# And one client whose output backs up the longest.
"$CTLPIPE" "$T/ctl.sock" 1 20000 2000 "$port" "$T/p" ||
	die "pipelined requests were not answered exactly once"
vsw_stop
