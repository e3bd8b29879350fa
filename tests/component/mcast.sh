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

need_vswitchctl

ip link set lo up

# mcast_config FILE GROUP PORT: an mcast port m on lo and a stream port s.
mcast_config()
{
	cat >"$1" <<EOF2
{ "log_level": "debug",
  "ports": [
    { "name": "m", "type": "mcast", "group": "$2", "port": $3,
      "interface": "lo" },
    { "name": "s", "type": "unix-listen", "path": "$T/s.sock" } ] }
EOF2
}

# join_fails CONFIG NAME GROUP FIX: without a route, vswitchd -c CONFIG
# fails, naming GROUP, the interface and the command FIX that would help
# (output in $T/NAME.out).
join_fails()
{
	local rc=0

	timeout 10 "$VSWITCHD" -c "$1" >"$T/$2.out" 2>&1 || rc=$?
	[ $rc != 0 ] || die "vswitchd started without a multicast route ($3)"
	grep -q "port m: cannot join $3 on interface lo: .*$4" "$T/$2.out" ||
		die "no helpful join error for $3: $(cat "$T/$2.out")"
}


# mcast_round NAME WHERE SUFFIX TOO_BIG: one round against the daemon
# started last, whose port m is in the group frameio reaches at WHERE
# (mcast:GROUP:PORT); NAME names the output files and the failures,
# SUFFIX ends each frame's tag.  Two group members and a stream port S
# exchange broadcast and unicast frames; their MACs are learned where
# they are; the switch's own datagrams, heard back, are counted as
# rx_echo and not forwarded; nothing loops once traffic stops; removing m
# at runtime leaves the group; the daemon exits with status 0.  With
# TOO_BIG 1, S also sends a 65535-byte frame, above what UDP over IPv4
# carries (65507 bytes) but within max_frame: counted as tx_drop_too_big,
# not as tx_drop_down, and not logged.
mcast_round()
{
	local name=$1 where=$2 s=$3 too_big=$4 big= fio_pid echo_n before after

	[ "$too_big" = 0 ] ||
		big="send S dst=$MAC_A src=$MAC_C len=65535 tag=too-big$s"
	# In the background, so that the MAC table can be read while S is
	# still connected (its MACs go when it hangs up).
	"$FRAMEIO" -v >"$T/fio-$name.out" 2>&1 <<EOF2 &
open S unix:$T/s.sock
open M1 $where
open M2 $where
# A group member's broadcast reaches the stream port, and (directly,
# through the group) the other member.
$(send_expect M1 "S M2" dst=$BCAST src=$MAC_A tag=m1-hello$s)
$(send_expect M2 "S M1" dst=$BCAST src=$MAC_B tag=m2-hello$s)
# And back: the switch sends once to the group, every member hears it.
$(send_expect S "M1 M2" dst=$MAC_A src=$MAC_C tag=c-to-a$s)
$(send_expect S "M1 M2" dst=$BCAST src=$MAC_C tag=c-bcast$s)
$(send_expect M2 "S M1" dst=$MAC_C src=$MAC_B tag=b-to-c$s)
$big
# Nothing comes back to S: the echo of our own sends is not forwarded.
expect-none S ms=300
expect-none M1 ms=0
expect-none M2 ms=0
sleep 2000
EOF2
	fio_pid=$!
	wait_log "$T/fio-$name.out" 'sleep 2000' 10
	"$VSWITCHCTL" mac show >"$T/macs-$name.out"
	grep -qi "$MAC_A .*\\bm\\b" "$T/macs-$name.out" &&
		grep -qi "$MAC_B .*\\bm\\b" "$T/macs-$name.out" &&
		grep -qi "$MAC_C .*s/1" "$T/macs-$name.out" ||
		die "$name: MACs on the wrong ports: $(cat "$T/macs-$name.out")"
	echo_n=$(port_stat m rx_echo)
	[ "$echo_n" -ge 2 ] || die "$name m: rx_echo is '$echo_n', expected >= 2"
	[ "$(port_stat m rx_frames)" = 3 ] ||
		die "$name m: rx_frames is $(port_stat m rx_frames), expected 3"
	[ "$(port_stat m tx_frames)" = 2 ] ||
		die "$name m: tx_frames is $(port_stat m tx_frames), expected 2"
	if [ "$too_big" = 1 ]; then
		[ "$(port_stat m tx_drop_too_big)" = 1 ] &&
			[ "$(port_stat m tx_drop_down)" = 0 ] ||
			die "$name m: tx_drop_too_big $(port_stat m tx_drop_too_big)," \
				"tx_drop_down $(port_stat m tx_drop_down); expected 1 and 0"
		! grep 'Message too long' "$VSW_LOG" ||
			die "$name m: a frame too big for the group was logged"
	fi
	# No loop: the counters stay put once traffic has stopped.
	before=$("$VSWITCHCTL" ports -s)
	sleep 0.5
	after=$("$VSWITCHCTL" ports -s)
	[ "$before" = "$after" ] || die "$name: counters still moving: $after"
	wait $fio_pid || die "frameio failed: $(cat "$T/fio-$name.out")"
	# Runtime removal leaves the group.
	"$VSWITCHCTL" port del m >/dev/null
	wait_log "$VSW_LOG" 'port m: removed'
	vsw_stop
	[ "$VSW_RC" = 0 ] || die "$name: vswitchd exited with $VSW_RC"
}

# --- IPv4 ---------------------------------------------------------------
P=5000
GROUP=239.192.0.1
mcast_config "$T/sw.json" "$GROUP" $P

# Without multicast on lo and a route, joining fails: the error names the
# interface and the fix, and vswitchd does not change the host.
join_fails "$T/sw.json" nojoin "$GROUP" 'ip route add 224.0.0.0/4 dev lo'

ip link set lo multicast on
ip route add 224.0.0.0/4 dev lo

for mode in multishot single-shot; do
	vsw_start_recv "$mode" "$T/sw.json"
	[ "$(port_stat m receive)" = $mode ] || die "m does not use $mode receives"
	"$VSWITCHCTL" qemu-args m >"$T/qemu-args.out"
	grep -q "socket,mcast=$GROUP:$P,localaddr=127.0.0.1" "$T/qemu-args.out" ||
		die "qemu-args m: $(cat "$T/qemu-args.out")"
	mcast_round "$mode" "mcast:$GROUP:$P" "" 1
done

# --- IPv6: a link-local-scope group (bound and joined with lo's index) ----
GROUP6=ff12::5
P6=5002
mcast_config "$T/sw6.json" "$GROUP6" $P6

# lo does multicast now, but IPv6 has no route there yet: the error says
# which one works on lo.
join_fails "$T/sw6.json" nojoin6 "$GROUP6" 'ip -6 route add local ff00::/8 dev lo'

ip -6 route add local ff00::/8 dev lo

unset VSWITCHD_NO_MULTISHOT
vsw_start "$T/sw6.json" vswitchd-ipv6
"$VSWITCHCTL" port show m >"$T/show6.out"
grep -q "$GROUP6" "$T/show6.out" || die "port show m: $(cat "$T/show6.out")"
# QEMU 7.2 cannot join IPv6 groups: no qemu-args to offer.
if "$VSWITCHCTL" qemu-args m >"$T/qemu-args6.out" 2>&1; then
	die "qemu-args for an IPv6 group: $(cat "$T/qemu-args6.out")"
fi
mcast_round ipv6 "mcast:[$GROUP6]:$P6" 6 0
