#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# holder-revoked.sh - a certificate OCSP says is revoked or on hold is
# not shown or counted as valid: its state is revoked or on_hold in the
# row, the JSON and the summary (whose buckets add up to the rows), in
# English and Turkish; it has no next milestone, gets no renewal
# reminder, and the holder's step for today is to open a case. Real
# answers from `openssl ocsp` on loopback.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/ocsp-lib.sh
. "$TOP_SRCDIR/tests/fixtures/ocsp-lib.sh"
need_test_hooks
export NESD_TEST_HOOKS=1

ocsp_setup
conf() {
	cat >"$NESD_CONF" <<EOF
[reminders]
kinds = nes other
channels =
[status]
enabled = $1
timeout = 5s
EOF
}
conf yes
nesd_start
ctl import "$PKI/good.crt" "$PKI/revoked.crt" "$PKI/hold.crt" >/dev/null
wait_for rev_is good status good
wait_for rev_is revoked status revoked
wait_for rev_is hold status on_hold

st=$(ctl --json status)
assert_eq "$(jqr "$st" '[.certificates[] | .holder_name + "=" + .state] |
    sort | join(" ")')" \
    "AYSE YILMAZ=ok FATMA KAYA=on_hold MEHMET DEMIR=revoked" \
    "each row's state"
assert_eq "$(jqr "$st" '.summary | "\(.total) \(.ok) \(.revoked) \(.on_hold)"')" \
    "3 1 1 1" "summary: total ok revoked on_hold"
assert_eq "$(jqr "$st" '.summary | .ok + .expiring + .expired +
    .not_yet_valid + .revoked + .on_hold == .total')" true \
    "the summary's buckets add up to the rows"
assert_eq "$(jqr "$st" '[.certificates[] | select(.state != "ok") |
    .next_milestone] | map(tostring) | join(" ")')" "null null" \
    "no next milestone for a revoked or suspended certificate"
out=$(ctl status)
assert_contains "$out" "3 certificates: 1 ok, 0 expiring, 0 expired, 1 revoked, 1 suspended" \
    "summary line"
assert_match "$out" "MEHMET DEMIR .* revoked +- +revoked" "revoked row"
assert_match "$out" "FATMA KAYA .* suspended +- +on hold" "on hold row"
assert_contains "$(ctl status | tr '\n' ' ' | tr -s ' ')" \
    "Certificate $(id_of revoked) is revoked and cannot sign: if the card was lost, run nesctl lost $(id_of revoked)" \
    "today: the revoked certificate's holder is sent to a case"
if tr_locale; then
	tr_out=$(LC_ALL=tr_TR.UTF-8 NESD_LOCALEDIR=$TR_LOCALEDIR ctl status)
	assert_contains "$tr_out" "1 geçerli" "Turkish summary: valid"
	assert_contains "$tr_out" "1 iptal edilmiş, 1 askıda" \
	    "Turkish summary: revoked and on hold"
	assert_match "$tr_out" "MEHMET DEMIR .* iptal edilmiş" "Turkish revoked row"
	assert_no_match "$tr_out" "MEHMET DEMIR .* geçerli" \
	    "a revoked certificate is nowhere called valid"
fi
# Three months before the end, only the good one is reminded.
at=$(jqr "$st" '.certificates[] | select(.holder_name == "AYSE YILMAZ") |
    .next_milestone.at')
nesd_stop
conf no
NESD_TEST_NOW=$((at + 60)) nesd_start
assert_eq "$(reminders_json | jq -r '[.sent[] | .holder_name + " " +
    .milestone] | sort | join(", ")')" \
    "AYSE YILMAZ 3m" "a renewal reminder only for the certificate that can sign"
assert_match "$(cat "$NESD_LOG")" "revoked, no 3m reminder" \
    "the revoked one's milestone skipped, with the reason"
assert_match "$(cat "$NESD_LOG")" "on_hold, no 3m reminder" \
    "the suspended one's too"
nesd_stop
