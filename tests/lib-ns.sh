# lib-ns.sh - network namespaces for the netns tests and the benchmarks
# (sourced, bash).
#
# Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
#
# Builds on tests/lib.sh (require_root, skip, die, on_exit); sourced by
# tests/netns/lib-netns.sh and tests/bench/lib-bench.sh.  The network rule:
# nothing is ever addressed in the root namespace; a test or a benchmark
# makes namespaces of its own and addresses its devices there.  Every
# namespace ns_new makes is deleted at exit, whatever the exit path.
#
#   ns_init                skip unless root, with ip(8), working `ip netns`
#                          and /dev/net/tun; register the clean-up (call it
#                          before any daemon starts, so that the clean-up
#                          runs after they stop, which deletes their TAPs)
#   ns_new NAME            make namespace vsw-$NS_PREFIX-NAME-<pid>, lo up,
#                          deleted at exit; its name in $NS_<NAME>
#                          (NS_PREFIX defaults to the test's name)
#   ns_del NAME            delete $NS_<NAME> now
#   ns_reexec NAME... -- "$@"
#                          for a test that runs whole inside a namespace of
#                          its own: make the namespaces NAME... (ns_new;
#                          $NS_<NAME> exported), run the test again inside
#                          the first one, and exit with its status; the
#                          inner run returns at once.  Ctrl-C or a signal
#                          stops the inner run; the namespaces go at exit.
#                          Skips unless root with ip(8) and `ip netns`.
#   in_ns NS CMD...        run CMD inside namespace NS

_ns_list=
_ns_armed=

_ns_cleanup()
{
	local ns

	for ns in $_ns_list; do
		ip netns del "$ns" 2>/dev/null || :
	done
}

_ns_require()
{
	require_root
	require_cmd ip
	ip netns list >/dev/null 2>&1 || skip "ip netns does not work here"
	[ -n "$_ns_armed" ] || on_exit _ns_cleanup
	_ns_armed=1
}

ns_init()
{
	_ns_require
	[ -c /dev/net/tun ] || skip "no /dev/net/tun"
}

ns_new()
{
	local ns="vsw-${NS_PREFIX:-$TEST_NAME}-$1-$$"

	ip netns add "$ns" || die "cannot create network namespace $ns"
	_ns_list="$_ns_list $ns"
	ip -n "$ns" link set lo up
	eval "NS_$1=\$ns"
}

ns_del()
{
	local ns

	eval "ns=\$NS_$1"
	ip netns del "$ns" 2>/dev/null || :
}

in_ns()
{
	local ns=$1

	shift
	ip netns exec "$ns" "$@"
}

ns_reexec()
{
	local names=() n rc=0 inner

	[ -z "${VSW_NS_INNER-}" ] || return 0
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		names+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	_ns_require
	for n in "${names[@]}"; do
		ns_new "$n"
		export "NS_$n"
	done
	eval "n=\$NS_${names[0]}"
	VSW_NS_INNER=1 ip netns exec "$n" bash "$0" "$@" &
	inner=$!
	# Stopped at exit if still running, with time for its own clean-up
	# (its guests, its daemons) before SIGKILL.
	# shellcheck disable=SC2004 # _vsw_live is an associative array
	_vsw_live[$inner]=1
	on_exit "_ns_stop_inner $inner"
	wait "$inner" || rc=$?
	unset '_vsw_live[$inner]'
	exit "$rc"
}

_ns_stop_inner()
{
	[ -z "${_vsw_live[$1]-}" ] || stop_pid "$1" 30
}
