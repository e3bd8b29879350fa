#!/bin/bash
# The examples in docs/examples are checked, not just shipped: the systemd
# unit passes systemd-analyze verify and its commands work with Type=notify
# (vswitchd sends READY=1 and STOPPING=1); the libvirt interface is valid
# XML that points at the built-in default TCP port.
set -eu
. "$(dirname "$0")/lib-component.sh"

ex=$top_srcdir/docs/examples
for tool in socat xmllint systemd-analyze; do
	command -v "$tool" >/dev/null ||
		skip "$tool is not installed (build-aux/deps.sh test installs it)"
done

# --- systemd unit -------------------------------------------------------
cat >"$T/vswitchd.json" <<EOF
{ "ports": [ { "name": "vm", "type": "unix-listen", "path": "$T/vm.sock" } ] }
EOF
# The unit's command lines, pointed at this build and this test's config.
sed -e "s|/usr/local/sbin/vswitchd|$VSWITCHD|g" \
	-e "s|/etc/vswitchd.json|$T/vswitchd.json|g" \
	"$ex/vswitchd.service" >"$T/vswitchd.service"
systemd-analyze verify --man=no "$T/vswitchd.service" >"$T/verify.log" 2>&1 ||
	{ cat "$T/verify.log" >&2; die "systemd-analyze verify failed"; }
pre=$(sed -n 's/^ExecStartPre=//p' "$T/vswitchd.service")
start=$(sed -n 's/^ExecStart=//p' "$T/vswitchd.service")
[ -n "$pre" ] && [ -n "$start" ] || die "the unit lacks ExecStartPre/ExecStart"
# shellcheck disable=SC2086
$pre >"$T/pre.log" 2>&1 || { cat "$T/pre.log" >&2; die "ExecStartPre failed"; }

# Type=notify: vswitchd reports readiness on $NOTIFY_SOCKET.
timeout 20 socat -u UNIX-RECV:"$T/notify.sock" CREATE:"$T/notify.log" &
recv=$!
for _ in $(seq 100); do [ -S "$T/notify.sock" ] && break; sleep 0.02; done
# shellcheck disable=SC2086
NOTIFY_SOCKET=$T/notify.sock spawn vswitchd $start
VSW_PID=$SPAWN_PID
VSW_LOG=$T/vswitchd.log
_vsw_pids="$_vsw_pids $VSW_PID"
on_exit _vsw_stop_left
wait_log "$VSW_LOG" ' running with '
for _ in $(seq 100); do grep -q 'READY=1' "$T/notify.log" && break; sleep 0.02; done
grep -q 'READY=1' "$T/notify.log" || die "no READY=1 on NOTIFY_SOCKET"
[ -S "$T/vm.sock" ] || die "READY=1 came before the port's socket existed"
# ExecReload sends SIGHUP: the daemon reloads and says READY=1 again.
kill -HUP "$VSW_PID"
wait_log "$VSW_LOG" 'reloaded '
vsw_stop
[ "$VSW_RC" -eq 0 ] || die "vswitchd exited with $VSW_RC"
for _ in $(seq 100); do grep -q 'STOPPING=1' "$T/notify.log" && break; sleep 0.02; done
grep -q 'STOPPING=1' "$T/notify.log" || die "no STOPPING=1 on NOTIFY_SOCKET"
grep -q 'RELOADING=1' "$T/notify.log" || die "no RELOADING=1 on SIGHUP"
kill "$recv" 2>/dev/null || :
wait "$recv" 2>/dev/null || :

# --- libvirt interface --------------------------------------------------
xmllint --noout "$ex/libvirt-interface.xml" || die "libvirt example is not XML"
addr=$(xmllint --xpath 'string(/interface/source/@address)' "$ex/libvirt-interface.xml")
port=$(xmllint --xpath 'string(/interface/source/@port)' "$ex/libvirt-interface.xml")
type=$(xmllint --xpath 'string(/interface/@type)' "$ex/libvirt-interface.xml")
[ "$type" = client ] || die "libvirt example: interface type is '$type'"
# The built-in default must listen exactly there.
"$VSWITCHD" --check -v --runtime-dir "$T" >"$T/default.txt"
grep -qx "ports\[0\].type = tcp-listen" "$T/default.txt" &&
	grep -qx "ports\[0\].address = $addr" "$T/default.txt" &&
	grep -qx "ports\[0\].port = $port" "$T/default.txt" ||
	{ cat "$T/default.txt" >&2; die "the default does not listen on $addr:$port"; }
