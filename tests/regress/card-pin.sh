#!/bin/bash
# SPDX-License-Identifier: ISC
#
# card-pin.sh - the PIN state a card reports (VERIFY without data: 63C1 one
# try left, 6983 blocked), which OpenSC turns into CKF_USER_PIN_FINAL_TRY
# and CKF_USER_PIN_LOCKED, is stored and shown by nesctl cards, sent to
# subscribers as card.pin, and logged. nesd never sends a PIN.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/card.sh
. "$TOP_SRCDIR/tests/fixtures/card.sh"

mkcert "$T/a.pem" --cn "ELİF DEMİR" --days-left 100
mkcert "$T/b.pem" --cn "BURAK ÇELİK" --days-left 100
mkcert "$T/c.pem" --cn "SELİN AK" --days-left 100
final=$(card_serial final)
locked=$(card_serial locked)
fine=$(card_serial fine)

pcscd_start
card_conf
nesd_start
"$NESCTL" -s "$NESD_SOCK" --json watch card.pin >"$T/pin-json.log" 2>&1 &
track_pid $!
wait_for ctl_true status '.daemon.clients >= 2'

card_insert final --cert 9a:"$T/a.pem" --pin-tries 1
card_insert locked 1 --cert 9a:"$T/b.pem" --pin-tries 0
wait_for card_is "$final" .pin_state final_try
wait_for card_is "$locked" .pin_state locked
run ctl cards
assert_match "$RUN_OUT" "^$final +ELİF DEMİR +$READER0 +1 +final try " \
    "cards: final try"
assert_match "$RUN_OUT" "^$locked +BURAK ÇELİK +$READER1 +1 +locked " \
    "cards: locked"
flags=$(card_json "$locked" | jq .flags)
[ $((flags & 0x40000)) -ne 0 ] || fail "CKF_USER_PIN_LOCKED not in flags $flags"

wait_for lines_ge "$T/pin-json.log" 2
pins=$(jq -sc 'map("\(.serial)=\(.pin_state)/\(.previous)") | sort' \
    "$T/pin-json.log")
assert_eq "$pins" "[\"$final=final_try/null\",\"$locked=locked/null\"]" \
    "card.pin events, one for each card"
assert_match "$(cat "$NESD_LOG")" "card $locked \\(BURAK ÇELİK\\): pin state locked" \
    "the locked PIN is logged"

# In Turkish, when the locale and the translation are there.
if tr_locale; then
	note "nesctl cards in Turkish"
	tr_out=$(LC_ALL=tr_TR.UTF-8 NESD_LOCALEDIR=$TR_LOCALEDIR ctl cards)
	assert_match "$tr_out" '^SERİ NO +ETİKET +OKUYUCU +SERTİFİKA +PIN +SON GÖRÜLME$' \
	    "Turkish column names"
	assert_match "$tr_out" "^$final +ELİF DEMİR +$READER0 +1 +son deneme hakkı " \
	    "Turkish: final try"
	assert_match "$tr_out" "^$locked .* +kilitli " "Turkish: locked"
fi

# Unlocked elsewhere (Kilit Çözme), the same card comes back fine.
card_remove locked
wait_for reader_empty "$READER1"
card_insert locked 1 --cert 9a:"$T/b.pem" --pin-tries 3
wait_for card_is "$locked" .pin_state ok
wait_for grep -q '"previous":"locked"' "$T/pin-json.log"

# A card with all its tries left is ok, and makes no event.
card_remove final
wait_for reader_empty "$READER0"
card_insert fine --cert 9a:"$T/c.pem"
wait_for card_is "$fine" .present true
assert_eq "$(card_json "$fine" | jq -r .pin_state)" ok "a fine PIN"
assert_eq "$(wc -l <"$T/pin-json.log")" 3 "no event for a fine card"
nesd_stop
