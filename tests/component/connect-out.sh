#!/bin/bash
# Connect-out ports (QEMU as the server, -netdev stream,server=on): the
# switch keeps retrying until the VM listens, frames flow both ways, and
# after the VM drops the connection the switch comes back by itself.
set -eu
. "$(dirname "$0")/lib-component.sh"

# A TCP port nobody uses, for the TCP flavour (frameio listens on it).
port=$(free_tcp_port)

cat >"$T/sw.json" <<EOF
{ "log_level": "debug",
  "ports": [
    { "name": "vm", "type": "unix-listen", "path": "$T/vm.sock" },
    { "name": "out", "type": "unix-connect", "path": "$T/peer.sock",
      "reconnect_min_ms": 20, "reconnect_max_ms": 200 },
    { "name": "out-tcp", "type": "tcp-connect", "address": "127.0.0.1",
      "port": $port, "reconnect_min_ms": 20, "reconnect_max_ms": 200 } ] }
EOF
vsw_start "$T/sw.json"
wait_log "$VSW_LOG" 'port out: cannot connect to .*; retrying'

# 3 s bounds a reconnect whose backoff is capped at 200 ms.
fio <<EOF
open A unix:$T/vm.sock
listen P unix:$T/peer.sock timeout=3000
listen Q tcp:127.0.0.1:$port timeout=3000
wait-log $VSW_LOG port out: connected to
wait-log $VSW_LOG port out-tcp: connected to

$(send_expect A "P Q" dst=$BCAST src=$MAC_A tag=hello)
$(send_expect P A dst=$MAC_A src=$MAC_C tag=from-p)
send Q dst=$MAC_A src=$MAC_D tag=from-q len=65535
expect A dst=$MAC_A src=$MAC_D len=65535 tag=from-q
$(send_expect A P dst=$MAC_C src=$MAC_A tag=to-p)
$(send_expect A Q dst=$MAC_D src=$MAC_A tag=to-q)
expect-none P ms=100
expect-none Q ms=0

# The VMs hang up and listen again; the switch reconnects.
close P
close Q
listen P unix:$T/peer.sock timeout=3000
listen Q tcp:127.0.0.1:$port timeout=3000
$(send_expect P A dst=$MAC_A src=$MAC_C tag=p-again)
$(send_expect Q A dst=$MAC_A src=$MAC_D tag=q-again)
$(send_expect A P dst=$MAC_C src=$MAC_A tag=to-p-again)
$(send_expect A Q dst=$MAC_D src=$MAC_A tag=to-q-again)
expect-none A ms=100
expect-none P ms=0
expect-none Q ms=0
EOF
[ "$(grep -c 'port out: connected to' "$VSW_LOG")" -eq 2 ] ||
	die "expected exactly two connections of port out"
