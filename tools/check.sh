#!/bin/sh
# SPDX-License-Identifier: ISC
# The whole test suite, as CI runs it: installs what is missing, builds
# with warnings as errors and the test hooks and runs `make check`, builds
# again with AddressSanitizer and UndefinedBehaviorSanitizer and runs it
# again, builds the default configuration (no hooks, as packaged) and
# checks that it holds none (tests/regress/test-hooks.sh), then `make
# distcheck`, then builds the Debian package (lintian-clean) and installs
# it in a booted container (tests/deb/container.sh; skipped where the
# machine cannot boot one). Ends with one line: N passed, N failed, N
# skipped.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
tools/deps.sh || exit 1

passed=0 failed=0 skipped=0

# Add the counts of a test-suite.log to the totals.
count() {
	eval "$(awk '/^# (PASS|XFAIL):/ { p += $3 }
	    /^# (FAIL|XPASS|ERROR):/ { f += $3 }
	    /^# SKIP:/ { s += $3 }
	    END { printf "p=%d f=%d s=%d\n", p, f, s }' "$1")"
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	[ "$f" -eq 0 ] || cat "$1"
}

# suite NAME DIR TESTS [configure options]: build, then make check of
# TESTS (all when empty).
suite() {
	name=$1 dir=$2 tests=$3
	shift 3
	echo "== $name: build in $dir"
	if ! tools/build.sh "$dir" "$@"; then
		echo "== $name: build FAILED"
		failed=$((failed + 1))
		return
	fi
	echo "== $name: make check${tests:+ TESTS='$tests'}"
	rm -f "$dir/test-suite.log"
	if [ -n "$tests" ]; then
		(cd "$dir" && make -s check TESTS="$tests" 2>&1)
	else
		(cd "$dir" && make -s check 2>&1)
	fi | grep -E '^(PASS|FAIL|SKIP|ERROR|XPASS|XFAIL): ' || true
	if [ -f "$dir/test-suite.log" ]; then
		count "$dir/test-suite.log"
	else
		echo "== $name: no test-suite.log"
		failed=$((failed + 1))
	fi
}

suite default build/default '' --enable-debug --enable-test-hooks
# The fuzzers build with their own sanitizers whatever the suite: they
# fuzz 30 s each in the first one, and only replay their corpus after.
NESD_FUZZ_SECONDS=0
export NESD_FUZZ_SECONDS
suite sanitizers build/asan '' --enable-debug --enable-sanitizers \
    --enable-test-hooks
# What a package builds: no test hook, not even its name, in nesd.
suite release build/release 'tests/regress/test-hooks.sh tests/regress/cli.sh'

echo "== distcheck"
if (cd build/default && make -s distcheck >distcheck.log 2>&1); then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	tail -40 build/default/distcheck.log
fi

echo "== deb: tools/deb.sh build/deb"
if sh tools/deb.sh build/deb >build/deb.log 2>&1; then
	passed=$((passed + 1))
	grep '^deb: .*bytes$' build/deb.log
	echo "== deb: container test"
	rc=0
	TOP_BUILDDIR=$top/build/default bash tests/deb/container.sh \
	    >build/container.log 2>&1 || rc=$?
	case $rc in
	0) passed=$((passed + 1)); grep '^# figures' build/container.log ;;
	77) skipped=$((skipped + 1)); grep '^SKIP' build/container.log ;;
	*) failed=$((failed + 1)); tail -40 build/container.log ;;
	esac
else
	failed=$((failed + 1))
	tail -40 build/deb.log
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
