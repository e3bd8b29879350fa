#!/bin/bash
# The examples in the man pages say what the real daemon and vswitchctl
# do: the port types vswitchd.json(5) lists (under "type" and as PORT
# TYPES sections) are the ones the configuration parser accepts; every
# "$ vswitchctl ..." example in vswitchctl(8) (and the README) is run
# against a daemon set up like the example, and its keys, columns, value
# alignment and, numbers aside, its values and rows match the real output;
# the counters "port show" prints are each explained in vswitchctl(8) and
# listed in docs/control-protocol.md, and the ports -s columns are the
# ones vswitchctl(8) names; the connect error is the real one.
set -eu
. "$(dirname "$0")/lib-component.sh"

need_vswitchctl
MAN5=$top_srcdir/docs/vswitchd.json.5.md
MAN8=$top_srcdir/docs/vswitchctl.8.md
PROTO=$top_srcdir/docs/control-protocol.md
README=$top_srcdir/README
bad=0
fail() { log "MISMATCH: $*"; bad=1; }

# --- port types --------------------------------------------------------
echo '{ "ports": [ { "name": "x", "type": "no-such-type" } ] }' >"$T/type.json"
"$VSWITCHD" --check -c "$T/type.json" >"$T/type.out" 2>&1 || :
parser=$(sed -n 's/.*(valid types: \(.*\))$/\1/p' "$T/type.out" |
	tr -d ' ' | tr ',' '\n' | sort | tr '\n' ' ')
[ -n "$parser" ] || die "no list of valid types in: $(cat "$T/type.out")"
# The "## type (required)" section: every "quoted" type in it.
listed=$(sed -n '/^## type (required)$/,/^#/p' "$MAN5" |
	grep -o '`"[a-z-]*"`' | tr -d '`"' | sort | tr '\n' ' ')
[ "$listed" = "$parser" ] ||
	fail "vswitchd.json(5) type lists '$listed', the parser accepts '$parser'"
sections=$(sed -n '/^# PORT TYPES$/,/^# [A-Z]/p' "$MAN5" |
	sed -n 's/^## \([a-z-]*\)$/\1/p' | sort | tr '\n' ' ')
[ "$sections" = "$parser" ] ||
	fail "vswitchd.json(5) PORT TYPES has '$sections', the parser '$parser'"

# --- a daemon set up like the examples ---------------------------------
cat >"$T/sw.json" <<EOF
{ "ports": [
    { "name": "vm-tcp", "type": "tcp-listen", "address": "127.0.0.1",
      "port": 0 },
    { "name": "vm", "type": "unix-listen", "path": "$T/vm.sock" } ] }
EOF
vsw_start "$T/sw.json"
tcp=$(vsw_tcp_port vm-tcp)
# In the background: the connections must stay up while vswitchctl looks.
"$FRAMEIO" -v >"$T/fio.out" 2>&1 <<EOF &
open T tcp:127.0.0.1:$tcp
open A unix:$T/vm.sock
wait-log $VSW_LOG port vm/1: connected
send T dst=$BCAST src=$MAC_C tag=t
send A dst=$BCAST src=$MAC_A tag=a
send A dst=$MAC_C src=$MAC_B vlan=7 tag=b
expect A dst=$BCAST src=$MAC_C tag=t
expect T dst=$BCAST src=$MAC_A tag=a
sleep 10000
EOF
fio_pid=$!
track_pid $fio_pid
wait_log "$T/fio.out" 'sleep 10000' 10
"$VSWITCHCTL" mac add 52:54:00:aa:bb:cc vm/1

# example FILE CMD: the output lines of the "$ vswitchctl CMD" example.
example()
{
	awk -v cmd="    \$ vswitchctl $2" '
		$0 == cmd { on = 1; next }
		on && /^$/ { exit }
		on { print substr($0, 5) }' "$1"
}
# norm: numbers, MAC addresses and ages as placeholders, blanks squeezed.
norm()
{
	sed -E -e 's/([0-9a-f]{2}:){5}[0-9a-f]{2}/MAC/g' \
		-e 's/(^| )[0-9]+[dhms]([0-9]+[hms])?( |$)/\1AGE\3/g' \
		-e 's/[0-9]+/N/g' -e 's/ +/ /g' -e 's/ $//'
}
# keys: the key of each "key: value" line (keys may hold spaces).
keys() { sed -n 's/^\([^:]*\):  *.*$/\1/p'; }
# valcol: the column where the values start.
valcol() { sed -n 's/^\([^:]*:  *\).*$/\1/p' | head -n 1 | awk '{ print length }'; }

# like_real WHAT KIND EX REAL: every line of the example EX, normalised
# (norm), is a line of the real output REAL, normalised; else a mismatch
# "WHAT: KIND unlike real output".
like_real()
{
	printf '%s\n' "$4" | norm >"$T/real.norm"
	printf '%s\n' "$3" | norm | while IFS= read -r k; do
		grep -q -x -F -- "$k" "$T/real.norm" || echo "$k"
	done >"$T/ex.bad"
	[ ! -s "$T/ex.bad" ] ||
		fail "$1: $2 unlike real output: $(tr '\n' '|' <"$T/ex.bad")" \
			"(real: $(tr '\n' '|' <"$T/real.norm"))"
}

# check_kv FILE CMD [all|values]: a key: value example against the real
# output: its keys in the same order, its values in the same column; with
# "all", every real key is in the example; with "values", each value is
# the same but for numbers.
check_kv()
{
	local file=$1 cmd=$2 what="$(basename "$1") \"vswitchctl $2\"" k
	local ex real

	ex=$(example "$file" "$cmd" | grep -v '^\.\.\.$')
	[ -n "$ex" ] || { fail "$what: no example found"; return; }
	# shellcheck disable=SC2086
	real=$("$VSWITCHCTL" $cmd)
	# The example's keys, in order, are a subsequence of the real ones.
	printf '%s\n' "$real" | keys >"$T/real.keys"
	printf '%s\n' "$ex" | keys | while IFS= read -r k; do
		grep -n -x -F -- "$k" "$T/real.keys" | head -n 1 | cut -d: -f1
	done >"$T/ex.lines"
	[ "$(wc -l <"$T/ex.lines")" = "$(printf '%s\n' "$ex" | keys | wc -l)" ] ||
		fail "$what: keys '$(printf '%s\n' "$ex" | keys | tr '\n' ,)'," \
			"real '$(tr '\n' , <"$T/real.keys")'"
	sort -n -c "$T/ex.lines" 2>/dev/null ||
		fail "$what: the keys come in another order than in real output"
	[ "$(printf '%s\n' "$ex" | valcol)" = "$(printf '%s\n' "$real" | valcol)" ] ||
		fail "$what: values start in column" \
			"$(printf '%s\n' "$ex" | valcol), really in" \
			"$(printf '%s\n' "$real" | valcol)"
	if [ "${3-}" = all ]; then
		printf '%s\n' "$ex" | keys >"$T/ex.keys"
		grep -v -x -F -f "$T/ex.keys" "$T/real.keys" >"$T/missing" || :
		[ ! -s "$T/missing" ] ||
			fail "$what: the example lacks $(tr '\n' ' ' <"$T/missing")"
	fi
	[ "${3-}" = values ] || return 0
	like_real "$what" lines "$ex" "$real"
}

# check_table FILE CMD [rows]: a table example: the same header, and with
# "rows", every row like a real one but for numbers, addresses and ages.
check_table()
{
	local file=$1 cmd=$2 what="$(basename "$1") \"vswitchctl $2\""
	local ex real

	ex=$(example "$file" "$cmd")
	[ -n "$ex" ] || { fail "$what: no example found"; return; }
	# shellcheck disable=SC2086
	real=$("$VSWITCHCTL" $cmd)
	[ "$(printf '%s\n' "$ex" | head -n 1 | norm)" = \
		"$(printf '%s\n' "$real" | head -n 1 | norm)" ] ||
		fail "$what: header '$(printf '%s\n' "$ex" | head -n 1)'," \
			"real '$(printf '%s\n' "$real" | head -n 1)'"
	[ "${3-}" = rows ] || return 0
	like_real "$what" rows "$ex" "$real"
}

# Every example is checked: a new one must be added here.
for f in "$MAN8" "$README"; do
	sed -n 's/^    \$ vswitchctl //p' "$f" | while IFS= read -r cmd; do
		case $cmd in
		show | ports | "port show vm/1" | mac | "qemu-args vm") ;;
		*) echo "$(basename "$f"): \"vswitchctl $cmd\"" ;;
		esac
	done
done >"$T/unchecked"
[ ! -s "$T/unchecked" ] ||
	fail "examples this test does not check: $(cat "$T/unchecked")"

check_kv "$MAN8" show all
check_table "$MAN8" ports rows
check_kv "$MAN8" "port show vm/1" values
check_table "$MAN8" mac rows
# README's examples are of the built-in default: keys and columns only.
check_kv "$README" show
check_table "$README" ports
check_table "$README" mac

ex=$(example "$MAN8" "qemu-args vm")
real=$("$VSWITCHCTL" qemu-args vm | sed "s|$T/|/run/vswitchd/|")
[ "$ex" = "$real" ] || fail "vswitchctl.8 qemu-args vm: '$ex', real '$real'"

# The error for a daemon that is not there, with the man page's path.
ex=$(grep '^    vswitchctl: cannot connect to ' "$MAN8" | sed 's/^    //')
real=$("$VSWITCHCTL" -s "$T/none/ctl.sock" show 2>&1 >/dev/null |
	sed "s|$T/none/|/run/vswitchd/|") || :
[ "$ex" = "$real" ] || fail "vswitchctl.8 connect error: '$ex', real '$real'"

# --- counters ----------------------------------------------------------
# Every counter of "port show" is explained in vswitchctl(8) (in bold)
# and listed in the protocol's "stats" object.
"$VSWITCHCTL" --json port show vm/1 |
	sed -n '/"stats": {/,/}/s/^ *"\([a-z_]*\)": [0-9]*,\{0,1\}$/\1/p' \
		>"$T/counters"
[ -s "$T/counters" ] || die "no stats in port show --json"
while read -r c; do
	grep -q "\*\*$c\*\*" "$MAN8" || fail "vswitchctl.8 does not explain $c"
	grep -q "\"$c\"" "$PROTO" || fail "control-protocol.md does not list $c"
done <"$T/counters"
# The ports -s columns after DROPS are the ones vswitchctl(8) names.
real=$("$VSWITCHCTL" ports -s | head -n 1 | sed 's/.* DROPS  *//' |
	tr -s ' ' '\n' | sort | tr '\n' ' ')
named=$(sed -n '/^With \*\*-s\*\*/,/^$/p' "$MAN8" | tr -d '(),' |
	tr -s ' \n' '\n' | grep -x '[A-Z]*\(-[A-Z]*\)\{1,\}' |
	grep -v -x -e RX-BYTES -e TX-BYTES | sort | tr '\n' ' ')
[ "$named" = "$real" ] ||
	fail "vswitchctl.8 names the ports -s columns '$named', real '$real'"

stop_pid $fio_pid
[ $bad = 0 ] || die "the documentation differs from the real output (above)"
