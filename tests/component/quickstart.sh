#!/bin/bash
# README command 1, build-aux/quickstart.sh, builds vswitchctl as well as
# vswitchd (the README has the reader run vswitchctl right after it) and
# says where vswitchctl is, as an absolute path, before vswitchd starts.
# It runs in a copy of the tree's top whose deps.sh, configure and make
# are stand-ins, so nothing is installed or built here.
set -eu
. "$(dirname "$0")/lib-component.sh"

[ -f "$top_srcdir/build-aux/quickstart.sh" ] ||
	skip "no build-aux/quickstart.sh in $top_srcdir (a dist tarball?)"
top=$T/top
mkdir -p "$top/build-aux" "$T/bin"
cp "$top_srcdir/build-aux/quickstart.sh" "$top/build-aux/"
printf '#!/bin/sh\nexit 0\n' >"$top/build-aux/deps.sh"
printf '#!/bin/sh\nexit 0\n' >"$top/configure"
: >"$top/Makefile"
chmod +x "$top/build-aux/deps.sh" "$top/configure"
# make: records its arguments, and "builds" each program as a stub that
# says it ran.
cat >"$T/bin/make" <<EOF
#!/bin/sh
echo "\$*" >>"$T/make.args"
for arg; do
	case \$arg in
	vswitchd|vswitchctl)
		printf '#!/bin/sh\\necho "%s ran: \$*"\\n' "\$arg" >"\$arg"
		chmod +x "\$arg" ;;
	esac
done
EOF
chmod +x "$T/bin/make"

PATH=$T/bin:$PATH sh "$top/build-aux/quickstart.sh" -c x.json \
	>"$T/quickstart.out" 2>&1 ||
	die "quickstart.sh failed: $(cat "$T/quickstart.out")"
cat "$T/quickstart.out" >&2

for prog in vswitchd vswitchctl; do
	grep -qw "$prog" "$T/make.args" ||
		die "quickstart.sh does not build $prog (make $(cat "$T/make.args"))"
done
grep -q '^vswitchd ran: -c x.json$' "$T/quickstart.out" ||
	die "quickstart.sh did not run vswitchd with its arguments"
# The path it names: absolute, and the vswitchctl it built.
ctl=$(grep -o '/[^ ]*/vswitchctl' "$T/quickstart.out" | head -n 1)
[ -n "$ctl" ] || die "quickstart.sh does not say where vswitchctl is"
[ "$ctl" -ef "$top/vswitchctl" ] && [ -x "$ctl" ] ||
	die "quickstart.sh names $ctl, not the vswitchctl it built"
# Said before vswitchd starts, so it is at the top of what the reader sees.
[ "$(grep -n vswitchctl "$T/quickstart.out" | head -n 1 | cut -d: -f1)" -lt \
	"$(grep -n '^vswitchd ran' "$T/quickstart.out" | cut -d: -f1)" ] ||
	die "quickstart.sh names vswitchctl only after vswitchd started"
log "quickstart.sh builds both and names $ctl"
