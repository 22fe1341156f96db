#!/bin/bash
# SPDX-License-Identifier: ISC
#
# single-instance.sh - one nesd per socket and per state directory: a second
# one refuses to start with a clear message and leaves the first alone; a
# stale socket left by a killed nesd is removed; a regular file at the
# socket path is an error and is not removed.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

mkcert "$T/a.pem" --days-left 100 --cn "TEK KİŞİ"
fp=$(fingerprint "$T/a.pem")
nesd_start
ctl import "$T/a.pem" >/dev/null
first=$NESD_PID

# nesd2 [args]: another nesd, bounded in time, in the foreground.
nesd2() {
	run timeout -k 1 10 "$NESD" -d -c "$NESD_CONF" "$@"
}

# Same socket, another state directory: someone answers there.
nesd2 --socket "$NESD_SOCK" --state-dir "$T/state2"
assert_rc 1 "second nesd on the same socket"
assert_contains "$RUN_ERR" "another nesd is running on $NESD_SOCK" \
    "second nesd on the same socket: message"
kill -0 "$first" || fail "the first nesd died"
[ -S "$NESD_SOCK" ] || fail "the second nesd removed the first's socket"
has_cert "$fp" || fail "the first nesd does not answer any more"

# Same state directory, another socket: the lock names the owner.
nesd2 --socket "$T/other.sock" --state-dir "$NESD_STATE"
assert_rc 1 "second nesd on the same state directory"
assert_contains "$RUN_ERR" \
    "another nesd (pid $first) uses state directory $NESD_STATE" \
    "second nesd on the same state directory: message"
[ ! -e "$T/other.sock" ] || fail "refused nesd left $T/other.sock"
has_cert "$fp" || fail "the first nesd does not answer any more"
[ -e "$NESD_STATE/nesd.lock" ] || fail "no lock file $NESD_STATE/nesd.lock"

# kill -9: the socket file stays behind, stale; the next nesd removes it.
kill -KILL "$first"
{ wait "$first"; } 2>/dev/null || true
untrack_pid "$first"
NESD_PID=
[ -S "$NESD_SOCK" ] || fail "no stale socket after kill -9 (test premise)"
if rpc_probe; then
	fail "stale socket still answers"
fi
nesd_start
has_cert "$fp" || fail "certificate lost after kill -9 and restart"
assert_eq "$(ctl --json status | jq .daemon.pid)" "$NESD_PID" "new daemon.pid"

# A regular file where the socket should go: an error, the file stays.
echo "keep me" >"$T/file.sock"
nesd2 --socket "$T/file.sock" --state-dir "$T/state3"
assert_rc 1 "nesd with a regular file at the socket path"
assert_contains "$RUN_ERR" "$T/file.sock" "message names the socket path"
assert_eq "$(cat "$T/file.sock")" "keep me" "the regular file was kept"

# A socket path that cannot be made (under a regular file): exit 1 naming
# it, no hang.
nesd2 --socket "$T/file.sock/x" --state-dir "$T/state4"
assert_rc 1 "nesd with a socket path under a regular file"
assert_contains "$RUN_ERR" "$T/file.sock/x" "message names the socket path"

has_cert "$fp" || fail "nesd stopped answering"
nesd_stop
exit 0
