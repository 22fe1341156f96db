#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# holder-days.sh - one count of days, in calendar days in the local time
# zone, in every output: show's "Days left", status's LEFT, the JSON and
# the notices agree (an expiry 10.5 days ago is 11 days ago everywhere; a
# notAfter at 00:30 on the 25th day is "25 days" in the 25-day notice,
# not 24); the revocation summary counts as "not checkable" what the rows
# call so, not as failed. English and Turkish.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
need_test_hooks
export NESD_TEST_HOOKS=1

NOW=$(local_epoch "2027-03-01 09:30")
mkcert "$T/x.pem" --cn "ESKİ KART" --tckn "$(tckn_make 800100200)" \
    --not-after "$(utc_of "$(local_epoch "2027-02-18 21:30")")"
mkcert "$T/y.pem" --cn "AYŞE YILMAZ" --tckn "$(tckn_make 800100300)" \
    --not-after "$(utc_of "$(local_epoch "2027-05-20 23:30")")"
mkcert "$T/z.pem" --cn "MEHMET ÖZ" --tckn "$(tckn_make 800100400)" \
    --not-after "$(utc_of "$(local_epoch "2027-03-26 00:30")")"

# hook CN: the webhook's reminder about CN.
hook() {
	jq -cs --arg n "$1" 'map(select(.status == 200) | (.body | fromjson?) |
	    select(.certificate.holder_name? == $n)) | last // empty' \
	    "$T/hook.log"
}
has_hook() {
	[ -n "$(hook "$1")" ]
}
flat() {
	"$@" | tr '\n' ' ' | tr -s ' '
}

http_start "$T/hook.log"
printf '[reminders]\nchannels = webhook\n[webhook]\nurl = http://127.0.0.1:%s/h\n' \
    "$HTTP_PORT" >"$NESD_CONF"
NESD_TEST_NOW=$NOW nesd_start
ctl import "$T/x.pem" "$T/y.pem" "$T/z.pem" >/dev/null
x=$(cert_json "$(fingerprint "$T/x.pem")" | jq -r .id)
wait_for cert_is "$(fingerprint "$T/y.pem")" .revocation.status error
wait_for has_hook "AYŞE YILMAZ"
wait_for has_hook "MEHMET ÖZ"

st=$(ctl --json status)
assert_eq "$(jqr "$st" '[.certificates[] | .holder_name + "=" +
    (.days_left | tostring)] | join(" ")')" \
    "ESKİ KART=-11 MEHMET ÖZ=25 AYŞE YILMAZ=80" "days_left: calendar days"
out=$(ctl status)
assert_match "$out" "ESKİ KART .* expired 11 days ago" "status: 11 days ago"
assert_match "$out" "MEHMET ÖZ .* in 25 days" "status: in 25 days"
assert_match "$out" "AYŞE YILMAZ .* in 80 days" "status: in 80 days"
assert_match "$(ctl show "$x")" "Days left: +-11" "show: the same -11"
y=$(hook "AYŞE YILMAZ")
z=$(hook "MEHMET ÖZ")
assert_eq "$(jqr "$y" '.milestone + " " + (.certificate.days_left | tostring)')" \
    "3m 80" "the 3-month notice: 80, as status says"
assert_contains "$(jqr "$y" .subject)" "expires in 80 days" "3m subject: 80"
assert_eq "$(jqr "$z" '.milestone + " " + (.certificate.days_left | tostring)')" \
    "25d 25" "the 25-day notice: 25, not 24"
assert_contains "$(jqr "$z" .subject)" "expires in 25 days" "25d subject: 25"
assert_contains "$(jqr "$z" .text)" "25 days left" "25d text: 25"

# The summary counts what the rows say.
rev=$(jqr "$st" .daemon.revocation)
assert_eq "$(jqr "$rev" '"\(.error) \(.not_checkable)"')" "0 2" \
    "no OCSP or CRL address: not checkable, not failed"
assert_contains "$out" "0 failed, 1 not checked yet, 2 not checkable" \
    "summary line: not checkable"
assert_eq "$(grep -c "not checkable: no OCSP or CRL address" <<<"$out")" 2 \
    "rows: not checkable"
if tr_locale; then
	tr_out=$(LC_ALL=tr_TR.UTF-8 NESD_LOCALEDIR=$TR_LOCALEDIR ctl status)
	assert_match "$tr_out" "ESKİ KART .* 11 gün önce doldu" "Turkish: 11 days ago"
	assert_contains "$tr_out" "0 denetlenemedi, 1 henüz denetlenmedi, 2 denetlenemez" \
	    "Turkish summary: not checkable apart from failed"
	assert_match "$(LC_ALL=tr_TR.UTF-8 NESD_LOCALEDIR=$TR_LOCALEDIR ctl show "$x")" \
	    "Kalan gün: +-11" "Turkish show: -11"
fi
nesd_stop
