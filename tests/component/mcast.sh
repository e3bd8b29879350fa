#!/bin/bash
# mcast ports, in a private network namespace (multicast never touches
# the host's): a missing multicast route is reported with the fix; two
# QEMU-style group members reach a stream port and back; their MACs are
# learned on the mcast port only; the switch's own datagrams, heard back
# from the group, are dropped and counted (rx_echo) and never re-learned;
# a frame above what UDP carries is counted as tx_drop_too_big, unlogged;
# and nothing loops once traffic stops.  Then the same with an IPv6
# (link-local scope) group.
set -eu

if [ -z "${VSW_MCAST_NETNS:-}" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "mcast: SKIP: needs root for a private network namespace"
		exit 77
	fi
	for tool in unshare ip; do
		if ! command -v $tool >/dev/null; then
			echo "mcast: SKIP: $tool is not installed"
			exit 77
		fi
	done
	# Everything below runs in a namespace that dies with the test.
	VSW_MCAST_NETNS=1 exec unshare -n -- bash "$0" "$@"
fi

. "$(dirname "$0")/lib-component.sh"

VSWITCHCTL=${VSWITCHCTL:-$top_builddir/vswitchctl}
[ -x "$VSWITCHCTL" ] || die "$VSWITCHCTL is not built (run make)"

ip link set lo up
P=5000
GROUP=239.192.0.1

cat >"$T/sw.json" <<EOF2
{ "log_level": "debug",
  "ports": [
    { "name": "m", "type": "mcast", "group": "$GROUP", "port": $P,
      "interface": "lo" },
    { "name": "s", "type": "unix-listen", "path": "$T/s.sock" } ] }
EOF2

# Without multicast on lo and a route, joining fails: the error names the
# interface and the fix, and vswitchd does not change the host.
rc=0
timeout 10 "$VSWITCHD" -c "$T/sw.json" >"$T/nojoin.out" 2>&1 || rc=$?
[ $rc != 0 ] || die "vswitchd started without a multicast route"
grep -q "port m: cannot join $GROUP on interface lo: .*ip route add 224.0.0.0/4 dev lo" \
	"$T/nojoin.out" || die "no helpful join error: $(cat "$T/nojoin.out")"

ip link set lo multicast on
ip route add 224.0.0.0/4 dev lo

stat()
{
	"$VSWITCHCTL" --json port show "$1" |
		sed -n "s/^ *\"$2\": \"\\{0,1\\}\\([0-9a-z.:-]*\\)\"\\{0,1\\},\\{0,1\\}\$/\\1/p" |
		head -n 1
}

for mode in multishot single-shot; do
	if [ $mode = single-shot ]; then
		export VSWITCHD_NO_MULTISHOT=1
	else
		unset VSWITCHD_NO_MULTISHOT
	fi
	vsw_start "$T/sw.json" "vswitchd-$mode"
	[ "$(stat m receive)" = $mode ] || die "m does not use $mode receives"
	"$VSWITCHCTL" qemu-args m >"$T/qemu-args.out"
	grep -q "socket,mcast=$GROUP:$P,localaddr=127.0.0.1" "$T/qemu-args.out" ||
		die "qemu-args m: $(cat "$T/qemu-args.out")"

	# In the background, so that the MAC table can be read while S is
	# still connected (its MACs go when it hangs up).
	"$FRAMEIO" -v >"$T/fio-$mode.out" 2>&1 <<EOF2 &
open S unix:$T/s.sock
open M1 mcast:$GROUP:$P
open M2 mcast:$GROUP:$P
# A group member's broadcast reaches the stream port, and (directly,
# through the group) the other member.
send M1 dst=$BCAST src=$MAC_A tag=m1-hello
expect S dst=$BCAST src=$MAC_A tag=m1-hello
expect M2 dst=$BCAST src=$MAC_A tag=m1-hello
send M2 dst=$BCAST src=$MAC_B tag=m2-hello
expect S dst=$BCAST src=$MAC_B tag=m2-hello
expect M1 dst=$BCAST src=$MAC_B tag=m2-hello
# And back: the switch sends once to the group, every member hears it.
send S dst=$MAC_A src=$MAC_C tag=c-to-a
expect M1 dst=$MAC_A src=$MAC_C tag=c-to-a
expect M2 dst=$MAC_A src=$MAC_C tag=c-to-a
send S dst=$BCAST src=$MAC_C tag=c-bcast
expect M1 dst=$BCAST src=$MAC_C tag=c-bcast
expect M2 dst=$BCAST src=$MAC_C tag=c-bcast
send M2 dst=$MAC_C src=$MAC_B tag=b-to-c
expect S dst=$MAC_C src=$MAC_B tag=b-to-c
expect M1 dst=$MAC_C src=$MAC_B tag=b-to-c
# Above what UDP over IPv4 carries (65507 bytes), within max_frame: too
# big for this port, counted, not logged.
send S dst=$MAC_A src=$MAC_C len=65535 tag=too-big
# Nothing comes back to S: the echo of our own sends is not forwarded.
expect-none S ms=300
expect-none M1 ms=0
expect-none M2 ms=0
sleep 2000
EOF2
	fio_pid=$!
	wait_log "$T/fio-$mode.out" 'sleep 2000' 10
	"$VSWITCHCTL" mac show >"$T/macs.out"
	grep -qi "$MAC_A .*\\bm\\b" "$T/macs.out" &&
		grep -qi "$MAC_B .*\\bm\\b" "$T/macs.out" &&
		grep -qi "$MAC_C .*s/1" "$T/macs.out" ||
		die "MACs on the wrong ports: $(cat "$T/macs.out")"
	echo_n=$(stat m rx_echo)
	[ "$echo_n" -ge 2 ] || die "m: rx_echo is '$echo_n', expected >= 2"
	[ "$(stat m rx_frames)" = 3 ] ||
		die "m: rx_frames is $(stat m rx_frames), expected 3"
	[ "$(stat m tx_frames)" = 2 ] ||
		die "m: tx_frames is $(stat m tx_frames), expected 2"
	[ "$(stat m tx_drop_too_big)" = 1 ] && [ "$(stat m tx_drop_down)" = 0 ] ||
		die "m: tx_drop_too_big $(stat m tx_drop_too_big)," \
			"tx_drop_down $(stat m tx_drop_down); expected 1 and 0"
	! grep 'Message too long' "$VSW_LOG" ||
		die "m: a frame too big for the group was logged"
	# No loop: the counters stay put once traffic has stopped.
	before=$("$VSWITCHCTL" ports -s)
	sleep 0.5
	after=$("$VSWITCHCTL" ports -s)
	[ "$before" = "$after" ] || die "counters still moving: $after"
	wait $fio_pid || die "frameio failed: $(cat "$T/fio-$mode.out")"
	# Runtime removal leaves the group.
	"$VSWITCHCTL" port del m >/dev/null
	wait_log "$VSW_LOG" 'port m: removed'
	vsw_stop
	[ "$VSW_RC" = 0 ] || die "vswitchd exited with $VSW_RC"
done

# IPv6: a link-local-scope group (bound and joined with lo's index).
GROUP6=ff12::5
P6=5002
cat >"$T/sw6.json" <<EOF2
{ "log_level": "debug",
  "ports": [
    { "name": "m", "type": "mcast", "group": "$GROUP6", "port": $P6,
      "interface": "lo" },
    { "name": "s", "type": "unix-listen", "path": "$T/s.sock" } ] }
EOF2

# lo does multicast now, but IPv6 has no route there yet: the error says
# which one works on lo.
rc=0
timeout 10 "$VSWITCHD" -c "$T/sw6.json" >"$T/nojoin6.out" 2>&1 || rc=$?
[ $rc != 0 ] || die "vswitchd started without an IPv6 multicast route"
grep -q "port m: cannot join $GROUP6 on interface lo: .*ip -6 route add local ff00::/8 dev lo" \
	"$T/nojoin6.out" || die "no helpful IPv6 join error: $(cat "$T/nojoin6.out")"

ip -6 route add local ff00::/8 dev lo

unset VSWITCHD_NO_MULTISHOT
vsw_start "$T/sw6.json" vswitchd-ipv6
"$VSWITCHCTL" port show m >"$T/show6.out"
grep -q "$GROUP6" "$T/show6.out" || die "port show m: $(cat "$T/show6.out")"
# QEMU 7.2 cannot join IPv6 groups: no qemu-args to offer.
if "$VSWITCHCTL" qemu-args m >"$T/qemu-args6.out" 2>&1; then
	die "qemu-args for an IPv6 group: $(cat "$T/qemu-args6.out")"
fi
"$FRAMEIO" -v >"$T/fio-ipv6.out" 2>&1 <<EOF2 &
open S unix:$T/s.sock
open M1 mcast:[$GROUP6]:$P6
open M2 mcast:[$GROUP6]:$P6
send M1 dst=$BCAST src=$MAC_A tag=m1-hello6
expect S dst=$BCAST src=$MAC_A tag=m1-hello6
expect M2 dst=$BCAST src=$MAC_A tag=m1-hello6
send M2 dst=$BCAST src=$MAC_B tag=m2-hello6
expect S dst=$BCAST src=$MAC_B tag=m2-hello6
expect M1 dst=$BCAST src=$MAC_B tag=m2-hello6
send S dst=$MAC_A src=$MAC_C tag=c-to-a6
expect M1 dst=$MAC_A src=$MAC_C tag=c-to-a6
expect M2 dst=$MAC_A src=$MAC_C tag=c-to-a6
send S dst=$BCAST src=$MAC_C tag=c-bcast6
expect M1 dst=$BCAST src=$MAC_C tag=c-bcast6
expect M2 dst=$BCAST src=$MAC_C tag=c-bcast6
send M2 dst=$MAC_C src=$MAC_B tag=b-to-c6
expect S dst=$MAC_C src=$MAC_B tag=b-to-c6
expect M1 dst=$MAC_C src=$MAC_B tag=b-to-c6
expect-none S ms=300
expect-none M1 ms=0
expect-none M2 ms=0
sleep 2000
EOF2
fio_pid=$!
wait_log "$T/fio-ipv6.out" 'sleep 2000' 10
"$VSWITCHCTL" mac show >"$T/macs6.out"
grep -qi "$MAC_A .*\\bm\\b" "$T/macs6.out" &&
	grep -qi "$MAC_B .*\\bm\\b" "$T/macs6.out" &&
	grep -qi "$MAC_C .*s/1" "$T/macs6.out" ||
	die "IPv6: MACs on the wrong ports: $(cat "$T/macs6.out")"
echo_n=$(stat m rx_echo)
[ "$echo_n" -ge 2 ] || die "IPv6 m: rx_echo is '$echo_n', expected >= 2"
[ "$(stat m rx_frames)" = 3 ] ||
	die "IPv6 m: rx_frames is $(stat m rx_frames), expected 3"
[ "$(stat m tx_frames)" = 2 ] ||
	die "IPv6 m: tx_frames is $(stat m tx_frames), expected 2"
before=$("$VSWITCHCTL" ports -s)
sleep 0.5
after=$("$VSWITCHCTL" ports -s)
[ "$before" = "$after" ] || die "IPv6: counters still moving: $after"
wait $fio_pid || die "frameio failed: $(cat "$T/fio-ipv6.out")"
"$VSWITCHCTL" port del m >/dev/null
wait_log "$VSW_LOG" 'port m: removed'
vsw_stop
[ "$VSW_RC" = 0 ] || die "vswitchd exited with $VSW_RC"
