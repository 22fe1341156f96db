#!/bin/bash
# SPDX-License-Identifier: ISC
#
# bad-input.sh - what a client sends cannot hurt nesd: too many or idle
# connections, bad JSON, bad envelopes, unknown methods and params,
# notifications, pipelined requests, clients leaving early, an over-long
# line, files that are not certificates, changing methods from another uid.
# Each gets the documented error, and nesd keeps serving. The other-uid part
# needs root (setpriv to nobody); without root the test ends with SKIP after
# everything else passed.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

cat >"$NESD_CONF" <<EOF
[daemon]
socket_mode = 0666
max_connections_per_uid = 4
idle_timeout = 1
EOF
nesd_start
assert_eq "$(stat -c %a "$NESD_SOCK")" 666 "socket mode from socket_mode"

# max_connections_per_uid = 4: a fifth connection of the same uid is
# served, and the oldest idle one of that uid is closed with error 8
# (busy) to make room, so one process holding the cap cannot lock its
# owner out; when none of the four is idle (subscribers), the fifth gets
# error 8 itself. Connections of earlier commands may take a moment to
# count as closed: retried.
cat >"$T/maxconn.py" <<'EOF'
import json, socket, sys
HELLO = b'{"jsonrpc":"2.0","id":1,"method":"hello","params":{}}\n'
SUB = b'{"jsonrpc":"2.0","id":2,"method":"subscribe","params":{}}\n'
def talk(*reqs):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(3)
    s.connect(sys.argv[1])
    f = s.makefile("rb")
    out = [None]
    for req in reqs:
        try:
            s.sendall(req)
        except OSError:
            pass    # refused at once: the reason may still be there to read
        try:
            line = f.readline()
        except OSError:
            line = b""
        out.append(json.loads(line) if line else None)
        if out[-1] is None or "error" in out[-1]:
            break
    return s, f, out[-1]
def busy(r):
    return r is not None and r.get("error", {}).get("code") == 8 and \
        r["error"]["data"]["name"] == "busy"
held = []
for i in range(4):
    s, f, r = talk(HELLO)
    if r is None or "result" not in r:
        sys.exit("connection %d refused: %r" % (i + 1, r))
    held.append((s, f))
s, f, r = talk(HELLO)
if r is None or "result" not in r:
    sys.exit("fifth connection not served: %r" % r)
line = held[0][1].readline()
if not busy(json.loads(line) if line else None):
    sys.exit("the oldest idle connection got %r, not busy" % line)
if held[0][1].readline() != b"":
    sys.exit("the oldest idle connection was not closed")
for x in held[1:] + [(s, f)]:
    x[0].close()
subs = []
for i in range(4):
    s, f, r = talk(HELLO, SUB)
    if r is None or "result" not in r:
        sys.exit("subscriber %d refused: %r" % (i + 1, r))
    subs.append(s)
s, f, r = talk(HELLO)
if not busy(r):
    sys.exit("a fifth beside four subscribers: %r" % r)
s.close()
subs.pop().close()
for i in range(50):
    s, f, r = talk(HELLO)
    if r is not None and "result" in r:
        sys.exit(0)
    s.close()
sys.exit("no room after a connection closed: %r" % r)
EOF
for ((i = 0; i < 20; i++)); do
	run "$PYTHON" "$T/maxconn.py" "$NESD_SOCK"
	[ "$RUN_RC" -ne 0 ] || break
	sleep 0.1
done
assert_rc 0 "max_connections_per_uid = 4"

# idle_timeout = 1: a client that says nothing is closed after about 1 s.
start=$(date +%s%N)
out=$(rpc_raw --eof --timeout 4)
assert_eq "$out" "#EOF" "idle client closed"
ms=$((($(date +%s%N) - start) / 1000000))
[ "$ms" -ge 700 ] || fail "idle client closed after $ms ms, before idle_timeout"

HELLO='{"jsonrpc":"2.0","id":"h","method":"hello","params":{"protocol":1}}'

# expect_error REPLY CODE NAME ID WHAT
expect_error() {
	local got
	got=$(jq -r '[.error.code, .error.data.name, (.id | tojson), .jsonrpc,
	    (.error.message | type), has("result")] | map(tostring) |
	    join(" ")' <<<"$1" 2>/dev/null) || got="not JSON: $1"
	assert_eq "$got" "$2 $3 $4 2.0 string false" \
	    "$5: error code, data.name, id, jsonrpc, message type, has result"
}

# Not JSON: parse error, id null, and the same connection goes on.
out=$(rpc_raw 'this is not json' "$HELLO")
assert_eq "$(wc -l <<<"$out")" 2 "replies to a bad line and a hello"
expect_error "$(sed -n 1p <<<"$out")" -32700 parse_error null "not JSON"
assert_eq "$(sed -n 2p <<<"$out" | jq -r .id)" h "hello after a bad line: id"
assert_eq "$(sed -n 2p <<<"$out" | jq -r .result.protocol)" 1 \
    "hello after a bad line: protocol"
out=$(rpc_raw '{"jsonrpc":"2.0","id":1,"method":"hello"' "$HELLO")
expect_error "$(sed -n 1p <<<"$out")" -32700 parse_error null "cut JSON"
assert_eq "$(sed -n 2p <<<"$out" | jq -r .id)" h "hello after cut JSON"
out=$(rpc_raw $'\xff\xfe{}' "$HELLO")
expect_error "$(sed -n 1p <<<"$out")" -32700 parse_error null "not UTF-8"

# Valid JSON, not a request.
expect_error "$(rpc_raw '{"jsonrpc":"2.0","id":3}')" -32600 \
    invalid_request 3 "no method"
expect_error "$(rpc_raw '{"jsonrpc":"2.0","id":4,"method":""}')" -32600 \
    invalid_request 4 "empty method"
expect_error "$(rpc_raw '{"jsonrpc":"2.0","id":5,"method":7}')" -32600 \
    invalid_request 5 "method not a string"
expect_error "$(rpc_raw '{"jsonrpc":"1.0","id":6,"method":"hello"}')" -32600 \
    invalid_request 6 "jsonrpc 1.0"
expect_error "$(rpc_raw '[1,2]')" -32600 invalid_request null "an array"
expect_error "$(rpc_raw '{"jsonrpc":"2.0","id":{"a":1},"method":"hello"}')" \
    -32600 invalid_request null "an object as id"

# Unknown method.
r=$(rpc_raw '{"jsonrpc":"2.0","id":"x","method":"cert.frobnicate"}')
expect_error "$r" -32601 method_not_found '"x"' "unknown method"

# Bad params: -32602 naming the param.
r=$(rpc status '{"bogus":1}')
expect_error "$r" -32602 invalid_params 2 "unknown param"
assert_contains "$(jqr "$r" .error.message)" bogus "unknown param: named"
r=$(rpc status '{"limit":"ten"}')
expect_error "$r" -32602 invalid_params 2 "limit of the wrong type"
assert_contains "$(jqr "$r" .error.message)" limit "wrong type: named"
r=$(rpc status '{"limit":1001}')
expect_error "$r" -32602 invalid_params 2 "limit out of range"
assert_contains "$(jqr "$r" .error.message)" limit "out of range: named"
r=$(rpc cert.list '{"limit":0}')
expect_error "$r" -32602 invalid_params 2 "cert.list limit 0"
r=$(rpc cert.show '{}')
expect_error "$r" -32602 invalid_params 2 "cert.show without id"
assert_contains "$(jqr "$r" .error.message)" id "cert.show without id: named"
r=$(rpc cert.show '{"id":true}')
expect_error "$r" -32602 invalid_params 2 "cert.show id true"
r=$(rpc cert.import '{"data":"!!!not base64!!!"}')
assert_match "$(jqr "$r" .error.code)" '^(-32602|3)$' \
    "cert.import of bad base64"
r=$(rpc cert.import '{}')
expect_error "$r" -32602 invalid_params 2 "cert.import without data"
assert_contains "$(jqr "$r" .error.message)" data "without data: named"
r=$(rpc_raw '{"jsonrpc":"2.0","id":8,"method":"status","params":[50]}')
expect_error "$r" -32602 invalid_params 8 "params as an array"
r=$(rpc hello '{"protocol":2}')
expect_error "$r" 4 protocol_mismatch 2 "hello protocol 2"
assert_eq "$(jqr "$r" .error.data.protocol)" 1 "protocol_mismatch: ours"
r=$(rpc hello '{"protocol":1,"client":"regress"}')
assert_eq "$(jqr "$r" .result.daemon)" nesd "hello: daemon"
assert_eq "$(jqr "$r" '.result.methods | index("cert.import") != null')" true \
    "hello: methods"
assert_eq "$(jqr "$r" .result.can_change)" true "hello as the owner: can_change"

# id null is a request (JSON-RPC 2.0), answered with id null.
r=$(rpc_raw '{"jsonrpc":"2.0","id":null,"method":"hello"}')
assert_eq "$(jq -c .id <<<"$r")" null "id null: id"
assert_eq "$(jqr "$r" .result.protocol)" 1 "id null: answered"

# Fifty requests in one write: fifty replies, in request order.
lines=()
for ((i = 1; i <= 50; i++)); do
	case $((i % 3)) in
	0) m=hello ;;
	1) m=status ;;
	2) m=cert.list ;;
	esac
	lines+=("{\"jsonrpc\":\"2.0\",\"id\":$i,\"method\":\"$m\"}")
done
out=$(rpc_raw "${lines[@]}")
assert_eq "$(jq -s -c '[.[].id] == [range(1; 51)]' <<<"$out")" true \
    "fifty pipelined requests: replies in order"
assert_eq "$(jq -s -c '[.[] | select(has("result"))] | length' <<<"$out")" \
    50 "fifty pipelined requests: all answered"

# A client that leaves before its reply is written does not kill nesd
# (SIGPIPE).
for ((i = 0; i < 5; i++)); do
	"$PYTHON" -c 'import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}\n" * 20)
s.close()' "$NESD_SOCK"
done
rpc_probe || fail "nesd does not answer after clients left early"
nesd_alive || fail "nesd died when clients left before their replies"

# Notifications (no id) get no reply, not even an error; the next reply is
# the next request's.
out=$(rpc_raw -n 1 '{"jsonrpc":"2.0","method":"status"}' \
    '{"jsonrpc":"2.0","method":"no.such.method"}' \
    '{"jsonrpc":"2.0","method":"cert.show","params":{"bad":1}}' \
    '{"jsonrpc":"2.0","id":9,"method":"hello"}')
assert_eq "$(jqr "$out" .id)" 9 "first reply after notifications"

# A line of exactly 64 KiB is read; one byte more is error 7 with id null,
# then nesd closes the connection.
out=$(rpc_raw @long:65536)
assert_eq "$(jqr "$out" .result.protocol)" 1 "a 64 KiB line is answered"
out=$(rpc_raw --eof @long:65537 "$HELLO")
expect_error "$(sed -n 1p <<<"$out")" 7 line_too_long null "65537-byte line"
assert_eq "$(sed -n 2p <<<"$out")" "#EOF" "connection closed after line 7"
out=$(rpc_raw --eof @long:300000)
expect_error "$(sed -n 1p <<<"$out")" 7 line_too_long null "300 kB line"
assert_eq "$(sed -n 2p <<<"$out")" "#EOF" "closed after a 300 kB line"
# An endless line with no newline at all is cut off as well.
out=$("$PYTHON" - "$NESD_SOCK" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(5)
try:
    for i in range(64):
        s.sendall(b"x" * 4096)
except OSError:
    pass
data = b""
try:
    while True:
        c = s.recv(65536)
        if not c:
            break
        data += c
except OSError:
    pass
print(data.decode().strip())
EOF
)
expect_error "$out" 7 line_too_long null "256 kB without a newline"

# nesctl import of files that hold no certificate.
echo "just some text" >"$T/text.txt"
run ctl import "$T/text.txt"
assert_rc 1 "import of a text file"
assert_match "$RUN_ERR" '^nesctl: .*not a certificate' "text file: message"
mkcert "$T/cut.der" --format der --truncate 300
run ctl import "$T/cut.der"
assert_rc 1 "import of a truncated DER"
assert_match "$RUN_ERR" '^nesctl: .*truncated DER' "truncated DER: message"
: >"$T/empty.pem"
run ctl import "$T/empty.pem"
assert_rc 1 "import of an empty file"
assert_match "$RUN_ERR" '^nesctl: .*empty' "empty file: message"
run ctl import "$T/ca/ca.key"
assert_rc 1 "import of a private key"
assert_match "$RUN_ERR" '^nesctl: .*no certificate in PEM data' \
    "private key: message"
assert_not_contains "$RUN_ERR" "PRIVATE KEY-----" "key not echoed"
run ctl import "$T/no-such-file.pem"
assert_ne "$RUN_RC" 0 "import of a missing file"
assert_contains "$RUN_ERR" "$T/no-such-file.pem" "missing file: named"
r=$(rpc cert.import "{\"data\":\"$(base64 -w0 "$T/cut.der")\"}")
expect_error "$r" 3 bad_certificate 2 "cert.import of a truncated DER"
assert_contains "$(jqr "$r" .error.message)" "truncated DER" \
    "cert.import: message says why"
assert_eq "$(ctl --json status | jq .summary.total)" 0 "nothing imported"

# Read-only methods for everyone who can reach the socket, changing ones
# for the owner and root only.
mkcert "$T/good.pem" --days-left 100 --cn "ZEKİ MÜREN"
id=$(ctl --json import "$T/good.pem" | jq .certificates[0].id)
nesd_alive || fail "nesd died"
assert_eq "$(ctl --json status | jq .summary.total)" 1 "status at the end"

# JSON that is not an object, at the top: valid JSON, so not a parse error
# but an invalid request.
for v in '"hello"' 42 null true; do
	expect_error "$(rpc_raw "$v")" -32600 invalid_request null \
	    "the JSON value $v"
done
nesd_alive || fail "nesd died"

if [ "$(id -u)" -ne 0 ]; then
	skip "other-uid checks need root (setpriv to nobody)"
fi
command -v setpriv >/dev/null || skip "setpriv is missing"
getent passwd nobody >/dev/null || skip "no user nobody"
getent group nogroup >/dev/null || skip "no group nogroup"
chmod 755 "$T"
chmod 644 "$T/good.pem"
cp "$NESCTL" "$T/nesctl"
chmod 755 "$T/nesctl"
asnobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}
run asnobody "$T/nesctl" -s "$NESD_SOCK" import "$T/good.pem"
assert_rc 1 "import as nobody"
assert_match "$RUN_ERR" '^nesctl: .*not permitted' "import as nobody: message"
run asnobody "$T/nesctl" -s "$NESD_SOCK" forget "$id"
assert_rc 1 "forget as nobody"
assert_match "$RUN_ERR" 'not permitted' "forget as nobody: message"
run asnobody "$T/nesctl" -s "$NESD_SOCK" show "$id" --reveal
assert_rc 1 "show --reveal as nobody"
assert_match "$RUN_ERR" 'not permitted' "show --reveal as nobody: message"
run asnobody "$T/nesctl" -s "$NESD_SOCK" --json status
assert_rc 0 "status as nobody"
assert_eq "$(jqr "$RUN_OUT" .summary.total)" 1 "status as nobody: total"
run asnobody "$T/nesctl" -s "$NESD_SOCK" show "$id"
assert_rc 0 "show as nobody"
run asnobody "$T/nesctl" -s "$NESD_SOCK" list
assert_rc 0 "list as nobody"
r=$(asnobody "$PYTHON" "$T/rpc.py" -s "$NESD_SOCK" \
    '{"jsonrpc":"2.0","id":1,"method":"hello","params":{}}' \
    '{"jsonrpc":"2.0","id":2,"method":"cert.forget","params":{"id":1}}')
assert_eq "$(sed -n 1p <<<"$r" | jq .result.can_change)" false \
    "hello as nobody: can_change"
expect_error "$(sed -n 2p <<<"$r")" 1 not_permitted 2 "cert.forget as nobody"
assert_eq "$(ctl --json status | jq .summary.total)" 1 \
    "nothing forgotten by nobody"
nesd_alive || fail "nesd died"
nesd_stop
exit 0
