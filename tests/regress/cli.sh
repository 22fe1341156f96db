#!/bin/bash
# SPDX-License-Identifier: ISC
#
# cli.sh - nesctl's command line: help and version, verb prefixes, usage
# errors (exit 2), finding the socket (-s, $NESD_SOCKET,
# $XDG_RUNTIME_DIR/nesd/nesd.sock), no daemon and protocol errors (exit 3),
# a refused request (exit 1), --json as one line.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

VERBS="status list show import forget"

# ---- without a daemon ----------------------------------------------------
run "$NESCTL" --help
assert_rc 0 "nesctl --help"
for v in $VERBS; do
	assert_match "$RUN_OUT" "(^|[^a-z])$v([^a-z]|$)" "--help lists $v"
done
run "$NESCTL" --version
assert_rc 0 "nesctl --version"
assert_contains "$RUN_OUT" "0.1.0" "--version"
run "$NESCTL" status --help
assert_rc 0 "nesctl status --help"
assert_contains "$RUN_OUT" "status" "status --help"
run "$NESCTL" show --help
assert_rc 0 "nesctl show --help"
assert_contains "$RUN_OUT" "--reveal" "show --help names its options"

run "$NESCTL" help
assert_rc 0 "nesctl help"
for v in $VERBS; do
	assert_contains "$RUN_OUT" "$v" "help lists $v"
done
run "$NESCTL" help show
assert_rc 0 "nesctl help show"
assert_contains "$RUN_OUT" "--reveal" "help show"

run "$NESCTL" frobnicate
assert_rc 2 "unknown verb"
for v in $VERBS; do
	assert_contains "$RUN_ERR" "$v" "unknown verb: lists $v"
done
assert_contains "$RUN_ERR" "frobnicate" "unknown verb: named"
run "$NESCTL" s
assert_rc 2 "ambiguous prefix"
assert_contains "$RUN_ERR" "show" "ambiguous prefix: candidates"
assert_contains "$RUN_ERR" "status" "ambiguous prefix: candidates"
run "$NESCTL"
assert_rc 2 "no verb"
run "$NESCTL" show
assert_rc 2 "show without ID"
assert_match "$RUN_ERR" '[Uu]sage|ID' "show without ID: message"
run "$NESCTL" show 1 2
assert_rc 2 "show with two IDs"
run "$NESCTL" show not-an-id
assert_rc 2 "show with a bad ID"
run "$NESCTL" show abc
assert_rc 2 "show with a 3-digit prefix"
run "$NESCTL" forget
assert_rc 2 "forget without ID"
run "$NESCTL" import
assert_rc 2 "import without a file"
run "$NESCTL" status extra
assert_rc 2 "status with an argument"
run "$NESCTL" status --reveal
assert_rc 2 "status --reveal"
run "$NESCTL" --bogus status
assert_rc 2 "unknown option"
run "$NESCTL" -s
assert_rc 2 "-s without a path"

# No daemon: exit 3 and the message of the spec.
mkdir "$T/empty"
run "$NESCTL" -s "$T/empty/sock" status
assert_rc 3 "no daemon"
want="nesctl: cannot connect to $T/empty/sock: No such file or directory;"
want="$want is nesd running?"
assert_eq "$RUN_ERR" "$want" "no daemon: message"
run "$NESCTL" -s "$T/empty/sock" --json list
assert_rc 3 "no daemon (list --json)"
# Under --json the failure is a JSON object on stdout (json-errors.sh).
assert_eq "$(jqr "$RUN_OUT" .error.data.name)" no_daemon \
    "no daemon: --json says so on stdout, as JSON"

# Something that is not nesd on the socket: a protocol error, exit 3.
fake() {
	"$PYTHON" - "$1" "$2" <<'EOF' &
import json, socket, sys
path, reply = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX)
s.bind(path)
s.listen(1)
open(path + ".ready", "w").close()
c, _ = s.accept()
line = c.makefile("rb").readline()
if reply.startswith("{"):
    r = json.loads(reply)
    try:
        r["id"] = json.loads(line)["id"]
    except Exception:
        pass
    reply = json.dumps(r, separators=(",", ":"))
c.sendall(reply.encode() + b"\n")
c.close()
EOF
	FAKE_PID=$!
	track_pid "$FAKE_PID"
	wait_for test -e "$1.ready"
}
fake "$T/fake1.sock" "this is no JSON"
run "$NESCTL" -s "$T/fake1.sock" status
assert_rc 3 "garbage from the socket"
assert_match "$RUN_ERR" '^nesctl: ' "garbage: message"
stop_pid "$FAKE_PID"
untrack_pid "$FAKE_PID"
fake "$T/fake2.sock" '{"jsonrpc":"2.0","id":1,"error":{"code":4,
    "message":"protocol version mismatch",
    "data":{"name":"protocol_mismatch","protocol":7}}}'
run "$NESCTL" -s "$T/fake2.sock" status
assert_rc 3 "protocol mismatch"
assert_match "$RUN_ERR" '^nesctl: .*protocol.*(1[^0-9].*7|7[^0-9].*1)' \
    "protocol mismatch: both versions"
stop_pid "$FAKE_PID"
untrack_pid "$FAKE_PID"

# ---- with a daemon -------------------------------------------------------
nesd_start
mkcert "$T/a.pem" --days-left 42 --cn "GÖKHAN ÇİFTÇİ"
ctl import "$T/a.pem" >/dev/null
run ctl stat
assert_rc 0 "prefix stat"
assert_contains "$RUN_OUT" "GÖKHAN ÇİFTÇİ" "prefix stat: the table"
run ctl --json stat
assert_rc 0 "--json stat"
assert_eq "$(wc -l <<<"$RUN_OUT")" 1 "--json prints one line"
assert_eq "$(jqr "$RUN_OUT" .summary.total)" 1 "--json stat: total"
id=$(jqr "$RUN_OUT" .certificates[0].id)
run ctl sh "$id"
assert_rc 0 "prefix sh (show)"
assert_contains "$RUN_OUT" "GÖKHAN ÇİFTÇİ" "prefix sh: shows the certificate"
run ctl li
assert_rc 0 "prefix li (list)"
assert_contains "$RUN_OUT" "GÖKHAN ÇİFTÇİ" "list: the table"
run ctl --json list
assert_eq "$(wc -l <<<"$RUN_OUT")" 1 "list --json prints one line"

# A refused request: exit 1, "nesctl: <message>".
run ctl show 4242
assert_rc 1 "show of an unknown id"
assert_match "$RUN_ERR" '^nesctl: ' "refused: message"
assert_eq "$RUN_OUT" "" "refused: nothing on stdout"
run ctl --json forget 4242
assert_rc 1 "forget of an unknown id"

# Finding the socket without -s.
run env NESD_SOCKET="$NESD_SOCK" "$NESCTL" --json status
assert_rc 0 "\$NESD_SOCKET"
assert_eq "$(jqr "$RUN_OUT" .summary.total)" 1 "\$NESD_SOCKET: status"
run env NESD_SOCKET="$T/empty/sock" "$NESCTL" -s "$NESD_SOCK" status
assert_rc 0 "-s wins over \$NESD_SOCKET"
run "$NESCTL" status
assert_rc 3 "no -s, no \$NESD_SOCKET, no socket in \$XDG_RUNTIME_DIR"
mkdir -p "$XDG_RUNTIME_DIR/nesd"
ln -s "$NESD_SOCK" "$XDG_RUNTIME_DIR/nesd/nesd.sock"
run "$NESCTL" --json status
assert_rc 0 "\$XDG_RUNTIME_DIR/nesd/nesd.sock"
assert_eq "$(jqr "$RUN_OUT" .summary.total)" 1 "XDG socket: status"
nesd_stop
exit 0
