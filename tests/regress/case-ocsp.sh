#!/bin/bash
# SPDX-License-Identifier: ISC
#
# case-ocsp.sh - a loss case driven by real OCSP answers: an `openssl
# ocsp` responder on loopback for certificates of a test CA. Right after
# `nesctl lost`, nesd asks about the certificate; while the case waits it
# asks again every 15 minutes (the test clock jumps there). Suspending the
# certificate at the CA moves the case to suspended, lifting the hold after
# `nesctl lost found` closes it, and revoking another moves its case to
# revoked; each step is nesd's, in the case's history.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/ocsp-lib.sh
. "$TOP_SRCDIR/tests/fixtures/ocsp-lib.sh"
need_test_hooks

ocsp_setup
cat >"$NESD_CONF" <<EOF2
[status]
timeout = 5s
rate = 50
EOF2
NESD_TEST_HOOKS=1 nesd_start -v
ctl import "$PKI/later.crt" "$PKI/good.crt" >/dev/null
wait_for rev_is later status good
wait_for rev_is good status good

# case_is ID FILTER VALUE: for wait_for.
case_is() {
	[ "$(ctl --json case show "$1" | jq -r "$2")" = "$3" ]
}
# checked NAME: when nesd last asked about PKI/NAME.crt.
checked() {
	rev "$1" checked_at
}
# checked_since NAME T: nesd asked about it at T or later (for wait_for).
checked_since() {
	[ "$(checked "$1")" -ge "$2" ]
}

# ---- reported: nesd asks at once ------------------------------------------
before=$(checked later)
clock=$((before + 5))
test_clock "$clock"
run ctl lost "$(id_of later)"
assert_rc 0 "lost"
assert_contains "$RUN_OUT" "Askıya Alma" "lost: the suspend instruction"
wait_for checked_since later "$clock"
assert_eq "$(ctl --json case show 1 | jq -r .state)" reported \
    "good at once: still reported"
# 15 minutes after the check (the test clock runs on meanwhile).
next=$(rev later next_check)
assert_eq "$((next <= $(checked later) + 15 * 60))" 1 \
    "the next check within 15 minutes while the case waits"

# ---- suspended at the CA: the case follows --------------------------------
ca_hold later
responder_restart
clock=$((clock + 16 * 60))
test_clock "$clock"
wait_for case_is 1 .state suspended
h=$(ctl --json case show 1)
assert_eq "$(jqr "$h" '.history[-1].event')" ocsp_hold "suspended by OCSP"
assert_eq "$(jqr "$h" '.history[-1].actor')" nesd "suspended: nesd's step"

# ---- found, the hold lifted: closed ---------------------------------------
run ctl lost found
assert_rc 0 "lost found"
assert_eq "$(ctl --json case show 1 | jq -r .state)" resumed "found: resumed"
ca_unhold later
responder_restart
clock=$((clock + 16 * 60))
test_clock "$clock"
wait_for case_is 1 .closed true
h=$(ctl --json case show 1)
assert_eq "$(jqr "$h" '.history[-1].event')" ocsp_good "closed by OCSP good"
assert_eq "$(rev later status)" good "the certificate is good again"

# ---- another loss, revoked at the CA --------------------------------------
run ctl lost "$(id_of good)"
assert_rc 0 "second lost"
ca_revoke good keyCompromise
responder_restart
clock=$((clock + 16 * 60))
test_clock "$clock"
wait_for case_is 2 .state revoked
h=$(ctl --json case show 2)
assert_eq "$(jqr "$h" '.history[-1].event')" ocsp_revoked "revoked by OCSP"
assert_eq "$(rev good next_check)" null "a revocation is final: no more checks"

nesd_stop
