#!/bin/sh
# README command 1: install what is missing, build, and run vswitchd on its
# built-in default (extra arguments go to vswitchd, e.g. -c FILE).
set -eu
cd "$(dirname "$0")/.."
build-aux/deps.sh build
[ -x configure ] || ./autogen.sh
[ -f Makefile ] || ./configure --quiet
make -j"$(nproc)" --quiet vswitchd
exec ./vswitchd "$@"
