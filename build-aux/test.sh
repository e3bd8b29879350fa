#!/bin/sh
# README command 2: install what is missing, build with AddressSanitizer and
# UndefinedBehaviorSanitizer in build-check/, and run every test tier.
# The netns and QEMU tiers need root and QEMU; without them they skip.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build-aux/deps.sh test
[ -x configure ] || ./autogen.sh
mkdir -p build-check
cd build-check
[ -f Makefile ] || ../configure --quiet --enable-asan --enable-ubsan ${VSW_CONFIGURE_FLAGS:-}
make -j"$(nproc)" --quiet
make -j"$(nproc)" check "$@"
