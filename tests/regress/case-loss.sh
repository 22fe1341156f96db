#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Loss and replacement cases: nesctl lost gives the suspend-or-revoke
# instructions; OCSP answers (played through test.cert_status, which is
# refused without NESD_TEST_HOOKS) move the case on their own: on hold ->
# suspended, good -> closed, revoked -> revoked; the holder's steps go on to
# the personal-payment application, payment, shipping and, with a new
# certificate, done; the payment comes right after the application, the
# signed form after it (seed 003). Illegal steps name the state.
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
need_test_hooks

printf '[reminders]\nchannels =\n' >"$NESD_CONF"
flat() {
	"$@" | tr '\n' ' ' | tr -s ' '
}
# ocsp CERT STATUS: what the OCSP check would report, through the hook.
ocsp() {
	local r
	r=$(rpc test.cert_status "{\"cert\":$1,\"status\":\"$2\"}")
	[ "$(jqr "$r" .result.status)" = "$2" ] || fail "test.cert_status: $r"
}
# case_is ID JQ VALUE: for wait_for.
case_is() {
	[ "$(ctl --json case show "$1" | jq -r "$2")" = "$3" ]
}

tckn=$(tckn_make 345678912)
mkcert "$T/card.pem" --not-after "$(not_after_in 400)" --tckn "$tckn"
mkcert "$T/new.pem" --not-after "$(not_after_in 1100)" --tckn "$tckn"

# Without the test hooks, test.cert_status is refused.
nesd_start
r=$(rpc test.cert_status '{"cert":1,"status":"revoked"}')
assert_eq "$(jqr "$r" .error.data.name)" not_permitted "hook off: refused"
nesd_stop

NESD_TEST_HOOKS=1 nesd_start
ctl import "$T/card.pem" >/dev/null
cert=$(cert_json "$(fingerprint "$T/card.pem")" | jq -r .id)

out=$(flat ctl lost)
assert_contains "$out" "Case 1: loss (Kayıp/Çalıntı), reported" "lost: header"
assert_contains "$out" "Askıya Alma (suspend)" "lost: suspend"
assert_contains "$out" "Sertifikamı İptal Et (revoke)" "lost: revoke"
assert_contains "$out" "onlineislemler.kamusm.gov.tr" "lost: where"
assert_contains "$out" "a loss revokes all your certificates" \
    "lost: loss_revokes_all said as the guides' rule"
run ctl lost paid
assert_rc 1 "paid while reported"
assert_contains "$RUN_ERR" "is in state reported" "paid: state named"
assert_contains "$RUN_ERR" "lost suspended, lost revoked, lost found" \
    "paid: allowed steps"
assert_eq "$(ctl --json case show 1 | jq -r '[.allowed[].call] | join(",")')" \
    "renew.cancel,lost.suspended,lost.revoked,lost.found" \
    "reported: allowed steps and their methods"
assert_contains "$(ctl case show 1)" "nesctl lost suspended" \
    "reported: a step of lost shown as its command"

# OCSP "good" means nothing while only reported.
ocsp "$cert" good
assert_eq "$(ctl --json case show 1 | jq -r .state)" reported "good ignored"
# Subscribers hear of the change as event.case.changed.
rpc_raw -n 3 --timeout 5 \
    '{"jsonrpc":"2.0","id":1,"method":"hello","params":{"protocol":1}}' \
    '{"jsonrpc":"2.0","id":2,"method":"subscribe","params":{"events":["case."]}}' \
    >"$T/events.out" &
sub=$!
subscribed() {
	grep -q '"id":2' "$T/events.out"
}
wait_for subscribed
ocsp "$cert" on_hold
wait_for case_is 1 .state suspended
wait "$sub" || true
ev=$(grep '"method":"event.case.changed"' "$T/events.out") ||
    fail "no event.case.changed: $(cat "$T/events.out")"
assert_eq "$(jqr "$ev" '.params | "\(.case) \(.event) \(.state) \(.actor)"')" \
    "1 ocsp_hold suspended nesd" "event.case.changed"
j=$(ctl --json case show 1)
assert_eq "$(jqr "$j" '.history[-1].event + " " + .history[-1].actor')" \
    "ocsp_hold nesd" "suspended by OCSP, actor nesd"
assert_contains "$(jqr "$j" .next_step)" "OCSP confirms" "suspended: step"
out=$(flat ctl lost found)
assert_contains "$out" "found, suspension to lift" \
    "found: not yet lifted"
assert_contains "$out" "Askıdan İndirme" "found: lift the suspension"
ocsp "$cert" good
wait_for case_is 1 .state closed
assert_eq "$(ctl --json case show 1 | jq -r .closed)" true "good: closed"

# Second loss: revoked on the holder's word, then OCSP agrees (no move),
# then the personal-payment application to the new card.
out=$(flat ctl lost "$cert")
assert_contains "$out" "Case 2: loss" "second loss"
out=$(flat ctl lost revoked)
assert_contains "$out" "Kişi Ödemeli Başvuru" "revoked: payment application"
ocsp "$cert" revoked
assert_eq "$(ctl --json case show 2 | jq -r '.history | length')" 2 \
    "revoked twice: one step"
out=$(flat ctl renew applied --method islak)
assert_contains "$out" "Personal-payment application recorded" "applied"
assert_contains "$out" "sanalpos.kamusm.gov.tr" "applied: pay next"
# The guide's order: pay right after applying, then the signed form.
run ctl renew posted
assert_rc 1 "posted before paying"
assert_contains "$RUN_ERR" "allowed: renew cancel, lost paid" \
    "posted before paying: pay is what is allowed"
out=$(flat ctl lost paid)
assert_contains "$out" "once the signed form has reached Kamu SM" \
    "paid: the signed form next"
out=$(flat ctl renew posted)
assert_contains "$out" "Production starts as soon as it reaches Kamu SM" \
    "posted after paying"
out=$(flat ctl renew shipped)
assert_contains "$out" "shipped" "shipped"
ctl import "$T/new.pem" >/dev/null
wait_for case_is 2 .state done
j=$(ctl --json case show 2)
assert_eq "$(jqr "$j" '[.history[].state] | join(",")')" \
    "reported,revoked,applied,paid,posted,shipped,done" "loss history"

# Replacement: a reason is required; OCSP revoked moves it.
run ctl replace
assert_rc 2 "replace without a reason"
run ctl replace --reason fire
assert_rc 1 "replace with a bad reason"
assert_contains "$RUN_ERR" "hardware, identity or pin" "bad reason: choices"
mkcert "$T/broken.pem" --not-after "$(not_after_in 500)" \
    --tckn "$(tckn_make 456789123)"
ctl import "$T/broken.pem" >/dev/null
broken=$(cert_json "$(fingerprint "$T/broken.pem")" | jq -r .id)
# OCSP on hold with no case open: the holder is told once.
told() {
	[ "$(grep -c "cert $broken: ocsp $1 with no case open" "$NESD_LOG")" = "$2" ]
}
ocsp "$broken" on_hold
wait_for told on_hold 1
ocsp "$broken" on_hold
ocsp "$broken" good
told on_hold 1 || fail "told twice of the same status"
out=$(flat ctl replace --reason hardware "$broken")
assert_contains "$out" "Case 3: replacement (Donanım Arızası), reported" \
    "replace: header"
ocsp "$broken" revoked
wait_for case_is 3 .state revoked
j=$(ctl --json case show 3)
assert_eq "$(jqr "$j" '.reason + " " + .history[-1].event')" \
    "hardware ocsp_revoked" "replacement revoked by OCSP"
out=$(flat ctl renew cancel)
assert_contains "$out" "cancelled" "replacement cancelled"
nesd_stop
