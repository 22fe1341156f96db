#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# holder-today.sh - nesctl status says what to do today, per holder: 19
# days left and past the apply-by day with no case open, it is "apply
# today" (not only the E-Onay hint); with a case open, the case's step;
# far from the end, nothing urgent. A renewal opened after its apply-by
# day never names a day in the past as when nesd speaks next. Text and
# JSON, English and Turkish.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
need_test_hooks
export NESD_TEST_HOOKS=1

DAY=86400
NOW=$(local_epoch "2026-12-03 12:00")
mkcert "$T/a.pem" --cn "AYŞE YILMAZ" --tckn "$(tckn_make 900100200)" \
    --not-after "$(utc_of $((NOW + 19 * DAY)))"
mkcert "$T/b.pem" --cn "MEHMET ÖZ" --tckn "$(tckn_make 900100300)" \
    --not-after "$(utc_of $((NOW + 400 * DAY)))"
flat() {
	"$@" | tr '\n' ' ' | tr -s ' '
}
printf '[reminders]\nchannels =\n' >"$NESD_CONF"

# today CN: that holder's step in status's JSON.
today() {
	ctl --json status | jq -r --arg n "$1" \
	    '.today[] | select(.holder_name == $n) | .step'
}

NESD_TEST_NOW=$NOW nesd_start
ctl import "$T/a.pem" "$T/b.pem" >/dev/null
a=$(cert_json "$(fingerprint "$T/a.pem")" | jq -r .id)
assert_eq "$(today "AYŞE YILMAZ")" \
    "Apply for the renewal today: 19 days left (until 2026-12-22). Run nesctl renew start." \
    "past the apply-by day: apply today"
assert_eq "$(ctl --json status | jq -r '.today[] |
    select(.holder_name == "AYŞE YILMAZ") | .urgent')" true "urgent"
assert_contains "$(today "MEHMET ÖZ")" "Nothing urgent. Give E-Onay" \
    "far from the end: nothing urgent"
out=$(flat ctl status)
assert_contains "$out" "Today, AYŞE YILMAZ: Apply for the renewal today: 19 days left" \
    "status text: the holder named, the step"
assert_match "$out" "^nesd [^ ]+, 2 certificates: .* Today, AYŞE YILMAZ: .* Today, MEHMET ÖZ:" \
    "the urgent one first, before the table"

# Opened after the apply-by day: the last call is due now, not in the past.
out=$(flat ctl renew start "$a")
assert_contains "$out" "nesd speaks up next: last call, on 2026-12-03" \
    "the next moment is today"
assert_not_contains "$out" "next: last call, on 2026-11" "no day in the past as next"
due=$(ctl --json case show 1 | jq -r .due_at)
assert_eq "$((due >= NOW))" 1 "due_at not in the past"
assert_contains "$(today "AYŞE YILMAZ")" "Case 1 (nesctl case show 1):" \
    "with a case open: the case's step"
nesd_stop

if tr_locale; then
	rm -rf "$NESD_STATE"
	LC_ALL=tr_TR.UTF-8 NESD_LOCALEDIR=$TR_LOCALEDIR NESD_TEST_NOW=$NOW \
	    nesd_start
	ctl import "$T/a.pem" "$T/b.pem" >/dev/null
	tr_out=$(LC_ALL=tr_TR.UTF-8 NESD_LOCALEDIR=$TR_LOCALEDIR ctl status |
	    tr '\n' ' ' | tr -s ' ')
	assert_contains "$tr_out" "Bugün, AYŞE YILMAZ: Yenileme başvurusunu bugün yapın: 19 gün kaldı (22.12.2026 tarihine kadar)." \
	    "Turkish today line, the date as the portal writes it"
	nesd_stop
fi
