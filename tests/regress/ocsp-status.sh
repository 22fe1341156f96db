#!/bin/bash
# SPDX-License-Identifier: ISC
#
# ocsp-status.sh - revocation status against real responders on loopback:
# an `openssl ocsp` responder and CRLs served by python3 http.server, for
# NES-like certificates of a test CA made with openssl. Good, revoked
# (keyCompromise), on hold and unknown by OCSP; good and revoked by CRL
# alone; the CRL when the OCSP responder is down. The issuer comes from
# AIA caIssuers, fetched once and cached; the CRL is fetched once. Then,
# with nesd running: a certificate is suspended, un-held (removeFromCRL)
# and revoked, and each time `nesctl check-status` shows it and a
# cert.status event reaches a subscriber. The status survives a restart
# without a second alert; the per-responder rate holds; a disabled
# checker checks nothing; an expired certificate is not checked.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/ocsp-lib.sh
. "$TOP_SRCDIR/tests/fixtures/ocsp-lib.sh"

ocsp_setup
cat >"$NESD_CONF" <<EOF
[status]
timeout = 5s
rate = 50
EOF
nesd_start -v

# ---- the first checks, on import -----------------------------------------
real="good revoked hold unknown later crlgood crlrev fallback"
files=()
for n in $real; do
	files+=("$PKI/$n.crt")
done
run ctl import "${files[@]}"
assert_rc 0 "import of the test certificates"
# all_checked: no certificate is waiting for or in its first check.
all_checked() {
	ctl --json status | jq -e '[.certificates[].revocation |
	    select(.status == "pending" or .checking)] | length == 0'
}
wait_for all_checked

# check NAME STATUS REASON SOURCE URL
check() {
	local c what="$1"
	c=$(cert_json "$(fp "$1")")
	assert_eq "$(jqr "$c" .revocation.status)" "$2" "$what: status"
	assert_eq "$(jqr "$c" .revocation.reason)" "$3" "$what: reason"
	assert_eq "$(jqr "$c" .revocation.source)" "$4" "$what: source"
	assert_eq "$(jqr "$c" .revocation.url)" "$5" "$what: url"
	assert_eq "$(jqr "$c" .revocation.error)" null "$what: error"
}
ocsp_url=http://127.0.0.1:$OCSP_PORT/
crl_url=http://127.0.0.1:$HTTP_PORT/ca.crl
check good good null ocsp "$ocsp_url"
check revoked revoked key_compromise ocsp "$ocsp_url"
check hold on_hold certificate_hold ocsp "$ocsp_url"
check unknown unknown null ocsp "$ocsp_url"
check later good null ocsp "$ocsp_url"
check crlgood good null crl "$crl_url"
check crlrev revoked key_compromise crl "$crl_url"
check fallback good null crl "$crl_url"
assert_contains "$(rev fallback detail)" "cannot reach http://127.0.0.1:$DOWN_PORT/" \
    "fallback: why the CRL answered"

# Revocation times are the CA's; a revocation is final: no next check.
now=$(date +%s)
ra=$(rev revoked revoked_at)
[ "$ra" -le "$now" ] && [ "$ra" -ge $((now - 600)) ] ||
    fail "revoked_at $ra is not the time of the revocation"
assert_eq "$(rev revoked next_check)" null "a revoked certificate: next_check"
# Next check: the earlier of nextUpdate (responder: 60 min) and the
# interval (a day), less up to a tenth of it.
nu=$(rev good next_update) nc=$(rev good next_check) ca=$(rev good checked_at)
assert_eq "$((nu - $(rev good this_update)))" 3600 "nextUpdate - thisUpdate"
[ "$nc" -le "$nu" ] && [ "$nc" -ge $((ca + 3600 - 361 - 5)) ] ||
    fail "next_check $nc is not within a tenth before nextUpdate $nu"

# The issuer came from AIA caIssuers once; the CRL was fetched once.
assert_eq "$(grep -c '"GET /ca.der' "$T/www.log")" 1 "GETs of caIssuers"
assert_eq "$(grep -c '"GET /ca.crl' "$T/www.log")" 1 "GETs of the CRL"
assert_match "$(cat "$NESD_LOG")" "issuer .*NES Test Kok SM.* fetched from http://127.0.0.1:$HTTP_PORT/ca.der" \
    "log: issuer fetched"
# Alerts for what was revoked or suspended already.
assert_match "$(cat "$NESD_LOG")" "cert $(id_of revoked): revoked since" \
    "log: alert for the revoked certificate"
assert_match "$(cat "$NESD_LOG")" "cert $(id_of hold): suspended \(on hold\) since" \
    "log: alert for the suspended certificate"

# ---- what people see -----------------------------------------------------
run ctl status
assert_rc 0 "status"
assert_contains "$RUN_OUT" "REVOCATION" "status: column"
assert_not_contains "$RUN_OUT" "CHECKED" "status: no CHECKED column (show has it)"
assert_contains "$RUN_OUT" "revocation status: 4 good, 2 revoked, 1 on hold, 1 unknown, 0 failed, 0 not checked yet" \
    "status: revocation summary"
assert_match "$RUN_OUT" "MEHMET DEMIR .* revoked$" "status: revoked row"
assert_match "$RUN_OUT" "FATMA KAYA .* on hold$" "status: on hold row"
st=$(ctl --json status)
assert_eq "$(jqr "$st" .daemon.revocation.good)" 4 "daemon.revocation.good"
assert_eq "$(jqr "$st" .daemon.revocation.enabled)" true \
    "daemon.revocation.enabled"
run ctl show "$(id_of revoked)"
assert_rc 0 "show"
assert_match "$RUN_OUT" "^Revocation: +revoked \(key compromise, since [0-9-]+ [0-9:]+\)$" \
    "show: revocation line"
assert_match "$RUN_OUT" "^Checked: +[0-9-]+ [0-9:]+ by OCSP from $ocsp_url$" \
    "show: checked line"
assert_match "$RUN_OUT" "^Next check: +not scheduled$" "show: next check"
run ctl show "$(id_of crlgood)"
assert_match "$RUN_OUT" "^Checked: .* by CRL from $crl_url$" "show: by CRL"
assert_match "$RUN_OUT" "^Next check: +[0-9-]+ [0-9:]+$" "show: next check"

# ---- check-status: one, all; replies in request order ---------------------
run ctl check-status "$(id_of good)"
assert_rc 0 "check-status ID"
assert_match "$RUN_OUT" "^ *ID +HOLDER +REVOCATION +DETAIL" \
    "check-status: header"
assert_match "$RUN_OUT" "AYSE YILMAZ +good +OCSP $ocsp_url" "check-status: row"
run ctl check-status
assert_rc 0 "check-status (all)"
assert_eq "$(grep -c . <<<"$RUN_OUT")" 9 "check-status: a row per certificate"
assert_match "$RUN_OUT" "EMRE ARSLAN +revoked +key compromise, since" \
    "check-status: revoked by CRL"
out=$(rpc_raw '{"jsonrpc":"2.0","id":1,"method":"cert.check","params":{}}' \
    '{"jsonrpc":"2.0","id":2,"method":"status","params":{"limit":0}}' \
    '{"jsonrpc":"2.0","id":3,"method":"cert.check","params":{"id":999}}')
assert_eq "$(jq -r .id <<<"$out" | tr '\n' ' ')" "1 2 3 " \
    "replies in request order behind a deferred one"
assert_eq "$(head -1 <<<"$out" | jq '.result.certificates | length')" 8 \
    "cert.check: all"
assert_eq "$(tail -1 <<<"$out" | jq -r .error.data.name)" not_found \
    "cert.check of an unknown id"
run ctl check-status abcdef0123
assert_rc 1 "check-status of an unknown fingerprint"
run ctl check-status nonsense
assert_rc 2 "check-status with a bad ID"

# ---- suspend, un-hold, revoke while nesd runs ----------------------------
rpc_raw -n 4 --timeout 30 \
    '{"jsonrpc":"2.0","id":1,"method":"subscribe","params":{"events":["cert.status"]}}' \
    >"$T/events.out" &
sub=$!
wait_for grep -q '"result"' "$T/events.out"
later=$(id_of later)

ca_hold later
responder_restart
run ctl check-status "$later"
assert_rc 0 "check-status after the suspension"
assert_match "$RUN_OUT" "ZEYNEP KAYA +on hold +certificate hold, since" \
    "check-status shows the suspension"
wait_for grep -q '"status":"on_hold"' "$T/events.out"
assert_match "$(cat "$NESD_LOG")" "cert $later: suspended \(on hold\) since" \
    "the alert for the suspension"

ca_unhold later
responder_restart
run ctl --json check-status "$later"
assert_eq "$(jqr "$RUN_OUT" '.certificates[0].revocation.status')" good \
    "good again after removeFromCRL"
wait_for grep -q '"previous":"on_hold"' "$T/events.out"

ca_revoke later keyCompromise
responder_restart
run ctl check-status "$later"
assert_match "$RUN_OUT" "ZEYNEP KAYA +revoked +key compromise, since" \
    "check-status shows the revocation"
wait "$sub" || true
ev=$(grep '"method"' "$T/events.out")
assert_eq "$(jq -r '.params | "\(.id) \(.previous)>\(.status)"' <<<"$ev" |
    tr '\n' ' ')" "$later good>on_hold $later on_hold>good $later good>revoked " \
    "the cert.status events"
assert_eq "$(jq -r '.method' <<<"$ev" | sort -u)" event.cert.status \
    "event name"
assert_eq "$(tail -1 <<<"$ev" | jq -r .params.reason)" key_compromise \
    "event: reason"
assert_eq "$(tail -1 <<<"$ev" | jq -r .params.fingerprint)" "$(fp later)" \
    "event: fingerprint"
alerts=$(grep -c "since .*; if the holder did not ask" "$NESD_LOG")
assert_eq "$alerts" 5 \
    "alerts so far (revoked, hold, crlrev; later held, then revoked)"

# ---- a restart keeps the status, and alerts nothing again -----------------
nesd_stop
nesd_start -v
assert_eq "$(rev later status)" revoked "status after a restart"
assert_eq "$(rev hold status)" on_hold "on hold after a restart"
assert_eq "$(grep -c "since .*; if the holder did not ask" "$NESD_LOG")" \
    "$alerts" "no second alert after a restart"

# ---- the rate per responder ----------------------------------------------
cat >>"$NESD_CONF" <<EOF
rate = 2
nonce = yes
EOF
kill -HUP "$NESD_PID"
wait_for grep -q "reload: configuration read" "$NESD_LOG"
start=$(date +%s%N)
run ctl check-status
end=$(date +%s%N)
assert_rc 0 "check-status at 2 a second"
# Five certificates ask OCSP_PORT: the fifth starts 2 s after the first.
[ $(((end - start) / 1000000)) -ge 1900 ] ||
    fail "5 requests at 2 a second took $(((end - start) / 1000000)) ms"
# With a nonce, `openssl ocsp` echoes it and the answers still verify.
assert_eq "$(rev good status)" good "good with a nonce"
assert_eq "$(rev hold status)" on_hold "on hold with a nonce"

# ---- an expired certificate is not checked --------------------------------
mkcert "$T/expired.pem" --days-left -3 --cn "ESKI SERTIFIKA"
ctl import "$T/expired.pem" >/dev/null
xid=$(cert_json "$(fingerprint "$T/expired.pem")" | jq -r .id)
run ctl check-status "$xid"
assert_rc 0 "check-status of an expired certificate"
assert_match "$RUN_OUT" "ESKI SERTIFIKA +not checked +expired: not checked" \
    "an expired certificate is not checked"
assert_eq "$(cert_json "$(fingerprint "$T/expired.pem")" |
    jq -r '.revocation | "\(.status) \(.next_check)"')" "pending null" \
    "an expired certificate: pending, never scheduled"

# ---- disabled: nothing is checked ------------------------------------------
printf '[status]\nenabled = no\n' >"$NESD_CONF"
kill -HUP "$NESD_PID"
wait_for grep -q "status: checks disabled" "$NESD_LOG"
run ctl check-status
assert_rc 1 "check-status while disabled"
assert_contains "$RUN_ERR" "disabled" "check-status while disabled: why"
run ctl status
assert_contains "$RUN_OUT" "revocation status: not checked (disabled in nesd.conf)" \
    "status while disabled"
assert_eq "$(rev good next_check)" null "no next check while disabled"

nesd_alive || fail "nesd died"
nesd_stop
exit 0
