#!/bin/bash
# Issue 12: the files vswitchd writes are never written through a link.
#   - a symlink planted at <lease_file>.tmp: its target (a victim file)
#     is untouched after leases were saved, and the lease file is a
#     regular file holding the lease;
#   - lease_file itself a symlink (or a directory): vswitchd refuses to
#     start, naming the path; the link's target is untouched;
#   - the pid file (-p) a symlink: refused, the victim untouched; a
#     planted <pid_file>.tmp symlink: the victim untouched, the pid file
#     a regular file with the pid.
set -eu
. "$(dirname "$0")/lib-netns.sh"
netns_init
need_udhcpc
ns_new C

victim=$T/victim
echo "precious" >"$victim"
victim_ok() { [ "$(cat "$victim")" = precious ] || die "$1: the victim file was overwritten: $(head -c 80 "$victim")"; }

config()
{
	cat >"$T/sw.json" <<EOF2
{ "runtime_dir": "$T",
  "dhcp": { "subnet": "10.76.0.0/24", "server_ip": "10.76.0.1",
            "range_start": "10.76.0.100", "range_end": "10.76.0.120",
            "lease_s": 600, "lease_file": "$1" },
  "ports": [ { "name": "tapC", "type": "tap", "ifname": "vfilesC" } ] }
EOF2
}

# expect_refused NAME WHAT ARGS...: vswitchd ARGS exits non-zero at
# start with a message naming WHAT.
expect_refused()
{
	local name=$1 what=$2 rc=0

	shift 2
	in_ns "$NS_SW" timeout 10 "$VSWITCHD" "$@" >"$T/$name.log" 2>&1 || rc=$?
	[ "$rc" != 0 ] && [ "$rc" != 124 ] ||
		die "$name: vswitchd did not refuse (status $rc): $(tail -n 3 "$T/$name.log")"
	grep -q "$what" "$T/$name.log" ||
		die "$name: the error does not name $what: $(tail -n 3 "$T/$name.log")"
	grep -qi "symbolic link\|not a regular file" "$T/$name.log" ||
		die "$name: the error does not say why: $(tail -n 3 "$T/$name.log")"
	log "$name: refused: $(grep -i "symbolic link\|regular file" "$T/$name.log" | head -n 1)"
}

# 1. A planted temporary file.
ln -s "$victim" "$T/leases.tmp"
config "$T/leases"
vsw_ns_start "$T/sw.json" vswitchd-1
tap_to_ns vfilesC "$NS_C" 10.76.0.9/24
udhcpc_in "$NS_C" vfilesC "$T/udhcpc.log" -s /bin/true ||
	die "udhcpc got no lease: $(cat "$T/udhcpc.log")"
# The ACK came after the commit: the lease is in the file now.
[ -f "$T/leases" ] && [ ! -L "$T/leases" ] || die "the lease file is not a regular file"
grep -q '^10\.76\.0\.1[0-2][0-9] ' "$T/leases" ||
	die "the acknowledged lease is not in the file: $(cat "$T/leases")"
victim_ok "planted $T/leases.tmp"
vsw_stop
[ "$VSW_RC" = 0 ] || die "vswitchd exited with status $VSW_RC"
victim_ok "planted $T/leases.tmp, after the exit"
[ -f "$T/leases" ] && [ ! -L "$T/leases" ] || die "the lease file is not a regular file after the exit"
ip -n "$NS_C" link del vfilesC 2>/dev/null || :

# 2. The lease file a symlink, then a directory.
ln -s "$victim" "$T/leases-link"
config "$T/leases-link"
expect_refused lease-link "$T/leases-link" -c "$T/sw.json"
victim_ok "lease_file a symlink"
[ -L "$T/leases-link" ] || die "the symlink lease_file was replaced"
mkdir "$T/leases-dir"
config "$T/leases-dir"
expect_refused lease-dir "$T/leases-dir" -c "$T/sw.json"

# 3. The pid file.
cat >"$T/nodhcp.json" <<EOF2
{ "runtime_dir": "$T", "ports": [ { "name": "p", "type": "tcp-listen", "port": 0 } ] }
EOF2
ln -s "$victim" "$T/pid-link"
expect_refused pid-link "$T/pid-link" -c "$T/nodhcp.json" -p "$T/pid-link"
victim_ok "pid file a symlink"
ln -s "$victim" "$T/vsw.pid.tmp"
spawn vswitchd-pid ip netns exec "$NS_SW" "$VSWITCHD" -c "$T/nodhcp.json" -p "$T/vsw.pid"
pid=$SPAWN_PID
wait_for "the pid file" 10 test -s "$T/vsw.pid"
victim_ok "planted $T/vsw.pid.tmp"
[ -f "$T/vsw.pid" ] && [ ! -L "$T/vsw.pid" ] || die "the pid file is not a regular file"
[ "$(cat "$T/vsw.pid")" = "$pid" ] || die "pid file says $(cat "$T/vsw.pid"), want $pid"
stop_pid "$pid"
exit 0
