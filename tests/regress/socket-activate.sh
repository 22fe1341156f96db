#!/bin/bash
# SPDX-License-Identifier: ISC
#
# socket-activate.sh - nesd under systemd's protocols without a systemd:
# sockets passed by systemd-socket-activate (blocking, as systemd passes
# them by default, named control and readonly as nesd.socket and
# nesd-ro.socket name them) are made non-blocking, answer one client after
# another, and SIGTERM ends nesd at once, leaving the sockets (systemd's)
# in place; the read-only socket refuses changes, whoever asks. The
# notification socket gets READY=1 and a STATUS= line that counts the
# certificates; with stderr on the "journal" ($JOURNAL_STREAM names it)
# each log line starts with its priority, errors at <3>, and no TCKN.
# Then --system binding both sockets itself: the read-only one 0666.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

command -v systemd-socket-activate >/dev/null ||
    skip "systemd-socket-activate is missing (Debian package systemd)"

# A notification socket like systemd's: every datagram, one a line.
"$PYTHON" - "$T/notify.sock" >"$T/notify.log" 2>&1 <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
while True:
    msg = s.recv(4096).decode()
    print(msg.replace("\n", " | "), flush=True)
EOF
NOTIFY_PID=$!
track_pid "$NOTIFY_PID"
wait_for test -S "$T/notify.sock"

mkdir -p "$T/certs"
mkcert "$T/certs/12345678950.pem" --days-left 50 --tckn 12345678950 \
    --cn "AYŞE YILMAZ"
printf '[inventory]\ncertificate_paths = %s, %s\n' "$T/certs" \
    "$T/missing-folder" >"$NESD_CONF"

# The journal: a file whose device and inode $JOURNAL_STREAM names.
: >"$NESD_LOG"
journal=$(stat -c '%d:%i' "$NESD_LOG")

systemd-socket-activate -l "$NESD_SOCK" -l "$T/ro.sock" \
    --fdname=control:readonly -E HOME -E XDG_RUNTIME_DIR -E LC_ALL -E TZ \
    -E PCSCLITE_CSOCK_NAME -E SOFTHSM2_CONF \
    -E NOTIFY_SOCKET="$T/notify.sock" -E JOURNAL_STREAM="$journal" \
    "$NESD" -d -c "$NESD_CONF" --state-dir "$NESD_STATE" \
    2>>"$NESD_LOG" &
SA_PID=$!
track_pid "$SA_PID"
wait_for test -S "$T/ro.sock"

# The first client starts nesd; the ones after it are answered too (a
# blocking listener would hang in accept after the first).
run timeout 10 "$NESCTL" -s "$NESD_SOCK" --json status
assert_rc 0 "first status starts nesd"
for i in 1 2 3; do
	run timeout 5 "$NESCTL" -s "$NESD_SOCK" --json status
	assert_rc 0 "status $i after the first"
done
total_is() {
	[ "$(jqr "$(ctl --json status)" .summary.total)" = "$1" ]
}
wait_for total_is 1
pid=$(jqr "$(ctl --json status)" .daemon.pid)
assert_eq "$pid" "$SA_PID" "nesd is the process systemd-socket-activate ran"
for fd in 3 4; do
	flags=$(awk '/^flags:/ { print $2 }' "/proc/$pid/fdinfo/$fd")
	[ $((0$flags & 04000)) -ne 0 ] ||
	    fail "inherited descriptor $fd is blocking (flags $flags)"
	[ $((0$flags & 02000000)) -ne 0 ] ||
	    fail "inherited descriptor $fd is not close-on-exec (flags $flags)"
done
assert_eq "$(jqr "$(ctl --json status)" .daemon.socket)" "$NESD_SOCK" \
    "status shows the socket systemd passed"

# The read-only socket: reading yes, changing no, even for its owner.
run "$NESCTL" -s "$T/ro.sock" --json status
assert_rc 0 "status through the read-only socket"
run "$NESCTL" -s "$T/ro.sock" --json forget 1
assert_rc 1 "forget through the read-only socket"
assert_eq "$(jqr "$RUN_OUT" .error.data.name)" not_permitted \
    "read-only socket: refused as not_permitted"
assert_contains "$RUN_ERR" "may only read" "read-only socket: the message"
run "$NESCTL" -s "$T/ro.sock" --json status
assert_rc 0 "read-only socket: still there after a refusal"
assert_eq "$(jqr "$RUN_OUT" .summary.total)" 1 "nothing was forgotten"

# sd_notify: ready, then what it tracks.
wait_for grep -q '^READY=1' "$T/notify.log"
wait_for grep -qE '^STATUS=1 certificate tracked \(1 expiring, 0 expired\); next reminder [0-9]{4}-[0-9]{2}-[0-9]{2} 09:30$' \
    "$T/notify.log"

# The journal: priorities, the error at <3>, no name, no TCKN.
assert_match "$(cat "$NESD_LOG")" '^<6>nesd 0\.[0-9.]+( \(with test hooks\))? started: socket from systemd' \
    "info at <6>"
assert_match "$(cat "$NESD_LOG")" "^<3>certificate path $T/missing-folder" \
    "a warning at <3>, found by journalctl -p err"
# (what systemd-socket-activate says comes first, up to its "Execing")
journal=$(sed '1,/^Execing /d' "$NESD_LOG")
assert_no_match "$journal" '^nesd: ' "no name prefix in the journal"
assert_no_match "$journal" '^[^<]' "every line has a priority"
assert_not_contains "$(cat "$NESD_LOG")" 12345678950 "no TCKN in the log"
assert_contains "$(cat "$NESD_LOG")" "1********50" "the TCKN masked"

# SIGTERM ends it at once, with the sockets left to systemd.
stop_pid "$SA_PID"
untrack_pid "$SA_PID"
assert_eq "$_rc" 0 "nesd exit status after SIGTERM"
assert_contains "$(cat "$NESD_LOG")" "<6>signal 15: exiting" "said why it ends"
[ -S "$NESD_SOCK" ] || fail "nesd removed the socket systemd passed"
[ -S "$T/ro.sock" ] || fail "nesd removed the read-only socket systemd passed"
assert_contains "$(cat "$T/notify.log")" "STOPPING=1" "STOPPING=1 sent"
rm -f "$NESD_SOCK" "$T/ro.sock"

# Something else passed as the socket: a clear error, not a hang.
run timeout -k 1 10 bash -c 'exec env LISTEN_PID=$$ LISTEN_FDS=1 "$@" \
    3<"$0"' "$NESD_CONF" "$NESD" -d -c "$NESD_CONF" \
    --state-dir "$NESD_STATE"
assert_rc 1 "a file passed as the socket"
assert_contains "$RUN_ERR" "inherited descriptor 3 is not a listening Unix stream socket" \
    "a file passed as the socket: the message"

# --system binding its own sockets: the read-only one for everyone.
cat >"$T/system.conf" <<EOF
[daemon]
readonly_socket = $T/ro.sock
socket_group = nesd-no-such-group
EOF
"$NESD" -d --system -c "$T/system.conf" --socket "$NESD_SOCK" \
    --state-dir "$NESD_STATE" >>"$T/system.log" 2>&1 &
SYS_PID=$!
track_pid "$SYS_PID"
wait_for rpc_probe "$T/ro.sock"
assert_eq "$(stat -c %a "$T/ro.sock")" 666 "read-only socket mode"
assert_eq "$(stat -c %a "$NESD_SOCK")" 660 "system socket mode"
run "$NESCTL" -s "$T/ro.sock" --json forget 1
assert_rc 1 "--system: forget through the read-only socket"
assert_eq "$(jqr "$RUN_OUT" .error.data.name)" not_permitted "--system: not_permitted"
stop_pid "$SYS_PID"
untrack_pid "$SYS_PID"
assert_eq "$_rc" 0 "--system: exit status after SIGTERM"
[ ! -e "$T/ro.sock" ] || fail "--system left its read-only socket behind"
[ ! -e "$NESD_SOCK" ] || fail "--system left its socket behind"
exit 0
