#!/bin/bash
# SPDX-License-Identifier: ISC
#
# watch-hostile.sh - a watched folder that fights back (D3): 4,000 files
# with symbolic-link cycles (a link to the folder itself, a link from a
# subfolder to its parent) and a second name for a file. The scan ends;
# each certificate has exactly one location (its real file); `nesctl
# status` is answered while the scan is still under way (scan_pending > 0
# in an answer: the loop yields between batches instead of draining the
# queue first); and SIGTERM in the middle of a scan ends nesd (exit 0).

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

W=$T/certs
N=4000
mkdir -p "$W/sub"
"$MKCERT" --ca-dir "$T/ca" --count $N "$W/sub/" >/dev/null
ln -s . "$W/l1"
ln -s .. "$W/sub/up"
ln -s "$W/sub" "$W/sub/again"
ln -s sub/cert-00001.pem "$W/second-name.pem"
cat >"$NESD_CONF" <<EOF
[inventory]
certificate_paths = $W
scan_depth = 6
EOF

nesd_start
# The first answers come while the queue still holds work.
seen_pending=0
for ((i = 0; i < 400; i++)); do
	s=$(ctl --json status)
	p=$(jqr "$s" .daemon.scan_pending)
	if [ "$p" -gt 0 ]; then
		seen_pending=1
	elif [ "$(jqr "$s" .summary.total)" -eq $N ]; then
		break
	fi
	sleep 0.05
done
assert_eq "$seen_pending" 1 "status answered while the scan was under way"
wait_for test "$(ctl --json status | jq -r '.daemon.scan_pending')" = 0
assert_eq "$(ctl --json status | jq -r .summary.total)" $N "every certificate found"
locs=$(sqlite3 "$NESD_STATE/nesd.db" "SELECT count(*) FROM locations")
assert_eq "$locs" $N "one location per real file, none through the links"
one=$(ctl --json list | jq -r '.certificates[0].id')
n=$(ctl --json show "$one" | jq '.locations | length')
assert_eq "$n" 1 "a certificate's locations"
assert_no_match "$(sqlite3 "$NESD_STATE/nesd.db" "SELECT path FROM locations")" \
    '/l1/|/up/|/again/' "no location through a link to a folder"
nesd_stop

# SIGTERM during a full rescan (a fresh state directory): exit 0.
rm -rf "$NESD_STATE"
nesd_start
kill -TERM "$NESD_PID"
for ((i = 0; i < 100; i++)); do
	kill -0 "$NESD_PID" 2>/dev/null || break
	sleep 0.05
done
rc=0
if kill -0 "$NESD_PID" 2>/dev/null; then
	fail "nesd ignored SIGTERM during a scan for 5 s"
fi
wait "$NESD_PID" || rc=$?
untrack_pid "$NESD_PID"
assert_eq "$rc" 0 "exit status after SIGTERM during a scan"
exit 0
