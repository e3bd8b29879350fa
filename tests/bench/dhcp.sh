#!/bin/bash
# Benchmark (not a test): DHCP leases per second under ISC perfdhcp, the
# embedded server of vswitchd against dnsmasq, one after the other in the
# same run on the same machine.
#
#   vswitchd        runs in namespace SW; its TAP port is moved into
#                   client namespace CV, where perfdhcp runs
#   dnsmasq         runs in a namespace of its own (--interface and
#                   --bind-interfaces on its end of a veth pair); the
#                   other end is in a client namespace for perfdhcp
#   dnsmasq-nofile  the same with --leasefile-ro: dnsmasq rewrites its
#                   whole lease file after every change, which is most of
#                   its time here; this is its protocol engine alone
#
# Same subnet (10.78.0.0/16), pool (10.78.1.0 - 10.78.255.254), lease time,
# options and perfdhcp command for all.  perfdhcp acts as a relay from
# 10.78.0.2 (giaddr), so the servers answer it by unicast to port 67.
# Metrics: leases_per_s is perfdhcp's "Rate: N 4-way exchanges/second",
# DHCPACKs received per second of the test period (completed DORA
# exchanges); discovers_per_s what perfdhcp offered; dora_loss the
# exchanges started but not completed (no OFFER or no ACK within 1 s).
#
# Output on stdout, one line per figure, tab-separated:
#     dhcp <subject> <metric> <value> <unit>
# Progress goes to stderr.  Runs standalone (as root) or under
# tests/bench/run; the build is $top_builddir (default: the first of the
# source tree, build/, build-dev/ with a vswitchd), best a plain optimised
# one, not a sanitizer build.  Tunables (environment):
#     BENCH_DHCP_PERIOD=10     perfdhcp test period, seconds (-p); default
#                              $BENCH_SECONDS (tests/bench/run), else 10
#     BENCH_DHCP_RATE=30000    exchanges started per second (-r): more
#                              than either server can answer
#     BENCH_DHCP_CLIENTS=50000 simulated clients (-R), fewer than the pool
#     BENCH_DHCP_SUBJECTS="vswitchd dnsmasq dnsmasq-nofile"
#     BENCH_DHCP_PIN=1         server on CPU 1, perfdhcp on CPU 0 (with
#                              two or more CPUs), so they do not compete
# The network rule of the tests holds: every address lives inside a
# namespace made here, and everything made here is removed at exit.
set -eu
_top=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${top_builddir-}" ]; then
	for d in "$_top" "$_top/build" "$_top/build-dev"; do
		if [ -x "$d/vswitchd" ]; then
			top_builddir=$d
			break
		fi
	done
fi
. "$_top/tests/bench/lib-bench.sh"

PERIOD=${BENCH_DHCP_PERIOD:-${BENCH_SECONDS:-10}}
RATE=${BENCH_DHCP_RATE:-30000}
CLIENTS=${BENCH_DHCP_CLIENTS:-50000}
SUBJECTS=${BENCH_DHCP_SUBJECTS:-vswitchd dnsmasq dnsmasq-nofile}
PIN=${BENCH_DHCP_PIN:-1}
LEASE_S=3600

PATH=$PATH:/usr/sbin
# Registers the namespace clean-up first, so it runs after the servers stop.
bench_netns_init
require_cmd perfdhcp
make_testdir
T=$TESTDIR

server_cpu=()
client_cpu=()
if [ "$PIN" = 1 ] && [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
	server_cpu=(taskset -c 1)
	client_cpu=(taskset -c 0)
fi

# link_up NS DEV ADDR: address DEV inside NS, without IPv6 chatter.
link_up()
{
	ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1" || :
	ip -n "$1" addr add "$3" dev "$2"
	ip -n "$1" link set "$2" up
}

# wait_file FILE BRE PID: wait (10 s) for a line of FILE matching BRE
# while PID runs.
wait_file()
{
	local i=0

	until grep -q -- "$2" "$1" 2>/dev/null; do
		pid_alive "$3" || die "server exited: $(tail -n 5 "$1")"
		i=$((i + 1))
		[ $i -le 200 ] || die "no \"$2\" in $1 after 10 s"
		sleep 0.05
	done
}

# perf NAME NS: run perfdhcp from NS against 10.78.0.1, output in
# $T/perfdhcp-NAME.log.  In the background, so that a signal ends the
# run (and the cleanup stops perfdhcp) without waiting for the period.
perf()
{
	local pid

	log "$1: perfdhcp -r $RATE -R $CLIENTS -p $PERIOD"
	spawn "perfdhcp-$1" ip netns exec "$2" "${client_cpu[@]}" \
		perfdhcp -4 -l 10.78.0.2 -r "$RATE" -R "$CLIENTS" \
		-p "$PERIOD" -s 1 10.78.0.1
	pid=$SPAWN_PID
	while pid_alive "$pid"; do
		sleep 0.2
	done
	stop_pid "$pid" 0	# reaps it: its exit status
	# perfdhcp exits 3 when requests went unanswered: expected when the
	# offered rate exceeds what the server can do.
	case $STOP_STATUS in
	0 | 3) ;;
	*) die "$1: perfdhcp failed ($STOP_STATUS):" \
		"$(tail -n 5 "$T/perfdhcp-$1.log")" ;;
	esac
	sed 's/^/    /' "$T/perfdhcp-$1.log" >&2
}

# stat NAME SECTION FIELD: a figure of perfdhcp's final report.
stat()
{
	sed -n "/^\\*\\*\\*Statistics for: $2\\*\\*\\*/,/^\$/s/^$3: //p" \
		"$T/perfdhcp-$1.log" | sed 's/ *%$//'
}

report()
{
	local name=$1 rate sent recv

	rate=$(sed -n 's/^Rate: \([0-9.]*\) 4-way exchanges\/second.*/\1/p' \
		"$T/perfdhcp-$name.log")
	[ -n "$rate" ] || die "$name: no rate in perfdhcp's output"
	sent=$(stat "$name" DISCOVER-OFFER 'sent packets')
	recv=$(stat "$name" REQUEST-ACK 'received packets')
	awk -v s="$name" -v rate="$rate" -v sent="$sent" -v recv="$recv" \
		-v p="$PERIOD" 'BEGIN {
		printf "dhcp\t%s\tleases_per_s\t%.0f\tleases/s\n", s, rate
		printf "dhcp\t%s\tdiscovers_per_s\t%.0f\tdiscovers/s\n", s,
			sent / p
		# Exchanges started but not completed (no OFFER or ACK in time).
		printf "dhcp\t%s\tdora_loss\t%.1f\t%%\n", s,
			sent ? 100 * (sent - recv) / sent : 0 }'
}

run_vswitchd()
{
	local pid

	[ -x "$VSWITCHD" ] || die "no vswitchd at $VSWITCHD (set top_builddir)"
	if ldd "$VSWITCHD" 2>/dev/null | grep -q 'libasan'; then
		log "WARNING: $VSWITCHD is an AddressSanitizer build"
	fi
	ns_new SW
	ns_new CV
	cat >"$T/vswitchd.json" <<-EOF
	{ "runtime_dir": "$T",
	  "dhcp": { "subnet": "10.78.0.0/16", "server_ip": "10.78.0.1",
	            "range_start": "10.78.1.0", "range_end": "10.78.255.254",
	            "router": "10.78.0.254", "dns": [ "10.78.0.53" ],
	            "lease_s": $LEASE_S, "lease_file": "$T/vswitchd.leases" },
	  "ports": [ { "name": "bench", "type": "tap", "ifname": "vbdhcp" } ] }
	EOF
	spawn vswitchd ip netns exec "$NS_SW" "${server_cpu[@]}" \
		"$VSWITCHD" -c "$T/vswitchd.json"
	pid=$SPAWN_PID
	wait_file "$T/vswitchd.log" ' running with ' "$pid"
	ip -n "$NS_SW" link set vbdhcp netns "$NS_CV"
	link_up "$NS_CV" vbdhcp 10.78.0.2/16
	perf vswitchd "$NS_CV"
	stop_pid "$pid" 10
	[ "$STOP_STATUS" = 0 ] || die "vswitchd exited with status $STOP_STATUS"
	report vswitchd
}

# run_dnsmasq NAME NS [ARGS...]: dnsmasq with the extra ARGS, in
# namespace NS (client namespace CNS).
run_dnsmasq()
{
	local name=$1 ns=$2 nsd nsc pid

	shift 2
	if ! command -v dnsmasq >/dev/null; then
		log "dnsmasq is not installed (dnsmasq-base): no $name figures"
		return 0
	fi
	ns_new "$ns"
	ns_new "C$ns"
	eval "nsd=\$NS_$ns nsc=\$NS_C$ns"
	ip -n "$nsc" link add vbdhcp type veth peer name vbdhcpD netns "$nsd"
	link_up "$nsd" vbdhcpD 10.78.0.1/16
	link_up "$nsc" vbdhcp 10.78.0.2/16
	# --no-ping: vswitchd does not ping an address before offering it
	# either.  --quiet-dhcp: vswitchd logs lease events rate-limited, not
	# four lines per exchange.  --dhcp-lease-max: the default is 1000.
	spawn "$name" ip netns exec "$nsd" "${server_cpu[@]}" \
		dnsmasq --no-daemon --conf-file=/dev/null --port=0 \
		--no-resolv --no-hosts --interface=vbdhcpD --bind-interfaces \
		--dhcp-range=10.78.1.0,10.78.255.254,255.255.0.0,$LEASE_S \
		--dhcp-option=3,10.78.0.254 --dhcp-option=6,10.78.0.53 \
		--dhcp-leasefile="$T/$name.leases" --dhcp-authoritative \
		--dhcp-lease-max=70000 --no-ping --quiet-dhcp \
		--log-facility="$T/$name-syslog.log" "$@"
	pid=$SPAWN_PID
	wait_file "$T/$name-syslog.log" 'DHCP, IP range' "$pid"
	perf "$name" "$nsc"
	stop_pid "$pid" 10
	report "$name"
}

log "build: $top_builddir; $(nproc) CPUs; $(uname -r)"
for s in $SUBJECTS; do
	case $s in
	vswitchd) run_vswitchd ;;
	dnsmasq) run_dnsmasq dnsmasq D ;;
	# dnsmasq rewrites its whole lease file after every change (most of
	# its time at these rates); without the file, its protocol engine.
	dnsmasq-nofile) run_dnsmasq dnsmasq-nofile N --leasefile-ro ;;
	*) die "unknown subject $s" ;;
	esac
done
