#!/bin/bash
# Benchmark case "slirp": guest -> host TCP throughput through the slirp
# uplink, vswitchd against QEMU's own -netdev user (both are libslirp 4.7,
# which is the ceiling for both), on the same machine in the same run.
#
# A QEMU guest (TCG) writes BENCH_SLIRP_MIB MiB of zeros with busybox nc
# to 10.0.2.2:PORT, which slirp turns into 127.0.0.1:PORT on the host,
# where socat counts the bytes; the time is taken on the host from the
# command to the sink's end.  Subjects alternate, BENCH_SLIRP_ROUNDS
# rounds each; the median is reported.  Then a network namespace behind a
# TAP port sends with iperf3 through vswitchd's uplink for BENCH_SECONDS
# (no QEMU in the way: what the uplink itself carries; QEMU's user network
# has no TAP counterpart).
#
# Everything runs in a private network namespace with only lo: the
# uplinks can reach nothing else.  Needs root.
#
#   BENCH_SLIRP_MIB      MiB per guest transfer (default 64)
#   BENCH_SLIRP_ROUNDS   transfers per subject (default 3)
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib-qemu.sh"
isolate_netns "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib-bench.sh"

: "${BENCH_SLIRP_MIB:=64}"
: "${BENCH_SLIRP_ROUNDS:=3}"
SINK_PORT=5001
bench_require socat=socat iperf3=iperf3
qemu_setup
T=$TESTDIR
mkdir -p "$T/run"

cat >"$T/sw.json" <<EOF
{ "runtime_dir": "$T/run",
  "slirp": { "ipv6": false },
  "ports": [ { "name": "vm", "type": "unix-listen", "path": "$T/run/vm.sock" },
             { "name": "tap", "type": "tap", "ifname": "vswbench0",
               "offload": true } ] }
EOF
bench_vsw_start "$T/sw.json" vswitchd

# The same static set-up in both guests: QEMU's user network addresses.
guest_setup() {
	guest_run "$1" 'ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 &&
		ip route add default via 10.0.2.2' >/dev/null
}

guest_boot vsw 52:54:00:00:07:01 stream,server=off,addr.type=unix,addr.path="$T/run/vm.sock"
guest_boot qemu 52:54:00:00:07:02 user,ipv6=off
guest_wait_ready vsw
guest_wait_ready qemu
guest_setup vsw
guest_setup qemu

# transfer GUEST: Mbit/s of one guest -> host transfer.
transfer() {
	local g=$1 bytes t0 t1 sink

	socat -u "TCP-LISTEN:$SINK_PORT,bind=127.0.0.1,reuseaddr" STDOUT |
		wc -c >"$T/bytes" &
	sink=$!
	wait_for_tcp "$SINK_PORT" 5
	t0=$(date +%s%N)
	guest_run "$g" "dd if=/dev/zero bs=65536 count=$((BENCH_SLIRP_MIB * 16)) 2>/dev/null |
		nc 10.0.2.2 $SINK_PORT" 300 >/dev/null || :
	wait "$sink" || :
	t1=$(date +%s%N)
	bytes=$(cat "$T/bytes")
	[ "$bytes" = $((BENCH_SLIRP_MIB << 20)) ] ||
		log "$g: only $bytes of $((BENCH_SLIRP_MIB << 20)) bytes arrived"
	calc "$bytes * 8 / (($t1 - $t0) / 1e9) / 1e6"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

: >"$T/vsw.txt"
: >"$T/qemu.txt"
for round in $(seq "$BENCH_SLIRP_ROUNDS"); do
	for g in vsw qemu; do
		r=$(transfer "$g")
		log "round $round, $g: $(fmt "$r") Mbit/s"
		echo "$r" >>"$T/$g.txt"
	done
done
result vswitchd guest_to_host_mbps "$(fmt "$(median <"$T/vsw.txt")")" Mbit/s
result qemu-user guest_to_host_mbps "$(fmt "$(median <"$T/qemu.txt")")" Mbit/s
guest_stop vsw
guest_stop qemu

# A namespace behind the TAP port, through the uplink to iperf3 on lo.
spawn iperf3-server iperf3 -s -B 127.0.0.1 -p 5201
wait_for_tcp 5201
unshare --net sleep 100000 &
client_ns=$!
track_pid "$client_ns"
ip link set vswbench0 netns "$client_ns"
nsenter -t "$client_ns" -n sh -c 'ip link set lo up &&
	ip addr add 10.0.2.16/24 dev vswbench0 && ip link set vswbench0 up &&
	ip route add default via 10.0.2.2'
out=$(nsenter -t "$client_ns" -n iperf3 -c 10.0.2.2 -p 5201 -t "$BENCH_SECONDS" -J) ||
	die "iperf3 through the uplink failed"
bps=$(printf '%s\n' "$out" | sed -n 's/.*"bits_per_second":[[:space:]]*\([0-9.e+]*\).*/\1/p' | tail -n 1)
result vswitchd tap_to_host_gbps "$(fmt "$(calc "$bps / 1e9")")" Gbit/s
bench_vsw_stop
