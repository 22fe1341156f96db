#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# remind-webhook.sh - reminders by webhook against a real HTTP server
# (tests/fixtures/http-sink.py): a 500 is retried after the backoff and the
# message is delivered once, both requests carrying the same
# Idempotency-Key; the JSON document has the fields chat and ticket systems
# read, with the TCKN masked; a 400 fails the message for good; nesctl
# notify-test reports delivery and the exact failure.
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
need_test_hooks

export NESD_TEST_HOOKS=1
TCKN=12345678950
NOW=$(local_epoch "2027-03-01 12:00")
mkcert "$T/a.pem" --not-after "$(utc_of $((NOW + 80 * 86400 + 3600)))" \
    --tckn "$TCKN" --cn "AYŞE YILMAZ"

# conf URL: the webhook as the only channel.
conf() {
	printf '[reminders]\nchannels = webhook\n[webhook]\nurl = %s\n' \
	    "$1" >"$NESD_CONF"
}

# requests: how many requests the sink logged.
requests() {
	line_count "$T/hook.log"
}

# ---- 500, then 200: delivered once --------------------------------------
http_start "$T/hook.log" --fail-first 1 --status 500
conf "http://127.0.0.1:$HTTP_PORT/hooks/nesd"
NESD_TEST_NOW=$NOW nesd_start
subscribe "$T/events.out"
ctl import "$T/a.pem" >/dev/null
wait_for outbox_is webhook pending
assert_eq "$(requests)" 1 "one request before the retry"
e=$(event "$T/events.out" reminder.due)
assert_eq "$(jqr "$e" '.milestone + " " + (.cert | tostring)')" "3m 1" \
    "event.reminder.due"
wait_line "$T/events.out" '"event\.outbox\.retry"'
e=$(event "$T/events.out" outbox.retry)
assert_eq "$(jqr "$e" '.channel + " " + .state + " " + (.attempts | tostring)')" \
    "webhook pending 1" "event.outbox.retry"
assert_match "$(jqr "$e" .error)" '^HTTP 500' "event.outbox.retry error"
r=$(reminders_json)
assert_eq "$(jqr "$r" '.sent[0].milestone')" 3m "3m milestone sent"
assert_match "$(jqr "$r" '.sent[0].messages[0].last_error')" '^HTTP 500' \
    "the 500 is the last error"
out=$(ctl reminders)
assert_match "$out" 'webhook http://127\.0\.0\.1:[0-9]+/hooks/nesd waiting \(HTTP 500' \
    "nesctl reminders says the message waits, and why"

# The retry comes after the backoff (30 s): jump past it.
test_clock $((NOW + 120))
wait_for outbox_is webhook delivered
assert_eq "$(requests)" 2 "500 then 200: two requests"
wait_line "$T/events.out" '"event\.outbox\.delivered"'
e=$(event "$T/events.out" outbox.delivered)
assert_eq "$(jqr "$e" '.channel + " " + .state + " " + (.attempts | tostring)')" \
    "webhook delivered 2" "event.outbox.delivered"
k1=$(sed -n 1p "$T/hook.log" | jq -r '.headers["idempotency-key"]')
k2=$(sed -n 2p "$T/hook.log" | jq -r '.headers["idempotency-key"]')
dbid=$(sqlite3 "$NESD_STATE/nesd.db" "SELECT value FROM meta WHERE key = 'db_id'")
assert_match "$dbid" '^[0-9a-f]{16}$' "the database has its own id"
assert_match "$k1" "^nesd-$dbid-[0-9]+\$" \
    "Idempotency-Key present, with the database's id"
assert_eq "$k2" "$k1" "the retry carries the same Idempotency-Key"
req=$(sed -n 2p "$T/hook.log")
assert_eq "$(jqr "$req" '.method + " " + .path')" "POST /hooks/nesd" \
    "POST to the configured path"
assert_match "$(jqr "$req" '.headers["content-type"]')" \
    '^application/json' "Content-Type"
body=$(jqr "$req" .body)
assert_eq "$(jqr "$body" .event)" reminder "payload event"
assert_eq "$(jqr "$body" .milestone)" 3m "payload milestone"
assert_eq "$(jqr "$body" .certificate.tckn)" "$(tckn_mask $TCKN)" \
    "payload TCKN masked"
assert_not_contains "$(jqr "$req" .body)" "$TCKN" "no unmasked TCKN"
assert_eq "$(jqr "$body" .certificate.holder_name)" "AYŞE YILMAZ" \
    "payload holder"
assert_eq "$(jqr "$body" .certificate.days_left)" 80 "payload days_left"
assert_eq "$(jqr "$body" .certificate.not_after)" $((NOW + 80 * 86400 + 3600)) \
    "payload not_after"
assert_contains "$(jqr "$body" .subject)" "AYŞE YILMAZ" "subject names the holder"
assert_contains "$(jqr "$body" .subject)" "expires in 80 days" "subject days"
assert_contains "$(jqr "$body" .text)" "Start the renewal today" \
    "text has the next step"
assert_eq "$(jqr "$body" .urgency)" normal "3m urgency"
# Nothing is left to send: no third request can come.
test_clock $((NOW + 3600))
r=$(reminders_json)
assert_eq "$(jqr "$r" '[.sent[].messages[] | select(.state != "delivered")] | length')" \
    0 "nothing pending after delivery"
assert_eq "$(requests)" 2 "delivered once"

# notify-test: a test message through the webhook, reported.
run ctl notify-test webhook
assert_rc 0 "notify-test webhook"
assert_match "$RUN_OUT" '^webhook to http://127\.0\.0\.1:[0-9]+/hooks/nesd: delivered$' \
    "notify-test says delivered"
assert_eq "$(sed -n 3p "$T/hook.log" | jq -r '.body | fromjson | .event')" \
    test "the test message reached the sink"
nesd_stop
http_stop

# ---- 400: failed for good, never retried ----------------------------------
: >"$T/hook.log"
http_start "$T/hook.log" --fail-first 100 --status 400
conf "http://127.0.0.1:$HTTP_PORT/hooks/nesd"
NESD_STATE=$T/state2
NESD_TEST_NOW=$NOW nesd_start
subscribe "$T/events2.out"
ctl import "$T/a.pem" >/dev/null
wait_for outbox_is webhook failed
wait_line "$T/events2.out" '"event\.outbox\.failed"'
e=$(event "$T/events2.out" outbox.failed)
assert_eq "$(jqr "$e" '.state + " " + .error')" \
    'failed HTTP 400: {"error":"injected failure"}' "event.outbox.failed"
r=$(reminders_json)
assert_match "$(jqr "$r" '.sent[0].messages[0].last_error')" '^HTTP 400' \
    "the 400 is the error"
assert_eq "$(jqr "$r" '.sent[0].messages[0].next_attempt // "none"')" none \
    "no next attempt after a 400"
assert_match "$(ctl reminders)" 'webhook http://[^ ]+ failed \(HTTP 400' \
    "nesctl reminders says failed"
test_clock $((NOW + 2 * 86400))
assert_eq "$(requests)" 1 "a 400 is not retried"

# notify-test: the exact failure, exit 1.
run ctl notify-test webhook
assert_rc 1 "notify-test webhook against a 400"
assert_match "$RUN_OUT" '^webhook to http://[^ ]+: failed: HTTP 400: \{"error":"injected failure"\}$' \
    "notify-test names the failure"
nesd_stop
