#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# storage-full.sh - a full disk is said as it is (D7): the state directory
# on a small tmpfs that fills up; an import that no longer fits fails with
# exit 1 and SQLite's own reason ("database or disk is full"), not the
# "not an error" that the rollback used to leave; the error is logged at
# error priority; nothing is half-stored; status is still answered; once
# there is room again, the same import works. Files dropped into a watched
# folder while the disk is full are read again on their own once there is
# room (D6: before, they waited for a SIGHUP), and status counts them as
# scan_failed meanwhile. Needs root (mount).
. "$TOP_SRCDIR/tests/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "mounting a tmpfs needs root"
command -v mount >/dev/null || skip "no mount(8)"

NESD_STATE=$T/small/state
mkdir -p "$T/small"
mount -t tmpfs -o size=4m,mode=0700 nesd-test "$T/small" ||
    skip "cannot mount a tmpfs here"
track_mount "$T/small"

W=$T/watched
mkdir -p "$W"
printf '[inventory]\ncertificate_paths = %s\n' "$W" >"$NESD_CONF"
nesd_start
mkcert "$T/one.pem" --not-after "$(not_after_in 200)" --cn "Ali Veli" \
    --tckn 10000000146
ctl import "$T/one.pem" >/dev/null

# Small imports: SQLite writes their pages to the WAL at COMMIT, so that
# is where a full disk shows (and where the old rollback hid the reason).
for f in $(seq 1 40); do
	mkcert "$T/many$f.pem" --not-after "$(not_after_in $((100 + f)))" \
	    --cn "Deneme Kişi $f"
done

# Fill the disk, then import until one no longer fits.
dd if=/dev/zero of="$T/small/filler" bs=4096 status=none 2>/dev/null || true
stored=1 failed=
for f in $(seq 1 40); do
	run ctl import "$T/many$f.pem"
	if [ "$RUN_RC" -ne 0 ]; then
		failed=$f
		break
	fi
	stored=$((stored + 1))
done
[ -n "$failed" ] || fail "the disk never filled up: $(df -h "$T/small" | tail -1)"
assert_rc 1 "an import that does not fit"
assert_match "$RUN_ERR" "disk is full|disk I/O error" "SQLite's reason is reported"
assert_not_contains "$RUN_ERR" "not an error" "the reason survived the rollback"
run ctl --json status
assert_rc 0 "status is still answered on a full disk"
assert_eq "$(jqr "$RUN_OUT" .summary.total)" "$stored" \
    "nothing of the failed import stored"
assert_match "$(cat "$NESD_LOG")" "store .*(full|I/O)" "the failure is logged"

# Files that arrive in the watched folder now cannot be stored either.
for i in $(seq 1 20); do
	mkcert "$T/w$i.pem" --not-after "$(not_after_in $((300 + i)))" \
	    --cn "Klasör Kişi $i"
	mv "$T/w$i.pem" "$W/"
done
failed_now() {
	[ "$(ctl --json status | jq -r .daemon.scan_failed)" -gt 0 ]
}
wait_for failed_now
assert_eq "$(ctl --json status | jq -r .summary.total)" "$stored" \
    "nothing of the folder stored on a full disk"

rm -f "$T/small/filler"
# Read again on their own (the first retry is 5 s after the failure).
all_in() {
	[ "$(ctl --json status | jq -r '.summary.total')" -eq $((stored + 20)) ]
}
for ((i = 0; i < 300; i++)); do
	all_in && break
	sleep 0.1
done
all_in || fail "the folder's files were not read again: $(ctl --json status |
    jq -c '{total: .summary.total, failed: .daemon.scan_failed}')"
assert_eq "$(ctl --json status | jq -r .daemon.scan_failed)" 0 \
    "scan_failed back to 0"
stored=$((stored + 20))
run ctl import "$T/many$failed.pem"
assert_rc 0 "the import works once there is room"
assert_eq "$(ctl --json status | jq -r .summary.total)" $((stored + 1)) \
    "all stored"
assert_eq "$(sqlite3 "$NESD_STATE/nesd.db" 'PRAGMA integrity_check')" ok \
    "the database is intact"
nesd_stop
exit 0
