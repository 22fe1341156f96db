#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# holder-switch.sh - after a renewal: the new certificate starts when the
# old one ends. Once it is seen, the old one's cancelled milestones are
# not shown as next, status says to keep using the old card until that
# day, a week before it nesd warns when no reading of the new card showed
# its PIN set, and on the day it says to switch cards (critical). Through
# the webhook (a real HTTP server), in English and Turkish.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
need_test_hooks
export NESD_TEST_HOOKS=1

DAY=86400
NOW=$(local_epoch "2027-03-01 12:00")
END=$(local_epoch "2027-04-10 23:59")
tckn=$(tckn_make 700100200)
mkcert "$T/old.pem" --cn "AYŞE YILMAZ" --not-after "$(utc_of "$END")" \
    --tckn "$tckn"
mkcert "$T/new.pem" --cn "AYŞE YILMAZ" --not-before "$(utc_of "$END")" \
    --not-after "$(utc_of $((END + 1095 * DAY)))" --tckn "$tckn"

# doc MILESTONE: the webhook's last document of that milestone.
doc() {
	jq -cs --arg m "$1" 'map(select(.status == 200) | (.body | fromjson?) |
	    select(.milestone? == $m)) | last // empty' "$T/hook.log"
}
has_doc() {
	[ -n "$(doc "$1")" ]
}

run_all() {
	rm -rf "$NESD_STATE"
	http_start "$T/hook.log"
	printf '[reminders]\nchannels = webhook\n[webhook]\nurl = http://127.0.0.1:%s/h\n' \
	    "$HTTP_PORT" >"$NESD_CONF"
	LC_ALL=$1 NESD_TEST_NOW=$NOW nesd_start
	ctl import "$T/old.pem" >/dev/null
	ctl renew start >/dev/null
	ctl import "$T/new.pem" >/dev/null
	old=$(cert_json "$(fingerprint "$T/old.pem")" | jq -r .id)
	new=$(cert_json "$(fingerprint "$T/new.pem")" | jq -r .id)
	ST=$(ctl --json status)
	TEXT=$(LC_ALL=$1 ctl status | tr '\n' ' ' | tr -s ' ')
	pin=$(jqr "$ST" ".certificates[] | select(.id == $new) |
	    .next_milestone.at")
	test_clock "$((pin + 5))"
	wait_for has_doc pin
	PIN=$(doc pin)
	test_clock "$((END + 5))"
	wait_for has_doc switch
	SWITCH=$(doc switch)
	nesd_stop
	http_stop
}

run_all C.UTF-8
assert_eq "$(jqr "$ST" ".certificates[] | select(.id == $old) |
    .next_milestone")" null "the old one's cancelled milestones: none next"
assert_eq "$(jqr "$ST" ".certificates[] | select(.id == $new) |
    .next_milestone.name")" pin "the new one's next: the PIN check"
assert_eq "$(jqr "$ST" ".certificates[] | select(.id == $new) |
    .next_milestone.at")" "$(local_epoch "2027-04-03 09:30")" \
    "a week before it starts, at the time of day"
assert_contains "$TEXT" "Today: Keep using the current card until 2027-04-10; from then on sign with the new one (certificate $new)." \
    "status: keep the old card until the day"
assert_eq "$(jqr "$PIN" .subject)" "AYŞE YILMAZ: Set the PIN of your new e-signature card" \
    "the PIN warning"
assert_contains "$(jqr "$PIN" .text)" "until then keep using the old card" \
    "the PIN warning: the old card until then"
assert_eq "$(jqr "$SWITCH" .subject)" "AYŞE YILMAZ: Switch to your new e-signature card today" \
    "the switch-over notice"
assert_eq "$(jqr "$SWITCH" .urgency)" critical "the switch-over is critical"
assert_contains "$(jqr "$SWITCH" .text)" "From today sign with the new card" \
    "switch-over: what to do"

if tr_locale; then
	export NESD_LOCALEDIR=$TR_LOCALEDIR
	rm -f "$T/hook.log"
	run_all tr_TR.UTF-8
	assert_eq "$(jqr "$SWITCH" .subject)" "AYŞE YILMAZ: Bugün yeni e-imza kartınıza geçin" \
	    "Turkish switch-over"
	assert_contains "$(jqr "$PIN" .text)" "10.04.2027" \
	    "Turkish: the date as the portal writes it"
	assert_contains "$TEXT" "Bugün: 10.04.2027 tarihine kadar şimdiki kartı kullanın" \
	    "Turkish status: keep the old card"
fi
