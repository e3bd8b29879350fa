#!/bin/bash
# Run the QEMU tier without make: every test below, JOBS at a time (default 2),
# each one's output in $LOGDIR/<test>.log (default: a new mktemp -d), then one
# line "N passed, N failed[, N skipped]". Exit 0 only if nothing failed.
#
#   tests/qemu/run-all.sh [TEST...]        e.g. run-all.sh ping reconnect
#   JOBS=1 top_builddir=build-dev tests/qemu/run-all.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
# The tier's tests are the ones tests/automake.mk lists, so the two agree.
TESTS_ALL=$(sed -n '/^qemu_tests = /,/^TESTS/ s|^[[:space:]]*tests/qemu/\([a-z0-9-]*\)\.sh.*|\1|p' \
	"$here/../automake.mk")
JOBS=${JOBS:-2}
LOGDIR=${LOGDIR:-$(mktemp -d "${TMPDIR:-/tmp}/vsw-qemu-logs.XXXXXX")}
mkdir -p "$LOGDIR"

# Build the guest once up front so parallel tests do not queue on its lock.
if ! "$here/build-guest.sh" >/dev/null; then
	echo "run-all: building the test guest failed" >&2
fi

declare -A pid_of=()
pass=0 fail=0 skipped=0
t0=$(date +%s)
reap() { # collect the tests that have finished
	local t rc
	for t in "${!pid_of[@]}"; do
		if ! kill -0 "${pid_of[$t]}" 2>/dev/null; then
			wait "${pid_of[$t]}"
			rc=$?
			unset 'pid_of[$t]'
			case $rc in
			0) pass=$((pass + 1)); echo "PASS: $t" ;;
			77) skipped=$((skipped + 1)); echo "SKIP: $t ($(grep -m1 SKIP "$LOGDIR/$t.log"))" ;;
			*) fail=$((fail + 1)); echo "FAIL: $t (exit $rc; log $LOGDIR/$t.log)" ;;
			esac
		fi
	done
}
# shellcheck disable=SC2086 # a list of names
[ "$#" -gt 0 ] || set -- $TESTS_ALL
for t in "$@"; do
	t=${t%.sh}
	while [ "${#pid_of[@]}" -ge "$JOBS" ]; do
		sleep 0.2
		reap
	done
	"$here/$t.sh" >"$LOGDIR/$t.log" 2>&1 </dev/null &
	pid_of[$t]=$!
done
while [ "${#pid_of[@]}" -gt 0 ]; do
	sleep 0.2
	reap
done
echo "run-all: $(($(date +%s) - t0)) s, logs in $LOGDIR"
if [ "$skipped" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skipped skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" = 0 ]
