#!/bin/sh
# SPDX-License-Identifier: ISC
# run.sh [-C BUILDDIR] TEST...: run tests on their own against a build tree,
# with the environment make check gives them (NESD, NESCTL, MKCERT, P11PUT,
# OCSP_REDATE, TOP_SRCDIR, TOP_BUILDDIR), output straight to the terminal.
# A TEST is a regress script (cli, cli.sh or tests/regress/cli.sh), a
# stress campaign (crash-scan or tests/stress/crash-scan.sh) or a unit
# test (proto_test or tests/unit/proto_test). BUILDDIR is the current
# directory when it is a build tree, else build/default; it is brought up
# to date first. Prints PASS, FAIL or SKIP a test; exits 1 when any failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)

usage() {
	echo "usage: tests/run.sh [-C builddir] test..." >&2
	exit 2
}

b=
while getopts C: o; do
	case $o in
	C) b=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage
if [ -z "$b" ]; then
	if [ -f config.status ] && [ -f Makefile ]; then
		b=.
	else
		b=$top/build/default
	fi
fi
[ -f "$b/config.status" ] || {
	echo "run.sh: $b is not a configured build tree (tools/build.sh $b" \
	    "--enable-debug --enable-test-hooks)" >&2
	exit 2
}
b=$(cd "$b" && pwd)

NESD=$b/nesd NESCTL=$b/nesctl MKCERT=$b/tests/nes-mkcert
P11PUT=$b/tests/p11-put OCSP_REDATE=$b/tests/ocsp-redate
TOP_SRCDIR=$top TOP_BUILDDIR=$b
export NESD NESCTL MKCERT P11PUT OCSP_REDATE TOP_SRCDIR TOP_BUILDDIR

make -s -C "$b" all >/dev/null || exit 1
bad=0
for t in "$@"; do
	name=${t##*/}
	name=${name%.sh}
	if [ -f "$top/tests/regress/$name.sh" ]; then
		(cd "$b" && bash "$top/tests/regress/$name.sh")
	elif [ -f "$top/tests/stress/$name.sh" ]; then
		(cd "$b" && bash "$top/tests/stress/$name.sh")
	elif [ -f "$top/tests/unit/$name.c" ]; then
		make -s -C "$b" "tests/unit/$name" >/dev/null || exit 1
		(cd "$b" && "$b/tests/unit/$name")
	else
		echo "run.sh: no test $t in tests/regress or tests/unit" >&2
		bad=1
		continue
	fi
	case $? in
	0) echo "PASS: $name" ;;
	77) echo "SKIP: $name" ;;
	*) echo "FAIL: $name"; bad=1 ;;
	esac
done
exit $bad
