#!/bin/bash
# TAP port errors say what is wrong: a device name that cannot be one is a
# configuration error (vswitchd --check, with the JSON path); as root, a
# name taken by another interface or by a TAP another process holds is
# refused at start-up; an unprivileged vswitchd is told it needs
# CAP_NET_ADMIN or a persistent device of its own; and a persistent device
# is attached to, and outlives the daemon.
set -eu
. "$(dirname "$0")/lib-netns.sh"

# check_fails NAME CONFIG-JSON PATTERN [CMD-PREFIX...]: vswitchd -c CONFIG
# must fail, and its output match PATTERN (grep -E).
check_fails()
{
	local name=$1 json=$2 pattern=$3 rc=0

	shift 3
	printf '%s\n' "$json" >"$T/$name.json"
	chmod 644 "$T/$name.json"
	mkdir -p "$T/run-$name"
	("$@" timeout 20 "$VSWITCHD" -c "$T/$name.json" \
		--runtime-dir "$T/run-$name") >"$T/$name.out" 2>&1 || rc=$?
	cat "$T/$name.out" >&2
	[ "$rc" != 0 ] || die "$name: vswitchd did not fail"
	[ "$rc" != 124 ] || die "$name: vswitchd did not exit within 20 s"
	grep -Eq -- "$pattern" "$T/$name.out" ||
		die "$name: output does not match \"$pattern\""
}

# Configuration errors need no privileges.
check_fails long-ifname \
	'{ "ports": [ { "name": "t", "type": "tap", "ifname": "averyveryverylongname" } ] }' \
	'ports\[0\]\.ifname: "averyveryverylongname" is not an interface name \(1 to 15 bytes\)'
check_fails long-name \
	'{ "ports": [ { "name": "a-very-long-tap-name", "type": "tap" } ] }' \
	'ports\[0\]: the port name is too long to name the device'
"$VSWITCHD" --check -c "$T/long-ifname.json" 2>"$T/check.out" &&
	die "--check accepted a 21-byte ifname"
grep -q 'ports\[0\]\.ifname' "$T/check.out" || die "--check gave no JSON path"

netns_init
require_cmd setpriv

# A name that belongs to another kind of interface.
check_fails not-tap \
	'{ "ports": [ { "name": "t", "type": "tap", "ifname": "lo" } ] }' \
	'port t: lo exists and is not a single-queue TAP device' \
	ip netns exec "$NS_SW"

# A TAP another vswitchd holds is busy.
cat >"$T/sw.json" <<EOF
{ "ports": [ { "name": "tapA", "type": "tap", "ifname": "vtapA" } ] }
EOF
vsw_ns_start "$T/sw.json"
check_fails busy \
	'{ "ports": [ { "name": "t", "type": "tap", "ifname": "vtapA" } ] }' \
	'port t: TAP device vtapA is busy: another process has it open' \
	ip netns exec "$NS_SW"
vsw_stop
[ "$VSW_RC" = 0 ] || die "vswitchd exited with status $VSW_RC"

# Unprivileged: no CAP_NET_ADMIN (and, where /dev/net/tun is 0600, no
# access to it either): the message says what it takes.
chmod 711 "$T"
mkdir "$T/run-nonroot"
chown 65534:65534 "$T/run-nonroot"
check_fails nonroot \
	'{ "ports": [ { "name": "t", "type": "tap", "ifname": "vtapN" } ] }' \
	'creating TAP device vtapN needs CAP_NET_ADMIN,? or an existing persistent device owned by you \(ip tuntap add dev vtapN mode tap user 65534\)' \
	ip netns exec "$NS_SW" setpriv --reuid=65534 --regid=65534 \
	--clear-groups --inh-caps=-all

# With access to /dev/net/tun (a 0666 node bound over it in a private
# mount namespace), the kernel itself refuses: EPERM from TUNSETIFF.  And
# a persistent device owned by the unprivileged user is attached to.
if mknod -m 666 "$T/tun" c 10 200 2>/dev/null; then
	# Replaces the calling (sub)shell, so that a spawned daemon's pid
	# is the daemon's.
	nobody_tun() {
		exec unshare --mount --propagation private sh -c \
			'mount --bind "$0" /dev/net/tun && exec "$@"' "$T/tun" \
			ip netns exec "$NS_SW" setpriv --reuid=65534 \
			--regid=65534 --clear-groups --inh-caps=-all "$@"
	}
	check_fails nonroot-eperm \
		'{ "ports": [ { "name": "t", "type": "tap", "ifname": "vtapN" } ] }' \
		'port t: creating TAP device vtapN needs CAP_NET_ADMIN or an existing persistent device owned by you \(ip tuntap add dev vtapN mode tap user 65534\)' \
		nobody_tun
	ip -n "$NS_SW" tuntap add dev vtapU mode tap user 65534
	ip -n "$NS_SW" link set vtapU up
	mkdir "$T/run-nobody"
	chown 65534:65534 "$T/run-nobody"
	cat >"$T/nobody.json" <<-EOF
	{ "runtime_dir": "$T/run-nobody",
	  "ports": [ { "name": "tapU", "type": "tap", "ifname": "vtapU" } ] }
	EOF
	chmod 644 "$T/nobody.json"
	spawn vswitchd-nobody nobody_tun "$VSWITCHD" -c "$T/nobody.json"
	VSW_PID=$SPAWN_PID
	VSW_LOG=$T/vswitchd-nobody.log
	_vsw_pids="$_vsw_pids $VSW_PID"
	on_exit _vsw_stop_left
	wait_log "$VSW_LOG" ' running with '
	log_has "$VSW_LOG" 'port tapU: attached to persistent TAP device vtapU'
	vsw_stop
	[ "$VSW_RC" = 0 ] || die "unprivileged vswitchd exited with status $VSW_RC"
else
	log "cannot make a device node in $T: EPERM and unprivileged attach not checked"
fi

# A persistent device is attached to, not created, and survives us.
ip -n "$NS_SW" tuntap add dev vtapP mode tap
cat >"$T/persist.json" <<EOF
{ "ports": [ { "name": "tapP", "type": "tap", "ifname": "vtapP", "mtu": 1280 } ] }
EOF
vsw_ns_start "$T/persist.json" vswitchd-persist
log_has "$VSW_LOG" 'port tapP: attached to persistent TAP device vtapP'
port_json tapP | jq -e '.result.persistent == true and .result.mtu == 1280' \
	>/dev/null || die "tapP: $(port_json tapP)"
ip -n "$NS_SW" link show vtapP | grep -q 'mtu 1280.*state' ||
	die "vtapP has not MTU 1280: $(ip -n "$NS_SW" link show vtapP)"
vsw_stop
[ "$VSW_RC" = 0 ] || die "vswitchd exited with status $VSW_RC"
ip -n "$NS_SW" link show vtapP >/dev/null ||
	die "the persistent device vtapP went away with the daemon"
finish
