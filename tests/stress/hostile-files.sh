#!/bin/bash
# SPDX-License-Identifier: ISC
#
# hostile-files.sh - files that fight back, through `nesctl import` and a
# watched folder: the x509 corpus of Debian's python3-cryptography-vectors
# (some 1,700 certificates, chains, bundles, malformed and odd ones: every
# file of it), plus a FIFO, a symbolic-link loop, a link to its own
# folder, a 1 GB sparse file, an unreadable file, files deleted while the
# folder is read, and E empty files. Run under ASan and UBSan by the
# sanitizers suite. Holds: every file of the corpus is accepted (stored
# with its location) or refused with a reason (nesctl's message naming
# it; in the folder, the daemon's log line naming it), the same
# certificates are found both ways, the scan ends, `nesctl status` is
# answered while it runs, nesd never crashes, hangs or leaks descriptors.
# NESD_STRESS_EMPTY (2000) sets the empty files; NESD_STRESS_VECTORS
# names another corpus folder.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/stress/stress.sh
. "$TOP_SRCDIR/tests/stress/stress.sh"

V=${NESD_STRESS_VECTORS:-/usr/lib/python3/dist-packages/cryptography_vectors/x509}
E=$(stress_count EMPTY 2000)
[ -d "$V" ] || skip "no x509 corpus in $V (tools/deps.sh installs" \
    "python3-cryptography-vectors)"
find "$V" -type f | sort >"$T/corpus"
NF=$(wc -l <"$T/corpus")
[ "$NF" -ge 100 ] || fail "only $NF files in $V"
cat >"$NESD_CONF" <<EOF
[status]
enabled = no
EOF
db=$NESD_STATE/nesd.db
q() {
	sqlite3 "$db" "$1"
}
crashed=0 hung=0

# ---- through nesctl import, 200 files a run ------------------------------------
nesd_start -v -v
mem_before=$(rss_kib)
fds_before=$(find "/proc/$NESD_PID/fd" -mindepth 1 | wc -l)
: >"$T/refused"
split -l 200 "$T/corpus" "$T/chunk."
for c in "$T"/chunk.*; do
	rc=0
	timeout 120 xargs -d '\n' "$NESCTL" -s "$NESD_SOCK" import <"$c" \
	    >/dev/null 2>>"$T/refused" || rc=$?
	[ "$rc" -ne 124 ] || hung=$((hung + 1))
	nesd_alive || { crashed=$((crashed + 1)); break; }
done
nesd_alive || fail "nesd died importing the corpus"
# What nesctl refused: "nesctl: PATH: reason", a reason for every one.
sed -n "s|^nesctl: \\($V/[^:]*\\): .\\{3,\\}|\\1|p" "$T/refused" | sort -u \
    >"$T/refused.paths"
q "SELECT DISTINCT path FROM locations WHERE source = 'import'" | sort \
    >"$T/accepted.paths"
both=$(comm -12 "$T/accepted.paths" "$T/refused.paths" | wc -l)
neither=$(sort -u "$T/accepted.paths" "$T/refused.paths" |
    comm -23 "$T/corpus" - | tee "$T/neither" | wc -l)
accepted=$(wc -l <"$T/accepted.paths")
refused=$(wc -l <"$T/refused.paths")
imported_certs=$(q "SELECT count(DISTINCT cert_id) FROM locations WHERE
    source = 'import'")
note "import: $NF files, $accepted accepted ($imported_certs certificates)," \
    "$refused refused with a reason, $neither unanswered, $both both"

# ---- through a watched folder, with the hostile files ------------------------
W=$T/w
mkdir -p "$W/empty" "$W/churn"
cp -r "$V" "$W/vectors"
mkfifo "$W/fifo.pem"
ln -s loop-b.pem "$W/loop-a.pem"
ln -s loop-a.pem "$W/loop-b.pem"
ln -s . "$W/self"
truncate -s 1G "$W/sparse-1g.pem"
mkcert "$W/unreadable.pem" --days-left 100 --cn "OKUNMAZ DOSYA"
chmod 000 "$W/unreadable.pem"
(cd "$W/empty" && seq -f 'e%06g.pem' 1 "$E" | xargs touch)
printf '[inventory]\ncertificate_paths = %s\nscan_depth = 8\n[status]\nenabled = no\n' \
    "$W" >"$NESD_CONF"
# Files made and deleted while the folder is read.
mkcert "$T/churn.pem" --days-left 100 --cn "GELİP GİDEN"
(
	for ((i = 0; i < 200; i++)); do
		cp "$T/churn.pem" "$W/churn/c$i.pem"
		rm -f "$W/churn/c$((i - 1)).pem"
	done
	rm -f "$W"/churn/*
) &
churn=$!
kill -HUP "$NESD_PID"
answered_during=0
for ((i = 0; i < 1200; i++)); do
	s=$(timeout 5 "$NESCTL" -s "$NESD_SOCK" --json status) ||
	    { hung=$((hung + 1)); break; }
	p=$(jqr "$s" .daemon.scan_pending)
	[ "$p" -eq 0 ] || answered_during=$((answered_during + 1))
	[ "$p" -gt 0 ] || ! kill -0 "$churn" 2>/dev/null || continue
	[ "$p" -gt 0 ] || break
	sleep 0.1
done
wait "$churn" || true
nesd_alive || crashed=$((crashed + 1))
[ "$(ctl --json status | jq -r .daemon.scan_pending)" = 0 ] || hung=$((hung + 1))
sleep 1	# the churn's last events
mem_after=$(rss_kib)
fds_after=$(find "/proc/$NESD_PID/fd" -mindepth 1 | wc -l)

# Every corpus file in the folder: a location, or a log line naming it.
q "SELECT DISTINCT path FROM locations WHERE source = 'file' AND path LIKE
    '$W/vectors/%'" | sed "s|^$W/vectors|$V|" | sort >"$T/folder.accepted"
sed -n "s|^nesd: file \\($W/vectors/[^:]*\\): .\\{3,\\}|\\1|p" "$NESD_LOG" |
    sed "s|^$W/vectors|$V|" | sort -u >"$T/folder.refused"
folder_neither=$(sort -u "$T/folder.accepted" "$T/folder.refused" |
    comm -23 "$T/corpus" - | tee "$T/folder.neither" | wc -l)
folder_certs=$(q "SELECT count(DISTINCT cert_id) FROM locations WHERE
    source = 'file' AND path LIKE '$W/vectors/%'")
note "folder: $(wc -l <"$T/folder.accepted") accepted ($folder_certs" \
    "certificates), $(wc -l <"$T/folder.refused") refused with a reason," \
    "$folder_neither unanswered; status answered $answered_during times" \
    "during the scan"
note "unreadable file: $(q "SELECT count(*) FROM locations WHERE path =
    '$W/unreadable.pem'") locations (root reads it anyway)"
churned=$(q "SELECT count(*) FROM locations WHERE path LIKE '$W/churn/%'
    AND present = 1")
nesd_stop
crashed=$((crashed + $(sanitizer_reports)))

stress_row hostile-files "$NF corpus files x 2 ways, FIFO, loops, 1 GB \
sparse, unreadable, churn, $E empty" "$((neither + folder_neither))" - \
    "$crashed" "$hung" "$mem_before" "$mem_after" \
    "each file accepted or refused with a reason, none crashes or hangs"
note "descriptors: $fds_before before, $fds_after after"

assert_eq "$crashed" 0 "nesd crashed (or a sanitizer spoke)"
assert_eq "$hung" 0 "nesd did not answer, or the scan did not end"
assert_eq "$both" 0 "files both accepted and refused by import"
[ "$neither" -eq 0 ] || fail "import: $neither files neither accepted nor" \
    "refused: $(head -5 "$T/neither")"
[ "$folder_neither" -eq 0 ] || fail "folder: $folder_neither files neither" \
    "stored nor refused with a reason: $(head -5 "$T/folder.neither")"
assert_eq "$folder_certs" "$imported_certs" \
    "the same certificates by import and from the folder"
assert_eq "$churned" 0 "files deleted while read still present"
assert_match "$(cat "$NESD_LOG")" "sparse-1g\\.pem: skipped, larger than" \
    "the 1 GB file skipped, saying why"
assert_match "$(cat "$NESD_LOG")" "loop-a\\.pem: Too many levels of symbolic" \
    "the link loop named"
assert_match "$(cat "$NESD_LOG")" "fifo\\.pem: not a file or a folder, skipped" \
    "the FIFO named"
[ "$fds_after" -lt $((fds_before + 20)) ] ||
    fail "descriptors: $fds_before before, $fds_after after"
exit 0
