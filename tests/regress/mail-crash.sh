#!/bin/bash
# SPDX-License-Identifier: ISC
#
# mail-crash.sh - e-mail delivery and kill -9, against a real SMTP server
# (tests/fixtures/smtp-sink.py) made slow on purpose:
# - a server that takes 3 s to answer QUIT holds neither nesd's loop nor
#   the outcome: three messages are delivered and recorded at once and
#   `nesctl status` is answered meanwhile (before, curl waited for each
#   QUIT on the main loop, up to 120 s, with the message taken by the
#   server and not yet recorded);
# - messages go one at a time, each outcome stored before the next
#   session: killed while the server holds its 250 to the first of three
#   messages, nesd sends that one again at the next start and nothing else
#   twice (with sessions side by side, all three would be in the server's
#   hands at once, and all three would come twice: tests/stress/
#   crash-delivery.sh counted 44 duplicates in 15 kills so).

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

W=$T/certs
MD=$T/maildir
mkdir -p "$W"
"$MKCERT" --ca-dir "$T/ca" --count 3 --days-left 20 "$W/" >/dev/null
# conf PORT: three reminders due at once, by e-mail only.
conf() {
	cat >"$NESD_CONF" <<EOF
[inventory]
certificate_paths = $W
[status]
enabled = no
[reminders]
channels = mail
[mail]
server = smtp://127.0.0.1:$1
starttls = no
to = yetkili@example.test
timeout = 30s
EOF
}
delivered() {
	[ "$(sqlite3 "$NESD_STATE/nesd.db" "SELECT count(*) FROM outbox
	    WHERE state = 'delivered'" 2>/dev/null)" = "$1" ]
}
mails_are() {
	[ "$(mail_count "$MD")" = "$1" ]
}

# ---- a server slow to answer QUIT ---------------------------------------------
PORT=$(free_port)
conf "$PORT"
smtp_start "$PORT" "$MD" --slow-quit 3
nesd_start
# Before, the second message reached the server only after the first QUIT.
wait_for mails_are 3
run timeout 2 "$NESCTL" -s "$NESD_SOCK" status
assert_rc 0 "status answered while the server holds its QUIT replies"
for ((i = 0; i < 20; i++)); do
	delivered 3 && break
	sleep 0.1
done
delivered 3 || fail "the messages the server took are not recorded as" \
    "delivered while it holds its QUIT replies"
nesd_stop
smtp_stop

# ---- killed while the server holds its 250 -------------------------------------
rm -rf "$NESD_STATE" "$MD"
PORT=$(free_port)
conf "$PORT"
smtp_start "$PORT" "$MD" --slow-data 2
nesd_start
at_least_one() {
	[ "$(mail_count "$MD")" -ge 1 ]
}
wait_for at_least_one
# Time for more sessions to reach the server, were they under way.
sleep 1
taken=$(mail_count "$MD")
kill -KILL "$NESD_PID"
wait "$NESD_PID" 2>/dev/null || true
untrack_pid "$NESD_PID"
assert_eq "$taken" 1 "messages in the server's hands at once"
nesd_start
for ((i = 0; i < 300; i++)); do
	delivered 3 && break
	sleep 0.1
done
delivered 3 || fail "not all delivered after the restart"
ids=$(grep -h -i '^Message-ID:' "$MD"/new/* | sort)
assert_eq "$(sort -u <<<"$ids" | wc -l)" 3 "every message arrived"
assert_eq "$(wc -l <<<"$ids")" 4 "one message twice (the one in hand), no other"
nesd_stop
exit 0
