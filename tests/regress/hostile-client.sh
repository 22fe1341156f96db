#!/bin/bash
# SPDX-License-Identifier: ISC
#
# hostile-client.sh - clients that misbehave get every answer they are
# owed and no more than nesd can afford:
# - D4: 300 requests, then shutdown(SHUT_WR): all 300 replies arrive
#   (about 200 KB; before, the close at EOF cut them at 16 KiB), and a last
#   request without its newline is answered too;
# - an invalid request without an id is a notification: no reply, not even
#   an error (nesd-proto(7)); the next request is answered;
# - D2: a client asks cert.check of a responder that hangs, then floods
#   hello without reading: nesd stops reading it once the replies queued
#   behind the deferred one pass the high-water mark (8 MiB), so the client
#   stalls, nesd's memory stays bounded (RssAnon grows by less than 64 MiB)
#   and `nesctl status` is answered meanwhile.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/ocsp-lib.sh
. "$TOP_SRCDIR/tests/fixtures/ocsp-lib.sh"

# Under AddressSanitizer freed memory waits in a quarantine (256 MiB by
# default) and counts in RssAnon: keep it small so what is measured is
# what nesd holds. No effect on a build without it.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4"

ocsp_setup
mkdir -p "$T/trust"
cp "$PKI/ca.crt" "$T/trust/"
cat >"$NESD_CONF" <<EOF
[status]
timeout = 25s
rate = 0
trust_dir = $T/trust
EOF
nesd_start
ctl import "$PKI/slow.crt" >/dev/null
slow=$(ctl --json list | jq -r '.certificates[0].id')

cat >"$T/hostile.py" <<'EOF'
import json, os, socket, sys, time
path, what = sys.argv[1], sys.argv[2]
HELLO = '{"jsonrpc":"2.0","id":%d,"method":"hello","params":{}}\n'

def conn():
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(20)
    s.connect(path)
    return s

def lines(s):
    data = b""
    while True:
        b = s.recv(65536)
        if not b:
            return [json.loads(l) for l in data.split(b"\n") if l]
        data += b

if what == "halfclose":
    s = conn()
    s.sendall("".join(HELLO % i for i in range(1, 301)).encode())
    s.sendall(b'{"jsonrpc":"2.0","id":301,"method":"hello","params":{}}')
    s.shutdown(socket.SHUT_WR)
    got = lines(s)
    ids = [r.get("id") for r in got]
    if ids != list(range(1, 302)):
        sys.exit("after SHUT_WR: %d replies, ids %r..%r" %
                 (len(got), ids[:3], ids[-3:]))
    print("ok %d" % len(got))
elif what == "notification":
    s = conn()
    s.sendall(b'{"jsonrpc":"1.0","method":"hello"}\n'
              b'{"method":7}\n' + (HELLO % 7).encode())
    s.shutdown(socket.SHUT_WR)
    got = lines(s)
    if [r.get("id") for r in got] != [7]:
        sys.exit("invalid notifications were answered: %r" % got)
    print("ok")
elif what == "flood":
    cert = int(sys.argv[3])
    s = conn()
    s.sendall(('{"jsonrpc":"2.0","id":1,"method":"cert.check",'
               '"params":{"id":%d}}\n' % cert).encode())
    time.sleep(0.5)
    s.setblocking(False)
    chunk = "".join(HELLO % (i + 2) for i in range(1000)).encode()
    sent, stalled, start = 0, 0, time.time()
    # Push until nesd stops reading us for two seconds, or 20 MB: their
    # replies (each 13 times as long) would be 260 MB if all were queued.
    while sent < 20 << 20 and time.time() - start < 20:
        try:
            sent += s.send(chunk)
            stalled = 0
        except BlockingIOError:
            stalled += 1
            if stalled > 40:
                break
            time.sleep(0.05)
    print("sent %d" % sent, flush=True)
    sys.stdin.readline()    # hold the connection while the test measures
EOF

# ---- D4: half-close -------------------------------------------------------
run "$PYTHON" "$T/hostile.py" "$NESD_SOCK" halfclose
assert_rc 0 "every reply after shutdown(SHUT_WR)"

# ---- invalid notifications -------------------------------------------------
run "$PYTHON" "$T/hostile.py" "$NESD_SOCK" notification
assert_rc 0 "no reply to an invalid request without id"

# ---- D2: a flood behind a deferred reply ------------------------------------
rss() {
	awk '/^RssAnon:/ { print $2 }' "/proc/$NESD_PID/status"
}
before=$(rss)
mkfifo "$T/hold"
"$PYTHON" "$T/hostile.py" "$NESD_SOCK" flood "$slow" <"$T/hold" \
    >"$T/flood.out" 2>&1 &
FLOOD=$!
track_pid "$FLOOD"
exec 7>"$T/hold"
wait_line "$T/flood.out" '^sent ' "$FLOOD"
sent=$(awk '/^sent / { print $2 }' "$T/flood.out")
after=$(rss)
note "flood: client pushed $sent bytes; RssAnon $before -> $after KiB"
[ "$sent" -lt $((20 << 20)) ] ||
    fail "nesd read all $sent bytes of a client that does not read its replies"
[ $((after - before)) -lt $((64 << 10)) ] ||
    fail "nesd grew by $(((after - before) >> 10)) MiB behind a deferred reply"
run ctl status
assert_rc 0 "status answered while a client floods behind a deferred reply"
exec 7>&-
stop_pid "$FLOOD"
untrack_pid "$FLOOD"
nesd_stop
exit 0
