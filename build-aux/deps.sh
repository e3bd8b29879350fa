#!/bin/sh
# Installs the Debian packages vswitchd needs, if any are missing.
#   build-aux/deps.sh build   what building and running needs
#   build-aux/deps.sh test    that, plus what the test suite needs
#   build-aux/deps.sh fuzz    build, plus clang for `make fuzz-dhcp` (CI)
# Uses sudo when not run as root.  Installs nothing when all are present.
set -eu

build_pkgs="gcc make autoconf automake pkg-config liburing-dev libjansson-dev libslirp-dev libglib2.0-dev go-md2man"
# libFuzzer and the sanitizer runtimes are in libclang-rt-14-dev, which
# clang only recommends (Debian 12's clang is clang-14).
fuzz_pkgs="clang libclang-rt-14-dev"
test_pkgs="qemu-system-x86 busybox-static iproute2 cpio kmod xz-utils zstd socat procps psmisc tcpdump util-linux libxml2-utils systemd iputils-ping iperf3 jq isc-dhcp-client dhcpcd-base kea-admin dnsmasq-base"

case "${1:-build}" in
build) want=$build_pkgs ;;
test) want="$build_pkgs $test_pkgs" ;;
fuzz) want="$build_pkgs $fuzz_pkgs" ;;
*) echo "usage: $0 build|test|fuzz" >&2; exit 2 ;;
esac

missing=
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1; then
	sudo=sudo
else
	echo "vswitchd: missing Debian packages:$missing" >&2
	echo "vswitchd: install them as root (apt-get install$missing)" >&2
	exit 1
fi
echo "vswitchd: installing missing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
