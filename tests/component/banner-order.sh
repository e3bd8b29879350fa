#!/bin/bash
# The start-up banner ("vswitchd is ready. Attach QEMU VMs with ...")
# lists the ports VMs attach to in the order of the configuration file,
# one of each kind that has QEMU arguments, with names that sort neither
# way.
set -eu
. "$(dirname "$0")/lib-component.sh"

vsw_config unix:zulu tcp:alpha \
	'{ "name": "mike", "type": "unix-dgram", "path": "'"$T"'/mike.dgram" }' \
	'{ "name": "echo", "type": "unix-connect", "path": "'"$T"'/echo.sock" }' \
	unix:bravo
want="zulu alpha mike echo bravo"
vsw_start "$T/sw.json"

# The banner goes to stdout in one flush after the "running with" line.
wait_log "$VSW_LOG" '^vswitchd is ready\. Attach QEMU VMs'
banner_ports()
{
	sed -n 's/^  port \([a-z]*\):$/\1/p' "$VSW_LOG" | tr '\n' ' ' |
		sed 's/ $//'
}
wait_for "five ports in the banner" 5 \
	eval '[ "$(banner_ports | wc -w)" -ge 5 ]'
got=$(banner_ports)
[ "$got" = "$want" ] ||
	die "the banner lists the ports as \"$got\", the config as \"$want\""
log "banner order: $got"
