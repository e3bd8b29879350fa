#!/bin/bash
# Case 3: VM to VM.  Two QEMU guests (TCG; the QEMU test tier's busybox
# guest, tests/qemu/lib-qemu.sh) through vswitchd, both on one unix-listen
# port (-netdev stream,server=off), and the same two guests joined directly
# (-netdev stream server=on / server=off): the ceiling for QEMU.
#
# The guest has busybox only, so both subjects are measured the same way:
#   tcp_mbps  guest A pipes zeros (dd) into busybox nc for BENCH_SECONDS,
#             guest B's nc counts them (wc -c): bytes received over the
#             time from the first byte to the end of the stream, both read
#             from /proc/uptime in B (10 ms resolution)
#   rtt_ms    average round trip of busybox ping -A (next ping as soon as
#             the reply is in) for BENCH_SECONDS; ping_rps its rate
# Under TCG the guests' CPUs, not the link, set these figures.
set -eu
. "$(dirname "$0")/../qemu/lib-qemu.sh"
. "$(dirname "$0")/lib-bench.sh"

bench_have "$QEMU=qemu-system-x86" busybox=busybox-static ||
	skip "QEMU or busybox is missing"
qemu_setup
T=$TESTDIR
secs=$BENCH_SECONDS
MAC_A=52:54:00:00:be:0a
MAC_B=52:54:00:00:be:0b

# measure SUBJECT: the guests a and b are up and addressed.
measure()
{
	local subject=$1 out t0 t1 bytes i=0 mbps

	guest_ping a 10.0.0.2 3 || die "$subject: a does not reach b"
	# busybox nc quits when its stdin ends: the listener gets one that
	# never does.  B times from the first byte to the end of the stream.
	# shellcheck disable=SC2016  # expanded in the guest
	guest_run b '(sleep 100000 | nc -l -p 5001 | (dd bs=1 count=1 2>/dev/null
		t0=$(cut -d" " -f1 /proc/uptime); n=$(wc -c)
		echo "$t0 $n $(cut -d" " -f1 /proc/uptime)" >/tmp/rx.tmp
		mv /tmp/rx.tmp /tmp/rx)) </dev/null >/dev/null 2>&1 &' >/dev/null
	sleep 1
	guest_run a "timeout $secs dd if=/dev/zero bs=64k 2>/dev/null |
		nc 10.0.0.2 5001" $((secs + 60)) >/dev/null ||
		die "$subject: the transfer failed"
	until out=$(guest_run b 'cat /tmp/rx 2>/dev/null') && [ -n "$out" ]; do
		i=$((i + 1))
		[ $i -lt 50 ] || die "$subject: b never counted what it received"
		sleep 0.2
	done
	read -r t0 bytes t1 <<<"$out"
	bytes=$((bytes + 1))
	mbps=$(calc "$bytes * 8 / ($t1 - $t0) / 1e6")
	log "$subject: $bytes bytes in $(calc "$t1 - $t0") s: $(fmt "$mbps") Mbit/s"
	result "$subject" tcp_mbps "$(fmt "$mbps")" Mbit/s

	out=$(guest_run a "ping -A -q -w $secs 10.0.0.2" $((secs + 30))) || :
	log "$subject: $(printf '%s\n' "$out" | tr '\n' ' ')"
	result "$subject" rtt_ms "$(fmt "$(printf '%s\n' "$out" |
		sed -n 's|.*min/avg/max = [0-9.]*/\([0-9.]*\)/.*|\1|p')")" ms
	result "$subject" ping_rps "$(fmt "$(calc "$(printf '%s\n' "$out" |
		sed -n 's/.* \([0-9]*\) packets received.*/\1/p') / $secs")")" replies/s
}

addresses()
{
	guest_run a 'ip addr add 10.0.0.1/24 dev eth0 && ip link set eth0 up' >/dev/null
	guest_run b 'ip addr add 10.0.0.2/24 dev eth0 && ip link set eth0 up' >/dev/null
}

# --- through vswitchd
usock=$T/vm.sock
cat >"$T/sw.json" <<EOF
{ "runtime_dir": "$T",
  "ports": [ { "name": "vm", "type": "unix-listen", "path": "$usock" } ] }
EOF
bench_vsw_start "$T/sw.json"
guest_boot a $MAC_A stream,server=off,addr.type=unix,addr.path="$usock"
guest_boot b $MAC_B stream,server=off,addr.type=unix,addr.path="$usock"
guest_wait_ready a
guest_wait_ready b
addresses
measure vswitchd
guest_stop a
guest_stop b
bench_vsw_stop

# --- direct: A listens (QEMU makes the socket at start), B connects
dsock=$T/direct.sock
guest_boot a $MAC_A stream,server=on,addr.type=unix,addr.path="$dsock"
wait_for_socket "$dsock" 30
guest_boot b $MAC_B stream,server=off,addr.type=unix,addr.path="$dsock"
guest_wait_ready a
guest_wait_ready b
addresses
measure direct
guest_stop a
guest_stop b
