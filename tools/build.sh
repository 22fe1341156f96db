#!/bin/sh
# SPDX-License-Identifier: ISC
# build.sh DIR [configure options]: configure and build nesd out of tree
# in DIR (relative to the source tree), regenerating configure if needed.
# DIR is configured again when the options differ from the last time.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
shift
cd "$top"
[ -x configure ] || ./autogen.sh >/dev/null
mkdir -p "$dir"
cd "$dir"
opts="$*"
if [ ! -f Makefile ] || [ "$top/configure" -nt Makefile ] ||
    [ "$(cat .build-options 2>/dev/null)" != "$opts" ]; then
	"$top/configure" -q "$@"
	printf '%s\n' "$opts" >.build-options
fi
make -s -j"$(nproc)"
