#!/bin/sh
# /init of the vswitchd test guest (PID 1, busybox ash).
#
# build-guest.sh copies this file into the initramfs; its hash is part of the
# guest cache key, so editing it rebuilds the guest.
#
# Boot: mount the pseudo file systems, silence the kernel console, load the
# virtio modules listed in /etc/vsw-modules (dependency order, decided at
# build time), bring up lo and eth0, print the ready marker, then serve the
# serial console.
#
# Console protocol (tests/qemu/lib-qemu.sh speaks it; echo is off):
#   host:  @@VSW-RUN <id> <base64 of a shell command>
#   guest: @@VSW-BEGIN <id>@@
#          ...output of the command (stdout and stderr)...
#          @@VSW-END <id> rc=<exit status>@@
# Any other non-empty line is run as a plain shell command, so a human on the
# console can still type (blindly: echo is off).

export PATH=/sbin:/bin:/usr/sbin:/usr/bin
umask 022

mount -t devtmpfs devtmpfs /dev 2>/dev/null
# The initramfs may lack /dev/console (built without root): reopen stdio on it.
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
dmesg -n 1

name=guest
for arg in $(cat /proc/cmdline); do
	case $arg in
	vsw.name=*) name=${arg#vsw.name=} ;;
	esac
done
hostname "$name"
echo "@@VSW-BOOT $name@@"

while read -r mod; do
	[ -n "$mod" ] || continue
	insmod "/lib/modules/$mod" || echo "@@VSW-WARN insmod $mod failed@@"
done </etc/vsw-modules

ip link set lo up
# virtio_net probes the NIC synchronously in insmod, but be tolerant.
i=0
while [ ! -e /sys/class/net/eth0 ] && [ "$i" -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ -e /sys/class/net/eth0 ]; then
	ip link set eth0 up
else
	echo "@@VSW-WARN no eth0@@"
fi

stty -echo 2>/dev/null
echo "@@VSW-READY $name@@"

cr=$(printf '\r')
set -f
while :; do
	if ! IFS= read -r line; then
		sleep 1
		continue
	fi
	line=${line%"$cr"}
	case $line in
	"@@VSW-RUN "*)
		# shellcheck disable=SC2086 # split the three fields on purpose
		set -- $line
		id=$2
		cmd=$(printf '%s' "$3" | base64 -d)
		echo "@@VSW-BEGIN $id@@"
		(set +f; eval "$cmd") </dev/null 2>&1
		echo "@@VSW-END $id rc=$?@@"
		;;
	"") ;;
	*) (set +f; eval "$line") </dev/null 2>&1 ;;
	esac
done
