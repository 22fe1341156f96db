#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# A renewal case walked through every state with nesctl against a real
# nesd: each verb prints the next step, the history records each step with
# its actor, illegal steps are refused naming the state and what is
# allowed, the case survives a restart, and a renewed certificate for the
# same TCKN closes it as done and cancels the old certificate's reminders.
# Production cannot be recorded before the production window opens, 2
# months before the end: nesd restarts with its clock past that day.
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
need_test_hooks

printf '[reminders]\nchannels =\n' >"$NESD_CONF"
# flat CMD...: the command's output on one line, blanks squeezed, so that
# assertions do not depend on where the text wraps.
flat() {
	"$@" | tr '\n' ' ' | tr -s ' '
}
tckn=$(tckn_make 123456789)
mkcert "$T/old.pem" --not-after "$(not_after_in 80)" --tckn "$tckn" \
    --cn "AYŞE YILMAZ"
mkcert "$T/new.pem" --not-after "$(not_after_in 1175)" --tckn "$tckn" \
    --cn "AYŞE YILMAZ"
nesd_start
ctl import "$T/old.pem" >/dev/null
old=$(fingerprint "$T/old.pem")
old_id=$(cert_json "$old" | jq -r .id)
me="uid $(id -u)"

# Nothing open yet: a step has no case to act on.
run ctl renew posted
assert_rc 1 "renew posted without a case"
assert_contains "$RUN_ERR" "no case is open" "no case: message"

out=$(flat ctl renew start)
assert_contains "$out" "Case 1: renewal (Yenileme), opened" "start: header"
assert_contains "$out" "MEBBİS / e-personel" "start: personnel record"
assert_contains "$out" "Signing method now: e-imza (E-İmzalı Başvuru)" \
    "start: e-imza while the card is valid"
assert_match "$out" "Apply by [0-9-]+ \(5[45] days left\)" "start: deadline"
assert_contains "$out" "Production at Kamu SM opens on" "start: production"
assert_contains "$out" "Give E-Onay now" "start: E-Onay recommended"
assert_contains "$out" "nesd speaks up next: last call" "start: next timer"
# What may follow comes from nesd's rules, with the method recording each.
j=$(ctl --json case show 1)
assert_eq "$(jqr "$j" '[.allowed[] | .event + "=" + .call] | join(",")')" \
    "apply=renew.applied,cancel=renew.cancel" "start: allowed steps"
assert_eq "$(jqr "$j" '.allowed[0].params.method | join(",")')" \
    "e-imza,islak" "start: methods the application may take"
assert_contains "$out" "Steps you can record now:" "start: steps heading"
assert_contains "$out" "nesctl renew applied --method e-imza|islak" \
    "start: apply step shown as a command"
assert_contains "$out" "nesctl renew cancel" "start: cancel step shown"
assert_contains "$(flat ctl status)" "Give E-Onay now" "status: E-Onay advice"
assert_contains "$(flat ctl status)" "Case 1: renewal, opened" "status: open case"

# A second start for the same certificate is refused, named or not.
run ctl renew start "$old_id"
assert_rc 1 "second renew start"
assert_contains "$RUN_ERR" "case 1 is already open" "second start: why"
run ctl renew start
assert_rc 1 "second renew start, certificate chosen by nesd"
assert_contains "$RUN_ERR" "case 1 is already open" "second start: chosen"

# Illegal steps name the state and what is allowed.
run ctl renew posted
assert_rc 1 "posted while opened"
assert_contains "$RUN_ERR" "is in state opened" "posted: state named"
assert_contains "$RUN_ERR" "allowed: renew applied, renew cancel" \
    "posted: allowed steps"
run ctl lost paid
assert_rc 1 "paid on a renewal"
assert_contains "$RUN_ERR" '"pay" is not allowed there' "paid: refused"
run ctl renew applied
assert_rc 2 "applied without --method"
assert_contains "$RUN_ERR" "--method e-onay, e-imza or islak" \
    "applied: method asked for"
run ctl renew applied --method e-onay
assert_rc 1 "e-onay before it was given"
assert_contains "$RUN_ERR" "E-Onay is not recorded as given" "e-onay: why"
run ctl renew applied --method fax
assert_rc 1 "unknown method"

out=$(flat ctl eonay given)
assert_contains "$out" "E-Onay: given" "eonay given"
assert_not_contains "$(flat ctl case show)" "Give E-Onay now" \
    "no E-Onay advice once given"
assert_contains "$(flat ctl case show)" "Signing method now: e-onay" \
    "e-onay offered once given"
ctl eonay not-given >/dev/null

out=$(flat ctl renew applied --method=islak)
assert_contains "$out" "applied" "applied: header"
assert_contains "$out" "sign it bottom right in blue pen" "applied: islak step"
assert_contains "$out" "nesd speaks up next: reminder to post the form" \
    "applied: post reminder planned"
run ctl renew approved
assert_rc 1 "approved before posting"
assert_contains "$RUN_ERR" "needs the signed form posted first" \
    "approved: islak guard"
assert_contains "$RUN_ERR" "allowed: renew posted, renew cancel" \
    "approved: the islak case is offered no approval yet"
assert_eq "$(ctl --json case show 1 | jq -r '[.allowed[].event] | join(",")')" \
    "post,cancel" "applied islak: allowed steps"
out=$(flat ctl renew posted)
assert_contains "$out" "Form recorded as handed over" "posted: next step"
out=$(flat ctl renew approved)
assert_contains "$out" "Approval recorded" "approved: next step"
assert_contains "$out" "nesd speaks up next: courier hint" "approved: courier"

# Production opens 60 days before the end, in 20 days: not yet.
run ctl renew produced
assert_rc 1 "produced before the production window"
opens=$(ctl --json case show 1 | jq -r .production_opens_iso)
assert_contains "$RUN_ERR" "possible from $(date -d "$opens" +%F)" \
    "produced: the day it becomes possible"
assert_contains "$(flat ctl case show)" "Possible from $(date -d "$opens" +%F): nesctl renew produced" \
    "case show: produced later"

# The case and its history survive a restart, 21 days on.
nesd_stop
NESD_TEST_NOW=$(( $(date +%s) + 21 * 86400 )) nesd_start
out=$(flat ctl renew produced)
assert_contains "$out" "in production" "produced after restart"
out=$(flat ctl renew shipped)
assert_contains "$out" "create the card's PIN through e-Devlet" "shipped"
j=$(ctl --json case show 1)
assert_eq "$(jqr "$j" '[.history[].event] | join(",")')" \
    "start,apply,post,approve,produce,ship" "history events"
assert_eq "$(jqr "$j" '[.history[].state] | join(",")')" \
    "opened,applied,posted,approved,in_production,shipped" "history states"
assert_eq "$(jqr "$j" '[.history[].actor] | unique | join(",")')" "$me" \
    "history actors"
assert_eq "$(jqr "$j" '.history[1].note')" islak "apply: method noted"
assert_eq "$(jqr "$j" '.history | map(.at > 0) | all')" true "history times"

# Pending reminders of the old certificate exist before the evidence.
up=$(ctl --json reminders | jq --argjson c "$old_id" \
    '[.upcoming[] | select(.cert == $c)] | length')
assert_ne "$up" 0 "old certificate has pending reminders"

# Evidence: a renewed certificate for the same TCKN closes the case.
ctl import "$T/new.pem" >/dev/null
j=$(ctl --json case show 1)
assert_eq "$(jqr "$j" .state)" done "evidence: done"
assert_eq "$(jqr "$j" .closed)" true "evidence: closed"
assert_eq "$(jqr "$j" '.allowed | length')" 0 "evidence: nothing allowed"
assert_eq "$(jqr "$j" '.history[-1].event + " " + .history[-1].actor')" \
    "evidence nesd" "evidence: by nesd"
assert_contains "$(jqr "$j" .next_step)" "PIN through e-Devlet" \
    "evidence: PIN step"
up=$(ctl --json reminders | jq --argjson c "$old_id" \
    '[.upcoming[] | select(.cert == $c)] | length')
assert_eq "$up" 0 "old certificate's reminders cancelled"
run ctl renew cancel --case 1
assert_rc 1 "cancel a done case"
assert_contains "$RUN_ERR" "is in state done" "cancel done: state named"

# A case can be cancelled; case list shows both.
mkcert "$T/other.pem" --not-after "$(not_after_in 60)" \
    --tckn "$(tckn_make 234567891)"
ctl import "$T/other.pem" >/dev/null
out=$(flat ctl renew start "$(fingerprint "$T/other.pem")")
assert_contains "$out" "Case 2: renewal" "start by fingerprint"
out=$(flat ctl renew cancel)
assert_contains "$out" "cancelled" "cancel"
# An expired certificate cannot be renewed: a first application, on paper.
mkcert "$T/gone.pem" --days-left -10 --tckn "$(tckn_make 345678123)"
ctl import "$T/gone.pem" >/dev/null
out=$(flat ctl renew start "$(fingerprint "$T/gone.pem")")
assert_contains "$out" "Case 3: first application (İlk Başvuru), opened" \
    "expired: a first application"
assert_contains "$out" "Signing method now: islak" "expired: paper only"
assert_eq "$(ctl --json case show 3 | jq -r '.history[0].note')" \
    "certificate already expired" "expired: noted"
list=$(ctl case list)
assert_match "$list" '^1 +renewal +done' "list: done case"
assert_match "$list" '^2 +renewal +cancelled' "list: cancelled case"
assert_match "$list" '^3 +first application +opened' "list: open case"
nesd_stop
