#!/bin/bash
# Reload (vswitchctl reload and SIGHUP): ports whose settings did not change
# keep their connections and learned MACs; removed ports go, added ports
# come, changed ports are re-created; a file with an error changes nothing.
# Also runtime port add/del and the pid file.
set -eu
. "$(dirname "$0")/lib-component.sh"

VSWITCHCTL=$top_builddir/vswitchctl
ctl() { "$VSWITCHCTL" -s "$T/ctl.sock" "$@"; }

# write_config NAME:SOCKET...: "keep" plus a unix-listen port per argument.
write_config() {
	local extra= a

	for a in "$@"; do
		extra="$extra, { \"name\": \"${a%%:*}\", \"type\": \"unix-listen\",
		    \"path\": \"$T/${a#*:}.sock\" }"
	done
	printf '{ "ports": [\n    { "name": "keep", "type": "unix-listen", "path": "%s" }%s ] }\n' \
		"$T/keep.sock" "$extra" >"$T/sw.json"
}

write_config gone:gone change:change
vsw_spawn vswitchd "$VSWITCHD" -c "$T/sw.json" --pid-file "$T/vswitchd.pid"
[ "$(cat "$T/vswitchd.pid")" = "$VSW_PID" ] || die "pid file is wrong"

# A and B stay connected to "keep" across every reload; each side holds
# its connection open while the reloads happen.
mkfifo "$T/a.in"
"$FRAMEIO" -i -v <"$T/a.in" >"$T/a.out" 2>&1 &
fio_a=$!
exec 7>"$T/a.in"
cat >&7 <<EOF
open A unix:$T/keep.sock
open B unix:$T/keep.sock
open G unix:$T/gone.sock
wait-log $VSW_LOG port keep/2: connected
$(send_expect A "B G" dst=$BCAST src=$MAC_A tag=learn-a)
EOF
wait_log "$VSW_LOG" 'port gone/1: connected'
for _ in $(seq 50); do
	ctl mac show | grep -q "$MAC_A" && break
	sleep 0.05
done
ctl mac show | grep -q "$MAC_A.*keep/1" || die "A was not learned on keep/1"

# 1. A broken file is refused whole: nothing changes.
cp "$T/sw.json" "$T/good.json"
printf '{ "ports": [ { "name": "keep", "type": "unix-listen", "path": 5 } ] }\n' \
	>"$T/sw.json"
if out=$(ctl reload 2>&1); then die "a broken reload succeeded: $out"; fi
case $out in
*'ports[0].path: expected a string'*'nothing changed'*) ;;
*) die "broken reload: unexpected message: $out" ;;
esac
ctl ports | grep -q '^gone ' || die "a refused reload removed a port"
cp "$T/good.json" "$T/sw.json"

# 2. Remove "gone", change "change" (new socket path), add "new".
write_config change:change2 new:new
out=$(ctl --json reload)
for want in '"added": \[\s*"new"' '"removed": \[\s*"gone"' \
	'"changed": \[\s*"change"' '"unchanged": 1'; do
	printf '%s' "$out" | tr -d '\n' | grep -Eq "$want" ||
		die "reload result lacks $want: $out"
done
for _ in $(seq 100); do
	[ -S "$T/new.sock" ] && [ -S "$T/change2.sock" ] && break
	sleep 0.05
done
[ -S "$T/new.sock" ] || die "the added port has no socket"
[ -S "$T/change2.sock" ] || die "the changed port was not re-created"
[ ! -e "$T/change.sock" ] || die "the changed port's old socket is left"
[ ! -e "$T/gone.sock" ] || die "the removed port's socket is left"
ctl ports | grep -q '^gone' && die "the removed port is still listed"
# G's connection went with its listener.
wait_log "$VSW_LOG" 'port gone: removed'

# A's MAC and both connections survived.
ctl mac show | grep -q "$MAC_A.*keep/1" || die "reload forgot A's MAC"
cat >&7 <<EOF
expect-closed G
$(send_expect B A dst=$MAC_A src=$MAC_B tag=after-reload)
EOF

# 3. SIGHUP does the same from the file: drop "new" again.
write_config change:change2
kill -HUP "$VSW_PID"
wait_log "$VSW_LOG" 'reloaded .*0 added, 1 removed, 0 changed, 2 unchanged'
for _ in $(seq 100); do [ -e "$T/new.sock" ] || break; sleep 0.05; done
[ ! -e "$T/new.sock" ] || die "SIGHUP did not remove port new"

# 4. Runtime port add and del, with the config file's JSON.
ctl port add '{ "name": "rt", "type": "unix-listen", "path": "'"$T"'/rt.sock" }'
[ -S "$T/rt.sock" ] || die "port add made no socket"
if out=$(ctl port add '{ "name": "rt", "type": "unix-listen", "path": "'"$T"'/rt2.sock" }' 2>&1); then
	die "a duplicate port name was accepted"
fi
case $out in *'already exists'*) ;; *) die "duplicate add: $out" ;; esac
if out=$(ctl port add '{ "name": "bad", "type": "tcp-listen", "port": 99999 }' 2>&1); then
	die "a bad port was accepted"
fi
case $out in *'port: 99999 is out of range'*) ;; *) die "bad add: $out" ;; esac
ctl port del rt
for _ in $(seq 100); do [ -e "$T/rt.sock" ] || break; sleep 0.05; done
[ ! -e "$T/rt.sock" ] || die "port del left the socket"

# Closing one connection by name leaves the rest.
ctl port del keep/2
cat >&7 <<EOF
expect-closed B
send A dst=$BCAST src=$MAC_A tag=still-up
close A
EOF
exec 7>&-
wait "$fio_a" || { cat "$T/a.out" >&2; die "frameio failed"; }
vsw_stop
[ "$VSW_RC" -eq 0 ] || die "vswitchd exited with $VSW_RC"
[ ! -e "$T/vswitchd.pid" ] || die "pid file left behind"
