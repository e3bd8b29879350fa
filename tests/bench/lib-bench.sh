# lib-bench.sh - helpers for the benchmark cases (sourced, bash).
#
# Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
#
# Builds on tests/lib.sh (log, skip, die, on_exit, spawn, stop_pid,
# wait_for, make_testdir).  A case script prints its results on stdout,
# one line each, and its progress on stderr:
#
#     <case> TAB <subject> TAB <metric> TAB <value> TAB <unit>
#
# (see docs/performance.md); tests/bench/run collects them.
#
#   BENCH_SECONDS          length of each timed run (default 10)
#   BENCH_CASE             the case name (the script's, e.g. "tap")
#   result SUBJECT METRIC VALUE UNIT
#                          print one result line
#   bench_have CMD=PACKAGE...
#                          install the Debian packages of missing commands
#                          (as root, with apt-get); false if one is still
#                          missing
#   bench_require CMD=PACKAGE...
#                          the same, but skip the case (exit 77)
#   bench_vsw_start CONFIG [NAME] [WRAPPER...]
#                          start $VSWITCHD -c CONFIG (log $T/NAME.log) and
#                          wait for its "running with" line; VSW_PID
#   bench_vsw_stop         stop it (SIGTERM)
#   vsw_ctl ARGS...        vswitchctl on that daemon
#   rss_mib PID            resident set size of PID in MiB (VmRSS)
#   hwm_mib PID            its peak (VmHWM)
#   bench_netns_init       ns_init of tests/lib-ns.sh (skip unless root,
#                          ip, /dev/net/tun), after installing iproute2
#   ns_new NAME            network namespace vsw-bench-<case>-NAME-<pid>,
#                          lo up, deleted at exit; name in $NS_<NAME>
#   ns_del NAME            delete it now
#   in_ns NS CMD...        run CMD in namespace NS
#   $STREAMGEN             the stream generator (tests/tools/streamgen);
#                          run it directly, not through a function, so that
#                          $! of a background run is its own pid
#   sg_field LINE KEY      the value of KEY=... in a streamgen result line
#   calc EXPR              the value of an awk expression
#   fmt VALUE [DIGITS]     VALUE rounded (3 significant digits by default)

# shellcheck disable=SC2034  # variables for the scripts that source this
[ -n "${_vsw_lib_dir-}" ] || . "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

: "${BENCH_SECONDS:=10}"
: "${BENCH_CASE:=$TEST_NAME}"
STREAMGEN=$top_builddir/tests/tools/streamgen
TAPWIRE=$top_builddir/tests/tools/tapwire
VSWITCHCTL=$top_builddir/vswitchctl
export BENCH_SECONDS

result()
{
	printf '%s\t%s\t%s\t%s\t%s\n' "$BENCH_CASE" "$1" "$2" "$3" "$4"
}

# calc EXPR: an awk expression's value (no bc: iperf3 writes 1.5e+10).
calc()
{
	# parenthesised: a bare ">" in a printf argument is a redirection
	awk "BEGIN { printf \"%.6f\\n\", ($*) }"
}

# fmt VALUE [DIGITS]: a readable number, DIGITS (3) significant digits.
fmt()
{
	awk -v v="$1" -v d="${2:-3}" 'BEGIN {
		if (v == "" || v !~ /^-?[0-9.eE+-]+$/) { print "nan"; exit }
		a = v < 0 ? -v : v
		if (a == 0) { print 0; exit }
		p = d - 1 - int(log(a) / log(10) + (a >= 1 ? 0 : -1))
		if (p < 0) p = 0
		printf "%.*f\n", p, v }'
}

# bench_have CMD=PACKAGE...: install the packages of missing commands
# (root only); false, with a log line, if one is still missing.
bench_have()
{
	local spec missing=()

	for spec in "$@"; do
		command -v "${spec%%=*}" >/dev/null 2>&1 ||
			missing+=("${spec#*=}")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		log "installing ${missing[*]}"
		# The package lists may be stale or absent: update once, retry.
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			"${missing[@]}" >&2 ||
			{ apt-get update -q >&2 &&
				DEBIAN_FRONTEND=noninteractive apt-get \
					install -y -q "${missing[@]}" >&2; } ||
			log "apt-get could not install ${missing[*]}"
	fi
	for spec in "$@"; do
		if ! command -v "${spec%%=*}" >/dev/null 2>&1; then
			log "${spec%%=*} is missing (Debian package ${spec#*=})"
			return 1
		fi
	done
}

# bench_require CMD=PACKAGE...: the same, but skip the case.
bench_require()
{
	bench_have "$@" || skip "missing: $*"
}

# ---------------------------------------------------------------------------
# the daemon under test

VSW_PID=

bench_vsw_start()
{
	local cfg=$1 name=${2:-vswitchd} i=0

	shift 2 || shift $#
	[ -x "$VSWITCHD" ] || die "no vswitchd at $VSWITCHD (run make first)"
	make_testdir
	T=$TESTDIR
	VSW_LOG=$T/$name.log
	spawn "$name" "$@" "$VSWITCHD" -c "$cfg"
	VSW_PID=$SPAWN_PID
	until grep -q ' running with ' "$VSW_LOG" 2>/dev/null; do
		pid_alive "$VSW_PID" ||
			die "vswitchd exited: $(tail -n 5 "$VSW_LOG")"
		i=$((i + 1))
		[ $i -lt 200 ] || die "vswitchd did not start within 10 s"
		sleep 0.05
	done
	# With a wrapper (ip netns exec), the daemon is the wrapper's child
	# after exec: same pid, so VSW_PID is the daemon's.
}

bench_vsw_stop()
{
	[ -n "$VSW_PID" ] || return 0
	stop_pid "$VSW_PID" 5
	VSW_PID=
}

vsw_ctl()
{
	"$VSWITCHCTL" -s "$T/ctl.sock" "$@"
}

rss_mib()
{
	awk '/^VmRSS:/ { printf "%.2f\n", $2 / 1024 }' "/proc/$1/status"
}

hwm_mib()
{
	awk '/^VmHWM:/ { printf "%.2f\n", $2 / 1024 }' "/proc/$1/status"
}

# ---------------------------------------------------------------------------
# network namespaces: nothing is addressed in the root namespace

# ns_new, ns_del and in_ns come from tests/lib-ns.sh.
. "$(dirname "${BASH_SOURCE[0]}")/../lib-ns.sh"
NS_PREFIX=bench-$BENCH_CASE

bench_netns_init()
{
	require_root
	bench_require ip=iproute2
	ns_init
}

# ---------------------------------------------------------------------------
# the stream generator

bench_need_streamgen()
{
	[ -x "$STREAMGEN" ] || die "$STREAMGEN is not built (make bench builds it)"
}

sg_field()
{
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}
