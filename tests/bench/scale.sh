#!/bin/bash
# Case 4: scaling.  The stream case's rate (64-byte frames, one pair, on a
# unix-listen port) with 0, 64 and 256 idle connected ports (each has sent
# one broadcast, so its MAC is learned), and with 1 k, 100 k and 1 M source
# MACs learned: the measured frames then cycle through those sources, so
# every frame refreshes a different entry of the table (mac_fps); and with
# as many MACs taught by the receiving side, the frames cycling through
# them as destinations, so every frame looks a different entry up
# (lookup_fps).  vswitchctl
# confirms how many entries the switch holds while the generator is still
# connected (a port's MACs go when it disconnects).
#
#   BENCH_IDLE    idle port counts (default "0 64 256")
#   BENCH_MACS    MAC counts (default "1000 100000 1000000")
#   BENCH_SIZE    frame size (default 64)
set -eu
. "$(dirname "$0")/lib-bench.sh"

: "${BENCH_IDLE:=0 64 256}"
: "${BENCH_MACS:=1000 100000 1000000}"
: "${BENCH_SIZE:=64}"
bench_need_streamgen
bench_require jq=jq
make_testdir
T=$TESTDIR

# Room for the largest set, so nothing is evicted; the same table for
# every run, so only the number of entries changes.
table=16
for m in $BENCH_MACS; do
	while [ "$table" -lt $((m + 1024)) ]; do
		table=$((table * 2))
	done
done
cat >"$T/sw.json" <<EOF
{ "runtime_dir": "$T",
  "switch": { "mac_table_size": $table, "max_ports": 2048 },
  "ports": [ { "name": "vm", "type": "unix-listen", "path": "$T/vm.sock",
               "max_connections": 2000 } ] }
EOF
bench_vsw_start "$T/sw.json"

mac_entries()
{
	vsw_ctl --json show | jq -r .mac.entries
}

# run SUBJECT METRIC STREAMGEN-ARGS...: measure while connected, look at
# the switch, then let the generator go.
run()
{
	local subject=$1 metric=$2 sg sglog out entries ports i=0
	shift 2

	log "$subject: ${BENCH_SIZE}-byte frames, ${BENCH_SECONDS}s ($*)"
	sglog=$T/streamgen-$subject.log
	"$STREAMGEN" -s "$BENCH_SIZE" -t "$BENCH_SECONDS" --hold -c "unix:$T/vm.sock" \
		"$@" >"$T/streamgen-$subject.out" 2>"$sglog" &
	sg=$!
	track_pid "$sg"
	until grep -q 'holding' "$sglog" 2>/dev/null; do
		pid_alive "$sg" || die "streamgen failed: $(cat "$sglog")"
		i=$((i + 1))
		[ $i -lt 6000 ] || die "streamgen did not finish in 600 s"
		sleep 0.1
	done
	entries=$(mac_entries)
	ports=$(vsw_ctl --json show | jq -r .ports.count)
	stop_pid "$sg" 5
	out=$(cat "$T/streamgen-$subject.out")
	log "  $out; switch: $entries MAC entries, $ports ports"
	result "$subject" "$metric" "$(sg_field "$out" frames_per_s)" frames/s
	result "$subject" "${metric%_fps}_loss" "$(fmt "$(sg_field "$out" loss_pct)")" %
	result "$subject" "${metric%_fps}_entries" "$entries" entries
}

for n in $BENCH_IDLE; do
	run "idle$n" idle_fps --idle "$n"
done
for m in $BENCH_MACS; do
	case $m in
	*000000) name=mac$((m / 1000000))M ;;
	*000) name=mac$((m / 1000))k ;;
	*) name=mac$m ;;
	esac
	run "$name" mac_fps --macs "$m"
	# The same number of entries, each looked up as a destination.
	run "lookup${name#mac}" lookup_fps --macs "$m" --lookup
done
bench_vsw_stop
