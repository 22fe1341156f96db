#!/bin/bash
# SPDX-License-Identifier: ISC
#
# holder-pin.sh - a locked PIN is not silent: nesctl status shows the card
# with what to do (Kilit Çözme with the PUK, the call centre), in text and
# JSON; a desktop notice says so once, and not again when the same card
# comes back still locked; a card on its final try gets its own words. A
# replacement for a lost PIN/PUK does not send the holder to revoke the
# certificate: the guides say Kamu SM does that when it makes the new one.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/card.sh
. "$TOP_SRCDIR/tests/fixtures/card.sh"

command -v dbus-daemon >/dev/null || skip "no dbus-daemon"
"$PYTHON" -c 'import dbusmock' 2>/dev/null || skip "no python3-dbusmock"
flat() {
	"$@" | tr '\n' ' ' | tr -s ' '
}

mkcert "$T/a.pem" --cn "ELİF DEMİR" --days-left 200 --tckn "$(tckn_make 300100200)"
mkcert "$T/b.pem" --cn "BURAK ÇELİK" --days-left 200 --tckn "$(tckn_make 300100300)"
locked=$(card_serial locked)
final=$(card_serial final)

pcscd_start
card_conf
printf '[reminders]\nchannels = desktop\n' >>"$NESD_CONF"
bus_start
notifyd_start "body"
nesd_start
card_insert locked --cert 9a:"$T/a.pem" --pin-tries 0
wait_for card_is "$locked" .pin_state locked
wait_for test "$(notify_count)" -ge 1
c=$(notify_calls | head -n 1)
assert_eq "$(jqr "$c" .summary)" "Unlock your e-signature card's PIN" \
    "notice: short, verb first"
assert_contains "$(jqr "$c" .body)" "Kilit Çözme" "notice: the unlocking steps"
assert_contains "$(jqr "$c" .body)" "PUK" "notice: with the PUK"
assert_contains "$(jqr "$c" .body)" "444 5 576" "notice: the call centre"
assert_eq "$(jqr "$c" .hints.urgency)" 2 "notice: critical"
assert_eq "$(jqr "$c" .timeout)" 0 "notice: stays until closed"

st=$(ctl --json status)
assert_eq "$(jqr "$st" '.pins | map(.serial + "=" + .pin_state) | join(" ")')" \
    "$locked=locked" "status JSON: the locked card"
assert_contains "$(jqr "$st" '.pins[0].steps')" "Kilit Çözme" \
    "status JSON: what to do"
out=$(flat ctl status)
assert_contains "$out" "PIN locked on card ELİF DEMİR:" "status text: the card"
assert_contains "$out" "Unlock it with Kilit Çözme" "status text: the steps"

# The same card again, still locked: no second notice.
card_remove locked
wait_for reader_empty "$READER0"
card_insert locked --cert 9a:"$T/a.pem" --pin-tries 0
wait_for card_is "$locked" .present true
card_insert final 1 --cert 9a:"$T/b.pem" --pin-tries 1
wait_for card_is "$final" .pin_state final_try
wait_for test "$(notify_count)" -ge 2
sleep 1
assert_eq "$(notify_count)" 2 "one notice for each change, none again"
c=$(notify_calls | sed -n 2p)
assert_eq "$(jqr "$c" .summary)" "One PIN try left on your e-signature card" \
    "final try: its own words"
assert_contains "$(jqr "$c" .body)" "Do not try" "final try: do not guess"
assert_contains "$(flat ctl status)" "PIN final try on card BURAK ÇELİK:" \
    "status text: final try"

# A lost PIN/PUK: a replacement, and no revoking.
a=$(cert_json "$(fingerprint "$T/a.pem")" | jq -r .id)
out=$(flat ctl replace --reason pin "$a")
assert_contains "$out" "replacement (PIN/PUK Kayıp/Çalıntı), reported" \
    "replace --reason pin: the case"
assert_contains "$out" "Do not revoke the old certificate yourself" \
    "replace --reason pin: no revoking"
assert_contains "$out" "Kamu SM revokes your certificates from the same institution" \
    "replace --reason pin: what the guides say"
assert_contains "$out" "Kilit Çözme" "replace --reason pin: unlocking first"
assert_not_contains "$out" "Sertifikamı İptal Et" "not sent to the revoke page"
j=$(ctl --json case show 1)
assert_contains "$(jqr "$j" '[.allowed[].event] | join(" ")')" "apply" \
    "may apply at once"
out=$(flat ctl renew applied --method islak)
assert_contains "$out" "applied" "applied without a revocation"

if tr_locale; then
	tr_out=$(LC_ALL=tr_TR.UTF-8 NESD_LOCALEDIR=$TR_LOCALEDIR ctl status)
	assert_contains "$tr_out" "kartında PIN: kilitli" "Turkish: locked"
fi
nesd_stop
