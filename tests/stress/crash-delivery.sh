#!/bin/bash
# SPDX-License-Identifier: ISC
#
# crash-delivery.sh - kill -9 during delivery. N certificates (each with
# 20 days left: one reminder due at once) are found in a watched folder;
# each reminder goes by e-mail to a real SMTP server (tests/fixtures/
# smtp-sink.py) and by webhook to a real HTTP server (http-sink.py, which
# logs the Idempotency-Key). nesd is killed with SIGKILL K times at random
# moments while it scans and delivers, then left to finish. Counted from
# what the servers stored: e-mails by Message-ID, webhook requests by key.
# Holds: nothing lost (every reminder arrives by both channels); at most
# one e-mail duplicate per kill (nesd(8) "Delivery": one message in the
# hands of the SMTP server at a time, its outcome committed before the
# next); every webhook duplicate carries its message's key and the same
# body; every reminder once in the database; PRAGMA integrity_check ok.
# NESD_STRESS_CERTS (40) and NESD_STRESS_KILLS (6) set the counts.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/stress/stress.sh
. "$TOP_SRCDIR/tests/stress/stress.sh"

N=$(stress_count CERTS 40)
K=$(stress_count KILLS 6)
W=$T/certs
MD=$T/maildir
PORT=$(free_port)
mkdir -p "$W"
"$MKCERT" --ca-dir "$T/ca" --count "$N" --days-left 20 "$W/" >/dev/null

smtp_start "$PORT" "$MD" --slow-quit "$(stress_count SLOW_QUIT 0.1)"
http_start "$T/hook.log"
cat >"$NESD_CONF" <<EOF
[inventory]
certificate_paths = $W
[status]
enabled = no
[reminders]
channels = mail, webhook
[mail]
server = smtp://127.0.0.1:$PORT
starttls = no
from = nesd@example.test
to = yetkili@example.test
timeout = 10s
[webhook]
url = http://127.0.0.1:$HTTP_PORT/hook
timeout = 10s
EOF

db=$NESD_STATE/nesd.db
# pending: messages not yet delivered (or the database not there yet).
pending() {
	[ -s "$db" ] || { echo "?"; return; }
	sqlite3 "$db" "SELECT count(*) FROM outbox WHERE state = 'pending'" \
	    2>/dev/null || echo "?"
}

mem_before=- mem_after=- hung=0 crashed=0
for ((k = 1; k <= K; k++)); do
	nesd_start
	[ "$mem_before" != - ] || mem_before=$(rss_kib)
	sleep "$(random_ms 20 $((300 + 40 * N / 10)))"
	if ! nesd_alive; then
		crashed=$((crashed + 1))
		wait "$NESD_PID" || true
		untrack_pid "$NESD_PID"
		continue
	fi
	nesd_kill9
	note "kill $k: $(mail_count "$MD") e-mails, $(line_count \
	    "$T/hook.log") webhook requests, $(pending) pending"
done

# Left to finish: every reminder made, every message delivered.
nesd_start
done_all() {
	[ "$(sqlite3 "$db" "SELECT count(*) FROM reminders WHERE
	    state != 'due'")" -ge "$N" ] && [ "$(pending)" = 0 ] &&
	    [ "$(sqlite3 "$db" "SELECT count(*) FROM outbox")" -ge $((2 * N)) ]
}
for ((i = 0; i < 600; i++)); do
	done_all && break
	nesd_alive || break
	sleep 0.1
done
done_all || hung=1
nesd_alive || crashed=$((crashed + 1))
mem_after=$(rss_kib)
run ctl status
assert_rc 0 "status after $K kills"
nesd_stop
crashed=$((crashed + $(sanitizer_reports)))

# ---- what arrived ------------------------------------------------------------
ids=$T/mail-ids
grep -h -i '^Message-ID:' "$MD"/new/* | tr -d '\r' | sort >"$ids" || true
mails=$(wc -l <"$ids")
mail_unique=$(sort -u "$ids" | wc -l)
mail_dup=$((mails - mail_unique))
jq -r '.headers["idempotency-key"]' "$T/hook.log" | sort >"$T/keys"
hooks=$(wc -l <"$T/keys")
hook_unique=$(sort -u "$T/keys" | wc -l)
hook_dup=$((hooks - hook_unique))
# The same key always carries the same body.
bodies=$(jq -r '[.headers["idempotency-key"], .body] | @tsv' "$T/hook.log" |
    sort -u | cut -f1 | sort | uniq -d | wc -l)
mail_lost=$((N - mail_unique))
hook_lost=$((N - hook_unique))
[ "$mail_lost" -ge 0 ] || mail_lost=0
[ "$hook_lost" -ge 0 ] || hook_lost=0
reminders_twice=$(sqlite3 "$db" "SELECT count(*) FROM (SELECT cert_id,
    milestone FROM reminders GROUP BY 1, 2 HAVING count(*) > 1)")
integrity=$(sqlite3 "$db" "PRAGMA integrity_check")

stress_row crash-delivery "$N certs x 2 channels, $K kills -9" \
    "$((mail_lost + hook_lost))" "mail $mail_dup, webhook $hook_dup" \
    "$crashed" "$hung" "$mem_before" "$mem_after" \
    "0 lost, mail dups <= kills, webhook dups keep their key"

assert_eq "$integrity" ok "PRAGMA integrity_check after $K kills"
assert_eq "$crashed" 0 "nesd crashed (or a sanitizer spoke)"
assert_eq "$hung" 0 "delivery did not finish within 60 s after the kills:" \
    "$(pending) pending"
assert_eq "$mail_lost" 0 "e-mails lost"
assert_eq "$hook_lost" 0 "webhook messages lost"
assert_eq "$reminders_twice" 0 "a reminder made twice"
assert_eq "$bodies" 0 "one Idempotency-Key with two different bodies"
[ "$mail_dup" -le "$K" ] ||
    fail "$mail_dup e-mail duplicates after $K kills (at most one a kill)"
# Every copy of a message is the same message: as many distinct keys as
# messages in the outbox.
assert_eq "$hook_unique" "$N" "distinct Idempotency-Keys"
exit 0
