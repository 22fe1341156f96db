#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# remind-desktop.sh - desktop reminders through a real notification server
# (python3-dbusmock's notification daemon on a private session bus): the
# 3-month and 25-day notices name the holder and the days left, say the
# next step, rise in urgency and carry the two buttons; an expired
# certificate gets none; pressing a button is recorded; a notice not
# acknowledged comes back once a day (at start or at the time of day),
# never twice the same day; Turkish on a Turkish locale; with no
# notification server the notice waits and is shown once one appears.
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
need_test_hooks

command -v dbus-daemon >/dev/null || skip "no dbus-daemon"
"$PYTHON" -c 'import dbusmock' 2>/dev/null || skip "no python3-dbusmock"

export NESD_TEST_HOOKS=1
DAY=86400
NOW=$(local_epoch "2027-03-01 12:00")
NEXT930=$(local_epoch "2027-03-02 09:30")
mkcert "$T/a.pem" --not-after "$(utc_of $((NOW + 80 * DAY + 3600)))" \
    --tckn 12345678950 --cn "AYŞE YILMAZ"
mkcert "$T/b.pem" --not-after "$(utc_of $((NOW + 20 * DAY + 3600)))" \
    --tckn 10000000146 --cn "MEHMET ÖZ"
mkcert "$T/c.pem" --not-after "$(utc_of $((NOW - 3 * DAY)))" \
    --tckn "$(tckn_make 200000000)" --cn "ESKİ SERTİFİKA"

# call N: the Nth Notify call the mock saw (from 1), as JSON.
call() {
	notify_calls | sed -n "${1}p"
}

# count_is N: the mock saw N Notify calls (for wait_for).
count_is() {
	[ "$(notify_count)" -eq "$1" ]
}

# rem HOLDER: that holder's sent reminder, as JSON.
rem() {
	reminders_json | jq -c --arg h "$1" '.sent[] | select(.holder_name == $h)'
}

rem_has() {
	rem "$1" | jq -e "$2" >/dev/null
}

bus_start
notifyd_start "body actions"
NESD_TEST_NOW=$NOW nesd_start

# ---- 80 days left: the 3-month notice -------------------------------------------
ctl import "$T/a.pem" >/dev/null
wait_for count_is 1
c=$(call 1)
assert_eq "$(jqr "$c" .app)" nesd "app name"
assert_eq "$(jqr "$c" .summary)" \
    "Your e-signature expires in 80 days" \
    "3m summary: short, verb first, the days"
assert_contains "$(jqr "$c" .body)" "AYŞE YILMAZ" "3m body names the holder"
assert_contains "$(jqr "$c" .body)" "Start the renewal today" \
    "3m body has the next step"
assert_not_contains "$(jqr "$c" .body)" "SHA-256" "no fingerprint in the notice"
assert_eq "$(($(jqr "$c" .body | grep -c .) <= 4))" 1 "a body that fits four lines"
assert_not_contains "$(jqr "$c" .body)" 12345678950 "no unmasked TCKN"
assert_eq "$(jqr "$c" .hints.urgency)" 1 "3m urgency normal"
assert_eq "$(jqr "$c" '.actions | to_entries | map(.key) | join(" ")')" \
    "renew later" "buttons renew and later"
assert_eq "$(jqr "$c" .actions.renew)" "Start renewal" "renew label"
assert_eq "$(jqr "$c" .actions.later)" "Remind me later" "later label"

# ---- 20 days left: the 25-day notice, critical ----------------------------------
ctl import "$T/b.pem" >/dev/null
wait_for count_is 2
c=$(call 2)
assert_eq "$(jqr "$c" .summary)" \
    "Your e-signature expires in 20 days" \
    "25d summary, worded for the days really left"
assert_contains "$(jqr "$c" .body)" "Last call" "25d body has the last call"
assert_eq "$(jqr "$c" .hints.urgency)" 2 "25d urgency critical"
assert_eq "$(reminders_json | jq -r '[.sent[] | select(.holder_name == "MEHMET ÖZ") | .milestone] | join(" ")')" \
    25d "only the 25-day reminder, no 3-month one"

# ---- expired: nothing ---------------------------------------------------------------
ctl import "$T/c.pem" >/dev/null
r=$(reminders_json)
assert_eq "$(jqr "$r" '[.sent[], .upcoming[] | select(.holder_name == "ESKİ SERTİFİKA")] | length')" \
    0 "an expired certificate gets no reminder"
wait_for outbox_is desktop "delivered delivered"
assert_eq "$(notify_count)" 2 "no notice for the expired certificate"

# ---- buttons: renew acknowledges, later snoozes to the next day ------------------------
subscribe "$T/events.out"
notify_action 1 renew
wait_for rem_has "AYŞE YILMAZ" '.action == "renew" and (.acked_at != null)'
wait_line "$T/events.out" '"event\.reminder\.action"'
assert_eq "$(event "$T/events.out" reminder.action | jq -r '.action + " " + (.id | tostring)')" \
    "renew $(rem "AYŞE YILMAZ" | jq -r .id)" "event.reminder.action"
assert_match "$(ctl reminders)" 'AYŞE YILMAZ +3 months before .* acknowledged +desktop delivered' \
    "nesctl reminders shows it acknowledged"
# The button opened a renewal case for that certificate (issue 6).
cases=$(ctl --json case list)
assert_eq "$(jq -r '[.cases[] | select(.kind == "renewal")] | length' <<<"$cases")" 1 \
    "the renew button opened one renewal case"
assert_eq "$(jq -r '.cases[0].state' <<<"$cases")" opened "the case is opened"
assert_eq "$(jq -r '.cases[0].cert' <<<"$cases")" \
    "$(rem "AYŞE YILMAZ" | jq -r .cert)" "for the reminded certificate"
notify_action 2 later
wait_for rem_has "MEHMET ÖZ" '.action == "later"'
assert_eq "$(rem "MEHMET ÖZ" | jq -r '.snoozed_until')" "$NEXT930" \
    "later: snoozed until the next day's time of day"
assert_eq "$(rem "MEHMET ÖZ" | jq -r '.acked_at // "no"')" no "later does not acknowledge"
nesd_stop

# ---- never twice the same day; again the next day if not acknowledged ------------------
NESD_TEST_NOW=$((NOW + 2 * 3600)) nesd_start
assert_eq "$(outbox_states desktop | wc -l)" 2 "same day: nothing queued again"
nesd_stop
assert_eq "$(notify_count)" 2 "same day: no notice again"

NESD_TEST_NOW=$((NOW + DAY)) nesd_start
wait_for count_is 3
assert_eq "$(call 3 | jq -r .summary)" \
    "Your e-signature expires in 19 days" \
    "the next day: shown again, with the days left now"
assert_eq "$(call 3 | jq -r .hints.urgency)" 2 "still critical"
# nesctl snooze: shown again when the snooze ends, the same day.
id=$(rem "MEHMET ÖZ" | jq -r .id)
run ctl snooze "$id" 2h
assert_rc 0 "nesctl snooze"
assert_eq "$RUN_OUT" "reminder $id snoozed until 2027-03-02 14:00" \
    "nesctl snooze output"
test_clock $((NOW + DAY + 2 * 3600 - 10))
assert_eq "$(notify_count)" 3 "not before the snooze ends"
test_clock $((NOW + DAY + 2 * 3600 + 1))
wait_for count_is 4
run ctl snooze "$id" 3x
assert_rc 1 "nesctl snooze with a bad duration"
assert_contains "$RUN_ERR" "duration must be like 3d, 12h, 30m or 1w" \
    "bad duration: why"
r=$(rpc_raw '{"jsonrpc":"2.0","id":1,"method":"hello","params":{"protocol":1}}' \
    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"reminder.snooze\",\"params\":{\"id\":$id,\"duration\":9223372036854775807}}" |
    tail -n 1)
assert_eq "$(jqr "$r" .error.data.param)" duration "a huge duration is refused"
run ctl snooze "$id" 3700d
assert_rc 1 "a snooze over ten years"
# The acknowledged one stays quiet; at the next day's time of day the
# other comes back without a restart.
test_clock $((NOW + 2 * DAY - 2 * 3600 - 1800 + 5))
wait_for count_is 5
assert_contains "$(call 5 | jq -r .body)" "MEHMET ÖZ" "shown at the time of day"
run ctl ack "$id"
assert_rc 0 "nesctl ack"
assert_eq "$RUN_OUT" "reminder $id acknowledged" "nesctl ack output"
run ctl ack 999
assert_rc 1 "nesctl ack of no reminder"
assert_contains "$RUN_ERR" "no such reminder: 999" "ack of no reminder: why"
test_clock $((NOW + 3 * DAY))
nesd_stop
NESD_TEST_NOW=$((NOW + 4 * DAY)) nesd_start
nesd_stop
assert_eq "$(notify_count)" 5 "acknowledged: never shown again"

# ---- Turkish --------------------------------------------------------------------------
if tr_locale; then
	NESD_STATE=$T/state-tr
	LC_ALL=tr_TR.UTF-8 NESD_LOCALEDIR=$TR_LOCALEDIR NESD_TEST_NOW=$NOW \
	    nesd_start
	ctl import "$T/a.pem" "$T/b.pem" >/dev/null
	wait_for count_is 7
	c=$(call 6)
	assert_eq "$(jqr "$c" .summary)" \
	    "E-imzanız 80 gün sonra bitiyor" \
	    "Turkish 3m summary"
	assert_contains "$(jqr "$c" .body)" "Yenileme işlemlerine bugün başlayın" \
	    "Turkish 3m next step"
	assert_eq "$(jqr "$c" .actions.renew)" "Yenilemeyi başlat" \
	    "Turkish renew button"
	assert_eq "$(jqr "$c" .actions.later)" "Sonra hatırlat" \
	    "Turkish later button"
	c=$(call 7)
	assert_eq "$(jqr "$c" .summary)" \
	    "E-imzanız 20 gün sonra bitiyor" \
	    "Turkish 25d summary"
	assert_contains "$(jqr "$c" .body)" "Son çağrı" "Turkish last call"
	assert_not_contains "$(jqr "$c" .body)" "What to do" "no English left"
	nesd_stop
else
	note "no tr_TR.UTF-8 locale: Turkish part skipped"
fi

# ---- no notification server: the notice waits, then is shown once ----------------------
notifyd_stop
NESD_STATE=$T/state-none
NESD_TEST_NOW=$NOW nesd_start
ctl import "$T/a.pem" >/dev/null
wait_for outbox_is desktop pending
assert_match "$(rem "AYŞE YILMAZ" | jq -r '.messages[0].last_error')" \
    'org\.freedesktop\.Notifications' "the error says who is missing"
assert_match "$(ctl reminders)" 'AYŞE YILMAZ +3 months before .* desktop waiting \(.*Notifications' \
    "nesctl reminders shows waiting and the error"
# This server shows no buttons: the notice comes without them.
notifyd_start "body"
test_clock $((NOW + 120))
wait_for outbox_is desktop delivered
wait_for count_is 1
assert_contains "$(call 1 | jq -r .summary)" "expires in 80 days" \
    "shown once the server is there"
assert_eq "$(call 1 | jq -c .actions)" "{}" \
    "no buttons where the server has none"
test_clock $((NOW + 3600))
assert_eq "$(outbox_states desktop | paste -sd ' ')" delivered "one message"
assert_eq "$(notify_count)" 1 "shown once"

# notify-test desktop: a test notice (no buttons), then with no server
# the exact failure and exit 1.
run ctl notify-test desktop
assert_rc 0 "notify-test desktop"
assert_eq "$RUN_OUT" "desktop: delivered" "notify-test desktop output"
wait_for count_is 2
assert_eq "$(call 2 | jq -r '.summary + " " + (.actions | length | tostring)')" \
    "nesd test message 0" "the test notice"
notifyd_stop
run ctl notify-test
assert_rc 1 "notify-test with no notification server"
assert_match "$RUN_OUT" '^desktop: failed: .*org\.freedesktop\.Notifications' \
    "notify-test names what is missing"
nesd_stop
