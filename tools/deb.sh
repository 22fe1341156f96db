#!/bin/sh
# SPDX-License-Identifier: ISC
# deb.sh [OUTDIR]: builds the Debian package nesd with dpkg-buildpackage
# from a clean copy of the tree (the files git knows, with their changes
# in the work tree), runs lintian on it, and leaves nesd_*.deb, the
# .changes, the .buildinfo and lintian.txt in OUTDIR (default build/deb).
# Needs debhelper, dpkg-dev, lintian and the build dependencies of
# debian/control (tools/deps.sh installs them). Exits non-zero when the
# build fails or lintian reports an error or a warning.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build/deb}
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
work=$out/src
rm -rf "$work"
mkdir -p "$work/nesd-$version"
cd "$top"
if [ -d .git ] || [ -f .git ]; then
	# Tracked and new files, as they are now; none of the build trees.
	git ls-files -z --cached --others --exclude-standard |
	    xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
	    tar --null -T - -cf - | tar -C "$work/nesd-$version" -xf -
else
	tar --exclude=./build --exclude='./build*' -cf - . |
	    tar -C "$work/nesd-$version" -xf -
fi
cd "$work/nesd-$version"
echo "deb: dpkg-buildpackage in $work/nesd-$version"
dpkg-buildpackage -us -uc -b -j"${DEB_JOBS:-2}" >"$out/build.log" 2>&1 || {
	tail -40 "$out/build.log" >&2
	echo "deb: dpkg-buildpackage failed; the whole log: $out/build.log" >&2
	exit 1
}
cd "$work"
mv -f ./*.deb ./*.changes ./*.buildinfo "$out/"
cd "$out"
rm -rf "$work"
changes=$(ls -t nesd_"${version}"_*.changes | head -1)
echo "deb: lintian $changes"
rc=0
lintian --fail-on error,warning --info --display-info "$changes" \
    >lintian.txt 2>&1 || rc=$?
cat lintian.txt
for deb in nesd_"${version}"_*.deb; do
	echo "deb: $out/$deb, $(stat -c %s "$deb") bytes"
done
exit $rc
