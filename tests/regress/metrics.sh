#!/bin/bash
# SPDX-License-Identifier: ISC
#
# metrics.sh - the Prometheus metrics: the HTTP endpoint ([metrics] listen)
# answers only GET /metrics with text format 0.0.4 that promtool accepts,
# with the labels nesd.conf(5) lists and never a TCKN unmasked; the
# textfile ([metrics] textfile) is the same text, written atomically and
# again after a change; scrapers that send nothing, trickle their headers,
# send 1 MiB of headers or come 200 at once do not stop nesctl status from
# answering; bad
# listen values are errors that name the line.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

command -v promtool >/dev/null || skip "promtool not installed (tools/deps.sh)"
command -v curl >/dev/null || skip "curl not installed"

PORT=$(free_port)
URL=http://127.0.0.1:$PORT/metrics
PROM=$T/nesd.prom
cat >"$NESD_CONF" <<C
[metrics]
listen = $PORT
textfile = $PROM
timeout = 2s
[status]
enabled = no
[cards]
enabled = no
C

# ---- bad values -------------------------------------------------------------
for bad in "99999" "example.com:9464" "127.0.0.1:" "[::1]" "1.2.3:80"; do
	printf '[metrics]\nlisten = %s\n' "$bad" >"$T/bad.conf"
	run "$NESD" -n -c "$T/bad.conf"
	assert_rc 1 "listen = $bad"
	assert_contains "$RUN_ERR" "bad.conf:2: listen:" "listen = $bad: named"
done
printf '[metrics]\nlisten = [::1]:9464\nrefresh = 5s\n' >"$T/bad.conf"
run "$NESD" -n -c "$T/bad.conf"
assert_rc 1 "refresh below 10 s"
printf '[metrics]\nlisten = [::1]:9464\ntextfile = /x/y.prom\n' >"$T/ok.conf"
run "$NESD" -n -c "$T/ok.conf"
assert_rc 0 "listen = [::1]:9464"

# ---- the exposition ------------------------------------------------------------
TCKN=$(tckn_make 123456789)
mkcert "$T/soon.pem" --days-left 10 --tckn "$TCKN" --cn "AYSE YILMAZ"
mkcert "$T/later.pem" --days-left 200 --cn 'ALI "QUOTE" CELIK'
nesd_start
ctl import "$T/soon.pem" "$T/later.pem" >/dev/null
run curl -sS -D "$T/head" "$URL"
assert_rc 0 "GET /metrics"
M=$RUN_OUT
assert_match "$(cat "$T/head")" '^HTTP/1.1 200' "GET /metrics: 200"
assert_match "$(cat "$T/head")" \
    '^Content-Type: text/plain; version=0.0.4; charset=utf-8' \
    "GET /metrics: content type"
run promtool check metrics <<<"$M"
assert_rc 0 "promtool check metrics: $RUN_ERR"
fp=$(fingerprint "$T/soon.pem")
na=$(date -u -d "$(openssl x509 -in "$T/soon.pem" -noout -enddate |
    sed 's/.*=//')" +%s)
line="nesd_certificate_not_after_timestamp_seconds{fingerprint=\"${fp:0:16}\","
line="${line}holder=\"$(tckn_mask "$TCKN")\",kind=\"nes\",source=\"import\","
line="${line}revocation=\"unchecked\"} $na"
grep -qFx -- "$line" <<<"$M" || fail "not_after of the soon one: $line not in: $M"
assert_not_contains "$M" "$TCKN" "the TCKN is never unmasked"
assert_not_contains "$M" "AYSE" "no holder name unless holder_name = yes"
assert_match "$M" '^nesd_certificates\{state="expiring"\} 1$' "one expiring"
assert_match "$M" '^nesd_certificates\{state="ok"\} 1$' "one ok"
assert_match "$M" '^nesd_reminder_messages_total\{channel="mail",outcome="delivered"\} 0$' \
    "message counters exist at 0"
assert_match "$M" '^nesd_build_info\{version="[0-9.]+"\} 1$' "build info"
assert_match "$M" '^nesd_start_time_seconds [0-9]+$' "start time"
assert_no_match "$M" '^nesd_pcsc_up' "no pcsc_up with cards disabled"

# Only GET /metrics.
run curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/"
assert_eq "$RUN_OUT" 404 "GET /"
run curl -s -o /dev/null -w '%{http_code}' -X POST "$URL"
assert_eq "$RUN_OUT" 405 "POST /metrics"
run curl -s -o /dev/null -w '%{http_code}' "$URL?x=1"
assert_eq "$RUN_OUT" 200 "a query string is ignored"

# The textfile: the same text, refreshed after a change.
wait_for test -s "$PROM"
wait_for grep -q 'nesd_certificates{state="expiring"} 1' "$PROM"
run promtool check metrics <"$PROM"
assert_rc 0 "the textfile passes promtool"
assert_eq "$(stat -c %a "$PROM")" 644 "the textfile is readable by node_exporter"
mkcert "$T/third.pem" --days-left 5 --cn "UCUNCU KISI"
ctl import "$T/third.pem" >/dev/null
wait_for grep -q 'nesd_certificates{state="expiring"} 2' "$PROM"
assert_eq "$(find "$T" -maxdepth 1 -name 'nesd.prom.*' | wc -l)" 0 \
    "no temporary file left beside the textfile"
run curl -sS "$URL"
assert_match "$RUN_OUT" '^nesd_certificates\{state="expiring"\} 2$' \
    "HTTP sees the new certificate at once"

# A renewed certificate: the old one leaves the per-certificate series.
mkcert "$T/renewed.pem" --days-left 700 --tckn "$TCKN" --cn "AYSE YILMAZ"
ctl import "$T/renewed.pem" >/dev/null
run curl -sS "$URL"
assert_not_contains "$RUN_OUT" "fingerprint=\"${fp:0:16}\"" \
    "a superseded certificate has no series"
assert_match "$RUN_OUT" '^nesd_certificates\{state="expiring"\} 2$' \
    "but still counts in nesd_certificates"

# ---- hostile and crowded scrapers ---------------------------------------------------
"$PYTHON" "$FIXTURES/scrapers.py" "$PORT" idle 100 >"$T/idle.out" &
IDLE=$!
track_pid "$IDLE"
sleep 0.3
run ctl --json status
assert_rc 0 "status while 100 connections send nothing"
run "$PYTHON" "$FIXTURES/scrapers.py" "$PORT" headers
assert_rc 0 "1 MiB of headers"
assert_no_match "$RUN_OUT" "200 OK" "1 MiB of headers: not answered with metrics"
run ctl --json status
assert_rc 0 "status after 1 MiB of headers"
wait "$IDLE"
untrack_pid "$IDLE"
assert_match "$(cat "$T/idle.out")" '^closed 100 after [0-9]' \
    "nesd closes connections that send nothing"

# One that trickles a byte every 0.2 s is cut after 3 timeouts (6 s).
"$PYTHON" "$FIXTURES/scrapers.py" "$PORT" slow >"$T/slow.out" &
SLOW=$!
track_pid "$SLOW"
sleep 1
run ctl --json status
assert_rc 0 "status while a scraper trickles its headers"
wait "$SLOW"
untrack_pid "$SLOW"
assert_match "$(cat "$T/slow.out")" '^closed after [5-9]\.' \
    "a trickling scraper is cut after three timeouts"

"$PYTHON" "$FIXTURES/scrapers.py" "$PORT" crowd 200 >"$T/crowd.out" &
CROWD=$!
track_pid "$CROWD"
for i in 1 2 3 4 5; do
	run ctl --json status
	assert_rc 0 "status during 200 concurrent scrapes ($i)"
done
wait "$CROWD"
untrack_pid "$CROWD"
assert_eq "$(cat "$T/crowd.out")" "ok 200" "200 concurrent scrapes all answered"
nesd_alive || fail "nesd died under the scrapers"

# Out of descriptors: accepting pauses, nothing spins or dies.
if command -v prlimit >/dev/null; then
	soft=$(prlimit --pid "$NESD_PID" --nofile --output SOFT --noheadings)
	prlimit --pid "$NESD_PID" --nofile=40:
	"$PYTHON" "$FIXTURES/scrapers.py" "$PORT" idle 60 >"$T/emfile.out" &
	IDLE=$!
	track_pid "$IDLE"
	sleep 0.5
	run ctl --json status
	assert_rc 0 "status while the metrics used every descriptor"
	wait "$IDLE"
	untrack_pid "$IDLE"
	assert_contains "$(cat "$NESD_LOG")" \
	    "metrics: accept: Too many open files; pausing for a second" \
	    "EMFILE is said once"
	wait_for curl -sf "$URL"
	nesd_alive || fail "nesd died out of descriptors"
	prlimit --pid "$NESD_PID" --nofile="$soft":
fi

# ---- reload and stop -----------------------------------------------------------------
PORT2=$(free_port)
sed -i "s/^listen = .*/listen = 127.0.0.1:$PORT2/; s/^textfile = .*/holder_name = yes/" \
    "$NESD_CONF"
kill -HUP "$NESD_PID"
wait_for curl -sf "http://127.0.0.1:$PORT2/metrics"
run curl -sS "http://127.0.0.1:$PORT2/metrics"
assert_contains "$RUN_OUT" 'name="AYSE YILMAZ"' "holder_name = yes: a name label"
assert_contains "$RUN_OUT" 'name="ALI \"QUOTE\" CELIK"' "label values are escaped"
run promtool check metrics <<<"$RUN_OUT"
assert_rc 0 "promtool with names"
run curl -s "$URL"
assert_ne "$RUN_RC" 0 "the old port is closed after a reload"
assert_eq "$(test -e "$PROM" && echo yes || echo no)" no \
    "a textfile no longer configured is removed"
# Stopping with connections open (Prometheus keeps one) is clean.
"$PYTHON" "$FIXTURES/scrapers.py" "$PORT2" idle 3 >"$T/idle2.out" &
IDLE=$!
track_pid "$IDLE"
sleep 0.3
nesd_stop
wait "$IDLE"
untrack_pid "$IDLE"
assert_match "$(cat "$T/idle2.out")" '^closed 3 ' "open connections closed at exit"
exit 0
