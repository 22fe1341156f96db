#!/bin/sh
# SPDX-License-Identifier: ISC
# bench/fuzz.sh [SECONDS]: every libFuzzer harness of tests/fuzz (the
# control line decoder and JSON-RPC envelope, certificate ingestion, the
# config parser, the OCSP response and CRL path) for SECONDS each (default
# 3600), all at once, under AddressSanitizer and UndefinedBehaviorSanitizer,
# through the same scripts make check runs for 30 s (tests/regress/fuzz.sh,
# tests/regress/ocsp-fuzz.sh). Prints the inputs each ran and whether it
# found anything; an input that crashed is in BUILD/fuzz-crashes (make it a
# regression input in tests/fuzz/crashes/NAME and fix the code). With
# MERGE=1 the new inputs that reach new code are added to the kept corpus
# in tests/fuzz/corpus. Uses the build in NESD_BUILD (default
# build/default, built if missing).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
seconds=${1:-3600}
B=${NESD_BUILD:-build/default}
[ -f "$B/config.status" ] ||
    tools/build.sh "$B" --enable-debug --enable-test-hooks >/dev/null
B=$(cd "$B" && pwd)
export NESD_FUZZ_SECONDS=$seconds NESD_FUZZ_MERGE=${MERGE:-0}
echo "fuzz: $seconds s each, build $B"
start=$(date +%s)
tests/run.sh -C "$B" fuzz >"$B/fuzz-bench.log" 2>&1 &
a=$!
tests/run.sh -C "$B" ocsp-fuzz >"$B/ocsp-fuzz-bench.log" 2>&1 &
b=$!
rc=0
wait "$a" || rc=1
wait "$b" || rc=1
grep -h -E '^# |^(PASS|FAIL|SKIP)|^FAIL:' "$B/fuzz-bench.log" \
    "$B/ocsp-fuzz-bench.log"
echo "fuzz: done in $(($(date +%s) - start)) s; logs in $B/fuzz-bench.log" \
    "and $B/ocsp-fuzz-bench.log"
exit "$rc"
