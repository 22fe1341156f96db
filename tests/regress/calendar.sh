#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# calendar.sh - nesctl calendar writes an RFC 5545 iCalendar file that
# python3-icalendar parses: for each valid NES certificate the last day to
# apply, the production window and the expiry, and the next moment of the
# open case, on the days nesd gives; lines folded at 75 octets and ended
# by CRLF; the same UIDs on every export, so a calendar updates instead of
# duplicating (the apply-by day of a certificate applied for comes back
# cancelled); English or Turkish after the caller's locale.
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

"$PYTHON" -c 'import icalendar' 2>/dev/null ||
    skip "python3-icalendar is missing (tools/deps.sh installs it)"
printf '[reminders]\nchannels =\n' >"$NESD_CONF"
mkcert "$T/a.pem" --not-after "$(not_after_in 80)" --tckn "$(tckn_make 123456789)"
mkcert "$T/b.pem" --not-after "$(not_after_in 400)" --tckn "$(tckn_make 234567891)"
mkcert "$T/old.pem" --days-left -5 --tckn "$(tckn_make 345678912)"
nesd_start
ctl import "$T/a.pem" "$T/b.pem" "$T/old.pem" >/dev/null
a=$(cert_json "$(fingerprint "$T/a.pem")" | jq -r .id)
ctl renew start "$a" >/dev/null
kase=$(ctl --json case show 1)

# ics FILE: the events as "uid|kind-ish summary|start|end|status" lines,
# after checking the file's form; exits non-zero on any fault.
ics() {
	"$PYTHON" - "$1" <<'PY'
import sys, icalendar
raw = open(sys.argv[1], 'rb').read()
assert raw.endswith(b'\r\n'), 'no CRLF at the end'
for line in raw.split(b'\r\n')[:-1]:
    assert len(line) <= 75, 'line longer than 75 octets: %r' % line
    assert b'\n' not in line, 'a bare LF'
    line.decode('utf-8')
cal = icalendar.Calendar.from_ical(raw)
assert cal['VERSION'] == '2.0' and 'PRODID' in cal, 'header'
for e in cal.walk('VEVENT'):
    for k in ('UID', 'DTSTAMP', 'DTSTART', 'SUMMARY', 'DESCRIPTION'):
        assert k in e, '%s missing in %s' % (k, e.get('UID'))
    s, end = e['DTSTART'].dt, e.get('DTEND')
    lang = e['SUMMARY'].params.get('LANGUAGE', '-')
    print('|'.join([str(e['UID']), str(s), str(end.dt if end else '-'),
        str(e['STATUS']), lang, str(e['SUMMARY']), str(e['DESCRIPTION'])]))
PY
}

run ctl calendar "$T/cal.ics"
assert_rc 0 "calendar into a file"
ev=$(ics "$T/cal.ics") || fail "not an iCalendar file nesd's tests accept: $ev"
assert_eq "$(wc -l <<<"$ev")" 7 "two valid certificates, three dates each, one case"
fa=$(fingerprint "$T/a.pem" | cut -c1-16)
line() {
	grep "^$1|" <<<"$ev" || fail "no event $1 in: $ev"
}
day() {
	date -d "@$1" +%F
}
deadline=$(jqr "$kase" .deadline)
opens=$(jqr "$kase" .production_opens)
end=$(jqr "$kase" .not_after)
l=$(line "$fa-apply-by@nesd")
assert_eq "$(cut -d'|' -f2,4 <<<"$l")" "$(day "$deadline")|CONFIRMED" "apply-by day"
assert_contains "$l" "Last day to apply for the e-signature renewal" "apply-by: summary"
l=$(line "$fa-production@nesd")
assert_eq "$(cut -d'|' -f2 <<<"$l")" "$(day "$opens")" "production window opens"
assert_eq "$(cut -d'|' -f3 <<<"$l")" "$(date -d "$(day "$end") + 1 day" +%F)" \
    "production window ends with the certificate"
l=$(line "$fa-expiry@nesd")
assert_eq "$(cut -d'|' -f2 <<<"$l")" "$(day "$end")" "expiry day"
l=$(grep '^case-1-' <<<"$ev") || fail "no case event: $ev"
assert_contains "$l" "E-signature case 1: the next step is due" "case: summary"
assert_contains "$l" "MEBBİS / e-personel" "case: the next step from nesd"
assert_contains "$l" "$(date -u -d "@$(jqr "$kase" .due_at)" '+%F %H:%M:%S+00:00')" \
    "case: at its due time, UTC"
assert_not_contains "$ev" "$(fingerprint "$T/old.pem" | cut -c1-16)" \
    "no dates of an expired certificate"

# Again, after applying: the same UIDs, the apply-by day cancelled.
ctl renew applied --method e-imza >/dev/null
ctl calendar >"$T/cal2.ics"
ev2=$(ics "$T/cal2.ics") || fail "second export: $ev2"
assert_eq "$(cut -d'|' -f1 <<<"$ev2" | sort | tr '\n' ' ')" \
    "$(cut -d'|' -f1 <<<"$ev" | sort | tr '\n' ' ')" "the same UIDs again"
assert_contains "$(grep "^$fa-apply-by@nesd|" <<<"$ev2")" "|CANCELLED|" \
    "applied: the apply-by day cancelled"

if tr_locale; then
	export NESD_LOCALEDIR=$TR_LOCALEDIR
	LC_ALL=tr_TR.UTF-8 ctl calendar >"$T/tr.ics"
	ev3=$(ics "$T/tr.ics") || fail "Turkish export: $ev3"
	l=$(grep "^$fa-production@nesd|" <<<"$ev3")
	assert_contains "$l" "|tr|E-imza yenilemesi: Kamu SM'nin üretim dönemi|" \
	    "Turkish summary, LANGUAGE=tr"
	assert_contains "$(grep "^$fa-expiry@nesd|" <<<"$ev3")" "bugün bitiyor" \
	    "Turkish description"
	assert_eq "$(cut -d'|' -f1 <<<"$ev3" | sort | tr '\n' ' ')" \
	    "$(cut -d'|' -f1 <<<"$ev" | sort | tr '\n' ' ')" \
	    "the same UIDs in Turkish"
fi
nesd_stop
