#!/bin/bash
# SPDX-License-Identifier: ISC
#
# crash-scan.sh - kill -9 while a folder of N certificate files is read
# (from the start of nesd on) and, every other time, while `nesctl import`
# stores a PKCS#7 bundle of B certificates and I single files, K times at
# random moments; then nesd is left to finish. Holds: the inventory is
# complete (every file's certificate, one location each), the bundle is
# stored whole or not at all after each kill (one import is one
# transaction) and whole once imported again, no certificate is without a
# location, no reminder without a certificate, PRAGMA integrity_check ok,
# and nesd never crashed. NESD_STRESS_FILES (1000), NESD_STRESS_BUNDLE
# (25, the most a request holds), NESD_STRESS_IMPORTS (100) and
# NESD_STRESS_KILLS (6) set the counts.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/stress/stress.sh
. "$TOP_SRCDIR/tests/stress/stress.sh"

N=$(stress_count FILES 1000)
B=$(stress_count BUNDLE 25)
I=$(stress_count IMPORTS 100)
K=$(stress_count KILLS 6)
W=$T/certs
mkdir -p "$W"
"$MKCERT" --ca-dir "$T/ca" --count "$N" --days-left 200 "$W/" >/dev/null
"$MKCERT" --ca-dir "$T/ca" --count "$B" --days-left 300 --format p7 \
    --cn "PAKET KİŞİ" "$T/bundle.p7" >/dev/null
mkdir -p "$T/single"
"$MKCERT" --ca-dir "$T/ca" --count "$I" --days-left 400 --format der \
    --cn "TEK KİŞİ" "$T/single/" >/dev/null
cat >"$NESD_CONF" <<EOF
[inventory]
certificate_paths = $W
[status]
enabled = no
EOF
db=$NESD_STATE/nesd.db
# q SQL: a query of nesd's database; 0 while there is none or it has no
# tables yet (killed that early). sqlite3 must not make the file: nesd
# would keep an empty one aside as emptied.
q() {
	if [ -s "$db" ]; then
		sqlite3 "$db" "$1" 2>/dev/null || echo 0
	else
		echo 0
	fi
}
# bundled: certificates stored from the bundle; imported: all imported.
bundled() {
	q "SELECT count(DISTINCT cert_id) FROM locations WHERE source =
	    'import' AND path = '$T/bundle.p7'"
}
imported() {
	q "SELECT count(DISTINCT cert_id) FROM locations WHERE source =
	    'import'"
}

crashed=0 partial=0
for ((k = 1; k <= K; k++)); do
	if ((k % 2 == 1)); then
		# Killed at any moment of the start and the scan.
		nesd_spawn
		sleep "$(random_ms 0 $((N / 10)))"
	else
		# Killed while imports are stored.
		nesd_start
		ctl import "$T/bundle.p7" "$T"/single/* >/dev/null 2>&1 &
		imp=$!
		sleep "$(random_ms 0 $((I * 3)))"
	fi
	nesd_alive || crashed=$((crashed + 1))
	nesd_kill9
	if ((k % 2 == 0)); then
		wait "$imp" 2>/dev/null || true
	fi
	got=$(bundled)
	if [ "$got" -ne 0 ] && [ "$got" -ne "$B" ]; then
		partial=$((partial + 1))
	fi
	note "kill $k: $(q 'SELECT count(*) FROM certs') certificates," \
	    "$got of the bundle"
done

nesd_start
mem_before=$(rss_kib)
scanned() {
	[ "$(ctl --json status | jq -r .daemon.scan_pending)" = 0 ] &&
	    [ "$(q "SELECT count(DISTINCT cert_id) FROM locations WHERE
	    source != 'import'")" -ge "$N" ]
}
hung=0
for ((i = 0; i < 600; i++)); do
	scanned && break
	sleep 0.1
done
scanned || hung=1
run ctl import "$T/bundle.p7" "$T"/single/*
assert_rc 0 "the imports again after the kills"
mem_after=$(rss_kib)
nesd_alive || crashed=$((crashed + 1))
nesd_stop
crashed=$((crashed + $(sanitizer_reports)))

files=$(q "SELECT count(DISTINCT cert_id) FROM locations WHERE source !=
    'import'")
folder_locs=$(q "SELECT count(*) FROM locations WHERE source != 'import'")
orphans=$(q "SELECT count(*) FROM certs WHERE id NOT IN (SELECT cert_id
    FROM locations)")
loose=$(q "SELECT count(*) FROM reminders WHERE cert_id NOT IN (SELECT id
    FROM certs)")
lost=$((N - files + B + I - $(imported)))
stress_row crash-scan "$N files, $B-cert bundle + $I imports, $K kills -9" \
    "$lost" \
    "$((folder_locs - files))" "$crashed" "$hung" "$mem_before" \
    "$mem_after" "inventory complete, nothing half-stored"

assert_eq "$(sqlite3 "$db" 'PRAGMA integrity_check')" ok \
    "PRAGMA integrity_check"
assert_eq "$crashed" 0 "nesd crashed (or a sanitizer spoke)"
assert_eq "$hung" 0 "the scan did not end within 60 s"
assert_eq "$files" "$N" "certificates from the folder"
assert_eq "$folder_locs" "$N" "one location per file"
assert_eq "$(bundled)" "$B" "the bundle, imported again"
assert_eq "$(imported)" $((B + I)) "everything imported again"
assert_eq "$partial" 0 "a bundle half-stored after a kill"
assert_eq "$orphans" 0 "certificates without a location"
assert_eq "$loose" 0 "reminders without a certificate"
exit 0
