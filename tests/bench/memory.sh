#!/bin/bash
# Case 5: memory.  vswitchd's resident set (VmRSS) idle with one
# unix-listen port and default limits, then with a table sized for the
# load, and with 256 connected ports and 100 k learned MACs (streamgen
# holds them while we look); VmHWM is the peak over the run.
#
#   BENCH_MEM_PORTS   connected ports (default 256)
#   BENCH_MEM_MACS    learned MACs (default 100000)
set -eu
. "$(dirname "$0")/lib-bench.sh"

: "${BENCH_MEM_PORTS:=256}"
: "${BENCH_MEM_MACS:=100000}"
bench_need_streamgen
bench_require jq=jq
make_testdir
T=$TESTDIR

mib_settle()
{
	# let the start-up allocations land before reading
	sleep 1
	rss_mib "$VSW_PID"
}

cat >"$T/idle.json" <<EOF
{ "runtime_dir": "$T",
  "ports": [ { "name": "vm", "type": "unix-listen", "path": "$T/vm.sock" } ] }
EOF
bench_vsw_start "$T/idle.json" vswitchd-idle
idle=$(mib_settle)
log "idle, default limits: $idle MiB"
result vswitchd rss_idle "$idle" MiB
bench_vsw_stop

# A table that holds the MACs and the ports' own without eviction.
table=16
while [ "$table" -lt $((BENCH_MEM_MACS + BENCH_MEM_PORTS + 16)) ]; do
	table=$((table * 2))
done
cat >"$T/load.json" <<EOF
{ "runtime_dir": "$T",
  "switch": { "mac_table_size": $table, "max_ports": $((BENCH_MEM_PORTS + 16)) },
  "ports": [ { "name": "vm", "type": "unix-listen", "path": "$T/vm.sock",
               "max_connections": $((BENCH_MEM_PORTS + 8)) } ] }
EOF
bench_vsw_start "$T/load.json"
sized=$(mib_settle)
log "idle, mac_table_size $table: $sized MiB"
result vswitchd rss_idle_sized "$sized" MiB

# One pair (2 ports) plus idle ones; the pair's sender teaches the MACs.
"$STREAMGEN" -s 64 -t 0 --hold -c "unix:$T/vm.sock" \
	--idle $((BENCH_MEM_PORTS - 2)) --macs "$BENCH_MEM_MACS" \
	>"$T/streamgen.out" 2>"$T/streamgen.log" &
sg=$!
track_pid "$sg"
wait_for "streamgen to connect and teach the MACs" 300 \
	grep -q holding "$T/streamgen.log"
sleep 1
ports=$(vsw_ctl --json show | jq -r .ports.count)
entries=$(vsw_ctl --json show | jq -r .mac.entries)
loaded=$(rss_mib "$VSW_PID")
peak=$(hwm_mib "$VSW_PID")
log "$ports ports, $entries MAC entries: $loaded MiB (peak $peak MiB)"
stop_pid "$sg" 5
result vswitchd rss_loaded "$loaded" MiB
result vswitchd hwm_loaded "$peak" MiB
result vswitchd loaded_ports "$ports" ports
result vswitchd loaded_entries "$entries" entries
bench_vsw_stop
