#!/bin/bash
# SPDX-License-Identifier: ISC
#
# ocsp-fallback.sh - a certificate checked alone, whose OCSP responder is
# down, gets its answer from the CRL at once: the CRL's GET starts inside
# the callback of the failed OCSP request, on the last socket libcurl had.
# Before, the timer libcurl armed for the new transfer was removed right
# after the callback, and the check stayed "checking" until something
# else woke the multi handle (for ever, with nothing else to do).

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/ocsp-lib.sh
. "$TOP_SRCDIR/tests/fixtures/ocsp-lib.sh"

ocsp_setup
mkdir -p "$T/trust"
cp "$PKI/ca.crt" "$T/trust/"
cat >"$NESD_CONF" <<EOF
[status]
timeout = 5s
rate = 0
trust_dir = $T/trust
EOF
nesd_start
ctl import "$PKI/fallback.crt" >/dev/null
wait_for rev_is fallback source crl
assert_eq "$(rev fallback status)" good "the CRL's answer"
assert_eq "$(rev fallback checking)" false "the check is over"
nesd_stop
exit 0
