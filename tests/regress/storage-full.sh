#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# storage-full.sh - a full disk is said as it is (D7): the state directory
# on a small tmpfs that fills up; an import that no longer fits fails with
# exit 1 and SQLite's own reason ("database or disk is full"), not the
# "not an error" that the rollback used to leave; the error is logged at
# error priority; nothing is half-stored; status is still answered; once
# there is room again, the same import works. Needs root (mount).
. "$TOP_SRCDIR/tests/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "mounting a tmpfs needs root"
command -v mount >/dev/null || skip "no mount(8)"

NESD_STATE=$T/small/state
mkdir -p "$T/small"
mount -t tmpfs -o size=4m,mode=0700 nesd-test "$T/small" ||
    skip "cannot mount a tmpfs here"
track_mount "$T/small"

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

rm -f "$T/small/filler"
run ctl import "$T/many$failed.pem"
assert_rc 0 "the import works once there is room"
assert_eq "$(ctl --json status | jq -r .summary.total)" $((stored + 1)) \
    "all stored"
assert_eq "$(sqlite3 "$NESD_STATE/nesd.db" 'PRAGMA integrity_check')" ok \
    "the database is intact"
nesd_stop
exit 0
