#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# storage.sh - a locked database is said as it is: while another process
# holds the database's write lock past nesd's busy timeout, `nesctl
# import` fails with exit 1 and SQLite's own reason ("database is
# locked"); the daemon keeps serving, and the import succeeds once the lock
# is gone.
. "$TOP_SRCDIR/tests/lib.sh"

nesd_start
mkcert "$T/a.pem" --not-after "$(not_after_in 200)" --cn "Ali Veli" \
    --tckn 10000000146

# A writer that holds the lock: BEGIN IMMEDIATE, then wait on a FIFO.
mkfifo "$T/hold"
{ printf 'BEGIN IMMEDIATE;\nSELECT 1;\n'; cat "$T/hold"; } |
    sqlite3 "$NESD_STATE/nesd.db" >"$T/holder.out" 2>&1 &
HOLDER=$!
track_pid "$HOLDER"
exec 7>"$T/hold"
wait_for grep -q '^1$' "$T/holder.out"

run ctl import "$T/a.pem"
assert_rc 1 "import while the database is locked"
assert_contains "$RUN_ERR" "database is locked" "SQLite's reason is reported"
assert_not_contains "$RUN_ERR" "not an error" "the reason survived the rollback"
run ctl --json status
assert_rc 0 "status is still answered"
assert_eq "$(jqr "$RUN_OUT" .summary.total)" 0 "nothing half-stored"

# The lock goes; the same import now works.
printf 'ROLLBACK;\n' >&7
exec 7>&-
wait "$HOLDER" || true
untrack_pid "$HOLDER"
run ctl import "$T/a.pem"
assert_rc 0 "import once the lock is gone"
assert_eq "$(ctl --json status | jq -r .summary.total)" 1 "the certificate is stored"
nesd_stop
exit 0
