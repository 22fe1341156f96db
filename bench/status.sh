#!/bin/sh
# SPDX-License-Identifier: ISC
# bench/status.sh [SIZES...]: how fast `nesctl status` answers and how much
# memory nesd holds with 10, 1,000 and 100,000 tracked certificates, and
# how long importing 10,000 certificates takes. Prints figures; asserts
# nothing. Builds an optimised nesd in build/bench.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sizes=${*:-10 1000 100000}
runs=${RUNS:-21}
tools/build.sh build/bench >/dev/null
B=$top/build/bench
T=$(mktemp -d /tmp/nesd-bench.XXXXXX)
pid=""
cleanup() {
	[ -z "$pid" ] || { kill -TERM "$pid" 2>/dev/null; wait "$pid" || true; }
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

now_ms() { date +%s%3N; }

start_nesd() { # dir
	cat > "$T/nesd.conf" <<CONF
[inventory]
certificate_paths = $1
CONF
	rm -rf "$T/state"
	"$B/nesd" -d -c "$T/nesd.conf" --socket "$T/sock" \
	    --state-dir "$T/state" 2>>"$T/nesd.log" &
	pid=$!
	until "$B/nesctl" -s "$T/sock" status >/dev/null 2>&1; do
		sleep 0.05
	done
}

stop_nesd() {
	kill -TERM "$pid"
	wait "$pid" || true
	pid=""
}

total() {
	"$B/nesctl" -s "$T/sock" --json status | sed -n \
	    's/.*"summary":{"total":\([0-9]*\).*/\1/p'
}

# make N certificates in dir: a tenth 20 days from expiry, a tenth 80
# days, the rest spread over 100-1000 days.
make_certs() { # n dir
	n=$1 d=$2
	mkdir -p "$d"
	a=$((n / 10))
	[ "$a" -gt 0 ] || a=1
	"$B/tests/nes-mkcert" --ca-dir "$T/ca" --count "$a" --days-left 20 "$d/a/"
	"$B/tests/nes-mkcert" --ca-dir "$T/ca" --count "$a" --days-left 80 "$d/b/"
	rest=$((n - 2 * a))
	if [ "$rest" -gt 0 ]; then
		"$B/tests/nes-mkcert" --ca-dir "$T/ca" --count "$rest" \
		    --days-left 500 "$d/c/"
	fi
}

median_status_ms() {
	i=0
	: > "$T/times"
	while [ $i -lt "$runs" ]; do
		s=$(date +%s%N)
		"$B/nesctl" -s "$T/sock" status >/dev/null
		e=$(date +%s%N)
		echo $(((e - s) / 1000)) >> "$T/times"
		i=$((i + 1))
	done
	sort -n "$T/times" | awk '{ a[NR] = $1 } END {
	    printf "%.2f", a[int((NR + 1) / 2)] / 1000 }'
}

# rss_kib counts shared library pages too; anon_kib is nesd's own memory.
printf '%-10s %12s %14s %12s %12s\n' certs scan_s status_ms rss_kib anon_kib
for n in $sizes; do
	rm -rf "$T/certs"
	make_certs "$n" "$T/certs"
	s=$(now_ms)
	start_nesd "$T/certs"
	until [ "$(total)" = "$n" ]; do sleep 0.1; done
	e=$(now_ms)
	st=$(median_status_ms)
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
	anon=$(awk '/^RssAnon/ { print $2 }' "/proc/$pid/status")
	printf '%-10s %12s %14s %12s %12s\n' "$n" \
	    "$(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.2f", (b - a) / 1000 }')" \
	    "$st" "$rss" "$anon"
	stop_nesd
done

rm -rf "$T/certs" "$T/imp"
make_certs 10000 "$T/imp"
start_nesd "$T/none"
s=$(now_ms)
"$B/nesctl" -s "$T/sock" import "$T"/imp/*/*.pem >/dev/null
e=$(now_ms)
echo "import of 10000 certificates with nesctl import: $((e - s)) ms"
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
echo "nesd RSS after the import: $rss KiB"
stop_nesd
