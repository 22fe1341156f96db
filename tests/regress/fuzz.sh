#!/bin/bash
# SPDX-License-Identifier: ISC
#
# fuzz.sh - fuzz the parsers of what comes from outside for
# NESD_FUZZ_SECONDS each (default 30; 0 replays the kept corpus once), with
# libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer, all at once:
# - control: the control socket's byte stream, cut into lines as
#   control.c cuts it, and the JSON-RPC envelope (tests/fuzz/control_fuzz.c);
# - x509: certificate ingestion, PEM, DER and PKCS#7 (x509_fuzz.c);
# - config: nesd.conf through config_load (config_fuzz.c).
# Each starts from its corpus kept in tests/fuzz/corpus/NAME (seeded from
# the tests' own files: requests of the regress scripts, certificates of
# nes-mkcert in every format, the configurations of the config tests),
# plus the inputs that once crashed it (tests/fuzz/crashes/NAME, replayed
# too). Without clang's libFuzzer (or with NESD_FUZZ_REPLAY=1) the corpus
# is replayed once through the same harness (with the sanitizers if the
# compiler has them). Fails on
# any crash, sanitizer report, leak or timeout; the input that did it is
# kept in TOP_BUILDDIR/fuzz-crashes. bench/fuzz.sh runs the same for an
# hour, and with NESD_FUZZ_MERGE=1 adds to the kept corpus the new inputs
# that reach new code (libFuzzer -merge=1). The OCSP harness is
# tests/regress/ocsp-fuzz.sh (it needs a PKI).

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

seconds=${NESD_FUZZ_SECONDS:-30}
names=${NESD_FUZZ_NAMES:-control x509 config}
FZ=$TOP_SRCDIR/tests/fuzz
command -v pkg-config >/dev/null || skip "pkg-config is missing"

# sources NAME: the harness and the code it drives.
sources() {
	local c=$TOP_SRCDIR/common
	case $1 in
	control) echo "$FZ/control_fuzz.c $c/proto.c $c/caltime.c $c/log.c" \
	    "$c/tckn.c $c/xmalloc.c" ;;
	x509) echo "$FZ/x509_fuzz.c $c/x509.c $c/tckn.c $c/validate.c $c/district.c" \
	    "$c/caltime.c $c/log.c $c/xmalloc.c" ;;
	config) echo "$FZ/config_fuzz.c $TOP_SRCDIR/daemon/core/config.c" \
	    "$TOP_SRCDIR/daemon/core/config-file.c" \
	    "$c/caltime.c $c/validate.c $c/district.c $c/tckn.c $c/log.c $c/xmalloc.c" ;;
	esac
}

# modules NAME: its pkg-config modules.
modules() {
	case $1 in
	control) echo "jansson libevent" ;;
	x509) echo "libcrypto jansson" ;;
	config) echo "jansson libcrypto" ;;
	esac
}

# flags NAME: compiler flags (as nesd's build defines, without autoconf.h).
flags() {
	# shellcheck disable=SC2046
	echo -std=gnu11 -g -O1 -I"$TOP_BUILDDIR" -I"$TOP_SRCDIR/common" \
	    -I"$TOP_SRCDIR/daemon/core" -DSYSCONFDIR=\"/etc\" \
	    -DLOCALSTATEDIR=\"/var\" -DRUNSTATEDIR=\"/run\" \
	    $(pkg-config --cflags $(modules "$1"))
}

probe='int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)
{ return (0); }'
libfuzzer=0
if [ -z "${NESD_FUZZ_REPLAY:-}" ] && command -v clang >/dev/null &&
    clang -fsanitize=fuzzer -x c -o "$T/probe" - <<<"$probe" 2>/dev/null; then
	libfuzzer=1
fi
cc=${CC:-cc}
san=(-fsanitize=address,undefined -fno-sanitize-recover=undefined)
if [ "$libfuzzer" -eq 0 ]; then
	"$cc" "${san[@]}" -x c -o "$T/probe" - \
	    <<<"$probe int main(void) { return 0; }" 2>/dev/null || san=()
fi

mkdir -p "$TOP_BUILDDIR/fuzz-crashes"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1
pids=()
for n in $names; do
	corpus=$FZ/corpus/$n
	crashes=$FZ/crashes/$n
	[ -d "$corpus" ] || fail "no corpus for $n in $corpus"
	nseeds=$(find "$corpus" -type f | wc -l)
	[ "$nseeds" -ge 5 ] || fail "$n: only $nseeds seeds in $corpus"
	# shellcheck disable=SC2046
	if [ "$libfuzzer" -eq 1 ]; then
		clang $(flags "$n") -fsanitize=fuzzer,address,undefined \
		    -fno-sanitize-recover=undefined -o "$T/$n" \
		    $(sources "$n") $(pkg-config --libs $(modules "$n")) \
		    2>"$T/build-$n.log" || fail "building the $n fuzzer:" \
		    "$(cat "$T/build-$n.log")"
	else
		"$cc" $(flags "$n") "${san[@]}" -o "$T/$n" $(sources "$n") \
		    "$FZ/replay.c" $(pkg-config --libs $(modules "$n")) \
		    2>"$T/build-$n.log" || fail "building the $n replay:" \
		    "$(cat "$T/build-$n.log")"
	fi
	# The inputs that once crashed it, then the corpus.
	if [ -d "$crashes" ] && [ -n "$(ls -A "$crashes")" ]; then
		out=$("$T/$n" "$crashes"/* 2>&1) ||
		    fail "$n: a kept crash input fails again: $out"
	fi
	mkdir -p "$T/work-$n"
	if [ "$libfuzzer" -eq 0 ]; then
		out=$("$T/$n" "$corpus"/* 2>&1) || fail "$n: replay: $out"
		assert_match "$out" "^replay: $nseeds inputs" "$n: replayed"
		note "$n: no libFuzzer (clang): replayed $nseeds seeds once"
		continue
	fi
	if [ "$seconds" -eq 0 ]; then
		set -- -runs=0
	else
		set -- -max_total_time="$seconds"
	fi
	"$T/$n" "$@" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	    -print_final_stats=1 -artifact_prefix="$TOP_BUILDDIR/fuzz-crashes/$n-" \
	    "$T/work-$n" "$corpus" >"$T/fuzz-$n.log" 2>&1 &
	track_pid $!
	pids+=("$n:$!")
done

bad=
for p in "${pids[@]}"; do
	n=${p%%:*}
	rc=0
	wait "${p#*:}" || rc=$?
	untrack_pid "${p#*:}"
	if [ "$rc" -ne 0 ]; then
		tail -40 "$T/fuzz-$n.log" >&2
		bad="$bad $n"
		continue
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
	    "$T/fuzz-$n.log")
	note "$n: $runs inputs in ${seconds} s, corpus" \
	    "$(find "$FZ/corpus/$n" -type f | wc -l) + $(find "$T/work-$n" \
	    -type f | wc -l) new"
	[ "${runs:-0}" -gt 0 ] || bad="$bad $n(no run)"
	if [ "${NESD_FUZZ_MERGE:-0}" = 1 ] && [ -z "$bad" ]; then
		"$T/$n" -merge=1 "$FZ/corpus/$n" "$T/work-$n" \
		    >"$T/merge-$n.log" 2>&1 || fail "$n: merge failed"
		note "$n: corpus now $(find "$FZ/corpus/$n" -type f | wc -l)"
	fi
done
[ -z "$bad" ] || fail "the fuzzers found problems:$bad (inputs in" \
    "$TOP_BUILDDIR/fuzz-crashes)"
exit 0
