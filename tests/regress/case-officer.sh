#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# The e-mail to the institution's e-signature officer: refused without an
# address, shown (and not sent) without --send, delivered to a real SMTP
# server (aiosmtpd) with --send, and taken from a configured template. The
# holder's own message when a renewed certificate closes the case (create
# the PIN through e-Devlet) goes through the same mail channel, to the
# address in the certificate.
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

"$PYTHON" -c 'import aiosmtpd' 2>/dev/null ||
    skip "python3-aiosmtpd is missing (tools/deps.sh installs it)"

"$PYTHON" "$TOP_SRCDIR/tests/fixtures/smtp_case_sink.py" \
    --maildir "$T/mail" >"$T/sink.out" 2>"$T/sink.log" &
track_pid $!
sink_ready() {
	grep -q '^ready ' "$T/sink.out"
}
wait_for sink_ready
port=$(sed -n 's/^ready //p' "$T/sink.out")

conf() {
	cat >"$NESD_CONF" <<EOC
[reminders]
channels = mail
[mail]
server = smtp://127.0.0.1:$port
starttls = no
from = nesd@example.org
[renewal]
$1
EOC
}
# mail_with TEXT...: a message in the sink holds every TEXT (for wait_for).
mail_with() {
	local f t ok
	for f in "$T"/mail/new/*; do
		[ -f "$f" ] || continue
		ok=1
		for t in "$@"; do
			grep -qF -- "$t" "$f" || ok=0
		done
		[ "$ok" = 1 ] && return 0
	done
	return 1
}
flat() {
	"$@" | tr '\n' ' ' | tr -s ' '
}

tckn=$(tckn_make 567891234)
mkcert "$T/old.pem" --not-after "$(not_after_in 80)" --tckn "$tckn" \
    --cn "AYŞE YILMAZ" --email ayse.yilmaz@example.org
mkcert "$T/new.pem" --not-after "$(not_after_in 1170)" --tckn "$tckn" \
    --cn "AYŞE YILMAZ"
conf ""
nesd_start
ctl import "$T/old.pem" >/dev/null
ctl renew start >/dev/null
ctl renew applied --method e-imza >/dev/null

run ctl renew notify-officer
assert_rc 1 "no officer configured"
assert_contains "$RUN_ERR" "set officer in [renewal]" "no officer: why"

conf "officer = yetkili@example.org"
kill -HUP "$NESD_PID"
officer_set() {
	ctl renew notify-officer >/dev/null 2>&1
}
wait_for officer_set

out=$(ctl renew notify-officer)
assert_contains "$out" "To: yetkili@example.org" "shown: recipient"
assert_contains "$out" "Subject: E-signature application to approve: AYŞE YILMAZ" \
    "shown: subject"
assert_contains "$out" "Kurum yetkilisi onayı" "shown: the portal's words"
assert_contains "$out" "TCKN: $(tckn_mask "$tckn")" "shown: TCKN masked"
assert_not_contains "$out" "$tckn" "shown: never the whole TCKN"
assert_contains "$out" "with the form signed as e-imza" "shown: method"
assert_contains "$out" "Not sent: run again with --send" "shown: not sent"
mail_with "yetkili@example.org" && fail "mail sent without --send"

out=$(ctl renew notify-officer --send)
assert_match "$out" "Queued for sending \(outbox message [0-9]+\)" "--send"
wait_for mail_with "X-RcptTo: yetkili@example.org" "Kurum yetkilisi onay"

# A template of the institution's own.
printf 'Subject: Onay isteği {case}\n\nSayın yetkili, {reason} başvurum ({method}) onayınızı bekliyor. {unknown}\n' \
    >"$T/officer.txt"
conf "officer = yetkili@example.org
officer_template = $T/officer.txt"
kill -HUP "$NESD_PID"
templated() {
	ctl renew notify-officer | grep -q "Sayın yetkili"
}
wait_for templated
out=$(flat ctl renew notify-officer)
assert_contains "$out" "Subject: Onay isteği 1" "template: subject"
assert_contains "$out" "Sayın yetkili, Yenileme başvurum (e-imza) onayınızı bekliyor. {unknown}" \
    "template: fields filled, unknown kept"

# The renewed certificate closes the case; the holder is told by mail, at
# the certificate's address since [mail] names no recipient.
ctl import "$T/new.pem" >/dev/null
wait_for mail_with "X-RcptTo: ayse.yilmaz@example.org" "PIN through e-Devlet"
assert_eq "$(ctl --json case show 1 | jq -r .state)" done "case done"
nesd_stop
