#!/bin/sh
# SPDX-License-Identifier: ISC
# build.sh DIR [configure options]: configure and build nesd out of tree
# in DIR (relative to the source tree), regenerating configure if needed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
shift
cd "$top"
[ -x configure ] || ./autogen.sh >/dev/null
mkdir -p "$dir"
cd "$dir"
if [ ! -f Makefile ] || [ "$top/configure" -nt Makefile ]; then
	"$top/configure" -q "$@"
fi
make -s -j"$(nproc)"
