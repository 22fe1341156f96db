#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# remind-time.sh - when milestones fire, seen through the webhook (a real
# HTTP server, tests/fixtures/http-sink.py) and driven by nesd's test
# clock (NESD_TEST_NOW, test.clock): 3 months before 31 May is 28 February
# at 09:30 (29 in a leap year) and fires on the second; a certificate found
# with 10 days left gets the 25-day message worded "10 days", never a
# 3-month one; a milestone passed while nesd was off fires once at the
# next start; a clock jumped over the expiry sends only the expiry message;
# a clock jumped over both milestones fires each once, 3m
# first; kill -9 while a message is in flight loses nothing and sends it
# at most once more.
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
need_test_hooks

export NESD_TEST_HOOKS=1
DAY=86400
T0=$(local_epoch "2027-03-01 12:00")

http_start "$T/hook.log"
printf '[reminders]\nchannels = webhook\n[webhook]\nurl = http://127.0.0.1:%s/h\n' \
    "$HTTP_PORT" >"$NESD_CONF"

# cert FILE CN NOT_AFTER_EPOCH
cert() {
	mkcert "$1" --cn "$2" --not-after "$(utc_of "$3")" \
	    --tckn "$(tckn_make "$4")"
}

# hooks CN: the documents the sink received about CN, one JSON a line,
# in the order nesd queued them (Idempotency-Key nesd-DBID-N).
hooks() {
	jq -c --arg n "$1" 'select(.status == 200) |
	    {k: (.headers["idempotency-key"] | split("-") | last | tonumber),
	    d: (.body | fromjson)} |
	    select(.d.certificate.holder_name == $n)' "$T/hook.log" |
	    jq -sc 'sort_by(.k)[] | .d'
}

# milestones CN: the milestones delivered about CN, space separated.
milestones() {
	hooks "$1" | jq -r .milestone | paste -sd ' '
}

milestones_are() {
	[ "$(milestones "$1")" = "$2" ]
}

# lines_are FILE N: FILE has N lines (for wait_for).
lines_are() {
	[ "$(line_count "$1")" -eq "$2" ]
}

# due CN MILESTONE: when nesd plans that reminder.
due() {
	reminders_json | jq -r --arg n "$1" --arg m "$2" \
	    '.upcoming[] | select(.holder_name == $n and .milestone == $m) |
	    .due_at'
}

# ---- month-end clamping ------------------------------------------------------------
NESD_STATE=$T/s1
cert "$T/may.pem" "MAYIS SONU" "$(local_epoch "2027-05-31 12:00")" 100000001
cert "$T/leap.pem" "ARTIK YIL" "$(local_epoch "2028-05-31 12:00")" 100000002
NESD_TEST_NOW=$(local_epoch "2027-01-15 12:00") nesd_start
ctl import "$T/may.pem" "$T/leap.pem" >/dev/null
DUE=$(local_epoch "2027-02-28 09:30")
assert_eq "$(due "MAYIS SONU" 3m)" "$DUE" "3m before 31 May 2027: 28 Feb 09:30"
assert_eq "$(due "MAYIS SONU" 25d)" "$(local_epoch "2027-05-06 09:30")" \
    "25d before 31 May: 6 May 09:30"
assert_eq "$(due "ARTIK YIL" 3m)" "$(local_epoch "2028-02-29 09:30")" \
    "3m before 31 May 2028: 29 Feb 09:30"
nesd_stop
assert_eq "$(milestones "MAYIS SONU")" "" "nothing before the moment"
NESD_TEST_NOW=$((DUE - 2)) nesd_start
assert_eq "$(milestones "MAYIS SONU")" "" "not yet at 09:29:58"
wait_for milestones_are "MAYIS SONU" 3m
d=$(hooks "MAYIS SONU")
assert_eq "$(jqr "$d" .certificate.days_left)" 92 "92 days from 28 Feb 09:30"
assert_contains "$(jqr "$d" .subject)" "expires in 92 days" "3m subject"
# The leap-year one fires at its own moment, not now.
assert_eq "$(milestones "ARTIK YIL")" "" "the 2028 certificate stays quiet"
test_clock $(($(local_epoch "2028-02-29 09:30") - 1))
assert_eq "$(milestones "ARTIK YIL")" "" "not at 09:29:59 on 29 Feb 2028"
test_clock "$(local_epoch "2028-02-29 09:30")"
wait_for milestones_are "ARTIK YIL" 3m
nesd_stop

# ---- found with 10 days left: 25d worded "10 days", never 3m --------------------------
NESD_STATE=$T/s2
NA=$((T0 + 10 * DAY + 3600))
cert "$T/ten.pem" "ON GÜN" "$NA" 100000003
NESD_TEST_NOW=$T0 nesd_start
ctl import "$T/ten.pem" >/dev/null
wait_for milestones_are "ON GÜN" 25d
d=$(hooks "ON GÜN")
assert_contains "$(jqr "$d" .subject)" "expires in 10 days" "worded for 10 days"
assert_eq "$(jqr "$d" .certificate.days_left)" 10 "days_left 10"
assert_contains "$(jqr "$d" .text)" "Last call" "the last-call step"
r=$(reminders_json)
assert_eq "$(jqr "$r" '[.sent[], .upcoming[] | select(.holder_name == "ON GÜN") | .milestone] | sort | join(" ")')" \
    "25d expiry" "3m is never sent nor due"
# At notAfter the expiry notice, and still no 3-month message.
test_clock $((NA + 60))
wait_for milestones_are "ON GÜN" "25d expiry"
assert_contains "$(hooks "ON GÜN" | sed -n 2p | jq -r .subject)" "has expired" \
    "expiry notice"
nesd_stop

# ---- nesd off across a milestone: fires once at the next start --------------------------
NESD_STATE=$T/s3
NA=$((T0 + 100 * DAY + 3600))	# 2027-06-09 13:00: 3m is 9 March 09:30
cert "$T/off.pem" "KAPALI İKEN" "$NA" 100000004
NESD_TEST_NOW=$T0 nesd_start
ctl import "$T/off.pem" >/dev/null
assert_eq "$(due "KAPALI İKEN" 3m)" "$(local_epoch "2027-03-09 09:30")" "3m planned"
nesd_stop
NESD_TEST_NOW=$(local_epoch "2027-03-20 12:00") nesd_start
wait_for milestones_are "KAPALI İKEN" 3m
assert_contains "$(hooks "KAPALI İKEN" | jq -r .subject)" "expires in 81 days" \
    "worded for the days left at delivery"
nesd_stop
NESD_TEST_NOW=$(local_epoch "2027-03-21 12:00") nesd_start
assert_eq "$(outbox_states webhook | wc -l)" 1 "not queued again after a restart"
nesd_stop
assert_eq "$(milestones "KAPALI İKEN")" 3m "delivered once"

# ---- the clock jumps over both milestones: each once, 3m first ----------------------------
NESD_STATE=$T/s4
cert "$T/jump.pem" "SAAT ATLADI" "$NA" 100000005
NESD_TEST_NOW=$T0 nesd_start
ctl import "$T/jump.pem" >/dev/null
test_clock "$(local_epoch "2027-06-01 12:00")"
wait_for milestones_are "SAAT ATLADI" "3m 25d"
r=$(reminders_json)
assert_eq "$(jqr "$r" '[.sent[] | .milestone] | sort | join(" ")')" "25d 3m" \
    "both reminders sent"
assert_eq "$(jqr "$r" '[.sent[] | .messages[0].id] | unique | length')" 2 \
    "one message each"
test_clock "$(local_epoch "2027-06-02 12:00")"
test_clock $((NA + 60))
wait_for milestones_are "SAAT ATLADI" "3m 25d expiry"
nesd_stop

# ---- the clock jumps over the expiry: only the expiry message (D10) -----------------------
# "expires in 25 days" would be false by then: 3m and 25d are skipped, and
# the holder hears the expiry message, which says it has expired.
NESD_STATE=$T/s4b
cert "$T/over.pem" "SÜRE GEÇTİ" "$NA" 100000013
NESD_TEST_NOW=$T0 nesd_start
ctl import "$T/over.pem" >/dev/null
test_clock $((NA + 2 * DAY + 60))
wait_for milestones_are "SÜRE GEÇTİ" expiry
r=$(reminders_json)
assert_eq "$(jqr "$r" '[.sent[] | select(.milestone != "expiry") |
    .state] | sort | join(" ")')" "" "3m and 25d are not listed as sent"
h=$(hooks "SÜRE GEÇTİ")
assert_match "$(jqr "$h" .text)" "expired" "the expiry message says it expired"
note "expiry message: $(jqr "$h" .subject)"
test_clock $((NA + 3 * DAY))
assert_eq "$(milestones "SÜRE GEÇTİ")" expiry "nothing else afterwards"
nesd_stop

# ---- kill -9 while a message is in flight ------------------------------------------------
http_stop
http_start "$T/hook5.log" --hang-first 1
printf '[reminders]\nchannels = webhook\n[webhook]\nurl = http://127.0.0.1:%s/h\n' \
    "$HTTP_PORT" >"$NESD_CONF"
NESD_STATE=$T/s5
cert "$T/kill.pem" "KILL DOKUZ" $((T0 + 80 * DAY + 3600)) 100000006
NESD_TEST_NOW=$T0 nesd_start
ctl import "$T/kill.pem" >/dev/null
wait_for lines_are "$T/hook5.log" 1
assert_eq "$(outbox_states webhook)" pending "in flight: not yet delivered"
kill -KILL "$NESD_PID"
wait "$NESD_PID" 2>/dev/null || true
untrack_pid "$NESD_PID"
NESD_TEST_NOW=$((T0 + 60)) nesd_start
wait_for outbox_is webhook delivered
assert_eq "$(line_count "$T/hook5.log")" 2 "sent again once after kill -9"
k1=$(sed -n 1p "$T/hook5.log" | jq -r '.headers["idempotency-key"]')
k2=$(sed -n 2p "$T/hook5.log" | jq -r '.headers["idempotency-key"]')
assert_eq "$k2" "$k1" "the duplicate carries the same Idempotency-Key"
assert_eq "$(sed -n 1p "$T/hook5.log" | jq -r .body)" \
    "$(sed -n 2p "$T/hook5.log" | jq -r .body)" "the same document"
assert_eq "$(reminders_json | jq -r '[.sent[] | .milestone] | join(" ")')" 3m \
    "the reminder itself fired once"
nesd_stop
NESD_TEST_NOW=$((T0 + 120)) nesd_start
nesd_stop
assert_eq "$(line_count "$T/hook5.log")" 2 "nothing more after another restart"
