#!/bin/bash
# Build (once) and cache the tiny Linux guest the QEMU test tier boots.
#
#   tests/qemu/build-guest.sh [--force]
#
# Prints two lines on stdout: the kernel path, then the initramfs path.
# Progress and errors go to stderr. Exit 0 on success, 77 when a tool that is
# needed is missing (a skip for the tests), 1 on any other failure.
#
# The guest is a Debian bookworm kernel (the package linux-image-amd64 depends
# on, fetched with `apt-get download` and unpacked with `dpkg-deb -x`) and a
# busybox-static initramfs whose /init (guest-init.sh beside this script)
# loads the virtio modules the kernel config builds as modules.
#
# The kernel is stored as an uncompressed ELF `vmlinux` (extracted from the
# bzImage): QEMU's microvm machine enters it through its PVH note, which skips
# the in-guest decompression of the xz bzImage (about 1 s under TCG).
#
# Environment:
#   VSW_GUEST_CACHE       cache directory (default /var/cache/vswitchd-tests/guest,
#                         or ${XDG_CACHE_HOME:-$HOME/.cache}/vswitchd-tests/guest
#                         when that is not writable)
#   VSW_GUEST_KERNEL_DEB  use this linux-image .deb instead of downloading one
#   VSW_GUEST_KERNEL_PKG  package name to download (default: what
#                         linux-image-amd64 depends on)
#
# Cache key: <kernel package>_<version>-<hash of the init script, the module
# list and this script's format version>. A build happens in a temporary
# directory inside the cache and is renamed into place, under a lock, so
# concurrent callers never see a half-written guest.

set -eu

FORMAT=1	# bump when the layout of a cached guest changes
MODULES_WANTED="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_mmio failover net_failover virtio_net"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
init_src=$here/guest-init.sh
force=0
[ "${1-}" = --force ] && force=1

msg() { printf 'build-guest: %s\n' "$*" >&2; }
die() { msg "error: $*"; exit 1; }
need() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || { msg "skip: '$c' not found (needed to build the test guest)"; exit 77; }
	done
}

need dpkg-deb cpio gzip sha256sum flock find
[ -f "$init_src" ] || die "missing $init_src"

# busybox must be static: it is the only program in the initramfs.
busybox=
for b in /bin/busybox /usr/bin/busybox; do
	# ldd fails on a static executable
	if [ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1; then
		busybox=$b
		break
	fi
done
[ -n "$busybox" ] || { msg "skip: no static busybox (Debian package busybox-static)"; exit 77; }

# --- cache directory ---------------------------------------------------------
pick_cache() {
	local d
	for d in "${VSW_GUEST_CACHE-}" /var/cache/vswitchd-tests/guest \
		"${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/vswitchd-tests/guest"; do
		[ -n "$d" ] || continue
		if mkdir -p "$d" 2>/dev/null && [ -w "$d" ]; then
			printf '%s\n' "$d"
			return 0
		fi
		# An explicit VSW_GUEST_CACHE that does not work is an error.
		[ "$d" = "${VSW_GUEST_CACHE-}" ] && die "VSW_GUEST_CACHE=$d is not a writable directory"
	done
	die "no writable cache directory"
}
cache=$(pick_cache)

# --- which kernel ------------------------------------------------------------
apt_ok() { apt-cache show "$1" >/dev/null 2>&1; }

deb=${VSW_GUEST_KERNEL_DEB-}
if [ -n "$deb" ]; then
	[ -f "$deb" ] || die "VSW_GUEST_KERNEL_DEB=$deb: no such file"
	pkg=$(dpkg-deb -f "$deb" Package)
	ver=$(dpkg-deb -f "$deb" Version)
else
	need apt-get apt-cache
	pkg=${VSW_GUEST_KERNEL_PKG-}
	if [ -z "$pkg" ]; then
		if ! apt_ok linux-image-amd64; then
			msg "apt lists do not know linux-image-amd64; running apt-get update"
			apt-get update -q >&2 || die "apt-get update failed (need root and Debian's mirror)"
		fi
		pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-image-[^ ]*-amd64\)$/\1/p' | head -n 1)
		[ -n "$pkg" ] || die "cannot tell which kernel package linux-image-amd64 depends on"
	fi
	ver=$(apt-cache policy "$pkg" 2>/dev/null | sed -n 's/^ *Candidate: //p')
	if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
		die "apt knows no candidate version of $pkg"
	fi
fi

hash=$( {
	echo "format $FORMAT"
	echo "modules $MODULES_WANTED"
	cat "$init_src"
} | sha256sum | cut -c1-12)
key="${pkg}_${ver}-${hash}"
key=${key//[^A-Za-z0-9._+-]/_}
dest=$cache/$key

# use_cached DIR: print DIR's guest and stop; mark it used (for pruning).
use_cached() {
	touch "$1" 2>/dev/null || true
	printf '%s\n%s\n' "$1/vmlinux" "$1/initrd.gz"
	exit 0
}
[ "$force" = 1 ] || [ ! -f "$dest/vmlinux" ] || [ ! -f "$dest/initrd.gz" ] || use_cached "$dest"

# --- build under a lock --------------------------------------------------------
exec 9>"$cache/.lock"
flock -w 600 9 || die "timed out after 600 s waiting for the lock $cache/.lock (another build?)"
[ "$force" = 1 ] || [ ! -f "$dest/vmlinux" ] || [ ! -f "$dest/initrd.gz" ] || use_cached "$dest"

tmp=$(mktemp -d "$cache/.build.XXXXXX")
chmod 755 "$tmp"	# apt-get download drops privileges to _apt when it can
trap 'rm -rf "$tmp"' EXIT
msg "building guest $key in $tmp"

if [ -z "$deb" ]; then
	if ! (cd "$tmp" && apt-get download "$pkg=$ver" >&2); then
		# Offline with newer apt lists: an older kernel with the same init will do.
		old=$(find "$cache" -mindepth 1 -maxdepth 1 -type d -name "linux-image-*-$hash" \
			-printf '%T@ %p\n' | sort -rn | head -n 1 | cut -d' ' -f2-)
		if [ -n "$old" ] && [ -f "$old/vmlinux" ] && [ -f "$old/initrd.gz" ]; then
			msg "warning: apt-get download $pkg=$ver failed; using the cached $old"
			use_cached "$old"
		fi
		die "apt-get download $pkg=$ver failed"
	fi
	deb=$(find "$tmp" -maxdepth 1 -name "${pkg}_*.deb" | head -n 1)
	[ -n "$deb" ] || die "apt-get download left no .deb for $pkg"
fi
mkdir "$tmp/pkg"
dpkg-deb -x "$deb" "$tmp/pkg" || die "dpkg-deb -x $deb failed"

kver=$(find "$tmp/pkg/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | head -n 1)
[ -n "$kver" ] || die "$deb has no lib/modules/<version>"
vmlinuz=$tmp/pkg/boot/vmlinuz-$kver
config=$tmp/pkg/boot/config-$kver
if [ ! -f "$vmlinuz" ] || [ ! -f "$config" ]; then
	die "$deb lacks boot/vmlinuz-$kver or boot/config-$kver"
fi
moddir=$tmp/pkg/lib/modules/$kver

# --- extract vmlinux (ELF) from the bzImage --------------------------------------
# The payload is the first compressed stream that decompresses to an ELF file.
extract_vmlinux() {
	local in=$1 out=$2 magic tool off
	for pair in '\xfd7zXZ\x00:xz -dc --single-stream' '\x28\xb5\x2f\xfd:zstd -dcq' \
		'\x1f\x8b\x08\x00:gzip -dc' '\x5d\x00\x00\x00:xz -dc --format=lzma'; do
		magic=${pair%%:*}
		tool=${pair#*:}
		command -v "${tool%% *}" >/dev/null 2>&1 || continue
		for off in $(LC_ALL=C grep -obUaP "$magic" "$in" | cut -d: -f1); do
			tail -c +$((off + 1)) "$in" | $tool >"$out" 2>/dev/null || true
			if [ "$(head -c 4 "$out" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
				return 0
			fi
		done
	done
	return 1
}
if ! extract_vmlinux "$vmlinuz" "$tmp/vmlinux"; then
	msg "could not extract an ELF vmlinux; falling back to the bzImage"
	cp "$vmlinuz" "$tmp/vmlinux"
fi

# --- modules: which are =m, in dependency order ----------------------------------
# CONFIG symbol of each module we may need (virtio_ring is part of CONFIG_VIRTIO).
config_sym() {
	case $1 in
	virtio | virtio_ring) echo VIRTIO ;;
	virtio_pci) echo VIRTIO_PCI ;;
	virtio_pci_modern_dev) echo VIRTIO_PCI_LIB ;;
	virtio_pci_legacy_dev) echo VIRTIO_PCI_LIB_LEGACY ;;
	virtio_mmio) echo VIRTIO_MMIO ;;
	failover) echo FAILOVER ;;
	net_failover) echo NET_FAILOVER ;;
	virtio_net) echo VIRTIO_NET ;;
	*) echo "" ;;
	esac
}
config_val() { sed -n "s/^CONFIG_$1=//p" "$config" | head -n 1; }

declare -A kofile=() loaded=()
while IFS= read -r f; do
	b=${f##*/}
	b=${b%%.ko*}
	kofile[$b]=$f
	kofile[${b//-/_}]=$f
done < <(find "$moddir" -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz')

ko_plain() { # decompress a module if needed, print the path of the plain .ko
	local f=$1 out
	case $f in
	*.ko) printf '%s\n' "$f" ;;
	*.ko.xz) out=${f%.xz}; xz -dc "$f" >"$out" && printf '%s\n' "$out" ;;
	*.ko.zst) out=${f%.zst}; zstd -dcq "$f" >"$out" && printf '%s\n' "$out" ;;
	*.ko.gz) out=${f%.gz}; gzip -dc "$f" >"$out" && printf '%s\n' "$out" ;;
	esac
}
order=()
add_module() { # depth first: dependencies before the module
	local m=${1//-/_} f dep deps
	[ -z "${loaded[$m]-}" ] || return 0
	loaded[$m]=1
	f=${kofile[$m]-}
	if [ -z "$f" ]; then
		local sym
		sym=$(config_sym "$m")
		if [ -n "$sym" ] && [ "$(config_val "$sym")" = y ]; then
			msg "module $m: built in (CONFIG_$sym=y)"
			return 0
		fi
		die "module $m: no .ko in $deb and not built in (CONFIG_${sym:-?}=$(config_val "${sym:-NONE}"))"
	fi
	f=$(ko_plain "$f") || die "cannot decompress the module $m"
	deps=$(tr '\0' '\n' <"$f" | sed -n 's/^depends=//p' | head -n 1)
	for dep in ${deps//,/ }; do
		add_module "$dep"
	done
	msg "module $m: loadable (${f#"$moddir"/})"
	order+=("$f")
}
for m in $MODULES_WANTED; do
	sym=$(config_sym "$m")
	case "$(config_val "$sym")" in
	y) msg "module $m: built in (CONFIG_$sym=y)"; loaded[$m]=1 ;;
	m) add_module "$m" ;;
	*) # virtio_mmio or the legacy PCI library may be absent: not fatal.
		case $m in
		virtio_mmio | virtio_pci_legacy_dev) msg "module $m: not configured (CONFIG_$sym unset), skipped" ;;
		*) die "CONFIG_$sym is not set in $config: this kernel cannot drive virtio-net" ;;
		esac
		;;
	esac
done

# --- initramfs -------------------------------------------------------------------
root=$tmp/root
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc,root,lib/modules,usr/bin,usr/sbin}
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
install -m 0755 "$init_src" "$root/init"
: >"$root/etc/vsw-modules"
for f in "${order[@]}"; do
	cp "$f" "$root/lib/modules/"
	printf '%s\n' "${f##*/}" >>"$root/etc/vsw-modules"
done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
printf '127.0.0.1 localhost\n' >"$root/etc/hosts"
# Best effort: a console node lets the kernel give /init its stdio (the init
# reopens /dev/console from devtmpfs anyway, so a non-root build works too).
mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null --create --format=newc --owner=0:0 --quiet) | gzip -9n >"$tmp/initrd.gz" ||
	die "creating the initramfs failed"

cp "$config" "$tmp/config"
{
	echo "package=$pkg"
	echo "version=$ver"
	echo "kernel=$kver"
	echo "modules=$(tr '\n' ' ' <"$root/etc/vsw-modules")"
	echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$tmp/info"

# --- publish ---------------------------------------------------------------------
mkdir "$tmp/out"
mv "$tmp/vmlinux" "$tmp/initrd.gz" "$tmp/config" "$tmp/info" "$tmp/out/"
rm -rf "$dest.old"
[ -e "$dest" ] && mv "$dest" "$dest.old"
mv -T "$tmp/out" "$dest" || die "cannot rename the new guest into $dest"
rm -rf "$dest.old"
# Forget guests nobody used for 30 days (each is about 70 MB).
find "$cache" -mindepth 1 -maxdepth 1 -type d -name 'linux-image-*' ! -path "$dest" -mtime +30 \
	-exec rm -rf {} + 2>/dev/null || true
msg "guest ready: $dest ($(tr '\n' ' ' <"$dest/info"))"
printf '%s\n%s\n' "$dest/vmlinux" "$dest/initrd.gz"
