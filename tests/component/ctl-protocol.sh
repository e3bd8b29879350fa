#!/bin/bash
# The control socket against bad clients: malformed JSON, unknown commands,
# bad arguments, an over-long line, too many clients and a client that
# never reads its replies.  None of them may disturb forwarding or other
# control clients.
set -eu
. "$(dirname "$0")/lib-component.sh"

cat >"$T/sw.json" <<EOF
{ "control": { "max_clients": 4 },
  "ports": [ { "name": "vm", "type": "unix-listen", "path": "$T/vm.sock" } ] }
EOF
vsw_start "$T/sw.json"
[ -S "$T/ctl.sock" ] || die "no control socket at $T/ctl.sock"
mode=$(stat -c %a "$T/ctl.sock")
[ "$mode" = 600 ] || die "control socket has mode $mode, not 600"

# Each bad line gets its own error reply, and the connection stays usable.
out=$(ctl_raw 'this is not json' '[1,2]' '{"cmd":42}' '{"cmd":"no/such"}' \
	'{"cmd":"show","args":[]}' '{"cmd":"port/show","args":{"name":"x"}}' \
	'{"cmd":"port/show","args":{"nmae":"vm"}}' \
	'{"cmd":"mac/add","args":{"mac":"zz","port":"vm"}}' \
	'{"cmd":"show","id":7}')
printf '%s\n' "$out" >"$T/replies"
[ "$(wc -l <"$T/replies")" -eq 9 ] || die "expected 9 replies, got: $out"
n_err=$(grep -c '^{"ok":false' "$T/replies")
[ "$n_err" -eq 8 ] || die "expected 8 error replies: $out"
grep -q 'malformed request' "$T/replies" || die "no malformed-request error"
grep -q 'unknown command \\"no/such\\"' "$T/replies" ||
	die "no unknown-command error"
grep -q 'no port named \\"x\\"' "$T/replies" || die "no unknown-port error"
grep -q 'unknown argument \\"nmae\\"' "$T/replies" ||
	die "no unknown-argument error"
grep -q 'is not a MAC address' "$T/replies" || die "no bad-MAC error"
tail -n 1 "$T/replies" | grep -q '^{"ok":true.*"id":7' ||
	die "the last reply does not echo id 7: $(tail -n 1 "$T/replies")"

# Commands of a part this daemon does not run (no uplink, no DHCP server)
# fail with ENOENT, as docs/control-protocol.md says, all alike.
for cmd in forwards/list forwards/add forwards/del dhcp/leases; do
	reply=$(ctl_raw "{\"cmd\":\"$cmd\",\"id\":1}")
	case $reply in
	'{"ok":false,"errno":2,'*'"id":1}') ;;
	*) die "$cmd without its part: expected errno 2, got '$reply'" ;;
	esac
done

# A line over 64 KiB: an error reply, then the connection is closed.
reply=$( (head -c 70000 /dev/zero | tr '\0' a; echo) |
	timeout 20 socat -t 10 - "UNIX-CONNECT:$T/ctl.sock" || :)
case $reply in
*'"ok":false'*'too long'*) ;;
*) die "over-long line: unexpected reply '${reply:0:200}'" ;;
esac
[ "$(printf '%s\n' "$reply" | wc -l)" -eq 1 ] ||
	die "over-long line: more than one reply"

# A last request without its newline is still answered at end of input.
reply=$(printf '{"cmd":"log/level"}' |
	timeout 20 socat -t 10 - "UNIX-CONNECT:$T/ctl.sock")
case $reply in
'{"ok":true,"result":{"level":"info"}}') ;;
*) die "unterminated last line: unexpected reply '$reply'" ;;
esac

# A client that sends requests and never reads: the daemon stops reading
# from it instead of buffering without bound, and serves everyone else.
yes '{"cmd":"port/list"}' | head -n 200000 |
	timeout 20 socat -u - "UNIX-CONNECT:$T/ctl.sock" &
hog=$!
sleep 0.5
pid_alive "$VSW_PID" || die "vswitchd died under a client that never reads"
fio <<EOF
open A unix:$T/vm.sock
open B unix:$T/vm.sock
wait-log $VSW_LOG port vm/2: connected
$(send_expect A B dst=$BCAST src=$MAC_A tag=still-forwarding)
EOF
show=$(ctl_ok '{"cmd":"show"}')
# The hog's unread replies stay bounded (one pause threshold plus a reply).
buffered=$(printf '%s' "$show" | sed -n 's/.*"buffered_bytes":\([0-9]*\).*/\1/p')
[ -n "$buffered" ] || die "show has no control.buffered_bytes: $show"
[ "$buffered" -lt 1048576 ] ||
	die "$buffered bytes buffered for a client that never reads"
[ "$buffered" -gt 0 ] || die "the hog's replies were not held back: $show"
kill "$hog" 2>/dev/null || :
wait "$hog" 2>/dev/null || :

# Beyond max_clients a connection is closed at once; the others work.
idle=
for i in 1 2 3 4; do
	# Reads the socket, never writes: an idle client.
	timeout 30 socat -u "UNIX-CONNECT:$T/ctl.sock" /dev/null \
		</dev/null >/dev/null 2>&1 &
	idle="$idle $!"
done
sleep 0.3
reply=$(ctl_raw '{"cmd":"show"}' || :)
[ -z "$reply" ] || die "a fifth client was served: $reply"
wait_log "$VSW_LOG" 'refusing a client: max_clients (4) reached'
# shellcheck disable=SC2086
kill $idle 2>/dev/null || :
# shellcheck disable=SC2086
wait $idle 2>/dev/null || :
sleep 0.3
ctl_ok '{"cmd":"show"}' >/dev/null
