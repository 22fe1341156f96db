#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# remind-mail.sh - reminders by e-mail against a real SMTP server
# (tests/fixtures/smtp-sink.py, aiosmtpd) with STARTTLS (a self-signed
# certificate made here, trusted through ca_file) and AUTH (password_file,
# 0600): one message to the holder and one to the officer, proper RFC 5322
# with an RFC 2047 subject that decodes to the Turkish name; a
# password_file others can read is refused, naming it; with the server
# down the messages wait and arrive once when it is back; 550 fails for
# good, 451 is retried; nesctl notify-test mail reports either way.
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
need_test_hooks

export NESD_TEST_HOOKS=1
NOW=$(local_epoch "2027-03-01 12:00")
PORT=$(free_port)
MD=$T/maildir
tls_make "$T/tls"
printf 's3cr3t-parola\n' >"$T/smtp.pass"
chmod 600 "$T/smtp.pass"

# cert FILE CN TCKN: a certificate with 20 days left at NOW.
cert() {
	mkcert "$1" --not-after "$(utc_of $((NOW + 20 * 86400 + 3600)))" \
	    --cn "$2" --tckn "$3"
}

cat >"$NESD_CONF" <<EOF
[reminders]
channels = mail
[mail]
server = smtp://127.0.0.1:$PORT
starttls = yes
ca_file = $T/tls/tls.crt
from = nesd@okul.example.test
to = sahip@okul.example.test
officer = yetkili@ilce.example.test
username = nesd
password_file = $T/smtp.pass
timeout = 10s
EOF

# mails: the stored messages as JSON lines (tests/fixtures/mail-json.py).
mails() {
	"$PYTHON" "$FIXTURES/mail-json.py" "$MD"
}

# mails_about NAME: how many stored messages name NAME in their subject.
mails_about() {
	mails | jq -s --arg n "$1" '[.[] | select(.subject | contains($n))] |
	    length'
}

smtp_start "$PORT" "$MD" --tls "$T/tls/tls.crt" "$T/tls/tls.key" \
    --auth nesd:s3cr3t-parola
NESD_TEST_NOW=$NOW nesd_start

# ---- a reminder: to the holder and the officer ------------------------------
NAME="Gülşen Öztürk Işıkçı"
cert "$T/a.pem" "$NAME" 12345678950
ctl import "$T/a.pem" >/dev/null
wait_for outbox_is mail "delivered delivered"
assert_eq "$(mail_count "$MD")" 2 "two messages: holder and officer"
all=$(mails)
assert_eq "$(jq -rs 'map(.rcpt) | sort | join(" ")' <<<"$all")" \
    "sahip@okul.example.test yetkili@ilce.example.test" "envelope recipients"
m=$(jq -c 'select(.rcpt == "sahip@okul.example.test")' <<<"$all")
assert_eq "$(jqr "$m" .mail_from)" nesd@okul.example.test "envelope sender"
assert_eq "$(jqr "$m" .from)" "nesd <nesd@okul.example.test>" "From"
assert_eq "$(jqr "$m" .to)" "sahip@okul.example.test" "To"
assert_eq "$(jqr "$m" .subject)" \
    "$NAME: Your e-signature expires in 20 days" \
    "Subject decodes to the UTF-8 text"
assert_match "$(jqr "$m" .subject_raw)" '^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=' \
    "Subject is an RFC 2047 encoded word"
assert_eq "$(jqr "$m" .header_ascii)" true "headers are 7-bit"
assert_eq "$(jqr "$m" .crlf)" true "CRLF line ends"
assert_match "$(jqr "$m" .date)" \
    '^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}$' \
    "Date in RFC 5322 form"
d=$(jqr "$m" .date_epoch)
[ "$d" -ge "$NOW" ] && [ "$d" -lt $((NOW + 300)) ] ||
    fail "Date is nesd's now: $(jqr "$m" .date)"
assert_match "$(jqr "$m" .message_id)" '^<[^<>@ ]+@[^<>@ ]+>$' "Message-ID"
assert_eq "$(jq -rs 'map(.message_id) | unique | length' <<<"$all")" 2 \
    "one Message-ID a message"
assert_eq "$(jqr "$m" .mime_version)" 1.0 "MIME-Version"
assert_eq "$(jqr "$m" '.content_type + "; " + .charset')" \
    "text/plain; utf-8" "Content-Type text/plain; charset=UTF-8"
body=$(jqr "$m" .body)
assert_contains "$body" "Certificate of $NAME (TCKN 1********50)" \
    "body names the holder, TCKN masked"
assert_contains "$body" "20 days left" "body says the days left"
assert_contains "$body" "Last call: apply for the renewal today" \
    "body has the next step"
assert_not_contains "$all" 12345678950 "no unmasked TCKN in any message"

# ---- notify-test: delivered, exit 0 -------------------------------------------
run ctl notify-test mail
assert_rc 0 "notify-test mail"
assert_eq "$RUN_OUT" "mail to sahip@okul.example.test: delivered
mail to yetkili@ilce.example.test: delivered" "notify-test output"
assert_eq "$(mails_about "nesd test message")" 2 "test messages arrived"

# ---- a password_file others can read is refused, by name ------------------------
chmod 644 "$T/smtp.pass"
run ctl notify-test mail
assert_rc 1 "notify-test with a readable password_file"
assert_contains "$RUN_OUT" "mail to sahip@okul.example.test: failed: password_file $T/smtp.pass must be a file of uid $(id -u) readable by no one else (chmod 600)" \
    "the failure names the file"
chmod 600 "$T/smtp.pass"
# A wrong password: the server's refusal, word for word.
printf 'yanlis\n' >"$T/smtp.pass"
run ctl notify-test mail
assert_rc 1 "notify-test with a wrong password"
assert_match "$RUN_OUT" '^mail to sahip@okul\.example\.test: failed: Login denied: 535 ' \
    "a refused login says what the server said"
printf 's3cr3t-parola\n' >"$T/smtp.pass"

# ---- server down: the messages wait, then arrive once --------------------------
smtp_stop
NAME_B="Ömer Çağlar Şen"
cert "$T/b.pem" "$NAME_B" 10000000146
ctl import "$T/b.pem" >/dev/null
wait_for outbox_is mail "delivered delivered pending pending"
out=$(ctl reminders)
assert_match "$out" "mail sahip@okul\.example\.test waiting \(.*(connect|Connection refused)" \
    "nesctl reminders shows waiting and the error"
smtp_start "$PORT" "$MD" --tls "$T/tls/tls.crt" "$T/tls/tls.key" \
    --auth nesd:s3cr3t-parola
test_clock $((NOW + 600))
wait_for outbox_is mail "delivered delivered delivered delivered"
assert_eq "$(mails_about "$NAME_B")" 2 "one copy each once the server is back"
test_clock $((NOW + 3600))
assert_eq "$(mails_about "$NAME_B")" 2 "still one copy each"

# ---- 550: failed for good -------------------------------------------------------
smtp_stop
smtp_start "$PORT" "$MD" --tls "$T/tls/tls.crt" "$T/tls/tls.key" \
    --auth nesd:s3cr3t-parola --fail-first 2 --fail-code 550
NAME_C="Çiğdem Ünal"
cert "$T/c.pem" "$NAME_C" "$(tckn_make 200000000)"
ctl import "$T/c.pem" >/dev/null
wait_for outbox_is mail "delivered delivered delivered delivered failed failed"
assert_match "$(reminders_json | jq -r '.sent[0].messages[0].last_error')" \
    ': 550 5\.7\.1 injected failure$' "the 550 and the server's words are the error"
test_clock $((NOW + 2 * 86400))
assert_eq "$(mails_about "$NAME_C")" 0 "a 550 is not retried"

# ---- 451: retried, then delivered once ------------------------------------------
smtp_stop
smtp_start "$PORT" "$MD" --tls "$T/tls/tls.crt" "$T/tls/tls.key" \
    --auth nesd:s3cr3t-parola --fail-first 2 --fail-code 451
NAME_D="Işıl Göğüş"
cert "$T/d.pem" "$NAME_D" "$(tckn_make 300000000)"
ctl import "$T/d.pem" >/dev/null
wait_for outbox_is mail \
    "delivered delivered delivered delivered failed failed pending pending"
assert_match "$(reminders_json | jq -r '.sent[0].messages[0].last_error')" \
    ': 451 4\.3\.0 injected failure$' "the 451 is the error"
test_clock $((NOW + 2 * 86400 + 600))
wait_for outbox_is mail \
    "delivered delivered delivered delivered failed failed delivered delivered"
assert_eq "$(mails_about "$NAME_D")" 2 "451 then delivered, once each"

# notify-test names a permanent SMTP failure and exits 1.
smtp_stop
smtp_start "$PORT" "$MD" --tls "$T/tls/tls.crt" "$T/tls/tls.key" \
    --auth nesd:s3cr3t-parola --fail-first 2 --fail-code 550
run ctl notify-test mail
assert_rc 1 "notify-test against a 550"
assert_match "$RUN_OUT" '^mail to sahip@okul\.example\.test: failed: .*: 550 5\.7\.1 injected failure$' \
    "notify-test names the SMTP reply"

# ---- a reload takes mail away while messages wait: they fail, nesd lives -------------
smtp_stop
NAME_E="Eda Güçlü"
cert "$T/e.pem" "$NAME_E" "$(tckn_make 400000000)"
ctl import "$T/e.pem" >/dev/null
wait_for eval '[ "$(outbox_states mail | tail -n 2 | paste -sd " ")" = "pending pending" ]'
printf '[reminders]\nchannels =\n' >"$NESD_CONF"
kill -HUP "$NESD_PID"
wait_line "$NESD_LOG" 'reload: configuration read'
test_clock $((NOW + 3 * 86400))
wait_for eval '[ "$(outbox_states mail | tail -n 2 | paste -sd " ")" = "failed failed" ]'
assert_eq "$(reminders_json | jq -r '.sent[0].messages[0].last_error')" \
    "server is not set in [mail]" "why the waiting messages failed"
nesd_alive || fail "nesd died sending mail without a server"

# ---- smtps:// (TLS from the first byte), through a reload -------------------------
PORT2=$(free_port)
smtp_start "$PORT2" "$T/maildir2" --tls "$T/tls/tls.crt" "$T/tls/tls.key" \
    --smtps --auth nesd:s3cr3t-parola
cat >"$NESD_CONF" <<EOF
[reminders]
channels = mail
[mail]
server = smtps://127.0.0.1:$PORT2
ca_file = $T/tls/tls.crt
to = sahip@okul.example.test
username = nesd
password_file = $T/smtp.pass
EOF
kill -HUP "$NESD_PID"
wait_for eval '[ "$(grep -c "reload: configuration read" "$NESD_LOG")" -eq 2 ]'
run ctl notify-test mail
assert_rc 0 "notify-test over smtps://"
assert_eq "$RUN_OUT" "mail to sahip@okul.example.test: delivered" \
    "smtps:// delivered"
assert_eq "$(mail_count "$T/maildir2")" 1 "one message over smtps://"
nesd_stop
