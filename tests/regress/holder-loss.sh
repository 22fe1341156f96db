#!/bin/bash
# SPDX-License-Identifier: ISC
#
# holder-loss.sh - a loss reported after the holder had already suspended
# the certificate: the first OCSP answer after the report, the same
# status as before, moves the case to suspended (it stayed "reported"
# through every re-check). Marked found, it is not called lifted
# (askıdan indirildi) until OCSP says good again, which closes it. A real
# `openssl ocsp` responder; English and Turkish words.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/ocsp-lib.sh
. "$TOP_SRCDIR/tests/fixtures/ocsp-lib.sh"
need_test_hooks
export NESD_TEST_HOOKS=1

case_is() {
	[ "$(ctl --json case show "$1" | jq -r "$2")" = "$3" ]
}
flat() {
	"$@" | tr '\n' ' ' | tr -s ' '
}

ocsp_setup
printf '[reminders]\nchannels =\n[status]\ntimeout = 5s\n' >"$NESD_CONF"
nesd_start
ctl import "$PKI/good.crt" "$PKI/hold.crt" >/dev/null
wait_for rev_is good status good

wait_for rev_is hold status on_hold
changed=$(rev hold changed_at)

run ctl lost "$(id_of hold)"
assert_rc 0 "lost, after the suspension"
wait_for case_is 1 .state suspended
assert_eq "$(rev hold changed_at)" "$changed" \
    "no change of status was needed to move the case"
h=$(ctl --json case show 1)
assert_eq "$(jqr "$h" '.history[-1].event + " " + .history[-1].actor')" \
    "ocsp_hold nesd" "moved by the answer, nesd's step"
assert_contains "$(flat ctl case show 1)" "OCSP confirms that the certificate is suspended" \
    "the next step after the confirmation"

out=$(flat ctl lost found)
assert_contains "$out" "found, suspension to lift" "found: not yet lifted"
assert_not_contains "$out" "resumed" "found: not called resumed"
if tr_locale; then
	tr_out=$(LC_ALL=tr_TR.UTF-8 NESD_LOCALEDIR=$TR_LOCALEDIR ctl case show 1)
	assert_contains "$tr_out" "bulundu, askıdan indirilmeli" \
	    "Turkish: found, to be lifted"
	assert_not_contains "$tr_out" "askıdan indirildi" \
	    "Turkish: not lifted before OCSP says so"
fi
ca_unhold hold
responder_restart
test_clock $(($(date +%s) + 16 * 60))
wait_for case_is 1 .closed true
assert_eq "$(ctl --json case show 1 | jq -r '.history[-1].event')" ocsp_good \
    "closed when OCSP says good again"
nesd_stop
