#!/bin/bash
# SPDX-License-Identifier: ISC
#
# card-softhsm.sh - SoftHSM2 as a PKCS#11 module beside (or without) a
# smart card service: its tokens are read without a PIN, also with no pcscd
# running; the uninitialised slot SoftHSM always lists is skipped; an
# object that is no certificate (garbage DER) is logged and skipped while
# the others on the token are kept; tokens with 0 and with 50 certificates
# are read; SIGHUP reads a token that changed. Without pkcs11_module every module registered with p11-kit is
# used, but not the p11-kit trust module, whose CA certificates are not a
# card. A reload brings the new [cards] into force; with enabled = no
# nothing is watched and every card is shown not present.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/card.sh
. "$TOP_SRCDIR/tests/fixtures/card.sh"

softhsm_init nes-test
softhsm_init big
softhsm_init empty
mkcert "$T/nes.der" --format der --cn "ALİ CELİK" --days-left 200
fp_nes=$(der_fingerprint "$T/nes.der")
head -c 700 /dev/urandom >"$T/garbage.der"
printf '\x30\x82\x01\x00not a certificate' >"$T/truncated.der"
softhsm_put nes-test "$T/garbage.der" "$T/nes.der" "$T/truncated.der"
mkcert "$T/many/" --format der --count 50 --days-left 500
softhsm_put big "$T"/many/*.der

# No pcscd at all: tokens that need none are read anyway.
card_conf "$SOFTHSM_MODULE"
nesd_start -v
wait_for ctl_true cards '(.cards | length) == 3'
cards=$(ctl --json cards)
assert_eq "$(jqr "$cards" '.service')" down "no pcscd: service down"
assert_eq "$(jqr "$cards" '[.cards[] | "\(.label)=\(.certificates | length)"] |
    sort | join(" ")')" "big=50 empty=0 nes-test=1" \
    "tokens and their certificates; the uninitialised slot skipped"
assert_eq "$(jqr "$cards" '[.cards[] | .present, .manufacturer, .reader] |
    unique | map(tostring) | join("|")')" "null|true|SoftHSM project" \
    "tokens present, in no reader"
serial=$(jqr "$cards" '.cards[] | select(.label == "nes-test") | .serial')
wait_for cert_at "$fp_nes" "$serial"
assert_eq "$(status_json | jq .summary.total)" 51 "51 certificates tracked"
assert_match "$(cat "$NESD_LOG")" \
    "token: $SOFTHSM_MODULE: slot [0-9]+: token not initialised, skipped" \
    "the uninitialised slot is logged as skipped"
assert_eq "$(grep -c "card $serial: certificate object [0-9] of 3: .*; skipped" \
    "$NESD_LOG")" 2 "both objects that are no certificate logged"
run ctl cards
assert_rc 0 "nesctl cards"
assert_match "$RUN_OUT" "^[0-9a-f]{16} +big +SoftHSM slot ID 0x[0-9a-f]+ +50 +ok " \
    "cards: the token of 50, in its slot"
run ctl status
assert_contains "$RUN_OUT" "The smart card service (pcscd) is unavailable" \
    "status says the smart card service is unavailable"
assert_contains "$RUN_OUT" "card nes-test" "status: where the certificate is"

# A token changed while nesd runs is read again on SIGHUP.
mkcert "$T/later.der" --format der --cn "SONRA GELEN" --days-left 300
softhsm_put nes-test "$T/later.der"
kill -HUP "$NESD_PID"
wait_for cert_at "$(der_fingerprint "$T/later.der")" "$serial"
assert_eq "$(card_json "$serial" | jq '.certificates | length')" 2 \
    "the token read again has two certificates"
nesd_stop

# Every module p11-kit knows but its trust module (HOME is the test's,
# so p11-kit reads the system's registry only), from a reload (SIGHUP).
nesd_start -v
wait_for card_is "$serial" .present true
: >"$NESD_CONF"
kill -HUP "$NESD_PID"
wait_for grep -q "cards: configuration changed" "$NESD_LOG"
wait_for ctl_true status '.cards.modules | any(. == "softhsm2")'
modules=$(ctl --json status | jq -c .cards.modules)
assert_contains "$modules" '"softhsm2"' "SoftHSM2 is a registered module"
assert_not_contains "$modules" "trust" "the trust module is not loaded"
assert_match "$(cat "$NESD_LOG")" "trust policy module, skipped" \
    "the trust module is logged as skipped"
wait_for card_is "$serial" .present true
cards=$(ctl --json cards)
assert_eq "$(jqr "$cards" '[.cards[] | select(.present)] | length')" 3 \
    "the same three tokens, no CA store among them"
assert_eq "$(jqr "$cards" '[.cards[].manufacturer] | unique | join(",")')" \
    "SoftHSM project" "only SoftHSM tokens"
assert_eq "$(status_json | jq .summary.total)" 52 "no CA certificates"

# Cards not watched: nothing runs, nothing is present, all is remembered.
printf '[cards]\nenabled = no\n' >"$NESD_CONF"
kill -HUP "$NESD_PID"
wait_for service_is disabled
wait_for card_is "$serial" .present false
assert_eq "$(status_json | jq -r '[.cards.modules, .summary.total] |
    map(tostring) | join(" ")')" "[] 52" "disabled: no modules, all kept"
run ctl cards
assert_contains "$RUN_OUT" "Smart cards are not watched" "cards: disabled"
nesd_stop
