# SPDX-License-Identifier: ISC
# shellcheck shell=bash
#
# lib.sh - helpers sourced by tests/regress/*.sh. Sourcing it makes a private
# directory T (removed on exit), points HOME and the XDG directories into it
# and defines: nesd_start/nesd_stop (nesd in the foreground on T/sock and
# T/state, a direct child stopped by PID), ctl (nesctl bound to that socket),
# rpc_raw (a raw protocol client in Python), assertions, wait_for, skip and
# certificate helpers, and the peers of the reminder channels from
# tests/fixtures (a private session bus with dbusmock's notification
# daemon, SMTP and HTTP sinks on free ports) with the test clock. A failing
# test prints why and the logs in T.
#
# Conditions given to wait_for must return a status, not call fail: fail
# exits the whole script.

set -eu -o pipefail
set -E

_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP_SRCDIR=${TOP_SRCDIR:-$(dirname "$_lib_dir")}
# Run from a build tree (cd build/default && bash ../../tests/regress/X.sh,
# or tests/run.sh X), the programs are the ones built there.
if [ -z "${TOP_BUILDDIR:-}" ]; then
	if [ -f config.status ] && [ -x nesd ]; then
		TOP_BUILDDIR=$PWD
	else
		TOP_BUILDDIR=$TOP_SRCDIR
	fi
fi
NESD=${NESD:-$TOP_BUILDDIR/nesd}
NESCTL=${NESCTL:-$TOP_BUILDDIR/nesctl}
MKCERT=${MKCERT:-$TOP_BUILDDIR/tests/nes-mkcert}
PYTHON=/usr/bin/python3
export TOP_SRCDIR TOP_BUILDDIR NESD NESCTL MKCERT
# Under AddressSanitizer freed memory waits in a 256 MiB quarantine before
# it is reused, which tests that bound nesd's memory would count as its
# own: a small one keeps the figures nesd's.
if ldd "$NESD" 2>/dev/null | grep -q libasan &&
    [[ ${ASAN_OPTIONS:-} != *quarantine_size_mb* ]]; then
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16
fi

# Same text and local time for every run: English messages, a real time zone
# (not UTC) so local-time milestones are exercised.
export LC_ALL=C.UTF-8
unset LANGUAGE LANG NESD_SOCKET NESD_TEST_NOW NESD_TEST_HOOKS NESD_LOCALEDIR
# Never the desktop session of the user running the tests: the desktop
# channel talks only to a bus a test starts (bus_start).
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
if [ -e /usr/share/zoneinfo/Europe/Istanbul ]; then
	export TZ=Europe/Istanbul
fi
umask 022

T=$(mktemp -d "${TMPDIR:-/tmp}/nesd-test.XXXXXX")
NESD_SOCK=$T/sock
NESD_STATE=$T/state
NESD_CONF=$T/nesd.conf
NESD_LOG=$T/nesd.log
NESD_PID=
_PIDS=()

# Nothing of the user running the tests is read or written.
export HOME=$T/home
export XDG_CONFIG_HOME=$T/home/.config XDG_STATE_HOME=$T/home/.local/state
export XDG_RUNTIME_DIR=$T/run
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# Nor its smart card service or tokens: card tests start their own.
export PCSCLITE_CSOCK_NAME=$T/no-pcscd/pcscd.comm
export SOFTHSM2_CONF=$T/no-softhsm2.conf

_test_name=$(basename "$0")

# stop_pid PID: SIGTERM (SIGKILL after 3 s), reap; its exit status in _rc.
stop_pid() {
	local pid=$1 i
	_rc=0
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 60; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "$_test_name: pid $pid ignored SIGTERM for 3 s, killed" >&2
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || _rc=$?
}

_cleanup() {
	local rc=$? f i
	set +e
	trap - ERR
	# Last started, first stopped: nesd before the bus it talks to.
	for ((i = ${#_PIDS[@]} - 1; i >= 0; i--)); do
		stop_pid "${_PIDS[i]}"
	done
	for f in "${_MOUNTS[@]}"; do
		umount "$f" 2>/dev/null || umount -l "$f" 2>/dev/null
	done
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
		for f in "$T"/*.log; do
			[ -s "$f" ] || continue
			echo "--- $(basename "$f") (last 60 lines)" >&2
			tail -n 60 "$f" >&2
		done
		echo "$_test_name: FAILED (exit $rc)" >&2
	fi
	rm -rf "$T"
	exit "$rc"
}
trap _cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A command failing under set -e says where, once, from the main shell.
_on_err() {
	if [ "$BASH_SUBSHELL" -eq 0 ]; then
		echo "FAIL: ${BASH_SOURCE[1]##*/}:$2: '$3' exited $1" >&2
	fi
}
trap '_on_err $? $LINENO "$BASH_COMMAND"' ERR

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*"
	exit 77
}

note() {
	echo "# $*"
}

# assert_eq GOT WANT WHAT
assert_eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"
}

# assert_ne GOT UNWANTED WHAT
assert_ne() {
	[ "$1" != "$2" ] || fail "$3: got '$1'"
}

# assert_match TEXT ERE WHAT: TEXT has a line matching the extended regex.
assert_match() {
	grep -qE -- "$2" <<<"$1" || fail "$3: /$2/ not in: $1"
}

# assert_no_match TEXT ERE WHAT
assert_no_match() {
	! grep -qE -- "$2" <<<"$1" || fail "$3: /$2/ unexpected in: $1"
}

# assert_contains TEXT STRING WHAT: fixed string, case sensitive.
assert_contains() {
	grep -qF -- "$2" <<<"$1" || fail "$3: '$2' not in: $1"
}

# assert_not_contains TEXT STRING WHAT
assert_not_contains() {
	! grep -qF -- "$2" <<<"$1" || fail "$3: '$2' must not appear in: $1"
}

# run CMD...: run without stopping on failure; sets RUN_RC, RUN_OUT, RUN_ERR.
run() {
	RUN_RC=0
	"$@" >"$T/.run.out" 2>"$T/.run.err" || RUN_RC=$?
	RUN_OUT=$(cat "$T/.run.out")
	RUN_ERR=$(cat "$T/.run.err")
}

# assert_rc WANT WHAT: the status of the last run.
assert_rc() {
	[ "$RUN_RC" -eq "$1" ] || fail "$2: exit $RUN_RC, want $1;" \
	    "stdout: $RUN_OUT; stderr: $RUN_ERR"
}

# wait_for CMD...: until CMD succeeds, at most ~5 s.
wait_for() {
	local i
	for ((i = 0; i < 100; i++)); do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.05
	done
	fail "timed out after 5 s waiting for: $*"
}

# jqr JSON FILTER [jq args]: jq -r on a string.
jqr() {
	local json=$1 filter=$2
	shift 2
	jq -r "$@" "$filter" <<<"$json"
}

# ---- raw protocol client -------------------------------------------------

cat >"$T/rpc.py" <<'EOF'
# Raw client for nesd's socket: send lines, print reply lines as they come.
# "@long:N" sends a hello request padded to exactly N bytes (before "\n").
# Prints "#EOF" when nesd closes, "#TIMEOUT" when replies did not come.
import argparse, os, socket, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("-s", required=True)
ap.add_argument("-n", type=int, help="replies to wait for (default: lines)")
ap.add_argument("--eof", action="store_true", help="then wait for close")
ap.add_argument("--probe", action="store_true")
ap.add_argument("--timeout", type=float, default=5.0)
ap.add_argument("lines", nargs="*")
a = ap.parse_args()

def longline(n):
    head = '{"jsonrpc":"2.0","id":1,"method":"hello","params":{"client":"'
    tail = '"}}'
    return head + "x" * (n - len(head) - len(tail)) + tail

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(1.0 if a.probe else a.timeout)
try:
    s.connect(a.s)
except OSError as e:
    if not a.probe:
        print("rpc.py: cannot connect to %s: %s" % (a.s, e.strerror),
              file=sys.stderr)
    sys.exit(3)
if a.probe:
    a.lines = ['{"jsonrpc":"2.0","id":0,"method":"hello","params":{}}']
data = b"".join((longline(int(l[6:])) if l.startswith("@long:") else l)
                .encode("utf-8", "surrogateescape") + b"\n" for l in a.lines)
try:
    s.sendall(data)
except OSError:
    pass    # nesd may close early (a line too long): read what it said
want = a.n if a.n is not None else len(a.lines)
buf, got, deadline = b"", 0, time.monotonic() + a.timeout
while got < want or a.eof:
    left = deadline - time.monotonic()
    if left <= 0:
        print("#TIMEOUT", flush=True)
        break
    s.settimeout(left)
    try:
        chunk = s.recv(1 << 16)
    except socket.timeout:
        continue
    except OSError:
        chunk = b""
    if not chunk:
        if buf:
            print(buf.decode(errors="replace"), flush=True)
        print("#EOF", flush=True)
        break
    buf += chunk
    while b"\n" in buf and (got < want or a.eof):
        line, buf = buf.split(b"\n", 1)
        got += 1
        if a.probe:
            sys.exit(0 if b'"result"' in line else 1)
        print(line.decode(errors="replace"), flush=True)
if a.probe:
    sys.exit(1)
EOF

# rpc_raw [-n N] [--eof] [-s SOCK] LINE...: send the lines on one connection,
# print the reply lines (see rpc.py above).
rpc_raw() {
	"$PYTHON" "$T/rpc.py" -s "$NESD_SOCK" "$@"
}

# rpc METHOD [PARAMS_JSON]: hello, then one request; prints its reply line.
rpc() {
	local req params='{}'
	if [ $# -ge 2 ]; then
		params=$2
	fi
	req=$(jq -cn --arg m "$1" --argjson p "$params" \
	    '{jsonrpc:"2.0",id:2,method:$m,params:$p}')
	rpc_raw '{"jsonrpc":"2.0","id":1,"method":"hello","params":{"protocol":1}}' \
	    "$req" | tail -n 1
}

# rpc_probe [SOCK]: true when something answers hello on the socket.
rpc_probe() {
	"$PYTHON" "$T/rpc.py" --probe -s "${1:-$NESD_SOCK}"
}

# ---- nesd and nesctl ---------------------------------------------------------

# track_pid PID: stop PID when the test ends.
track_pid() {
	_PIDS+=("$1")
}

# track_mount DIR: unmount DIR (a mount the test made) when the test ends.
_MOUNTS=()
track_mount() {
	_MOUNTS+=("$1")
}

untrack_pid() {
	local p keep=()
	for p in "${_PIDS[@]}"; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	_PIDS=("${keep[@]}")
}

# nesd_start [nesd args]: start nesd -d on NESD_SOCK, NESD_STATE, NESD_CONF
# (written if missing), logging to NESD_LOG; wait until it answers.
nesd_start() {
	local i rc=0
	if [ ! -e "$NESD_CONF" ]; then
		printf '# nesd.conf written by tests/lib.sh\n[daemon]\n' \
		    >"$NESD_CONF"
	fi
	echo "=== nesd_start $(date +%T.%N) $*" >>"$NESD_LOG"
	"$NESD" -d -c "$NESD_CONF" --socket "$NESD_SOCK" \
	    --state-dir "$NESD_STATE" "$@" >>"$NESD_LOG" 2>&1 &
	NESD_PID=$!
	track_pid "$NESD_PID"
	for ((i = 0; i < 250; i++)); do
		if [ -S "$NESD_SOCK" ] && rpc_probe "$NESD_SOCK"; then
			return 0
		fi
		if ! kill -0 "$NESD_PID" 2>/dev/null; then
			wait "$NESD_PID" || rc=$?
			untrack_pid "$NESD_PID"
			fail "nesd exited $rc at start-up:" \
			    "$(tail -n 20 "$NESD_LOG")"
		fi
		sleep 0.02
	done
	fail "nesd did not answer on $NESD_SOCK within 5 s"
}

# nesd_stop: SIGTERM, reap, expect exit 0 and the socket file gone.
nesd_stop() {
	local pid=$NESD_PID
	[ -n "$pid" ] || fail "nesd_stop: no nesd started"
	stop_pid "$pid"
	untrack_pid "$pid"
	NESD_PID=
	[ "$_rc" -eq 0 ] || fail "nesd (pid $pid) exited $_rc after SIGTERM"
	[ ! -e "$NESD_SOCK" ] || fail "nesd left $NESD_SOCK behind on exit"
}

# nesd_alive: nesd_start's nesd still runs.
nesd_alive() {
	[ -n "$NESD_PID" ] && kill -0 "$NESD_PID" 2>/dev/null
}

ctl() {
	"$NESCTL" -s "$NESD_SOCK" "$@"
}

# has_test_hooks: $NESD was built with ./configure --enable-test-hooks
# (NESD_TEST_NOW, NESD_TEST_HOOKS, test.clock, test.cert_status); such a
# nesd says so in its version.
has_test_hooks() {
	"$NESD" -V 2>/dev/null | grep -q '(with test hooks)$'
}

# need_test_hooks: for a test that drives nesd through the hooks; skips
# (77), saying why, when $NESD was built without them.
need_test_hooks() {
	has_test_hooks || skip "needs the test hooks: $NESD was built" \
	    "without ./configure --enable-test-hooks"
}

# ---- certificates ------------------------------------------------------------

# mkcert OUT [nes-mkcert options]: all from one test CA in T/ca.
mkcert() {
	local out=$1
	shift
	"$MKCERT" --ca-dir "$T/ca" "$@" "$out"
}

# not_after_in DAYS: a notAfter DAYS days and a minute from now, as
# nes-mkcert's --not-after wants it; days_left (calendar days, local
# time) is then exactly DAYS, unless midnight falls in that minute.
not_after_in() {
	date -u -d "@$(($(date +%s) + $1 * 86400 + 60))" +%Y-%m-%dT%H:%M:%SZ
}

# epoch_of DATE: "2026-01-01T00:00:00Z" as epoch seconds.
epoch_of() {
	date -u -d "$1" +%s
}

# milestone_at NOT_AFTER OFFSET [HH:MM]: when milestone OFFSET ("3m", "25d")
# before NOT_AFTER (epoch) falls due: the local date moved back (months
# clamped to the month's end), at HH:MM local time (default 09:30).
milestone_at() {
	"$PYTHON" - "$@" <<'PY'
import calendar, datetime, sys, time
na, off = int(sys.argv[1]), sys.argv[2]
hh, mm = map(int, (sys.argv[3] if len(sys.argv) > 3 else "09:30").split(":"))
lt = time.localtime(na)
y, m, d = lt.tm_year, lt.tm_mon, lt.tm_mday
n = int(off[:-1])
if off.endswith("m"):
    k = y * 12 + (m - 1) - n
    y, m = k // 12, k % 12 + 1
    d = min(d, calendar.monthrange(y, m)[1])
    day = datetime.date(y, m, d)
else:
    day = datetime.date(y, m, d) - datetime.timedelta(days=n)
print(int(time.mktime((day.year, day.month, day.day, hh, mm, 0, 0, 0, -1))))
PY
}

# tckn_make 9DIGITS: the valid TCKN with those first nine digits.
tckn_make() {
	local b=$1 o e d10 s=0 i
	o=$((${b:0:1} + ${b:2:1} + ${b:4:1} + ${b:6:1} + ${b:8:1}))
	e=$((${b:1:1} + ${b:3:1} + ${b:5:1} + ${b:7:1}))
	d10=$((((7 * o - e) % 10 + 10) % 10))
	for ((i = 0; i < 9; i++)); do
		s=$((s + ${b:i:1}))
	done
	echo "$b$d10$(((s + d10) % 10))"
}

# tckn_mask TCKN: "1********50".
tckn_mask() {
	echo "${1:0:1}********${1:9:2}"
}

# fingerprint FILE [pem|der|p7|p7pem]: sha256 of the (first) certificate's DER.
fingerprint() {
	local f=$1 fmt=${2:-pem}
	case $fmt in
	pem) openssl x509 -in "$f" -noout -fingerprint -sha256 ;;
	der) openssl x509 -inform DER -in "$f" -noout -fingerprint -sha256 ;;
	p7) openssl pkcs7 -inform DER -in "$f" -print_certs |
	    openssl x509 -noout -fingerprint -sha256 ;;
	p7pem) openssl pkcs7 -in "$f" -print_certs |
	    openssl x509 -noout -fingerprint -sha256 ;;
	esac | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f'
}

# status_json: nesctl --json status (limit raised through the raw client
# is not needed: tests stay under 50 certificates unless they say so).
status_json() {
	ctl --json status
}

# has_cert FINGERPRINT: status lists it.
has_cert() {
	ctl --json status | jq -e --arg f "$1" \
	    'any(.certificates[]; .fingerprint == $f)' >/dev/null
}

# cert_json FINGERPRINT: that certificate's object from status.
cert_json() {
	ctl --json status | jq -c --arg f "$1" \
	    '.certificates[] | select(.fingerprint == $f)'
}

# cert_is FINGERPRINT JQ_FILTER VALUE: the filter on that certificate's
# status object prints VALUE (for wait_for).
cert_is() {
	[ "$(cert_json "$1" | jq -r "$2")" = "$3" ]
}

# assert_lacks_cert FINGERPRINT WHAT: status answers and does not list it.
assert_lacks_cert() {
	local st
	st=$(ctl --json status) || fail "$2: nesctl status failed"
	if jq -e --arg f "$1" 'any(.certificates[]; .fingerprint == $f)' \
	    >/dev/null <<<"$st"; then
		fail "$2"
	fi
}

# ---- Turkish ---------------------------------------------------------------

# tr_locale: true when the tr_TR.UTF-8 locale exists; then TR_LOCALEDIR is
# a folder with the translation compiled now from po/tr.po, for
# NESD_LOCALEDIR, so tests never see a stale or missing po/tr.gmo.
tr_locale() {
	locale -a 2>/dev/null | grep -qi '^tr_TR\.utf-\{0,1\}8$' || return 1
	TR_LOCALEDIR=$T/locale
	if [ ! -f "$TR_LOCALEDIR/tr/LC_MESSAGES/nesd.mo" ]; then
		mkdir -p "$TR_LOCALEDIR/tr/LC_MESSAGES"
		msgfmt -o "$TR_LOCALEDIR/tr/LC_MESSAGES/nesd.mo" \
		    "$TOP_SRCDIR/po/tr.po" || fail "po/tr.po does not compile"
	fi
}
# ---- peers: notification server, SMTP and HTTP sinks -------------------------

FIXTURES=$TOP_SRCDIR/tests/fixtures

# free_port: a TCP port on 127.0.0.1 that nothing listens on now (the
# kernel's choice, so parallel tests do not collide).
free_port() {
	"$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# wait_line FILE ERE: until a line of FILE matches (for "ready" lines).
wait_line() {
	wait_for grep -qE -- "$2" "$1"
}

# bus_start: a private D-Bus session bus (no service activation, so only
# what a test starts answers), a direct child; exports its address.
bus_start() {
	cat >"$T/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$T</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
	: >"$T/bus.addr"
	dbus-daemon --config-file="$T/bus.conf" --nofork --nopidfile \
	    --print-address=3 3>"$T/bus.addr" 2>>"$T/bus.log" &
	BUS_PID=$!
	track_pid "$BUS_PID"
	wait_for test -s "$T/bus.addr"
	DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$T/bus.addr")
	export DBUS_SESSION_BUS_ADDRESS
}

# notifyd_start [CAPS]: python3-dbusmock's notification daemon on that bus
# (capabilities "body actions" unless given), a direct child.
notifyd_start() {
	local caps=${1:-body actions}
	"$PYTHON" -m dbusmock --template notification_daemon \
	    -p "{\"capabilities\": \"$caps\"}" >>"$T/notifyd.log" 2>&1 &
	NOTIFYD_PID=$!
	track_pid "$NOTIFYD_PID"
	gdbus wait --session --timeout 5 org.freedesktop.Notifications ||
	    fail "the mock notification daemon did not come up"
}

notifyd_stop() {
	stop_pid "$NOTIFYD_PID"
	untrack_pid "$NOTIFYD_PID"
	NOTIFYD_PID=
}

# notify_calls: the Notify calls the mock saw, one JSON object a line
# (tests/fixtures/notify-ctl.py).
notify_calls() {
	"$PYTHON" "$FIXTURES/notify-ctl.py" calls
}

# notify_count: how many Notify calls so far.
notify_count() {
	notify_calls | wc -l
}

# notify_action ID KEY: the holder presses button KEY of notification ID.
notify_action() {
	"$PYTHON" "$FIXTURES/notify-ctl.py" action "$1" "$2"
}

# tls_make DIR: a self-signed certificate for 127.0.0.1 and localhost in
# DIR/tls.crt, its key in DIR/tls.key.
tls_make() {
	mkdir -p "$1"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -days 2 -subj "/CN=localhost" \
	    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
	    -keyout "$1/tls.key" -out "$1/tls.crt" 2>/dev/null
}

# smtp_start PORT MAILDIR [smtp-sink.py options]: the SMTP sink, a direct
# child; its pid in SMTP_PID. Each message lands in MAILDIR/new.
smtp_start() {
	local port=$1 dir=$2
	shift 2
	: >"$T/smtp.out"
	"$PYTHON" "$FIXTURES/smtp-sink.py" --port "$port" --maildir "$dir" \
	    "$@" >"$T/smtp.out" 2>>"$T/smtp.log" &
	SMTP_PID=$!
	track_pid "$SMTP_PID"
	wait_line "$T/smtp.out" '^ready '
}

smtp_stop() {
	stop_pid "$SMTP_PID"
	untrack_pid "$SMTP_PID"
	SMTP_PID=
}

# mail_count MAILDIR: messages the sink accepted.
mail_count() {
	find "$1/new" -type f 2>/dev/null | wc -l
}

# http_start LOG [http-sink.py options]: the HTTP sink on a free port,
# a direct child; HTTP_PID, HTTP_PORT. One JSON line a request in LOG.
http_start() {
	local log=$1
	shift
	: >"$T/http.out"
	"$PYTHON" "$FIXTURES/http-sink.py" --log "$log" "$@" \
	    >"$T/http.out" 2>>"$T/http.log" &
	HTTP_PID=$!
	track_pid "$HTTP_PID"
	wait_line "$T/http.out" '^ready [0-9]+$'
	HTTP_PORT=$(sed -n 's/^ready //p' "$T/http.out")
}

http_stop() {
	stop_pid "$HTTP_PID"
	untrack_pid "$HTTP_PID"
	HTTP_PID=
}

# line_count FILE: lines in FILE (0 if it does not exist).
line_count() {
	if [ -e "$1" ]; then
		wc -l <"$1"
	else
		echo 0
	fi
}

# ---- reminders ---------------------------------------------------------------

# test_clock EPOCH: move nesd's clock (needs need_test_hooks and
# NESD_TEST_HOOKS=1).
test_clock() {
	local r
	r=$(rpc test.clock "{\"now\": $1}")
	jq -e '.result.now' >/dev/null <<<"$r" || fail "test.clock: $r"
}

# local_epoch "YYYY-MM-DD HH:MM[:SS]": that local time as epoch seconds.
local_epoch() {
	date -d "$1" +%s
}

# utc_of EPOCH: as nes-mkcert's --not-after wants it.
utc_of() {
	date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ
}

# reminders_json: nesctl --json reminders.
reminders_json() {
	ctl --json reminders
}

# outbox_states CHANNEL: the states of that channel's messages, in order,
# one a line, from every sent reminder.
outbox_states() {
	reminders_json | jq -r --arg c "$1" \
	    '[.sent[].messages[] | select(.channel == $c)] | sort_by(.id)[] |
	    .state'
}

# outbox_is CHANNEL STATES: outbox_states prints exactly STATES (one line,
# space separated), for wait_for.
outbox_is() {
	[ "$(outbox_states "$1" | paste -sd ' ')" = "$2" ]
}

# subscribe FILE: a raw client subscribed to reminder and outbox events,
# a direct child writing each notification to FILE as one line.
subscribe() {
	"$PYTHON" "$T/rpc.py" -s "$NESD_SOCK" --eof --timeout 60 \
	    '{"jsonrpc":"2.0","id":1,"method":"hello","params":{"protocol":1}}' \
	    '{"jsonrpc":"2.0","id":2,"method":"subscribe","params":{"events":["reminder.","outbox."]}}' \
	    >"$1" &
	track_pid $!
	wait_line "$1" '"id":2'
}

# event FILE NAME: the params of the events NAME in FILE, one a line.
event() {
	jq -c --arg m "event.$2" 'select(.method == $m) | .params' "$1"
}
