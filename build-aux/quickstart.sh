#!/bin/sh
# README command 1: install what is missing, build vswitchd and vswitchctl,
# and run vswitchd on its built-in default (extra arguments go to vswitchd,
# e.g. -c FILE).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
build-aux/deps.sh build
[ -x configure ] || ./autogen.sh
[ -f Makefile ] || ./configure --quiet
# Both: the README has the reader run vswitchctl right after this, and
# nothing else builds it.
make -j"$(nproc)" --quiet vswitchd vswitchctl
# It is not on PATH: say where it is, as a path that works from anywhere.
echo "quickstart: vswitchctl is $top/vswitchctl (for example: $top/vswitchctl show)"
exec ./vswitchd "$@"
