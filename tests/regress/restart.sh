#!/bin/bash
# SPDX-License-Identifier: ISC
#
# restart.sh - the inventory survives a restart: same ids, fingerprints and
# first-seen times, forgotten ones stay forgotten, new ids do not reuse old
# ones; an idle client does not hold up SIGTERM. The state directory is
# 0700, the database 0600 and the socket 0600 by default, even with umask 000.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

for d in 10 40 400; do
	tckn=$(tckn_make "$(printf '1234%03d99' "$d")")
	mkcert "$T/c$d.pem" --days-left "$d" --tckn "$tckn" \
	    --cn "HÜLYA KOÇ $d"
done
mkcert "$T/three.pem" --count 3 --days-left 1000 --cn "ORHAN GÖK"

[ ! -e "$NESD_STATE" ] || fail "state dir exists before the first start"
# The modes must not depend on the umask nesd inherits.
umask 000
nesd_start
umask 022
assert_eq "$(stat -c %a "$NESD_STATE")" 700 "state dir mode"
assert_eq "$(stat -c %a "$NESD_SOCK")" 600 "socket mode (default socket_mode)"
ctl import "$T/c10.pem" "$T/c40.pem" "$T/c400.pem" "$T/three.pem" >/dev/null
id40=$(ctl --json list | jq -r '.certificates[] |
    select(.holder_name == "HÜLYA KOÇ 40") | .id')
ctl forget "$id40" >/dev/null
before=$(ctl --json list | jq -c '[.certificates[] | {id, fingerprint,
    first_seen, holder_name, not_after, tckn}]')
sum_before=$(ctl --json status | jq -c .summary)
assert_eq "$(jqr "$before" length)" 5 "certificates before the restart"
maxid=$(jqr "$before" 'map(.id) | max')
[ "$maxid" -ge "$id40" ] || maxid=$id40

assert_eq "$(stat -c %a "$NESD_STATE/nesd.db")" 600 "database mode"
for f in "$NESD_STATE"/nesd.db*; do
	case $(stat -c %a "$f") in
	600|400) ;;
	*) fail "$f is mode $(stat -c %a "$f"): readable by others" ;;
	esac
done
oldpid=$NESD_PID
# A client that connected and says nothing does not hold up SIGTERM.
"$PYTHON" -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
open(sys.argv[2], "w").close()
time.sleep(30)' "$NESD_SOCK" "$T/idle.ready" &
idle=$!
track_pid "$idle"
wait_for test -e "$T/idle.ready"
nesd_stop
stop_pid "$idle"
untrack_pid "$idle"

assert_eq "$(stat -c %a "$NESD_STATE")" 700 "state dir mode after stop"
assert_eq "$(stat -c %a "$NESD_STATE/nesd.db")" 600 "database mode after stop"

nesd_start
assert_ne "$NESD_PID" "$oldpid" "a new nesd"
after=$(ctl --json list | jq -c '[.certificates[] | {id, fingerprint,
    first_seen, holder_name, not_after, tckn}]')
assert_eq "$after" "$before" "inventory after the restart"
assert_eq "$(ctl --json status | jq -c .summary)" "$sum_before" \
    "summary after the restart"
assert_eq "$(ctl --json status | jq .daemon.pid)" "$NESD_PID" "daemon.pid"

# A new certificate gets an id never used before (not the forgotten one's).
mkcert "$T/late.pem" --days-left 77 --cn "YENİ KİŞİ"
newid=$(ctl --json import "$T/late.pem" | jq .certificates[0].id)
[ "$newid" -gt "$maxid" ] || fail "new id $newid reuses an old one (<= $maxid)"
# The forgotten certificate, imported again, is back.
ctl import "$T/c40.pem" >/dev/null
assert_eq "$(ctl --json status | jq .summary.total)" 7 "total at the end"
assert_eq "$(stat -c %a "$NESD_STATE/nesd.db")" 600 "database mode at the end"
nesd_stop
exit 0
