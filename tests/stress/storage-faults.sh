#!/bin/bash
# SPDX-License-Identifier: ISC
#
# storage-faults.sh - storage that fails under a running nesd, beyond
# storage.sh and storage-full.sh:
# - the database made read-only while nesd runs (chattr +i on the file and
#   its write-ahead log: every write fails, as on a file system remounted
#   read-only): an import fails with exit 1 and SQLite's reason, logged;
#   status is answered with what nesd has; N files dropped into the
#   watched folder meanwhile are counted as scan_failed and stored on
#   their own once the database is writable again; nothing is lost or
#   half-stored;
# - a write-ahead log left by a crash: N imports, kill -9 at once, the
#   log kept (and its -shm index deleted, as after a reboot): at the next
#   start every import is there;
# - nesd started on a read-only state directory says why and exits 1.
# PRAGMA integrity_check ok after each. Needs root (chattr, mount) and a
# file system with chattr +i. NESD_STRESS_FILES (20) sets the count.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/stress/stress.sh
. "$TOP_SRCDIR/tests/stress/stress.sh"

[ "$(id -u)" -eq 0 ] || skip "chattr +i and mount need root"
command -v chattr >/dev/null || skip "no chattr(1)"
N=$(stress_count FILES 20)
W=$T/watched
db=$NESD_STATE/nesd.db
mkdir -p "$W" "$T/later" "$T/imports"
probe=$T/probe
: >"$probe"
chattr +i "$probe" 2>/dev/null || skip "chattr +i does not work on $T"
chattr -i "$probe"
# Whatever happens, nothing immutable is left behind.
unlock() {
	chattr -i "$db" "$db-wal" 2>/dev/null || true
}
trap '_rc=$?; unlock; (exit "$_rc"); _cleanup' EXIT
"$MKCERT" --ca-dir "$T/ca" --count "$N" --days-left 150 --cn "SONRA GELEN" \
    "$T/later/" >/dev/null
"$MKCERT" --ca-dir "$T/ca" --count "$N" --days-left 250 --cn "İTHAL EDİLEN" \
    --format der "$T/imports/" >/dev/null
mkcert "$T/a.pem" --days-left 100 --cn "İLK KİŞİ"
mkcert "$T/b.pem" --days-left 200 --cn "İKİNCİ KİŞİ"
printf '[inventory]\ncertificate_paths = %s\n[status]\nenabled = no\n' \
    "$W" >"$NESD_CONF"
q() {
	sqlite3 "$db" "$1"
}
total() {
	ctl --json status | jq -r .summary.total
}
crashed=0 hung=0 lost=0

# ---- read-only while running ----------------------------------------------------
nesd_start
mem_before=$(rss_kib)
ctl import "$T/a.pem" >/dev/null
chattr +i "$db" "$db-wal"
run ctl import "$T/b.pem"
assert_rc 1 "an import into a read-only database"
assert_match "$RUN_ERR" "storage error: .*(readonly|read-only|I/O|not permitted)" \
    "SQLite's reason"
note "import on a read-only database: $RUN_ERR"
run ctl --json status
assert_rc 0 "status on a read-only database"
assert_eq "$(jqr "$RUN_OUT" .summary.total)" 1 "status shows what nesd has"
mv "$T"/later/* "$W/"
failed_now() {
	[ "$(ctl --json status | jq -r .daemon.scan_failed)" -gt 0 ]
}
wait_for failed_now
assert_match "$(cat "$NESD_LOG")" "store .*(readonly|read-only|I/O|not permitted)" \
    "the failure is logged"
chattr -i "$db" "$db-wal"
all_in() {
	[ "$(total)" -eq $((N + 1)) ]
}
for ((i = 0; i < 300; i++)); do
	all_in && break
	sleep 0.1
done
all_in || { hung=$((hung + 1)); lost=$((lost + N + 1 - $(total))); }
run ctl import "$T/b.pem"
assert_rc 0 "the import once the database is writable"
nesd_alive || crashed=$((crashed + 1))
nesd_stop
assert_eq "$(q 'PRAGMA integrity_check')" ok "integrity after read-only"
assert_eq "$(q 'SELECT count(*) FROM certs')" $((N + 2)) \
    "every certificate, once writable again"

# ---- a write-ahead log left by a crash -----------------------------------------
nesd_start
ctl import "$T"/imports/* >/dev/null
kill -KILL "$NESD_PID"
wait "$NESD_PID" 2>/dev/null || true
untrack_pid "$NESD_PID"
wal=$(stat -c %s "$db-wal" 2>/dev/null || echo 0)
note "after kill -9: write-ahead log of $wal bytes"
[ "$wal" -gt 0 ] || fail "no write-ahead log left by the kill"
rm -f "$db-shm"
nesd_start
got=$(q "SELECT count(*) FROM certs")
mem_after=$(rss_kib)
nesd_stop
[ "$got" -eq $((2 * N + 2)) ] || lost=$((lost + 2 * N + 2 - got))
assert_eq "$got" $((2 * N + 2)) "every import, from the write-ahead log"
assert_eq "$(q 'PRAGMA integrity_check')" ok "integrity after the crash"

# ---- a read-only state directory at start --------------------------------------
mount --bind "$NESD_STATE" "$NESD_STATE"
track_mount "$NESD_STATE"
mount -o remount,bind,ro "$NESD_STATE"
run timeout 10 "$NESD" -d -c "$NESD_CONF" --socket "$NESD_SOCK" \
    --state-dir "$NESD_STATE"
umount "$NESD_STATE"
assert_rc 1 "nesd on a read-only state directory"
assert_match "$RUN_ERR" "$NESD_STATE/.*Read-only file system" \
    "it names the file and the reason"
note "start on a read-only state directory: $RUN_ERR"
crashed=$((crashed + $(sanitizer_reports)))

stress_row storage-faults "read-only database + $N folder files, $N imports \
then kill -9 (WAL), read-only start" "$lost" - "$crashed" "$hung" \
    "$mem_before" "$mem_after" "loud, served, nothing lost or corrupted"
assert_eq "$crashed" 0 "sanitizer reports"
assert_eq "$lost" 0 "certificates lost"
exit 0
