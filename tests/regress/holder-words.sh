#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# holder-words.sh - every milestone's message is chosen by the milestone
# and where the holder's case stands: at the last call an approved
# renewal is told there is nothing to do and not to apply again (never
# "apply today"), a hand-signed form not posted yet is asked for; at the
# expiry an approved renewal is not invited to a new application. Seen
# through the webhook (a real HTTP server), in English and Turkish.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
need_test_hooks
export NESD_TEST_HOOKS=1

DAY=86400
NOW=$(local_epoch "2027-03-01 12:00")
NA=$((NOW + 80 * DAY))
mkcert "$T/a.pem" --cn "AYŞE YILMAZ" --not-after "$(utc_of "$NA")" \
    --tckn "$(tckn_make 500100200)"
mkcert "$T/b.pem" --cn "MEHMET ÖZ" --not-after "$(utc_of "$NA")" \
    --tckn "$(tckn_make 500100300)"

# text CN MILESTONE: the webhook's text of that holder's milestone.
text() {
	jq -rs --arg n "$1" --arg m "$2" 'map(select(.status == 200) |
	    (.body | fromjson?) | select(.certificate.holder_name? == $n and
	    .milestone == $m)) | last | .text // empty' "$T/hook.log"
}
has_text() {
	[ -n "$(text "$1" "$2")" ]
}

# run_all LOCALE: the scenario, with nesd in LOCALE.
run_all() {
	rm -rf "$NESD_STATE" "$T/hook.log"
	http_start "$T/hook.log"
	printf '[reminders]\nchannels = webhook\n[webhook]\nurl = http://127.0.0.1:%s/h\n' \
	    "$HTTP_PORT" >"$NESD_CONF"
	LC_ALL=$1 NESD_TEST_NOW=$NOW nesd_start
	ctl import "$T/a.pem" "$T/b.pem" >/dev/null
	a=$(cert_json "$(fingerprint "$T/a.pem")" | jq -r .id)
	b=$(cert_json "$(fingerprint "$T/b.pem")" | jq -r .id)
	ctl eonay given --cert "$a" >/dev/null
	ctl renew start "$a" >/dev/null
	ctl renew applied --case 1 --method e-onay >/dev/null
	ctl renew approved --case 1 >/dev/null
	ctl renew start "$b" >/dev/null
	ctl renew applied --case 2 --method islak >/dev/null
	d25=$(reminders_json | jq -r '.upcoming[] | select(.milestone == "25d") |
	    .due_at' | head -n 1)
	test_clock "$((d25 + 5))"
	wait_for has_text "AYŞE YILMAZ" 25d
	wait_for has_text "MEHMET ÖZ" 25d
	A25=$(text "AYŞE YILMAZ" 25d)
	B25=$(text "MEHMET ÖZ" 25d)
	test_clock "$((NA + 5))"
	wait_for has_text "AYŞE YILMAZ" expiry
	AEXP=$(text "AYŞE YILMAZ" expiry)
	nesd_stop
	http_stop
}

run_all C.UTF-8
assert_contains "$A25" "Renewal approved: the card is being made. Nothing to do now; do not apply again." \
    "last call, approved: nothing to do"
assert_not_contains "$A25" "apply for the renewal today" \
    "last call, approved: never apply today"
assert_contains "$B25" "The signed form is not recorded as posted: hand it to your e-signature officer today." \
    "last call, form not posted: post it"
assert_contains "$AEXP" "Your renewal is approved: the new card is being made. Do not apply again." \
    "expiry, approved: no new application"
assert_not_contains "$AEXP" "Apply anew" "expiry, approved: not invited to apply"
assert_not_contains "$A25$B25$AEXP" "SHA-256" "no fingerprint in the words"

if tr_locale; then
	export NESD_LOCALEDIR=$TR_LOCALEDIR
	run_all tr_TR.UTF-8
	assert_contains "$A25" "Yenileme onaylandı: kart hazırlanıyor." \
	    "Turkish last call, approved"
	assert_contains "$A25" "yeniden başvurmayın" \
	    "Turkish last call, approved: do not apply again"
	assert_not_contains "$A25" "bugün yapın" "Turkish: never apply today"
	assert_contains "$B25" "İmzalı formun gönderildiği kayıtlı değil" \
	    "Turkish last call, form not posted"
	assert_contains "$AEXP" "Yenilemeniz onaylandı: yeni kart hazırlanıyor." \
	    "Turkish expiry, approved"
	assert_contains "$A25" "Bugün yapılacak:" "Turkish mail body"
fi
