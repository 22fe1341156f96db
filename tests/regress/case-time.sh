#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Time-driven steps of cases, with nesd's clock moved by test.clock: an
# islak application not yet posted is reminded, an application with nothing
# seen by production + 15 days gets the courier hint, the deadline passing
# while a renewal is still opened escalates, and a certificate expiring
# with its renewal open turns the case into a first application (paper).
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
need_test_hooks

printf '[reminders]\nchannels =\n' >"$NESD_CONF"
day=86400
now=$(( $(date +%s) / 3600 * 3600 ))
# at DAYS: nesd's start plus that many days, epoch.
at() {
	echo $((now + $1 * day))
}
iso() {
	date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ
}
clock() {
	local r
	r=$(rpc test.clock "{\"now\":$1}")
	[ "$(jqr "$r" .result.now)" -ge "$1" ] || fail "test.clock: $r"
}
# has_event CASE EVENT: the case's history has EVENT (for wait_for).
has_event() {
	ctl --json case show "$1" |
	    jq -e --arg e "$2" 'any(.history[]; .event == $e)' >/dev/null
}

mkcert "$T/a.pem" --not-after "$(iso "$(at 40)")" --tckn "$(tckn_make 111111111)"
mkcert "$T/b.pem" --not-after "$(iso "$(at 70)")" --tckn "$(tckn_make 222222222)"
mkcert "$T/c.pem" --not-after "$(iso "$(at 200)")" --tckn "$(tckn_make 333333333)"

NESD_TEST_NOW=$now NESD_TEST_HOOKS=1 nesd_start
for f in a b c; do
	ctl import "$T/$f.pem" >/dev/null
done
id_of() {
	cert_json "$(fingerprint "$T/$1.pem")" | jq -r .id
}
ctl renew start "$(id_of a)" >/dev/null			# case 1
ctl renew start "$(id_of b)" >/dev/null			# case 2
ctl renew applied --case 2 --method e-imza >/dev/null
ctl renew start "$(id_of c)" >/dev/null			# case 3
ctl renew applied --case 3 --method islak >/dev/null

j=$(ctl --json case show 1)
assert_eq "$(jqr "$j" .due_event)" deadline "case 1 waits for the deadline"
assert_eq "$(jqr "$j" .due_at)" "$(jqr "$j" .deadline)" "at the deadline"
assert_eq "$(ctl --json case show 3 | jq -r .due_event)" remind_post \
    "case 3 waits to remind posting"
assert_eq "$(ctl --json case show 2 | jq -r .due_event)" courier_hint \
    "case 2 waits for the courier hint"

# Day 3 and a bit: the islak form is not posted yet.
clock "$(( $(at 3) + 3600 ))"
wait_for has_event 3 remind_post
j=$(ctl --json case show 3)
assert_eq "$(jqr "$j" '.state + " " + .history[-1].actor')" "applied nesd" \
    "remind: state kept, by nesd"
assert_contains "$(jqr "$j" .next_step)" "not recorded as posted yet" \
    "remind: text"
assert_eq "$(( $(jqr "$j" .due_at) - $(at 3) - 3600 ))" $((3 * day)) \
    "remind again 3 days later"

# Day 16: the renewal deadline (25 days before the end) has passed.
clock "$(at 16)"
wait_for has_event 1 deadline
j=$(ctl --json case show 1)
assert_eq "$(jqr "$j" '.kind + " " + .state')" "renewal opened" \
    "deadline: still a renewal"
assert_contains "$(jqr "$j" .next_step)" "Last call" "deadline: escalation"
assert_eq "$(jqr "$j" .due_event)" lapse "then waits for the expiry"
has_event 2 courier_hint && fail "courier hint too early"

# Production of b opened on day 10 (2 months before its end): day 26 is
# more than 15 days later with no new certificate.
clock "$(at 26)"
wait_for has_event 2 courier_hint
assert_contains "$(ctl --json case show 2 | jq -r .next_step)" \
    "kurye takip" "courier hint text"

# Day 41: a has expired with its renewal still open.
clock "$(at 41)"
wait_for has_event 1 lapse
j=$(ctl --json case show 1)
assert_eq "$(jqr "$j" '.kind + " " + .state')" "first opened" \
    "lapsed: now a first application"
assert_contains "$(jqr "$j" .next_step)" "now a first application" \
    "lapsed: explanation"
assert_eq "$(jqr "$j" '.methods | join(",")')" islak "lapsed: paper only"
assert_eq "$(jqr "$j" '.history[-1].kind')" renewal \
    "history keeps the kind it had"
out=$(ctl case show 1 | tr '\n' ' ' | tr -s ' ')
assert_contains "$out" "first application" "case show: first application"

# Nothing is armed once no case waits for anything.
ctl renew cancel --case 1 >/dev/null
ctl renew cancel --case 2 >/dev/null
ctl renew cancel --case 3 >/dev/null
assert_eq "$(ctl --json case list | jq '[.cases[] | select(.due_at)] | length')" \
    0 "no case waits"
nesd_stop
