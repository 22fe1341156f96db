#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# ready.sh - nesctl ready before going to the portal: with nothing at hand
# every check fails with its fix and the exit status is 1; with a card
# (a SoftHSM token, read without a PIN) holding a valid NES certificate,
# OCSP good (a real `openssl ocsp` responder), E-Onay given and the form
# filled, every check passes and the exit status is 0; the certificate
# revoked at the CA and a missing mobile number fail again. In English and
# in Turkish.
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/card.sh
. "$TOP_SRCDIR/tests/fixtures/card.sh"
# shellcheck source=tests/fixtures/ocsp-lib.sh
. "$TOP_SRCDIR/tests/fixtures/ocsp-lib.sh"

flat() {
	"$@" | tr '\n' ' ' | tr -s ' '
}
ocsp_setup
softhsm_init nes-card
openssl x509 -in "$PKI/good.crt" -outform DER -out "$T/nes.der"
softhsm_put nes-card "$T/nes.der"
tckn=$(openssl x509 -in "$PKI/good.crt" -noout -subject -nameopt multiline |
    sed -n 's/ *serialNumber *= *//p')

# OCSP says good of the certificate the card holds. (A check of a lone
# certificate whose issuer must be fetched first waits for the next one:
# two are imported.)
printf '[cards]\nenabled = no\n[status]\ntimeout = 5s\nrate = 50\n' >"$NESD_CONF"
nesd_start -v
ctl import "$PKI/good.crt" "$PKI/later.crt" >/dev/null
wait_for rev_is good status good
nesd_stop

# Nothing at hand: no card, and so no NES, PIN or OCSP.
printf '[reminders]\nchannels =\n[cards]\nenabled = no\n' >"$NESD_CONF"
nesd_start
run ctl ready
assert_rc 1 "nothing ready: exit 1"
out=$(tr '\n' ' ' <<<"$RUN_OUT" | tr -s ' ')
assert_contains "$out" "✗ No card in a reader." "no card"
assert_contains "$out" "nesctl readers lists the readers" "no card: fix"
assert_contains "$out" "✗ No NES certificate: no card in a reader." "no NES"
assert_contains "$out" "✗ PIN: no card to ask." "no PIN"
assert_contains "$out" "✗ OCSP: no certificate to ask about." "no OCSP"
assert_contains "$out" "✗ E-Onay: not recorded" "E-Onay unknown"
assert_contains "$out" "✗ No case is open" "form: no case"
assert_contains "$out" "✗ No mobile number for the SMS code." "no SMS"
assert_contains "$out" "Not ready: fix what is marked ✗ first." "verdict"
j=$(ctl --json ready) || true
assert_eq "$(jqr "$j" '[.checks[].check] | join(",")')" \
    "card,nes,pin,ocsp,eonay,form,sms" "the checks, in order"
assert_eq "$(jqr "$j" .ready)" false "json: not ready"
nesd_stop

# The card in: a token with the holder's NES certificate.
card_conf "$SOFTHSM_MODULE"
printf '[reminders]\nchannels =\n[status]\ntimeout = 5s\nrate = 50\n' >>"$NESD_CONF"
nesd_start -v
wait_for ctl_true cards '(.cards | map(select(.present)) | length) == 1'
cert=$(id_of good)
ctl eonay given "$cert" >/dev/null
ctl renew start "$cert" >/dev/null
for kv in "name AYSE" "surname YILMAZ" "email ayse.yilmaz@meb.gov.tr" \ "tckn $tckn" "birth_place Ankara" "birth_date 01.02.1980" \
    "registry_no 4321" "unit Bilgi İşlem" "title Öğretmen" \
    "address Atatürk Bulvarı No: 98" "province Ankara" "district Çankaya" \
    "postal_code 06420" "work_phone 0312 413 15 55" \
    "mobile_phone 0532 123 45 67" "operator Turkcell" "info_channel Her ikisi"; do
	# shellcheck disable=SC2086
	ctl profile set $kv --cert "$cert" >/dev/null
done
run ctl ready
assert_rc 0 "ready: exit 0"
out=$(tr '\n' ' ' <<<"$RUN_OUT" | tr -s ' ')
assert_contains "$out" "✓ Card " "card in"
assert_contains "$out" "✓ NES certificate $cert on the card, valid until" "NES"
assert_contains "$out" "✓ PIN: no wrong tries counted." "PIN"
assert_contains "$out" "✓ OCSP: the certificate is good." "OCSP"
assert_contains "$out" "✓ E-Onay: given" "E-Onay"
assert_contains "$out" "✓ The application form is complete" "form"
assert_contains "$out" "✓ The SMS code goes to 5321234567." "SMS"
assert_contains "$out" "Ready for the portal." "verdict"
assert_not_contains "$out" "✗" "no failure"

# Revoked, and no mobile number: not ready, each said with its fix.
ca_revoke good keyCompromise
responder_restart
timeout 20 "$NESCTL" -s "$NESD_SOCK" check-status "$cert" >/dev/null || true
wait_for rev_is good status revoked
ctl profile set mobile_phone "" --cert "$cert" >/dev/null
run ctl ready
assert_rc 1 "revoked: exit 1"
out=$(tr '\n' ' ' <<<"$RUN_OUT" | tr -s ' ')
assert_contains "$out" "✗ OCSP: the certificate is revoked." "revoked"
assert_contains "$out" "if the card was lost, nesctl lost" "revoked: fix"
assert_contains "$out" "✗ No mobile number for the SMS code." "no mobile"
assert_contains "$out" "nesctl profile set mobile_phone" "no mobile: fix"

if tr_locale; then
	nesd_stop
	export NESD_LOCALEDIR=$TR_LOCALEDIR
	LC_ALL=tr_TR.UTF-8 nesd_start
	wait_for ctl_true cards '(.cards | map(select(.present)) | length) == 1'
	run env LC_ALL=tr_TR.UTF-8 "$NESCTL" -s "$NESD_SOCK" ready
	assert_rc 1 "Turkish: exit 1"
	out=$(tr '\n' ' ' <<<"$RUN_OUT" | tr -s ' ')
	assert_contains "$out" "✗ OCSP: sertifika iptal edilmiş." \
	    "Turkish: revoked"
	assert_contains "$out" "✓ PIN: sayılmış yanlış deneme yok." \
	    "Turkish: PIN"
	assert_contains "$out" "✗ SMS kodu için cep telefonu numarası yok." \
	    "Turkish: no mobile"
	assert_contains "$out" "Hazır değil: önce ✗ ile işaretlileri düzeltin." \
	    "Turkish: verdict"
fi
nesd_stop
