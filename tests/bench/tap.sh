#!/bin/bash
# Case 1: TAP to TAP between two network namespaces, through
#   vswitchd         two tap ports with "offload": true (TSO super-frames)
#   vswitchd-nooff   the same without offload (MTU-sized frames)
#   bridge           the Linux bridge, with veth pairs (the limit: the
#                    kernel alone; a TAP would need a user-space reader)
#   wire             tests/tools/tapwire: one read() and one write() per
#                    frame between the two TAPs, no switching (the ceiling
#                    of any user-space program on TAP)
#   vde              vde_switch, each TAP plugged in by vde_plug2tap
#   socat            the classic recipe: each TAP bridged by socat to one
#                    UDP multicast group on lo (a hub; TTL 1)
# Each measures iperf3 TCP, iperf3 UDP with 64-byte payloads (unlimited
# rate; packets received per second and loss), and a raw rate of 60-byte
# frames from trafgen to the other side's MAC (received per second, at
# the receiving device's rx counter).
#
# The network rule: every switch runs in a namespace of its own; each
# device is moved into a client namespace (A or B) and addressed only
# there (10.99.1.0/24); multicast stays on that namespace's lo.
#
#   BENCH_TAP_SUBJECTS  subjects to run (default: all of the above)
set -eu
. "$(dirname "$0")/lib-bench.sh"

: "${BENCH_TAP_SUBJECTS:=vswitchd vswitchd-nooff bridge wire vde socat}"
bench_netns_init
bench_require iperf3=iperf3 trafgen=netsniff-ng jq=jq
make_testdir
T=$TESTDIR
ADDR_A=10.99.1.1
ADDR_B=10.99.1.2
secs=$BENCH_SECONDS

# The client namespaces' devices are named devA and devB whatever they
# were called where they were made.
to_client()
{
	local dev=$1 ns=$2 addr=$3 newname=$4

	ip -n "$NS_SW" link set "$dev" netns "$ns" ||
		die "cannot move $dev into $ns"
	# An up device cannot be renamed (socat brings its TAP up).
	ip -n "$ns" link set "$dev" down
	ip -n "$ns" link set "$dev" name "$newname"
	in_ns "$ns" sysctl -qw "net.ipv6.conf.$newname.disable_ipv6=1" || :
	ip -n "$ns" addr add "$addr/24" dev "$newname"
	ip -n "$ns" link set "$newname" up
}

wait_dev()
{
	wait_for "device $1 in the switch namespace" 10 \
		eval "ip -n '$NS_SW' link show '$1' >/dev/null 2>&1"
}

# --- one set-up per subject: make $NS_SW with the switch, devices in A/B

setup_vswitchd()
{
	local off=$1

	cat >"$T/sw.json" <<-EOF
	{ "runtime_dir": "$T",
	  "ports": [
	    { "name": "tapA", "type": "tap", "ifname": "vtapA", "offload": $off },
	    { "name": "tapB", "type": "tap", "ifname": "vtapB", "offload": $off } ] }
	EOF
	bench_vsw_start "$T/sw.json" "vswitchd-$subject" ip netns exec "$NS_SW"
	to_client vtapA "$NS_A" $ADDR_A devA
	to_client vtapB "$NS_B" $ADDR_B devB
}

setup_bridge()
{
	local x

	ip -n "$NS_SW" link add br0 type bridge
	ip -n "$NS_SW" link set br0 up
	for x in A B; do
		ip -n "$NS_SW" link add "v$x" type veth peer name "v$x-br"
		ip -n "$NS_SW" link set "v$x-br" master br0 up
	done
	to_client vA "$NS_A" $ADDR_A devA
	to_client vB "$NS_B" $ADDR_B devB
}

setup_wire()
{
	local x

	spawn tapwire ip netns exec "$NS_SW" "$TAPWIRE" vtapA vtapB
	for x in A B; do
		wait_dev "vtap$x"
	done
	to_client vtapA "$NS_A" $ADDR_A devA
	to_client vtapB "$NS_B" $ADDR_B devB
}

setup_vde()
{
	local x

	in_ns "$NS_SW" vde_switch -s "$T/vde.ctl" -d -p "$T/vde.pid" \
		</dev/null >&2
	wait_for "vde_switch's control socket" 10 test -S "$T/vde.ctl/ctl"
	track_pid "$(cat "$T/vde.pid")"
	for x in A B; do
		in_ns "$NS_SW" vde_plug2tap -s "$T/vde.ctl" -d \
			-P "$T/plug$x.pid" "vtap$x" </dev/null >&2
		wait_for "vde_plug2tap's pid file" 10 test -s "$T/plug$x.pid"
		track_pid "$(cat "$T/plug$x.pid")"
		wait_dev "vtap$x"
	done
	to_client vtapA "$NS_A" $ADDR_A devA
	to_client vtapB "$NS_B" $ADDR_B devB
}

setup_socat()
{
	local x grp=239.255.77.1 port=7700

	# Multicast on the switch namespace's lo only, never beyond it.
	ip -n "$NS_SW" link set lo multicast on
	ip -n "$NS_SW" route add 224.0.0.0/4 dev lo
	for x in A B; do
		spawn "socat$x" ip netns exec "$NS_SW" socat -b 65536 \
			"UDP4-DATAGRAM:$grp:$port,bind=:$port,reuseaddr,ip-add-membership=$grp:127.0.0.1,ip-multicast-if=127.0.0.1,ip-multicast-ttl=1" \
			"TUN,tun-type=tap,tun-name=vtap$x,iff-no-pi,iff-up"
		wait_dev "vtap$x"
	done
	to_client vtapA "$NS_A" $ADDR_A devA
	to_client vtapB "$NS_B" $ADDR_B devB
}

# --- measurements

iperf_server()
{
	spawn "iperf3-$subject-$1" ip netns exec "$NS_B" iperf3 -s -1 -B $ADDR_B
	IPERF_PID=$SPAWN_PID
	wait_for "iperf3 listening in B" 10 \
		sh -c "ip netns exec '$NS_B' ss -ltn | grep -q '$ADDR_B:5201 '"
}

measure_tcp()
{
	local json=$T/tcp-$subject.json bps

	iperf_server tcp
	in_ns "$NS_A" timeout $((secs + 30)) iperf3 -c $ADDR_B -t "$secs" -J \
		>"$json" 2>&1 || { log "$subject: iperf3 TCP failed: $(tail -c 300 "$json")"; stop_pid "$IPERF_PID" 2; return 0; }
	stop_pid "$IPERF_PID" 2
	bps=$(jq -r .end.sum_received.bits_per_second "$json")
	log "$subject: TCP $(fmt "$(calc "$bps / 1e9")") Gbit/s"
	result "$subject" tcp_gbps "$(fmt "$(calc "$bps / 1e9")")" Gbit/s
}

measure_udp()
{
	local json=$T/udp-$subject.json pkts lost s

	iperf_server udp
	in_ns "$NS_A" timeout $((secs + 30)) iperf3 -c $ADDR_B -u -b 0 -l 64 \
		-t "$secs" -J >"$json" 2>&1 || { log "$subject: iperf3 UDP failed: $(tail -c 300 "$json")"; stop_pid "$IPERF_PID" 2; return 0; }
	stop_pid "$IPERF_PID" 2
	pkts=$(jq -r .end.sum.packets "$json")
	lost=$(jq -r .end.sum.lost_packets "$json")
	s=$(jq -r .end.sum.seconds "$json")
	log "$subject: UDP sent $pkts, lost $lost in $s s"
	result "$subject" udp64_pps "$(fmt "$(calc "($pkts - $lost) / $s")")" packets/s
	result "$subject" udp64_loss "$(fmt "$(jq -r .end.sum.lost_percent "$json")")" %
}

mac_of()
{
	ip -n "$1" -o link show "$2" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
}

# offered NS DEV: frames the device took to send, or dropped doing so.
offered()
{
	in_ns "$1" sh -c "cd /sys/class/net/$2/statistics &&
		echo \$((\$(cat tx_packets) + \$(cat tx_dropped)))"
}

# The raw frame rate: trafgen in A sends to devB's MAC for secs + 1 s;
# we count over secs seconds, after the first.
measure_raw()
{
	local bytes pid rx0 rx1 tx0 tx1 t0 t1 rate offered

	# shellcheck disable=SC2046  # one word per byte
	bytes=$(printf '0x%s, ' $(mac_of "$NS_B" devB | tr ':' ' ') \
		$(mac_of "$NS_A" devA | tr ':' ' '))
	echo "{ $bytes 0x88, 0xb5, fill(0x00, 46) }" >"$T/raw.cfg"
	# timeout signals its whole process group: trafgen and the child it
	# sends from (SIGTERM to trafgen alone leaves the child sending).
	spawn "trafgen-$subject" ip netns exec "$NS_A" \
		timeout -s INT $((secs + 2)) trafgen -o devA -i "$T/raw.cfg" -P 1 -C
	pid=$SPAWN_PID
	sleep 1
	rx0=$(in_ns "$NS_B" cat /sys/class/net/devB/statistics/rx_packets)
	tx0=$(offered "$NS_A" devA)
	t0=$(date +%s.%N)
	sleep "$secs"
	rx1=$(in_ns "$NS_B" cat /sys/class/net/devB/statistics/rx_packets)
	tx1=$(offered "$NS_A" devA)
	t1=$(date +%s.%N)
	wait_for "trafgen to stop" 10 eval "! pid_alive $pid"
	stop_pid "$pid" 1
	rate=$(calc "($rx1 - $rx0) / ($t1 - $t0)")
	offered=$(calc "($tx1 - $tx0) / ($t1 - $t0)")
	log "$subject: raw frames received $(fmt "$rate")/s of $(fmt "$offered")/s offered"
	result "$subject" raw60_fps "$(fmt "$rate")" frames/s
	result "$subject" raw60_loss "$(fmt "$(calc "$offered > 0 ? 100 * (1 - $rate / $offered) : 0")")" %
}

run_subject()
{
	subject=$1
	log "--- $subject"
	ns_new SW
	ns_new A
	ns_new B
	case $subject in
	vswitchd) setup_vswitchd true ;;
	vswitchd-nooff) setup_vswitchd false ;;
	bridge) setup_bridge ;;
	wire)
		[ -x "$TAPWIRE" ] || die "$TAPWIRE is not built (make bench builds it)"
		setup_wire
		;;
	vde)
		bench_have vde_switch=vde2 vde_plug2tap=vde2 || return 0
		setup_vde
		;;
	socat)
		bench_have socat=socat || return 0
		setup_socat
		;;
	*) die "unknown subject $subject" ;;
	esac
	# Both ways, so every switch has learned both MACs.
	if ! in_ns "$NS_A" ping -c 2 -i 0.2 -W 2 $ADDR_B >/dev/null ||
		! in_ns "$NS_B" ping -c 2 -i 0.2 -W 2 $ADDR_A >/dev/null; then
		die "$subject: A and B do not reach each other"
	fi
	measure_tcp
	measure_udp
	measure_raw
	teardown
}

teardown()
{
	local f

	bench_vsw_stop
	for f in "$T"/vde.pid "$T"/plug?.pid; do
		[ -f "$f" ] || continue
		stop_pid "$(cat "$f")" 3
		rm -f "$f"
	done
	_bench_stop_spawned
	ns_del A
	ns_del B
	ns_del SW
}

# socat processes: spawn tracks them; stop them between subjects.
_bench_stop_spawned()
{
	local pid

	for pid in "${!_vsw_live[@]}"; do
		stop_pid "$pid" 3
	done
}

for s in $BENCH_TAP_SUBJECTS; do
	run_subject "$s"
done
