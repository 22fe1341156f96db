#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# storage.sh - a locked database is said as it is: while another process
# holds the database's write lock past nesd's busy timeout, `nesctl
# import` fails with exit 1 and SQLite's own reason ("database is
# locked"); the daemon keeps serving, and the import succeeds once the lock
# is gone. A database emptied to 0 bytes, or one that is not a database, is
# kept aside under a new name (D8), named in status and the log, and a new
# one, with an id of its own, takes its place.
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
assert_eq "$(ctl --json status | jq -r .daemon.store_aside)" null \
    "nothing kept aside"
nesd_stop

# ---- D8: an emptied (0-byte) database is kept aside, not silently reused ---
db=$NESD_STATE/nesd.db
old_id=$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'db_id'")
rm -f "$db-wal" "$db-shm"
: >"$db"
nesd_start
aside=$(ctl --json status | jq -r .daemon.store_aside)
assert_match "$aside" "^$db\\.damaged-[0-9]{8}T[0-9]{6}\$" \
    "status names where the emptied database went"
assert_eq "$(stat -c %s "$aside")" 0 "the emptied file kept as it was"
assert_match "$(cat "$NESD_LOG")" "emptied \\(0 bytes\\); kept aside as" \
    "the log says so"
new_id=$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'db_id'")
assert_ne "$new_id" "$old_id" "the new database has an id of its own"
nesd_stop

# ---- a database that is not one (garbage) is kept aside too ------------------
rm -f "$db-wal" "$db-shm" "$aside"
head -c 8192 /dev/urandom >"$db"
cp "$db" "$T/garbage"
nesd_start
aside=$(ctl --json status | jq -r .daemon.store_aside)
assert_match "$aside" "\\.damaged-" "status names the garbage kept aside"
cmp -s "$aside" "$T/garbage" || fail "the garbage was changed"
assert_match "$(cat "$NESD_LOG")" "not a database; kept aside" "logged"
run ctl import "$T/a.pem"
assert_rc 0 "the new database works"
nesd_stop
exit 0
