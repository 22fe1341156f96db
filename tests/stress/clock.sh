#!/bin/bash
# SPDX-License-Identifier: ISC
#
# clock.sh - the test clock walked at random, S steps: minutes, hours and
# days forwards and backwards, years forwards and backwards, and onto the
# moments just before and after milestones; then past every expiry. M
# certificates expire at spread-out moments; each reminder goes by
# webhook to a real HTTP server (tests/fixtures/http-sink.py). Holds, per
# certificate: each milestone reached the server at most once (one
# Idempotency-Key), in order (3m, 25d, expiry), the expiry message always;
# a milestone not sent is marked skipped (it was jumped over, nesd(8)),
# none is left pending; going back in time sends nothing again. Needs the
# test hooks. NESD_STRESS_CERTS (8) and NESD_STRESS_STEPS (60) set the
# counts.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/stress/stress.sh
. "$TOP_SRCDIR/tests/stress/stress.sh"
need_test_hooks

M=$(stress_count CERTS 8)
S=$(stress_count STEPS 60)
DAY=86400
YEAR=$((365 * DAY))
export NESD_TEST_HOOKS=1
T0=$(local_epoch "2027-03-01 12:00")
http_start "$T/hook.log"
printf '[reminders]\nchannels = webhook\n[webhook]\nurl = http://127.0.0.1:%s/h\n[status]\nenabled = no\n' \
    "$HTTP_PORT" >"$NESD_CONF"
mkdir -p "$T/certs"
last=0
for ((c = 1; c <= M; c++)); do
	na=$((T0 + 100 * DAY + RANDOM % 700 * DAY + RANDOM % DAY))
	[ "$na" -le "$last" ] || last=$na
	mkcert "$T/certs/c$c.pem" --cn "SAAT KİŞİ $c" --not-after "$(utc_of "$na")" \
	    --tckn "$(tckn_make "$(printf '1%08d' "$c")")"
	echo "$na" >>"$T/not_after"
done
END=$((last + 30 * DAY))

NESD_TEST_NOW=$T0 nesd_start
mem_before=$(rss_kib)
ctl import "$T"/certs/*.pem >/dev/null
# settle: nothing waits in the outbox.
settle() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(sqlite3 "$NESD_STATE/nesd.db" "SELECT count(*) FROM outbox
		    WHERE state = 'pending'")" = 0 ] && return 0
		sleep 0.05
	done
	return 1
}
hung=0
now=$T0
mapfile -t nas <"$T/not_after"
for ((i = 1; i <= S; i++)); do
	# Years forward only in the last quarter: before, the walk stays
	# where milestones are still to come.
	r=$((RANDOM % 20))
	[ "$i" -gt $((S * 3 / 4)) ] || [ "$r" -ne 19 ] || r=0
	case $r in
	0|1|2|3|4|5|6|7) now=$((now + 60 + RANDOM % (3 * DAY))) ;;
	8|9|10) now=$((now - 60 - RANDOM % (2 * DAY))) ;;
	11) now=$((now - (1 + RANDOM % 3) * YEAR)) ;;
	12|13) now=$((now + RANDOM % 40 * DAY)) ;;
	19) now=$((now + (1 + RANDOM % 3) * YEAR)) ;;
	*)	# just before or after a milestone of some certificate
		na=${nas[RANDOM % M]}
		m=$(milestone_at "$na" "$(echo 3m 25d 0d | cut -d' ' -f$((RANDOM % 3 + 1)))")
		now=$((m - 2 + RANDOM % 5)) ;;
	esac
	[ "$now" -ge $((T0 - 3 * YEAR)) ] || now=$((T0 - 3 * YEAR))
	[ "$now" -le $((END + 3 * YEAR)) ] || now=$((END + 3 * YEAR))
	test_clock "$now"
	settle || hung=$((hung + 1))
done
# Past every expiry (and forward from wherever the walk ended).
[ "$now" -ge "$END" ] || now=$END
test_clock "$now"
settle || hung=$((hung + 1))
sleep 0.5
settle || hung=$((hung + 1))
mem_after=$(rss_kib)
run ctl status
assert_rc 0 "status after the walk"
nesd_stop
crashed=$(sanitizer_reports)

# ---- what reached the server ----------------------------------------------------
# One line a distinct message: CERT MILESTONE, in the order nesd made them.
jq -r 'select(.status == 200) | [(.headers["idempotency-key"] |
    split("-") | last | tonumber), (.body | fromjson |
    "\(.certificate.id) \(.milestone)")] | @tsv' "$T/hook.log" |
    sort -n -u | cut -f2 >"$T/sent"
twice=$(sort "$T/sent" | uniq -d | wc -l)
order_bad=$(awk '{ r = ($2 == "3m") ? 1 : ($2 == "25d") ? 2 : 3
	if (r <= last[$1]) bad++; last[$1] = r } END { print bad + 0 }' \
    "$T/sent")
expiries=$(awk '$2 != "3m" && $2 != "25d"' "$T/sent" | cut -d' ' -f1 |
    sort -u | wc -l)
db=$NESD_STATE/nesd.db
left=$(sqlite3 "$db" "SELECT count(*) FROM reminders WHERE state = 'pending'")
skipped=$(sqlite3 "$db" "SELECT count(*) FROM reminders WHERE state =
    'skipped'")
sent=$(wc -l <"$T/sent")
note "walk of $S steps over $(((END - T0) / DAY)) days: $sent messages," \
    "$skipped skipped, $twice twice, $order_bad out of order"
stress_row clock "$M certs, $S clock steps (years, days, seconds, both ways)" \
    "$((M - expiries))" "$twice" "$crashed" "$hung" "$mem_before" \
    "$mem_after" "each milestone once, in order, none twice"

assert_eq "$crashed" 0 "sanitizer reports"
assert_eq "$hung" 0 "messages still pending after a step"
assert_eq "$twice" 0 "a milestone sent twice"
assert_eq "$order_bad" 0 "milestones out of order"
assert_eq "$expiries" "$M" "certificates that got their expiry message"
assert_eq "$left" 0 "reminders left pending"
assert_eq "$((sent + skipped))" "$(sqlite3 "$db" "SELECT count(*) FROM
    reminders")" "every reminder sent once or skipped"
exit 0
