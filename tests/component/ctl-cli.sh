#!/bin/bash
# vswitchctl against a real vswitchd: the human tables (aligned, sorted,
# no trailing spaces) and --json of every subcommand, the daemon's errors
# on stderr, the exit statuses (0 ok, 1 error reply, 2 usage, 3 cannot
# connect or no answer), capture to a file and to a pipe with -c and
# SIGINT, and the bash completion.
set -eu
. "$(dirname "$0")/lib-component.sh"

need_vswitchctl

# Both the daemon and vswitchctl find the control socket from this.
export VSWITCHD_RUNTIME_DIR=$T/run

# ctl ARGS...: run vswitchctl; its output in $T/out and $T/err, status RC.
ctl()
{
	RC=0
	"$VSWITCHCTL" "$@" >"$T/out" 2>"$T/err" </dev/null || RC=$?
}

# ok DESC ARGS...: vswitchctl ARGS must succeed with nothing on stderr.
ok()
{
	local desc=$1

	shift
	ctl "$@"
	if [ "$RC" != 0 ] || [ -s "$T/err" ]; then
		sed 's/^/    [out] /' "$T/out" >&2
		sed 's/^/    [err] /' "$T/err" >&2
		die "$desc: 'vswitchctl $*' exited $RC"
	fi
	! grep -n ' $' "$T/out" >&2 ||
		die "$desc: 'vswitchctl $*' printed trailing spaces"
}

# fails STATUS DESC ARGS...: vswitchctl ARGS must exit STATUS.
fails()
{
	local want=$1 desc=$2

	shift 2
	ctl "$@"
	if [ "$RC" != "$want" ]; then
		sed 's/^/    [out] /' "$T/out" >&2
		sed 's/^/    [err] /' "$T/err" >&2
		die "$desc: 'vswitchctl $*' exited $RC, not $want"
	fi
}

# has FILE ERE...: FILE has a line matching each extended regex.
has()
{
	local f=$1 re

	shift
	for re in "$@"; do
		grep -Eq -- "$re" "$f" || {
			sed 's/^/    /' "$f" >&2
			die "$(basename "$f") has no line matching /$re/"
		}
	done
}

# same FILE: $T/out is exactly FILE (after normalizing with sed -E $SED).
same()
{
	sed -E "${SED:-}" "$T/out" >"$T/out.norm"
	diff -u "$1" "$T/out.norm" >&2 || die "unexpected output (diff above)"
}

# Every line of $T/out is as long as the others: right-aligned last column.
aligned()
{
	[ "$(awk '{ print length($0) }' "$T/out" | sort -u | wc -l)" = 1 ] || {
		cat "$T/out" >&2
		die "$1: the columns are not aligned"
	}
}

fsize() { stat -c %s "$1"; }

cat >"$T/sw.json" <<EOF
{ "runtime_dir": "$T/run",
  "ports": [ { "name": "vm", "type": "unix-listen", "path": "$T/vm.sock" },
             { "name": "vm-tcp", "type": "tcp-listen", "port": 0 } ] }
EOF
vsw_start "$T/sw.json"
MAIN_PID=$VSW_PID
MAIN_LOG=$VSW_LOG
wait_log "$MAIN_LOG" 'control socket: '

# --- the basics ------------------------------------------------------------
log "basics: version, show, help"

ok "version" -V
has "$T/out" '^vswitchctl [0-9]+\.[0-9]+'
ok "show by default"
has "$T/out" '^version: +[0-9]' '^pid: +'"$MAIN_PID"'$' \
	'^uptime: +[0-9][0-9]:[0-9][0-9]:[0-9][0-9]' "^config: +$T/sw.json\$" \
	'^ports: +2 of [0-9]+$' '^MAC table: +0 of [0-9]+ entries, aging 5m00s$' \
	'^forwarding: +unicast 0, flooded 0, dropped 0$'
ok "show --json" show --json
has "$T/out" '^\{$' '^  "uptime_s": [0-9]+,$' '^\}$'
ok "--json show" --json show
has "$T/out" "^  \"pid\": $MAIN_PID,\$"
ok "help" help
has "$T/out" '^Usage: vswitchctl ' '^  mac add MAC PORT \[--vlan VLAN\] +add'
ok "help of one command" mac --help
has "$T/out" '^  mac flush \[PORT\] '

# --- two VMs stay connected in the background ------------------------------
log "ports and port show, with two VMs connected"

cat >"$T/vms.fio" <<EOF
open A unix:$T/vm.sock
open B unix:$T/vm.sock
wait-log $MAIN_LOG port vm/2: connected
send A dst=$BCAST src=$MAC_A tag=a
send A dst=$BCAST src=$MAC_A vlan=7 tag=a7
expect B dst=$BCAST src=$MAC_A tag=a
expect B dst=$BCAST src=$MAC_A vlan=7 tag=a7
$(send_expect B A dst=$MAC_A src=$MAC_B tag=b)
sleep 120000
EOF
spawn vms "$FRAMEIO" -v -f "$T/vms.fio"
mac_count() { "$VSWITCHCTL" mac 2>/dev/null | grep -q "^$1 entries\$"; }
wait_for "3 learned MAC entries" 10 mac_count 3

ok "ports" ports
has "$T/out" '^NAME +TYPE +STATE +PEER +MACS +RX-FRAMES +TX-FRAMES +DROPS$' \
	'^vm +unix-listen +listening +- +0 +0 +0 +0$' \
	'^vm-tcp +tcp-listen +listening +- +0 +0 +0 +0$' \
	'^vm/1 +stream +up +pid=[0-9]+ +2 +2 +1 +0$' \
	'^vm/2 +stream +up +pid=[0-9]+ +1 +1 +2 +0$'
aligned "ports"
ok "ports -s" ports -s
has "$T/out" '^NAME +TYPE +STATE +PEER +MACS +RX-FRAMES +RX-BYTES +TX-FRAMES +TX-BYTES +DROPS +RX-RUNT +RX-TOO-BIG +RX-BAD-SRC +RX-BAD-LEN +RX-HAIRPIN +RX-ECHO +TX-DROP-FULL +TX-DROP-DOWN +TX-DROP-TOO-BIG +TX-DROP-NO-PEER +TX-DROP-ERROR$' \
	'^vm/1 +stream +up +pid=[0-9]+ +2 +2 +120 +1 +60 +0( +0){11}$'
aligned "ports -s"
ok "ports --json" ports --json
has "$T/out" '^\[$' '^    "name": "vm/1",$' '^      "rx_frames": 2,$'

ok "port show" port show vm/1
for key in name type parent state peer pid macs rx_frames rx_bytes \
	tx_frames tx_bytes rx_runt rx_too_big rx_bad_src rx_bad_len \
	rx_hairpin tx_drop_full tx_drop_down tx_drop_too_big tx_drop_no_peer \
	tx_drop_error tx_queue_hwm connects \
	disconnects refused; do
	has "$T/out" "^$key: +[^ ]"
done
has "$T/out" '^parent: +vm$' '^rx_frames: +2$' '^rx_runt: +0$' \
	'^tx_queue: +0/[0-9]+ frames, 0/[0-9]+ bytes$'
ok "port show of a configured port" port show vm
has "$T/out" '^config: +\{"name":"vm","type":"unix-listen",'
fails 1 "port show of a missing port" port show nope
[ "$(cat "$T/err")" = 'vswitchctl: no port named "nope"' ] ||
	die "port show nope: stderr is '$(cat "$T/err")'"

# --- the MAC table ---------------------------------------------------------
log "the MAC table"

ok "mac add" mac add 52:54:00:00:00:99 vm/2 --vlan 3
[ ! -s "$T/out" ] || die "mac add printed something"
cat >"$T/mac.want" <<EOF
MAC                VLAN  PORT  AGE  TYPE
52:54:00:00:00:0a     0  vm/1   Ns  learned
52:54:00:00:00:0a     7  vm/1   Ns  learned
52:54:00:00:00:0b     0  vm/2   Ns  learned
52:54:00:00:00:99     3  vm/2    -  static
4 entries
EOF
ok "mac" mac
SED='s/ [0-9]s / Ns /' same "$T/mac.want"
ok "mac show" mac show
SED='s/ [0-9]s / Ns /' same "$T/mac.want"
ok "mac --port" mac --port vm/2
has "$T/out" '^2 entries$'
ok "mac show --vlan" mac show --vlan 7
has "$T/out" '^52:54:00:00:00:0a +7 +vm/1 ' '^1 entry$'
ok "mac --json" --json mac --vlan 3
has "$T/out" '^    "static": true$'
fails 1 "mac --port of a missing port" mac --port nope

# Ages print as 1m05s once the clock is 65 s on.
ok "time warp" raw debug/time-warp '{"ms": 65000}'
has "$T/out" '^  "ok": true,$'
ok "mac after 65 s" mac
has "$T/out" '^MAC +VLAN +PORT +AGE +TYPE$' \
	'^52:54:00:00:00:0a +0 +vm/1 +1m0[5-9]s +learned$' \
	'^52:54:00:00:00:99 +3 +vm/2 +- +static$'

ok "mac del" mac del 52:54:00:00:00:99 --vlan 3
fails 1 "mac del of a missing entry" mac del 52:54:00:00:00:99 --vlan 3
has "$T/err" '^vswitchctl: no such entry in the MAC table$'
ok "mac flush of a port" mac flush vm/2
has "$T/out" '^flushed 1 entry$'
ok "mac flush" mac flush
has "$T/out" '^flushed 2 entries$'
ok "empty mac table" mac
has "$T/out" '^MAC +VLAN +PORT +AGE +TYPE$' '^0 entries$'

# --- the other subcommands -------------------------------------------------
log "qemu-args, log level, stats reset, port add/del, reload, raw"

ok "qemu-args" qemu-args vm
has "$T/out" "^qemu-system-x86_64 .*-netdev stream,.*addr.path=$T/vm.sock"
fails 1 "qemu-args of a connection" qemu-args vm/1
has "$T/err" '^vswitchctl: .*vm/1'

ok "log level" log level
has "$T/out" '^info$'
ok "log level debug" log level debug
has "$T/out" '^debug$'
fails 1 "log level loud" log level loud
has "$T/err" '^vswitchctl: .*loud'

ok "stats reset of a port" stats reset vm/1
ok "port show after stats reset" port show vm/1
has "$T/out" '^rx_frames: +0$'
ok "stats reset" stats reset
ok "ports after stats reset" ports
has "$T/out" '^vm/2 +stream +up +pid=[0-9]+ +[0-9]+ +0 +0 +0$'

ok "port add" port add "{\"name\": \"extra\", \"type\": \"unix-listen\",
	\"path\": \"$T/extra.sock\"}"
wait_for_socket "$T/extra.sock" 5
fails 1 "port add of a name in use" port add \
	"{\"name\": \"extra\", \"type\": \"unix-listen\"}"
ok "port del" port del extra
gone() { [ ! -e "$1" ]; }
wait_for "$T/extra.sock to go" 5 gone "$T/extra.sock"
printf '{ "name": "extra2", "type": "unix-listen", "path": "%s" }\n' \
	"$T/extra2.sock" >"$T/extra2.json"
ok "port add -f" port add -f "$T/extra2.json"
wait_for_socket "$T/extra2.sock" 5
ok "port del" port del extra2

ok "reload, nothing changed" reload
has "$T/out" '^added: +-$' '^removed: +-$' '^unchanged: +2$'
sed -i "s|\"ports\": \\[|\"ports\": [ { \"name\": \"vm3\", \"type\": \"unix-listen\", \"path\": \"$T/vm3.sock\" },|" \
	"$T/sw.json"
ok "reload, a port added" reload
has "$T/out" '^added: +vm3$' '^unchanged: +2$'
wait_for_socket "$T/vm3.sock" 5

# Commands of later daemons: either they work or the message says why.
for c in leases forwards; do
	ctl "$c"
	[ "$RC" = 0 ] || { [ "$RC" = 1 ] &&
		grep -q '^vswitchctl: this vswitchd does not support\|^vswitchctl: no DHCP server is configured\|^vswitchctl: no slirp uplink is running' "$T/err"; } ||
		die "$c: exit status $RC, stderr '$(cat "$T/err")'"
done

ok "raw" raw port/show '{"name": "vm"}'
has "$T/out" '^  "ok": true,$' '^    "name": "vm",$'
fails 1 "raw of an unknown command" raw no/such
has "$T/out" '^  "ok": false,$'

ok "__complete ports" __complete ports
has "$T/out" '^vm$' '^vm-tcp$' '^vm/1$' '^vm/2$'

# --- usage errors: 2 -------------------------------------------------------
log "usage errors"

fails 2 "unknown command" frobnicate
has "$T/err" "^vswitchctl: unknown command 'frobnicate'"
fails 2 "bad MAC" mac add 52:54:00:zz:00:01 vm/1
fails 2 "bad VLAN" mac --vlan 4096
fails 2 "missing argument" port show
fails 2 "extra argument" ports vm
fails 2 "bad timeout" -t soon show
fails 2 "port with no second word" port
fails 2 "bad port JSON" port add '{"name": '
fails 2 "bad count" capture vm/1 -c 0

# --- capture ---------------------------------------------------------------
log "capture"

# burst N TAG: a third VM sends N broadcasts, which vm/2 (B) sends on.
burst()
{
	fio <<EOF
open C unix:$T/vm.sock
send C dst=$BCAST src=$MAC_C tag=$2-1
$(for i in $(seq 2 "$1"); do echo "send C dst=$BCAST src=$MAC_C tag=$2-$i"; done)
sleep 100
close C
EOF
}
# capture_started N: the daemon has started its Nth capture.
capture_started()
{
	[ "$(grep -c 'capture on port vm/2 started' "$MAIN_LOG")" -ge "$1" ]
}

# To a file, stopping after 3 records: a pcap header and 3 records of
# 16 + 60 bytes.
"$VSWITCHCTL" capture vm/2 -c 3 -w "$T/c3.pcap" 2>"$T/c3.err" &
cap=$!
wait_for "capture 1 to start" 5 capture_started 1
burst 5 c3
rc=0
wait "$cap" || rc=$?
[ "$rc" = 0 ] || die "capture -c 3 -w exited $rc: $(cat "$T/c3.err")"
[ "$(fsize "$T/c3.pcap")" = $((24 + 3 * 76)) ] ||
	die "c3.pcap is $(fsize "$T/c3.pcap") bytes, not $((24 + 3 * 76))"
[ "$(od -An -tx1 -N4 "$T/c3.pcap" | tr -d ' ')" = d4c3b2a1 ] ||
	die "c3.pcap does not start with the pcap magic"
has "$T/c3.err" '^3 packets captured$'
# A real reader agrees: three broadcasts from C, whole 60-byte frames.
command -v tcpdump >/dev/null || die "tcpdump is not installed"
tcpdump -nn -e -r "$T/c3.pcap" >"$T/c3.txt" 2>"$T/c3.tcpdump.err" ||
	die "tcpdump cannot read c3.pcap: $(cat "$T/c3.tcpdump.err")"
[ "$(grep -c "^.* $MAC_C > ff:ff:ff:ff:ff:ff, .*length 60" "$T/c3.txt")" = 3 ] ||
	die "tcpdump read unexpected records: $(cat "$T/c3.txt")"

# To a pipe.
{
	rc=0
	"$VSWITCHCTL" capture vm/2 -c 2 --snaplen 20 2>"$T/c2.err" || rc=$?
	echo "$rc" >"$T/c2.rc"
} | cat >"$T/c2.pcap" &
cap=$!
wait_for "capture 2 to start" 5 capture_started 2
burst 3 c2
wait "$cap"
[ "$(cat "$T/c2.rc")" = 0 ] || die "capture to a pipe exited $(cat "$T/c2.rc")"
[ "$(fsize "$T/c2.pcap")" = $((24 + 2 * (16 + 20))) ] ||
	die "c2.pcap is $(fsize "$T/c2.pcap") bytes, not $((24 + 2 * 36))"

# Until SIGINT: the file ends after the last whole record, status 0.
"$VSWITCHCTL" capture vm/2 -w "$T/int.pcap" 2>"$T/int.err" &
cap=$!
wait_for "capture 3 to start" 5 capture_started 3
burst 2 int
has_bytes() { [ "$(fsize "$1" 2>/dev/null || echo 0)" -ge "$2" ]; }
wait_for "2 records in int.pcap" 5 has_bytes "$T/int.pcap" $((24 + 2 * 76))
kill -INT "$cap"
rc=0
wait "$cap" || rc=$?
[ "$rc" = 0 ] || die "capture stopped by SIGINT exited $rc"
[ "$(fsize "$T/int.pcap")" = $((24 + 2 * 76)) ] ||
	die "int.pcap is $(fsize "$T/int.pcap") bytes"
wait_log "$MAIN_LOG" 'capture on port vm/2 ended'

if command -v script >/dev/null; then
	script -qec "'$VSWITCHCTL' capture vm/2" /dev/null >"$T/tty.out" 2>&1 ||
		:
	has "$T/tty.out" 'refusing to write a binary pcap stream to a terminal'
fi
fails 1 "capture of a missing port" capture nope -w "$T/nope.pcap"
[ ! -e "$T/nope.pcap" ] || die "a failed capture left a file"

# --- cannot connect or no answer: 3 ----------------------------------------
log "cannot connect, no answer"

fails 3 "no socket" -s "$T/none.sock" show
[ "$(cat "$T/err")" = "vswitchctl: cannot connect to $T/none.sock: No such file or directory (is vswitchd running?)" ] ||
	die "no socket: stderr is '$(cat "$T/err")'"

# A daemon killed with SIGKILL leaves its socket behind.
cat >"$T/second.json" <<EOF
{ "control": { "path": "$T/stale.sock" },
  "ports": [ { "name": "vm", "type": "unix-listen",
               "path": "$T/second.sock" } ] }
EOF
vsw_start "$T/second.json" second
vsw_kill
VSW_PID=$MAIN_PID
# The kernel tears the dead daemon's io_uring down a little later, and
# until then its listening socket still accepts.
stale_refused()
{
	ctl -s "$T/stale.sock" show
	[ "$RC" = 3 ] && grep -q "^vswitchctl: cannot connect to $T/stale.sock: .*looks stale" "$T/err"
}
wait_for "the socket of the killed daemon to refuse connections" 5 \
	stale_refused

# Someone else's socket (root passes permission checks, so drop them).
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$VSWITCHCTL" -V >/dev/null 2>&1; then
	rc=0
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$VSWITCHCTL" show >/dev/null 2>"$T/err" || rc=$?
	[ "$rc" = 3 ] || die "as nobody: exit status $rc"
	has "$T/err" 'Permission denied \(.*permission'
fi

# A daemon that does not answer: a timeout, not a hang.
kill -STOP "$MAIN_PID"
t0=$(date +%s%N)
ctl -t 0.5 show
t1=$(date +%s%N)
kill -CONT "$MAIN_PID"
[ "$RC" = 3 ] || die "a stopped daemon: exit status $RC"
has "$T/err" '^vswitchctl: vswitchd did not answer within 0\.5 s'
[ $(((t1 - t0) / 1000000)) -lt 3000 ] || die "the timeout took too long"
ok "the daemon answers again" show

# --- a capture ends with its port ------------------------------------------
log "a capture ends with its port"

"$VSWITCHCTL" capture vm/2 -w "$T/end.pcap" 2>"$T/end.err" &
cap=$!
wait_for "capture 4 to start" 5 capture_started 4
ok "port del of a connection" port del vm/2
rc=0
wait "$cap" || rc=$?
[ "$rc" = 1 ] || die "capture of a deleted port exited $rc"
has "$T/end.err" '^vswitchctl: vswitchd ended the capture'

# --- bash completion -------------------------------------------------------
log "bash completion"

complete_words()
{
	(
		COMPREPLY=()
		COMP_WORDS=("$VSWITCHCTL" "$@")
		COMP_CWORD=$(($# ))
		# shellcheck source=../../docs/vswitchctl.bash-completion
		. "$top_srcdir/docs/vswitchctl.bash-completion"
		_vswitchctl
		printf '%s\n' "${COMPREPLY[@]}"
	)
}
complete_words po >"$T/out"
has "$T/out" '^port$' '^ports$'
complete_words port show '' >"$T/out"
has "$T/out" '^vm/1$' '^vm-tcp$'
complete_words log level d >"$T/out"
has "$T/out" '^debug$'
log "all checks passed"
