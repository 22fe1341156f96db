#!/bin/sh
# SPDX-License-Identifier: ISC
# bench/ocsp.sh [N]: N certificates (default 10,000) checked against a
# local `openssl ocsp` responder: how long the first checks of all of them
# take from nesd's start, requests a second, and how promptly `nesctl
# status` answers meanwhile (and before, with nothing to check); then the
# same through one forced `nesctl check-status`. The certificates come from
# the test PKI (tests/fixtures/ocsp-pki.sh) and `openssl ca -infiles`, and
# a first nesd with the checker off finds them in a folder. No rate limit,
# the issuer in trust_dir. Prints figures; asserts nothing. Builds an
# optimised nesd in build/bench.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
n=${1:-10000}
tools/build.sh build/bench >/dev/null
B=$top/build/bench
T=$(mktemp -d /tmp/nesd-bench-ocsp.XXXXXX)
pid="" responder=""
cleanup() {
	for p in $pid $responder; do
		kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null || true
	done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

now_ms() { date +%s%3N; }
ctl() { "$B/nesctl" -s "$T/sock" "$@"; }

# Four free ports from a base derived from our pid.
base=$(python3 - $$ <<'PY'
import socket, sys
base = 20000 + int(sys.argv[1]) % 20000
while True:
    try:
        for p in range(base, base + 4):
            s = socket.socket(); s.bind(("127.0.0.1", p)); s.close()
        break
    except OSError:
        base = (base - 20000 + 101) % 19990 + 20000
print(base)
PY
)
op=$base
sh tests/fixtures/ocsp-pki.sh "$T/pki" "$op" $((op + 1)) $((op + 2)) \
    $((op + 3))

s=$(now_ms)
(
	cd "$T/pki"
	ls newcerts >"$T/before"
	openssl req -new -key leaf.key -out bench.csr \
	    -subj "/serialNumber=30000000182/CN=AYSE YILMAZ/C=TR" 2>/dev/null
	# shellcheck disable=SC2046
	openssl ca -batch -config ca.cnf -extensions v3_real -notext \
	    -out /dev/null -infiles $(yes bench.csr | head -n "$n") \
	    >/dev/null 2>&1
	mkdir -p "$T/certs" "$T/trust"
	ls newcerts | grep -vxF -f "$T/before" |
	    while read -r f; do mv "newcerts/$f" "$T/certs/"; done
	cp ca.crt "$T/trust/"
)
echo "made $n certificates with openssl ca in $(($(now_ms) - s)) ms"

(cd "$T/pki" && exec openssl ocsp -index index.txt -port "$op" \
    -rsigner ocsp.crt -rkey ocsp.key -CA ca.crt -nmin 60) \
    >"$T/responder.log" 2>&1 &
responder=$!
until grep -q ACCEPT "$T/responder.log"; do sleep 0.05; done

conf() { # enabled [certificate_paths]
	{
		[ -z "${2:-}" ] || printf '[inventory]\ncertificate_paths = %s\n' "$2"
		cat <<CONF
[status]
enabled = $1
rate = 0
timeout = 30s
trust_dir = $T/trust
CONF
	} >"$T/nesd.conf"
}
start_nesd() {
	"$B/nesd" -d -c "$T/nesd.conf" --socket "$T/sock" \
	    --state-dir "$T/state" 2>>"$T/nesd.log" &
	pid=$!
	until ctl status >/dev/null 2>&1; do sleep 0.05; done
}
stop_nesd() {
	kill -TERM "$pid"
	wait "$pid" || true
	pid=""
}

# First nesd finds the certificates in their folder, checking nothing.
conf no "$T/certs"
start_nesd
until [ "$(ctl --json status | jq .summary.total)" = "$n" ]; do
	sleep 0.2
done

# rev KEY: daemon.revocation.KEY of nesctl --json status.
rev() { ctl --json status | jq ".daemon.revocation.$1"; }

# latency FILE: median, p95 and max of the microseconds in FILE.
latency() {
	sort -n "$1" | awk '{ a[NR] = $1 } END {
	    printf "%d samples, median %.1f ms, p95 %.1f ms, max %.1f ms\n",
	    NR, a[int((NR + 1) / 2)] / 1000, a[int(NR * 0.95 + 0.5)] / 1000,
	    a[NR] / 1000 }'
}

# sample FILE: how long one `nesctl --json status` takes, appended.
sample() {
	a=$(date +%s%N)
	ctl --json status >"$T/st.json"
	b=$(date +%s%N)
	echo $(((b - a) / 1000)) >>"$1"
}

: >"$T/idle"
i=0
while [ $i -lt 21 ]; do
	sample "$T/idle"
	i=$((i + 1))
done
echo "nesctl status with $n certificates, nothing checked: $(latency "$T/idle")"
stop_nesd

# Then a nesd with the checker on checks all of them from its start.
conf yes
: >"$T/lat"
s=$(now_ms)
start_nesd
while :; do
	sample "$T/lat"
	left=$(jq '.daemon.revocation | .pending + .checking + .queued' \
	    "$T/st.json")
	[ "$left" -eq 0 ] && break
	sleep 0.05
done
e=$(now_ms)
good=$(rev good)
ms=$((e - s))
echo "first checks of $n certificates: $ms ms," \
    "$(awk -v n="$n" -v ms="$ms" 'BEGIN { printf "%.0f", n * 1000 / ms }')" \
    "requests/s, $good good"
echo "nesctl status meanwhile: $(latency "$T/lat")"
echo "nesd RSS then: $(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status") KiB"

s=$(now_ms)
ctl --json check-status >"$T/check.json"
ms=$(($(now_ms) - s))
echo "nesctl check-status of all $(jq '.certificates | length' \
    "$T/check.json"): $ms ms," \
    "$(awk -v n="$n" -v ms="$ms" 'BEGIN { printf "%.0f", n * 1000 / ms }')" \
    "requests/s"
echo "nesd RSS after it: $(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status") KiB"
# cpu PID: user+system seconds so far.
cpu() {
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' \
	    "/proc/$1/stat"
}
echo "CPU time: nesd $(cpu "$pid") s, openssl ocsp $(cpu "$responder") s"
