#!/bin/bash
# SPDX-License-Identifier: ISC
#
# ocsp-fuzz.sh - fuzz what responders send (tests/fuzz/ocsp_fuzz.c: OCSP
# responses, with and without a nonce, and CRLs) for NESD_FUZZ_SECONDS
# (default 30; 0 runs the seeds once) with libFuzzer, AddressSanitizer and UndefinedBehavior-
# Sanitizer, from seeds made with openssl now: good, revoked, on hold and
# unknown answers, forged, stale, truncated and foreign ones, CRLs in DER
# and PEM, and the corpus kept in tests/fuzz/corpus/ocsp (seeds of an
# earlier run: signed by another PKI, they exercise the parsers and the
# refusals). Without clang's libFuzzer, the seeds are replayed once through
# the same harness (with the sanitizers if the compiler has them). Fails
# on any crash, sanitizer report or leak.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

FIX=$TOP_SRCDIR/tests/fixtures
OCSP_REDATE=${OCSP_REDATE:-$TOP_BUILDDIR/tests/ocsp-redate}
seconds=${NESD_FUZZ_SECONDS:-30}
KEPT=$TOP_SRCDIR/tests/fuzz/corpus/ocsp
command -v pkg-config >/dev/null || skip "pkg-config is missing"

# ---- seeds -------------------------------------------------------------
# The ports are never listened on: only the certificates need them.
sh "$FIX/ocsp-pki.sh" "$T/pki" 1 2 3 4 2>"$T/pki.log" ||
    fail "ocsp-pki.sh failed: $(cat "$T/pki.log")"
mkdir -p "$T/seeds" "$T/work"
(
	set -e
	cd "$T/pki"
	# seed BYTE FILE NAME: FILE behind the byte that picks the parser.
	seed() {
		{ printf "\\$(printf '%03o' "$1")"; cat "$2"; } >"$T/seeds/$3"
	}
	resp() {	# CERT SIGNER KEY OUT [request options]
		local c=$1 s=$2 k=$3 o=$4
		shift 4
		openssl ocsp -issuer ca.crt -cert "$c.crt" -reqout "$o.req" "$@"
		openssl ocsp -index index.txt -CA ca.crt -rsigner "$s" \
		    -rkey "$k" -reqin "$o.req" -respout "$o" -nmin 60
	}
	for c in good revoked hold unknown; do
		resp "$c" ocsp.crt ocsp.key "$c.resp" -no_nonce
		seed 0 "$c.resp" "$c"
	done
	resp good ocsp.crt ocsp.key nonce.resp
	seed 1 nonce.resp nonce
	seed 1 good.resp nonce-missing
	resp good evil.crt evil.key forged.resp -no_nonce
	seed 0 forged.resp forged
	resp good ca.crt ca.key by-issuer.resp -no_nonce
	seed 0 by-issuer.resp by-issuer
	seed 0 revoked.resp other
	head -c 300 good.resp >trunc.resp
	seed 0 trunc.resp truncated
	if [ -x "$OCSP_REDATE" ]; then
		"$OCSP_REDATE" good.resp stale.resp ocsp.crt ocsp.key -7200 -3600
		seed 0 stale.resp stale
	fi
	seed 2 www/ca.crl crl-der
	seed 2 ca.crl crl-pem
	printf '<html>It works!</html>' >junk
	seed 0 junk junk
	printf '\060\003\012\001\006' >unauthorized
	seed 0 unauthorized unauthorized
) >>"$T/pki.log" 2>&1 || fail "making the seeds failed: $(tail -5 "$T/pki.log")"
nseeds=$(find "$T/seeds" -type f | wc -l)
[ "$nseeds" -ge 15 ] || fail "only $nseeds seeds"

# ---- the harness ---------------------------------------------------------
srcs=("$TOP_SRCDIR/tests/fuzz/ocsp_fuzz.c" "$TOP_SRCDIR/daemon/status/ocsp-verify.c"
    "$TOP_SRCDIR/common/caltime.c" "$TOP_SRCDIR/common/log.c"
    "$TOP_SRCDIR/common/tckn.c" "$TOP_SRCDIR/common/xmalloc.c")
# shellcheck disable=SC2207
flags=(-std=gnu11 -g -O1 -I"$TOP_BUILDDIR" -I"$TOP_SRCDIR/common"
    -I"$TOP_SRCDIR/daemon/status" $(pkg-config --cflags libcrypto jansson))
# shellcheck disable=SC2207
libs=($(pkg-config --libs libcrypto))
probe='int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)
{ return (0); }'
export OCSP_FUZZ_PKI=$T/pki

if command -v clang >/dev/null &&
    clang -fsanitize=fuzzer -x c -o "$T/probe" - <<<"$probe" 2>/dev/null; then
	san=-fsanitize=fuzzer,address,undefined
	clang "${flags[@]}" "$san" -fno-sanitize-recover=undefined \
	    -o "$T/ocsp_fuzz" "${srcs[@]}" "${libs[@]}" 2>"$T/build.log" ||
	    fail "building the fuzzer: $(cat "$T/build.log")"
	note "libFuzzer for $seconds s from $nseeds seeds"
	if [ "$seconds" -eq 0 ]; then
		limit=-runs=0
	else
		limit=-max_total_time=$seconds
	fi
	if ! UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    "$T/ocsp_fuzz" "$limit" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 "$T/work" "$T/seeds" \
	    "$KEPT" >"$T/fuzz.log" 2>&1; then
		tail -60 "$T/fuzz.log" >&2
		fail "the fuzzer found a problem (crash input in $PWD?)"
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$T/fuzz.log")
	note "executed $runs inputs"
	[ "$seconds" -eq 0 ] || [ "${runs:-0}" -gt "$nseeds" ] ||
	    fail "the fuzzer hardly ran: $runs"
	exit 0
fi

# No libFuzzer: replay the seeds, with the sanitizers if they link.
cc=${CC:-cc}
san=(-fsanitize=address,undefined -fno-sanitize-recover=undefined)
"$cc" "${san[@]}" -x c -o "$T/probe" - <<<"$probe int main(void) { return 0; }" \
    2>/dev/null || san=()
"$cc" "${flags[@]}" "${san[@]}" -o "$T/ocsp_replay" "${srcs[@]}" \
    "$TOP_SRCDIR/tests/fuzz/replay.c" "${libs[@]}" 2>"$T/build.log" ||
    fail "building the replay driver: $(cat "$T/build.log")"
note "no libFuzzer (clang): replaying $nseeds seeds once"
out=$("$T/ocsp_replay" "$T"/seeds/* "$KEPT"/*) ||
    fail "the replay failed: $out"
assert_eq "$out" "replay: $((nseeds + $(find "$KEPT" -type f | wc -l))) inputs" \
    "replayed"
exit 0
