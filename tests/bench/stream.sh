#!/bin/bash
# Case 2: stream ports.  streamgen plays N pairs of VMs on a vswitchd
# unix-listen port (QEMU's -netdev stream framing), for each frame size;
# the same generator with each pair joined by a socketpair is the ceiling.
#
#   BENCH_SIZES   frame sizes, bytes without the length prefix
#                 (default "64 1500 65535")
#   BENCH_PAIRS   sender/receiver pair counts (default "1 4")
#   BENCH_STREAM  unix (default) or tcp: the listener's transport
set -eu
. "$(dirname "$0")/lib-bench.sh"

: "${BENCH_SIZES:=64 1500 65535}"
: "${BENCH_PAIRS:=1 4}"
: "${BENCH_STREAM:=unix}"
bench_need_streamgen
make_testdir
T=$TESTDIR

case $BENCH_STREAM in
unix)
	port_json="{ \"name\": \"vm\", \"type\": \"unix-listen\", \"path\": \"$T/vm.sock\" }"
	addr=unix:$T/vm.sock
	;;
tcp)
	tport=$(free_tcp_port)
	port_json="{ \"name\": \"vm\", \"type\": \"tcp-listen\", \"port\": $tport }"
	addr=tcp:127.0.0.1:$tport
	;;
*) die "BENCH_STREAM must be unix or tcp" ;;
esac
cat >"$T/sw.json" <<EOF
{ "runtime_dir": "$T", "ports": [ $port_json ] }
EOF
bench_vsw_start "$T/sw.json"

# run SUBJECT SIZE PAIRS STREAMGEN-ARGS...
run()
{
	local subject=$1 size=$2 pairs=$3 out m
	shift 3

	log "$subject: ${size}-byte frames, $pairs pair(s), ${BENCH_SECONDS}s"
	out=$("$STREAMGEN" -s "$size" -n "$pairs" -t "$BENCH_SECONDS" "$@") ||
		die "streamgen failed ($subject, size $size, pairs $pairs)"
	log "  $out"
	m=${size}_p$pairs
	result "$subject" "fps_$m" "$(sg_field "$out" frames_per_s)" frames/s
	result "$subject" "gbps_$m" "$(fmt "$(sg_field "$out" gbit_per_s)")" Gbit/s
	result "$subject" "loss_$m" "$(fmt "$(sg_field "$out" loss_pct)")" %
}

for pairs in $BENCH_PAIRS; do
	for size in $BENCH_SIZES; do
		run vswitchd "$size" "$pairs" -c "$addr"
		run direct "$size" "$pairs" --direct
	done
done
bench_vsw_stop
