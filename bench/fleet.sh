#!/bin/bash
# SPDX-License-Identifier: ISC
# bench/fleet.sh [N...]: a fleet of nesd on one machine, one Prometheus
# scraping them all. For each N (default 50 and 200): N nesd instances on
# 127.0.0.1 (own socket, state and metrics port, 4 certificates each, one
# of them within 25 days), Prometheus scraping every SCRAPE seconds (5);
# after WARM seconds (15), for MEASURE seconds (30): the scrape duration
# per instance (Prometheus's scrape_duration_seconds), nesd's CPU per
# scrape (the CPU time of all instances over the window, from
# /proc/PID/schedstat, by the scrapes in it), the time Prometheus takes to answer "certificates expiring in 25
# days across the fleet" (median of QUERIES runs, 21), and each
# instance's memory (RssAnon: nesd's own, and RSS). Prints figures;
# asserts nothing. Builds an optimised nesd in build/bench.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sizes=${*:-50 200}
SCRAPE=${SCRAPE:-5}
WARM=${WARM:-15}
MEASURE=${MEASURE:-30}
QUERIES=${QUERIES:-21}
tools/build.sh build/bench >/dev/null
B=$top/build/bench
T=$(mktemp -d /tmp/nesd-fleet.XXXXXX)
pids=()
prom=""
cleanup() {
	local p
	[ -z "$prom" ] || { kill -TERM "$prom" 2>/dev/null; wait "$prom" || true; }
	for p in "${pids[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

free_port() {
	python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
tckn() { # 9 digits -> a valid TCKN
	local b=$1 o e d10 s=0 i
	o=$((${b:0:1} + ${b:2:1} + ${b:4:1} + ${b:6:1} + ${b:8:1}))
	e=$((${b:1:1} + ${b:3:1} + ${b:5:1} + ${b:7:1}))
	d10=$((((7 * o - e) % 10 + 10) % 10))
	for ((i = 0; i < 9; i++)); do s=$((s + ${b:i:1})); done
	echo "$b$d10$(((s + d10) % 10))"
}
cpu_ns() { # pids...: nanoseconds each ran on a CPU (schedstat), summed
	local p t=0 f
	for p in "$@"; do
		read -ra f </proc/"$p"/schedstat
		t=$((t + f[0]))
	done
	echo "$t"
}
query() {
	curl -sf "http://127.0.0.1:$PPORT/api/v1/query" --data-urlencode "query=$1"
}
value() {
	query "$1" | jq -r '.data.result[0].value[1] // "none"'
}

# 4 certificates an instance, made once for the largest fleet.
max=0
for n in $sizes; do [ "$n" -gt "$max" ] && max=$n; done
echo "making $((max * 4)) certificates ..."
for ((i = 0; i < max; i++)); do
	mkdir -p "$T/certs/$i"
	for j in 0 1 2 3; do
		days=$(((j == 0) ? 5 + i % 19 : (j == 1) ? 60 : (j == 2) ? 200 : 400))
		"$B/tests/nes-mkcert" --ca-dir "$T/ca" --days-left "$days" \
		    --tckn "$(tckn "$(printf '1%04d%04d' "$i" "$j")")" \
		    --cn "KISI $i $j" "$T/certs/$i/c$j.pem"
	done
done

printf '\n%6s %12s %12s %14s %12s %10s %10s %8s\n' N "scrape avg" "scrape max" \
    "CPU/scrape" "query 25d" "RssAnon" RSS found
for n in $sizes; do
	pids=()
	targets=""
	for ((i = 0; i < n; i++)); do
		port=$(free_port)
		d=$T/n$n/$i
		mkdir -p "$d"
		cat >"$d/nesd.conf" <<C
[inventory]
certificate_paths = $T/certs/$i
[cards]
enabled = no
[status]
enabled = no
[reminders]
kinds = none
[metrics]
listen = 127.0.0.1:$port
C
		"$B/nesd" -d -c "$d/nesd.conf" --socket "$d/sock" \
		    --state-dir "$d/state" 2>>"$d/nesd.log" &
		pids+=($!)
		targets="$targets${targets:+, }\"127.0.0.1:$port\""
	done
	for ((i = 0; i < n; i++)); do
		until "$B/nesctl" -s "$T/n$n/$i/sock" status >/dev/null 2>&1; do
			sleep 0.05
		done
	done
	PPORT=$(free_port)
	cat >"$T/prom-$n.yml" <<Y
global: { scrape_interval: ${SCRAPE}s, evaluation_interval: ${SCRAPE}s }
scrape_configs:
  - job_name: nesd
    static_configs: [ { targets: [ $targets ] } ]
Y
	prometheus --config.file="$T/prom-$n.yml" --storage.tsdb.path="$T/tsdb-$n" \
	    --web.listen-address="127.0.0.1:$PPORT" >"$T/prom-$n.log" 2>&1 &
	prom=$!
	until [ "$(value 'count(up == 1)')" = "$n" ]; do sleep 0.5; done
	sleep "$WARM"
	c0=$(cpu_ns "${pids[@]}")
	t0=$(date +%s.%N)
	sleep "$MEASURE"
	c1=$(cpu_ns "${pids[@]}")
	t1=$(date +%s.%N)
	scrapes=$(echo "$n * ($t1 - $t0) / $SCRAPE" | bc -l)
	cpu_us=$(echo "($c1 - $c0) / 1000 / $scrapes" | bc -l)
	avg=$(value "avg(avg_over_time(scrape_duration_seconds[${MEASURE}s]))")
	mx=$(value "max(max_over_time(scrape_duration_seconds[${MEASURE}s]))")
	q='count(nesd_certificate_not_after_timestamp_seconds - time() < 25*86400)'
	found=$(value "$q")
	qt=$(for ((k = 0; k < QUERIES; k++)); do
		curl -sf -o /dev/null -w '%{time_total}\n' \
		    "http://127.0.0.1:$PPORT/api/v1/query" --data-urlencode "query=$q"
	done | sort -n | sed -n "$(((QUERIES + 1) / 2))p")
	anon=0 rss=0
	for p in "${pids[@]}"; do
		anon=$((anon + $(awk '/^RssAnon/ { print $2 }' /proc/"$p"/status)))
		rss=$((rss + $(awk '/^VmRSS/ { print $2 }' /proc/"$p"/status)))
	done
	printf '%6d %10.2fms %10.2fms %12.0fus %10.2fms %8dKiB %8dKiB %8s\n' \
	    "$n" "$(echo "$avg * 1000" | bc -l)" "$(echo "$mx * 1000" | bc -l)" \
	    "$cpu_us" "$(echo "$qt * 1000" | bc -l)" $((anon / n)) $((rss / n)) \
	    "$found"
	psz=$(awk '/^VmRSS/ { print $2 }' /proc/"$prom"/status)
	series=$(curl -sf "http://127.0.0.1:$PPORT/api/v1/status/tsdb" |
	    jq -r '.data.headStats.numSeries')
	echo "       Prometheus: RSS ${psz} KiB, ${series} head series ($((series / n)) a nesd incl. scrape metadata)" >&2
	kill -TERM "$prom"
	wait "$prom" || true
	prom=""
	for p in "${pids[@]}"; do
		kill -TERM "$p"
	done
	for p in "${pids[@]}"; do
		wait "$p" || true
	done
	pids=()
done
