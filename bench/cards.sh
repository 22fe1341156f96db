#!/bin/bash
# SPDX-License-Identifier: ISC
# bench/cards.sh: how long a card takes from appearing in pcscd to the
# card.inserted and cert.seen events on a subscribed client (median over
# INSERTS insertions, default 20), split into pcscd's share (the virtual
# card connecting to vpcd until nesd's watcher thread sees it; vpcd is
# polled every 400 ms) and nesd's (from there to the events, the PKCS#11
# read through OpenSC included); then nesd's context switches per minute
# with a card in the reader and nothing happening (IDLE seconds, default
# 60). Uses the test fixtures: a private pcscd with vpcd, the virtual PIV
# card, OpenSC's module. Prints figures; asserts nothing. Builds an
# optimised nesd in build/bench.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
inserts=${INSERTS:-20}
idle=${IDLE:-60}
"$top/tools/build.sh" build/bench >/dev/null
export TOP_SRCDIR=$top TOP_BUILDDIR=$top/build/bench
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
# shellcheck source=tests/fixtures/card.sh
. "$top/tests/fixtures/card.sh"

# A subscriber that writes "<arrival ms> <line>" for every line it gets.
cat >"$T/sub.py" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"hello","params":{}}\n'
          b'{"jsonrpc":"2.0","id":2,"method":"subscribe",'
          b'"params":{"events":["card","cert.seen"]}}\n')
out, buf = open(sys.argv[2], "w", buffering=1), b""
while True:
    data = s.recv(65536)
    if not data:
        break
    t = int(time.time() * 1000)
    buf += data
    while b"\n" in buf:
        line, buf = buf.split(b"\n", 1)
        out.write("%d %s\n" % (t, line.decode()))
EOF

# What the insertions took, from the card's log and the subscriber's.
cat >"$T/figures.py" <<'EOF'
import json, statistics, sys
card_log, sub_log, serial = sys.argv[1:4]
inserted = [int(l.split()[1]) for l in open(card_log) if l.startswith("inserted")]
events = []
for l in open(sub_log):
    at, line = l.split(" ", 1)
    m = json.loads(line)
    if m.get("method", "").startswith("event."):
        events.append((int(at), m["method"][6:], m["params"]))
rows = []
for t0 in inserted:
    ins = next((e for e in events if e[1] == "card.inserted" and
                e[2]["seen_ms"] >= t0), None)
    if ins is None:
        continue
    seen = next((e for e in events if e[1] == "cert.seen" and
                 e[2]["path"] == serial and e[0] >= ins[0]), None)
    if seen is None:
        continue
    t1 = ins[2]["seen_ms"]
    rows.append((t1 - t0, ins[0] - t1, seen[0] - t1, seen[0] - t0))
def show(name, i):
    v = [r[i] for r in rows]
    print("  %-44s median %5d ms  (min %d, max %d)" % (name,
          statistics.median(v), min(v), max(v)))
print("insertions measured: %d" % len(rows))
show("pcscd: card connected -> watcher sees it", 0)
show("nesd: watcher -> card.inserted at client", 1)
show("nesd: watcher -> cert.seen at client", 2)
show("total: card connected -> cert.seen", 3)
EOF

lines_ge_match() { # file pattern n: at least n lines match
	[ "$(grep -c -- "$2" "$1" || true)" -ge "$3" ]
}

switches() { # pid: voluntary and involuntary, all threads
	cat /proc/"$1"/task/*/status | awk '/ctxt_switches/ { n += $2 }
	    END { print n }'
}

mkcert "$T/sign.pem" --cn "AYŞE YILMAZ" --days-left 300
mkcert "$T/auth.pem" --cn "AYŞE YILMAZ" --kind plain --days-left 300
serial=$(card_serial bench)
pcscd_start
card_conf
nesd_start
"$PYTHON" "$T/sub.py" "$NESD_SOCK" "$T/sub.out" &
track_pid $!
wait_for ctl_true status '.daemon.clients >= 2'
card_insert bench --removed --cert 9a:"$T/auth.pem" --cert 9c:"$T/sign.pem"
for ((i = 1; i <= inserts; i++)); do
	n=$(grep -c '"event.card.read"' "$T/sub.out" || true)
	card_in bench
	wait_for lines_ge_match "$T/sub.out" '"event.card.read"' $((n + 1))
	card_out bench
	wait_for reader_empty "$READER0"
done
echo "nesd $("$NESD" -V | cut -d' ' -f2), $(nproc) CPUs, $(uname -r)"
echo "card to events, $inserts insertions of a PIV card with 2 certificates:"
"$PYTHON" "$T/figures.py" "$T/card-bench.log" "$T/sub.out" "$serial"

card_in bench
wait_for reader_has_card "$READER0"
sleep 2
a=$(switches "$NESD_PID") p=$(switches "$PCSCD_PID")
sleep "$idle"
b=$(switches "$NESD_PID") q=$(switches "$PCSCD_PID")
echo "idle, card in the reader, ${idle} s:"
echo "  nesd context switches per minute: $(((b - a) * 60 / idle))" \
    "(pcscd, for comparison: $(((q - p) * 60 / idle)))"
echo "  nesd resident memory: $(awk '/VmRSS/ { print $2, $3 }' \
    /proc/"$NESD_PID"/status)"
nesd_stop
