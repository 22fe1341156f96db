#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# mail-inject.sh - a certificate's e-mail address is untrusted input
# (issue D1): with no [mail] to, reminders go to the holder's rfc822Name,
# and one holding CR LF and an SMTP command must not become a command in
# nesd's authenticated session nor a header line. Against a real SMTP
# server (tests/fixtures/smtp-sink.py with AUTH): the injected recipient
# never receives anything, the holder with a plain address and the
# officer still do, the bad address is not stored (show says no e-mail),
# a message already queued for a bad address (stored by an older nesd)
# fails for good with the reason, and a config whose [mail] to or from
# is not one plain address is refused naming file, line and key.
. "$TOP_SRCDIR/tests/lib.sh"

need_test_hooks
export NESD_TEST_HOOKS=1
NOW=$(local_epoch "2027-03-01 12:00")
PORT=$(free_port)
MD=$T/maildir
printf 's3cr3t-parola\n' >"$T/smtp.pass"
chmod 600 "$T/smtp.pass"

write_conf() {
	cat >"$NESD_CONF" <<EOF
[reminders]
channels = mail
[mail]
server = smtp://127.0.0.1:$PORT
starttls = no
from = nesd@okul.example.test
officer = yetkili@ilce.example.test
username = nesd
password_file = $T/smtp.pass
timeout = 10s
EOF
}
write_conf

# cert FILE CN TCKN EMAIL: 20 days left at NOW, the address in the SAN.
cert() {
	mkcert "$1" --not-after "$(utc_of $((NOW + 20 * 86400 + 3600)))" \
	    --cn "$2" --tckn "$3" --email "$4"
}

EVIL=saldirgan@kotu.example.test
cert "$T/bad.pem" "Ayşe Yılmaz" 12345678950 \
    $'sahip@okul.example.test>\r\nRCPT TO:<'"$EVIL"
cert "$T/good.pem" "Mehmet Demir" 10000000146 mehmet.demir@okul.example.test

smtp_start "$PORT" "$MD" --auth nesd:s3cr3t-parola
NESD_TEST_NOW=$NOW nesd_start

ctl import "$T/bad.pem" >/dev/null
ctl import "$T/good.pem" >/dev/null
# Holder of good.pem, and the officer twice: the holder of bad.pem gets
# nothing by mail, since its address is not taken.
wait_for outbox_is mail "delivered delivered delivered"
rcpts=$("$PYTHON" "$FIXTURES/mail-json.py" "$MD" | jq -rs 'map(.rcpt) | sort | join(" ")')
assert_eq "$rcpts" \
    "mehmet.demir@okul.example.test yetkili@ilce.example.test yetkili@ilce.example.test" \
    "envelope recipients: the plain holder and the officer, nobody else"
assert_not_contains "$(cat "$MD"/new/* "$T/smtp.log")" "$EVIL" \
    "the injected address reached the SMTP server"
for f in "$MD"/new/*; do
	assert_eq "$(grep -c '^X-RcptTo:' "$f")" 1 "one envelope line per message"
done

# The address is not stored: show says the certificate has no e-mail.
bad=$(ctl --json list | jq -r '.certificates[] |
    select(.holder_name == "Ayşe Yılmaz") | .id')
assert_eq "$(ctl --json show "$bad" | jq -r '.email // "none"')" none \
    "the bad address is not stored"
good=$(ctl --json list | jq -r '.certificates[] |
    select(.holder_name == "Mehmet Demir") | .id')
assert_eq "$(ctl --json show "$good" | jq -r .email)" \
    mehmet.demir@okul.example.test "a plain address is kept"
nesd_stop

# An older nesd may have stored such an address and queued mail for it:
# the channel refuses it for good, with the reason, and sends nothing.
sqlite3 "$NESD_STATE/nesd.db" "UPDATE outbox SET state = 'pending',
    attempts = 0, next_attempt = 0, recipient = 'x@example.org' || char(13, 10) ||
    'RCPT TO:<$EVIL>' WHERE id = (SELECT min(id) FROM outbox)"
n=$(mail_count "$MD")
NESD_TEST_NOW=$NOW nesd_start
wait_for outbox_is mail "failed delivered delivered"
assert_eq "$(mail_count "$MD")" "$n" "nothing sent for the stored bad address"
err=$(sqlite3 "$NESD_STATE/nesd.db" "SELECT last_error FROM outbox WHERE
    state = 'failed'")
assert_contains "$err" "not a plain mailbox" "the reason is stored"
nesd_stop
smtp_stop

# The configuration is checked the same way, naming file, line and key.
write_conf
printf 'to = a@example.org>RCPT TO:<%s\n' "$EVIL" >>"$NESD_CONF"
run "$NESD" -n -c "$NESD_CONF"
assert_rc 1 "an SMTP command in [mail] to is refused"
assert_match "$RUN_ERR" "nesd.conf:[0-9]+: .*to.*plain e-mail address" \
    "the error names file, line and key"
write_conf
sed -i 's/^from = .*/from = nesd@okul.example.test, x@y.example/' "$NESD_CONF"
run "$NESD" -n -c "$NESD_CONF"
assert_rc 1 "two addresses in [mail] from are refused"
assert_contains "$RUN_ERR" "plain e-mail address" "from: the reason"
exit 0
