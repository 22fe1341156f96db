#!/bin/bash
# SPDX-License-Identifier: ISC
#
# ocsp-hostile.sh - responders that fail or lie, each giving status
# "error" with its reason, while nesd keeps serving: responder down, HTTP
# 500, a truncated body, a response signed by the wrong key, a response
# for another certificate, a stale one (nextUpdate past), one dated in the
# future, an oversized body (over the cap), a slow responder (timeout), an
# HTML page, a refusal (unauthorized), and a certificate whose issuer is
# nowhere. The answers are
# made with openssl at test time and replayed by a python3 stub; the
# issuer comes from trust_dir (nothing is fetched). Errors back off; a
# nonce is required when configured; a deferred cert.check keeps the
# order of replies, does not hold up other clients, and a client that
# leaves before its answer does no harm.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/ocsp-lib.sh
. "$TOP_SRCDIR/tests/fixtures/ocsp-lib.sh"

ocsp_setup
mkdir -p "$T/trust"
cp "$PKI/ca.crt" "$T/trust/"
# A client waiting for a deferred answer is not idle: idle_timeout is
# shorter than the slow responder's timeout.
cat >"$NESD_CONF" <<EOF
[daemon]
idle_timeout = 1
[status]
timeout = 2s
rate = 0
trust_dir = $T/trust
EOF
nesd_start -v
assert_match "$(cat "$NESD_LOG")" "status: 1 certificates in trust_dir $T/trust" \
    "trust_dir read"

cases="down h500 trunc wrongkey other stale future big slow junk unauth orphan"
files=()
for n in $cases; do
	files+=("$PKI/$n.crt")
done
ctl import "${files[@]}" >/dev/null
# While the slow one waits for its timeout, nesd answers others at once:
# the slow check is still under way after a status.
wait_for rev_is slow checking true
ctl status >/dev/null
assert_eq "$(rev slow checking)" true \
    "status answered while the slow responder kept its check waiting"

all_checked() {
	ctl --json status | jq -e '[.certificates[].revocation |
	    select(.status == "pending" or .checking)] | length == 0'
}
wait_for all_checked

# expect NAME ERROR DETAIL_ERE
expect() {
	local c
	c=$(cert_json "$(fp "$1")" | jq -c .revocation)
	assert_eq "$(jqr "$c" .status)" error "$1: status"
	assert_eq "$(jqr "$c" .error)" "$2" "$1: error"
	assert_match "$(jqr "$c" .detail)" "$3" "$1: detail"
	assert_eq "$(jqr "$c" .failures)" 1 "$1: failures"
}
stub=http://127.0.0.1:$STUB_PORT
expect down unreachable "^cannot reach http://127.0.0.1:$DOWN_PORT/: "
expect h500 http_status "^$stub/h500 answered HTTP 500, not the OCSP response$"
expect trunc bad_response "^truncated an OCSP response: [0-9]+ bytes, its header announces [0-9]+ more$"
expect wrongkey bad_signature "^not signed by the issuer or a responder it delegated to \(.*signature failure"
expect other wrong_certificate "^the response is about another certificate \(serial 1001\), not this one$"
expect stale stale "^stale: nextUpdate [0-9T:-]+Z has passed$"
expect future not_yet_valid "^thisUpdate [0-9T:-]+Z is ahead of this machine's clock by more than 300 s$"
expect big too_large "^the OCSP response from $stub/big is over 65536 bytes$"
expect slow timeout "^no OCSP response from $stub/slow within 2 s$"
expect junk bad_response "^not an OCSP response \([0-9]+ bytes that do not decode\)$"
expect unauth responder_error '^the responder answered "unauthorized"$'
expect orphan no_issuer "^issuer CN=NES Test Kok SM,O=Test Kamu SM,C=TR not found among the tracked certificates, trust_dir or AIA caIssuers"
# trust_dir held the issuer: caIssuers was never asked (the orphan's
# caIssuers is, and gives a certificate that did not issue it).
assert_eq "$(grep -c '"GET /ca.der' "$T/www.log")" 1 "GETs of caIssuers"

# What people see.
run ctl status
assert_contains "$RUN_OUT" "0 good, 0 revoked, 0 on hold, 0 unknown, 12 failed" \
    "status: all failed"
assert_match "$RUN_OUT" "GUL ER .* check failed: timed out$" "status: timeout row"
run ctl check-status "$(id_of wrongkey)"
assert_rc 0 "check-status of a forged answer"
assert_match "$RUN_OUT" "BURAK EREN +check failed: bad signature +not signed by" \
    "check-status: bad signature"
run ctl show "$(id_of big)"
assert_match "$RUN_OUT" "^Revocation: +check failed: answer too large$" \
    "show: revocation"
assert_match "$RUN_OUT" "^Status detail: +the OCSP response from $stub/big is over 65536 bytes$" \
    "show: detail"

# Backoff: 5 minutes after one error, 10 after two, less a tenth at most.
for i in 1 2; do
	c=$(cert_json "$(fp h500)" | jq -c .revocation)
	d=$(($(jqr "$c" .next_check) - $(jqr "$c" .checked_at)))
	want=$((300 * i))
	[ "$d" -le "$want" ] && [ "$d" -ge $((want - want / 10 - 1)) ] ||
	    fail "after $i error(s) the next check is in $d s, not ~$want s"
	[ "$i" -eq 2 ] || ctl check-status "$(id_of h500)" >/dev/null
done
assert_eq "$(rev h500 failures)" 2 "failures in a row"

# A deferred reply keeps its place: the slow check answers first, after
# more than idle_timeout.
out=$(rpc_raw \
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cert.check\",\"params\":{\"id\":$(id_of slow)}}" \
    '{"jsonrpc":"2.0","id":2,"method":"hello","params":{}}')
assert_eq "$(jq -r .id <<<"$out" | tr '\n' ' ')" "1 2 " "reply order"
assert_eq "$(head -1 <<<"$out" | jq -r '.result.certificates[0].revocation.error')" \
    timeout "cert.check of the slow one"
# A client that leaves before its deferred answer does no harm.
rpc_raw --timeout 0.2 \
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cert.check\",\"params\":{\"id\":$(id_of slow)}}" \
    >"$T/left.out" || true
assert_eq "$(cat "$T/left.out")" "#TIMEOUT" "the client left first"
wait_for rev_is slow checking false
nesd_alive || fail "nesd died after a client left before its answer"

# The nonce: the complete answer for trunc, replayed, fails only with one.
cp "$PKI/stub/trunc.full" "$PKI/stub/trunc.der"
run ctl --json check-status "$(id_of trunc)"
assert_eq "$(jqr "$RUN_OUT" '.certificates[0].revocation.status')" good \
    "the whole answer, without a nonce"
printf 'nonce = yes\n' >>"$NESD_CONF"
kill -HUP "$NESD_PID"
wait_for grep -q "reload: configuration read" "$NESD_LOG"
run ctl --json check-status "$(id_of trunc)"
assert_eq "$(jqr "$RUN_OUT" '.certificates[0].revocation.error')" nonce \
    "a replayed answer with a nonce asked for"
assert_contains "$(jqr "$RUN_OUT" '.certificates[0].revocation.detail')" \
    "carries no nonce" "nonce: detail"

# Still serving, and each responder was asked as often as expected.
run ctl status
assert_rc 0 "status at the end"
assert_eq "$(grep -c '^slow$' "$PKI/stub/hits")" 3 "requests to the slow responder"
nesd_alive || fail "nesd died"
nesd_stop
exit 0
