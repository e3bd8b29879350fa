# QEMU guest control for the tests in tests/qemu/. Source after `set -eu`:
#
#     . "$(dirname "$0")/lib-qemu.sh"
#
# It sources tests/lib.sh, so skip/die/wait_for/on_exit/... are available.
#
#   qemu_setup                 skip unless QEMU is installed; build or fetch the
#                              cached guest (build-guest.sh); create $TESTDIR
#   guest_boot NAME MAC NETDEV_ARG...
#                              start a guest in the background, not waiting:
#                              -netdev <NETDEV_ARG,...>,id=n0 and a virtio NIC
#                              with MAC; serial console on $TESTDIR/NAME.serial.{in,out},
#                              everything it prints (and QEMU's stderr) in $TESTDIR/NAME.log
#   guest_wait_ready NAME [T]  wait for the ready marker /init prints
#   guest_start NAME MAC NETDEV_ARG...   guest_boot + guest_wait_ready
#   guest_run NAME CMD [T]     run CMD (a shell string) in the guest; print its
#                              output (stdout+stderr) on stdout, return its exit
#                              status; 124 on timeout (default 30 s), 125 if the
#                              guest is gone
#   guest_stop NAME [T]        `poweroff -f` in the guest, SIGTERM/SIGKILL after T s
#   guest_kill NAME            SIGKILL the guest's QEMU now (a crash)
#   guest_alive NAME           its QEMU still runs
#   guest_log_tail NAME [N]    the last N (20) lines of the guest's console log
#   guest_ping NAME ADDR [N]   ping ADDR from the guest, N (3) times
#   vswitchd_start_default     run vswitchd on its built-in default (no -c),
#                              runtime dir $TESTDIR/run, stdout in
#                              $TESTDIR/stdout.txt; wait for both listeners
#   guest_dhcp NAME            lease an address with udhcpc and apply it
#                              (address, default route); /tmp/lease, /tmp/ip
#   guest_pair MAC_BASE TCP_PORT SOCK
#                              boot guest a (MAC MAC_BASE:0a, -netdev socket
#                              connecting to 127.0.0.1:TCP_PORT) and guest b
#                              (MAC_BASE:0b, -netdev stream client of the UNIX
#                              socket SOCK), and wait for both
#   guest_ip NAME ADDR         ADDR/24 on eth0, eth0 up
#   guest_ip4_only NAME ADDR   the same with IPv6 off (output discarded)
#   guests_ip4_ready NAME=ADDR...
#                              wait for each guest (booted with guest_boot),
#                              then guest_ip4_only NAME ADDR for each
#   ctl ARGS...                vswitchctl ARGS against $TESTDIR/run/ctl.sock
#                              (the --runtime-dir the tests give vswitchd)
#   mac_table_save             `ctl mac show` into $TESTDIR/macs.out, and a
#                              copy in the test log
#   mac_port MAC               the port MAC is learned on in $TESTDIR/macs.out
#                              (empty if none); fails if learned twice
#   learned_on MAC PATTERN     MAC is learned once, on a port matching the
#                              glob PATTERN (for `check`)
#
# Guests still running at exit are killed by the lib.sh cleanup.
#
# Tunables (environment):
#   QEMU                 emulator (default qemu-system-x86_64)
#   VSW_QEMU_ACCEL       accelerator (default tcg; KVM in nested setups is not
#                        reliable enough to be the default)
#   VSW_QEMU_NIC         mmio (default: virtio-net-device on virtio-mmio) or pci
#                        (virtio-net-pci on microvm's PCIe host bridge)
#   VSW_QEMU_MEM         guest RAM (default 256M)
#   VSW_BOOT_TIMEOUT     seconds to wait for a guest's ready marker (default 90)
#   VSW_GUEST_KERNEL / VSW_GUEST_INITRD   use these instead of build-guest.sh

# shellcheck source-path=SCRIPTDIR
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

_vsw_qemu_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

: "${QEMU:=qemu-system-x86_64}"
: "${VSW_QEMU_ACCEL:=tcg}"
: "${VSW_QEMU_NIC:=mmio}"
: "${VSW_QEMU_MEM:=256M}"
: "${VSW_BOOT_TIMEOUT:=90}"

declare -gA GUEST_PID=() GUEST_CAT=() GUEST_SEQ=() GUEST_LOGOFF=() GUEST_READY=()

qemu_setup() {
	local out rc=0
	require_cmd "$QEMU" base64 mkfifo
	make_testdir
	if [ -n "${VSW_GUEST_KERNEL-}" ] && [ -n "${VSW_GUEST_INITRD-}" ]; then
		GUEST_KERNEL=$VSW_GUEST_KERNEL
		GUEST_INITRD=$VSW_GUEST_INITRD
	else
		out=$("$_vsw_qemu_dir/build-guest.sh") || rc=$?
		case $rc in
		0) ;;
		77) skip "cannot build the test guest (see build-guest.sh message above)" ;;
		*) die "build-guest.sh failed (exit $rc)" ;;
		esac
		GUEST_KERNEL=$(printf '%s\n' "$out" | sed -n 1p)
		GUEST_INITRD=$(printf '%s\n' "$out" | sed -n 2p)
	fi
	if [ ! -f "$GUEST_KERNEL" ] || [ ! -f "$GUEST_INITRD" ]; then
		die "guest kernel '$GUEST_KERNEL' or initramfs '$GUEST_INITRD' missing"
	fi

	# Under TCG the guest's TSC is the host's. Calibrating it against the
	# emulated PIT fails when the host is busy, and the kernel then hangs for
	# a minute or more in early boot (seen 9 times out of 9 with three guests
	# booting at once on two cores). Telling it the frequency avoids that.
	GUEST_TSC_KHZ=$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo 2>/dev/null || true)
	[ -n "$GUEST_TSC_KHZ" ] && [ "$GUEST_TSC_KHZ" -gt 0 ] || GUEST_TSC_KHZ=2000000
}

_guest_check_name() {
	case $1 in
	'' | *[!A-Za-z0-9_-]*) die "bad guest name '$1' (use letters, digits, _ and -)" ;;
	esac
}

_guest_log() { printf '%s\n' "$TESTDIR/$1.log"; }

guest_log_tail() {
	local f
	f=$(_guest_log "$1")
	[ -f "$f" ] && tr -d '\r' <"$f" | tail -n "${2:-20}" | sed "s/^/    [$1] /"
	return 0
}

guest_alive() {
	[ -n "${GUEST_PID[$1]-}" ] && pid_alive "${GUEST_PID[$1]}"
}

# guest_boot NAME MAC NETDEV_ARG...  (the NETDEV_ARGs are joined with commas)
guest_boot() {
	local name=$1 mac=$2 netdev machine nicdev base logf
	shift 2
	_guest_check_name "$name"
	[ -n "${GUEST_KERNEL-}" ] || die "guest_boot before qemu_setup"
	guest_alive "$name" && die "guest $name is already running"
	netdev=$(IFS=,; printf '%s' "$*")
	case $VSW_QEMU_NIC in
	mmio) machine=microvm nicdev=virtio-net-device ;;
	pci) machine=microvm,pcie=on nicdev=virtio-net-pci ;;
	*) die "VSW_QEMU_NIC must be mmio or pci, not '$VSW_QEMU_NIC'" ;;
	esac

	base=$TESTDIR/$name.serial
	logf=$(_guest_log "$name")
	rm -f "$base.in" "$base.out"
	mkfifo "$base.in" "$base.out"
	printf '=== %s: boot %s (netdev %s, mac %s)\n' "$(date +%T)" "$name" "$netdev" "$mac" >>"$logf"
	# a guest restarted under the same name appends to the same log: look for
	# its ready marker only after this point
	GUEST_LOGOFF[$name]=$(stat -c %s "$logf")

	# QEMU opens both FIFOs read-write, so neither side ever blocks on open;
	# cat ends at EOF when QEMU exits.
	cat <"$base.out" >>"$logf" &
	GUEST_CAT[$name]=$!
	track_pid "${GUEST_CAT[$name]}"

	# shellcheck disable=SC2086 # VSW_QEMU_EXTRA is a list of arguments
	"$QEMU" -M "$machine,x-option-roms=off" -accel "$VSW_QEMU_ACCEL" \
		-m "$VSW_QEMU_MEM" -smp 1 \
		-nodefaults -no-user-config -display none -no-reboot \
		-kernel "$GUEST_KERNEL" -initrd "$GUEST_INITRD" \
		-append "console=ttyS0 quiet loglevel=1 panic=-1 tsc_early_khz=$GUEST_TSC_KHZ tsc=reliable no_timer_check vsw.name=$name" \
		-serial "pipe:$base" \
		-netdev "$netdev,id=n0" -device "$nicdev,netdev=n0,mac=$mac" \
		${VSW_QEMU_EXTRA-} \
		</dev/null >>"$logf" 2>&1 &
	GUEST_PID[$name]=$!
	GUEST_SEQ[$name]=0
	GUEST_READY[$name]=
	track_pid "${GUEST_PID[$name]}"
	log "guest $name: booting (pid ${GUEST_PID[$name]}, $nicdev mac $mac, netdev $netdev)"
}

# guest_wait_ready NAME [TIMEOUT]
guest_wait_ready() {
	local name=$1 timeout=${2:-$VSW_BOOT_TIMEOUT} logf t0 now
	logf=$(_guest_log "$name")
	t0=$(date +%s%N)
	while :; do
		if tail -c +"$((GUEST_LOGOFF[$name] + 1))" "$logf" | grep -aq "@@VSW-READY $name@@"; then
			GUEST_READY[$name]=1
			now=$(date +%s%N)
			log "guest $name: ready after $(((now - t0) / 1000000)) ms"
			if tail -c +"$((GUEST_LOGOFF[$name] + 1))" "$logf" | grep -aq '@@VSW-WARN'; then
				log "guest $name: /init warned:"
				tail -c +"$((GUEST_LOGOFF[$name] + 1))" "$logf" | grep -a '@@VSW-WARN' | tr -d '\r' >&2
			fi
			return 0
		fi
		if ! guest_alive "$name"; then
			log "guest $name: QEMU exited before the guest was ready; its log:"
			guest_log_tail "$name" 30 >&2
			die "guest $name did not boot"
		fi
		now=$(date +%s%N)
		if [ $(((now - t0) / 1000000000)) -ge "$timeout" ]; then
			log "timed out after ${timeout}s waiting for guest $name to print its ready marker; its log:"
			guest_log_tail "$name" 30 >&2
			die "guest $name did not boot"
		fi
		sleep 0.1
	done
}

guest_start() {
	guest_boot "$@"
	guest_wait_ready "$1"
}

# _guest_send NAME LINE: one line to the guest console. Opening the FIFO
# read-write never blocks, even when QEMU is gone.
_guest_send() {
	printf '%s\n' "$2" 1<>"$TESTDIR/$1.serial.in"
}

# guest_run NAME CMD [TIMEOUT]
guest_run() {
	local name=$1 cmd=$2 timeout=${3:-30} logf id b64 off rc t0 now endline
	logf=$(_guest_log "$name")
	guest_alive "$name" || { log "guest $name is not running (command: $cmd)"; return 125; }
	[ -n "${GUEST_READY[$name]-}" ] || guest_wait_ready "$name"
	GUEST_SEQ[$name]=$((GUEST_SEQ[$name] + 1))
	id="$name.${GUEST_SEQ[$name]}.$RANDOM"
	b64=$(printf '%s' "$cmd" | base64 -w0)
	# the tty's canonical-mode line limit is 4095 bytes
	[ "${#b64}" -lt 3900 ] || die "guest_run: command too long for the console (${#cmd} bytes)"
	off=$(stat -c %s "$logf")
	_guest_send "$name" "@@VSW-RUN $id $b64"
	t0=$(date +%s%N)
	while :; do
		endline=$(tail -c +"$((off + 1))" "$logf" | tr -d '\r' | grep -a -m1 "@@VSW-END $id rc=" || true)
		[ -z "$endline" ] || break
		if ! guest_alive "$name"; then
			log "guest $name died while running: $cmd"
			guest_log_tail "$name" >&2
			return 125
		fi
		now=$(date +%s%N)
		if [ $(((now - t0) / 1000000000)) -ge "$timeout" ]; then
			log "timed out after ${timeout}s waiting for guest $name to finish: $cmd"
			guest_log_tail "$name" >&2
			return 124
		fi
		sleep 0.05
	done
	rc=${endline##*rc=}
	rc=${rc%%@@*}
	case $rc in '' | *[!0-9]*) log "guest $name: garbled end marker '$endline'"; rc=126 ;; esac
	log "[$name]# $cmd  (exit $rc)"
	tail -c +"$((off + 1))" "$logf" | tr -d '\r' |
		awk -v b="@@VSW-BEGIN $id@@" -v e="@@VSW-END $id rc=" '
			index($0, e) { exit }
			on { print }
			index($0, b) { on = 1 }'
	return "$rc"
}

# guest_stop NAME [TIMEOUT]: clean power-off, forced after TIMEOUT (10) s.
guest_stop() {
	local name=$1 timeout=${2:-10} i=0 pid
	pid=${GUEST_PID[$name]-}
	[ -n "$pid" ] || return 0
	if pid_alive "$pid"; then
		_guest_send "$name" "poweroff -f"
		while pid_alive "$pid" && [ "$i" -lt $((timeout * 10)) ]; do
			sleep 0.1
			i=$((i + 1))
		done
		pid_alive "$pid" && log "guest $name: still running ${timeout}s after poweroff; killing it"
	fi
	stop_pid "$pid" 2
	stop_pid "${GUEST_CAT[$name]}" 2
	unset 'GUEST_PID[$name]'
	log "guest $name: stopped"
}

# guest_kill NAME: SIGKILL, as if the VM crashed.
guest_kill() {
	local name=$1 pid
	pid=${GUEST_PID[$name]-}
	[ -n "$pid" ] || return 0
	stop_pid "$pid" 2 KILL
	stop_pid "${GUEST_CAT[$name]}" 2
	unset 'GUEST_PID[$name]'
	log "guest $name: killed"
}

# guest_ping NAME ADDR [COUNT]: ping from a guest; the output goes to the
# test log (stderr), the status is ping's.
guest_ping() {
	local out rc=0
	out=$(guest_run "$1" "ping -c ${3:-3} -W 2 $2" 30) || rc=$?
	printf '%s\n' "$out" | sed "s/^/    [$1] /" >&2
	return "$rc"
}

# guest_dhcp NAME: bring eth0 up and lease an address with busybox udhcpc;
# its script applies the address and the default route, and records the
# lease in /tmp/lease ("LEASE ip=... mask=... router=... dns=...
# serverid=...") and the address alone in /tmp/ip.  The status is udhcpc's.
guest_dhcp() {
	local script='#!/bin/sh
[ "$1" = bound ] || exit 0
ip addr add "$ip/$mask" dev "$interface"
for r in $router; do ip route add default via "$r"; break; done
echo "LEASE ip=$ip mask=$mask router=$router dns=$dns serverid=$serverid" >/tmp/lease
echo "$ip" >/tmp/ip'
	guest_run "$1" "ip link set eth0 up && printf '%s\n' '${script//\'/\'\\\'\'}' >/tmp/dhcp.sh && chmod +x /tmp/dhcp.sh" >/dev/null &&
		guest_run "$1" 'udhcpc -i eth0 -n -q -t 5 -T 2 -s /tmp/dhcp.sh && cat /tmp/lease'
}

# vswitchd_start_default: the daemon on its built-in default, as README
# command 1 runs it (see the list at the top).
vswitchd_start_default() {
	mkdir -p "$TESTDIR/run"
	"$VSWITCHD" --runtime-dir "$TESTDIR/run" </dev/null \
		>"$TESTDIR/stdout.txt" 2>>"$TESTDIR/vswitchd.log" &
	VSWITCHD_PID=$!
	track_pid "$VSWITCHD_PID"
	vswitchd_wait_ready 10 tcp:7000 "unix:$TESTDIR/run/vm.sock" ||
		die "the built-in default did not start"
}

# guest_pair MAC_BASE TCP_PORT SOCK: the two guests most tests start with,
# one on each kind of stream port (see the list at the top).
guest_pair() {
	guest_boot a "$1:0a" socket,connect=127.0.0.1:"$2"
	guest_boot b "$1:0b" stream,server=off,addr.type=unix,addr.path="$3"
	guest_wait_ready a
	guest_wait_ready b
}

# guest_ip NAME ADDR: the guest's eth0 up with ADDR/24.
guest_ip() {
	guest_run "$1" "ip addr add $2/24 dev eth0 && ip link set eth0 up"
}

# guest_ip4_only NAME ADDR: the guest's eth0 up with ADDR/24 and no IPv6
# (no router solicitations or MLD in the way of the checks).
guest_ip4_only() {
	guest_run "$1" "echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6;
		echo 1 >/proc/sys/net/ipv6/conf/eth0/disable_ipv6;
		ip addr add $2/24 dev eth0 && ip link set eth0 up" >/dev/null
}

# guests_ip4_ready NAME=ADDR...: wait until each guest (booting in
# parallel) is ready, then give each its ADDR with guest_ip4_only.
guests_ip4_ready() {
	local g
	for g in "$@"; do
		guest_wait_ready "${g%%=*}"
	done
	for g in "$@"; do
		guest_ip4_only "${g%%=*}" "${g#*=}"
	done
}

# ctl ARGS...: vswitchctl against the daemon the test started with
# --runtime-dir $TESTDIR/run.
ctl() { "$top_builddir/vswitchctl" -s "$TESTDIR/run/ctl.sock" "$@"; }

# mac_table_save: the MAC table now, in $TESTDIR/macs.out (which mac_port
# and learned_on read) and in the test log.
mac_table_save() {
	ctl mac show >"$TESTDIR/macs.out"
	sed 's/^/    [mac show] /' "$TESTDIR/macs.out" >&2
}

# mac_port MAC: the port MAC is learned on (empty if none); fails if twice
mac_port() {
	awk -v m="$1" 'tolower($1) == m { print $3; n++ } END { exit n > 1 }' "$TESTDIR/macs.out"
}

# learned_on MAC PATTERN: MAC is learned once, on a port matching PATTERN
learned_on() {
	local p
	p=$(mac_port "$1") || return 1
	# shellcheck disable=SC2053 # a glob on purpose
	[[ $p == $2 ]]
}
