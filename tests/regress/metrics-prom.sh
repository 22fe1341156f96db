#!/bin/bash
# SPDX-License-Identifier: ISC
#
# metrics-prom.sh - nesd's metrics in a real Prometheus: one scrapes nesd's
# HTTP endpoint, and a real node_exporter reads nesd's textfile; through
# Prometheus's HTTP API, "nesd_certificate_not_after_timestamp_seconds -
# time() < 25*86400" finds exactly the certificates that expire within 25
# days or have expired (not a later one, not one already renewed), by
# either path, and the rules of contrib/prometheus fire (ALERTS), with
# for: shortened in a test copy. When nesd stops, NesdDown fires.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

for t in prometheus prometheus-node-exporter; do
	command -v "$t" >/dev/null || skip "$t not installed (tools/deps.sh)"
done

PORT=$(free_port)
NPORT=$(free_port)
PPORT=$(free_port)
mkdir "$T/textfile"
cat >"$NESD_CONF" <<C
[metrics]
listen = 127.0.0.1:$PORT
textfile = $T/textfile/nesd.prom
[status]
enabled = no
[cards]
enabled = no
C

# Found: 10 and 20 days left, expired 3 days ago. Not found: 40 and 200
# days left, and one that expired but was renewed. One holder each (the
# same TCKN and kind with a later end would supersede).
RENEWED=$(tckn_make 234567891)
mkcert "$T/d10.pem" --days-left 10 --tckn "$(tckn_make 100000001)" --cn "ON GUN"
mkcert "$T/d20.pem" --days-left 20 --tckn "$(tckn_make 100000002)" \
    --cn "YIRMI GUN"
mkcert "$T/gone.pem" --days-left -3 --valid-days 700 \
    --tckn "$(tckn_make 100000003)" --cn "BITMIS"
mkcert "$T/d40.pem" --days-left 40 --tckn "$(tckn_make 100000004)" \
    --cn "KIRK GUN"
mkcert "$T/d200.pem" --days-left 200 --tckn "$(tckn_make 100000005)" \
    --cn "IKI YUZ GUN"
mkcert "$T/old.pem" --days-left -100 --valid-days 700 --tckn "$RENEWED" \
    --cn "YENILENMIS"
mkcert "$T/new.pem" --days-left 300 --tckn "$RENEWED" --cn "YENILENMIS"
nesd_start
for f in d10 d20 gone d40 d200 old new; do
	ctl import "$T/$f.pem" >/dev/null
done
want=$(for f in d10 d20 gone; do
	fp=$(fingerprint "$T/$f.pem")
	echo "${fp:0:16}"
done | sort)
wait_for grep -q 'state="expired"} 2' "$T/textfile/nesd.prom"

# A test copy of the rules, with every for: at 0s.
sed 's/for: .*/for: 0s/' "$TOP_SRCDIR/contrib/prometheus/nesd.rules.yml" \
    >"$T/rules.yml"
cat >"$T/prom.yml" <<Y
global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [ "$T/rules.yml" ]
scrape_configs:
  - job_name: nesd
    static_configs: [ { targets: [ "127.0.0.1:$PORT" ] } ]
  - job_name: node
    static_configs: [ { targets: [ "127.0.0.1:$NPORT" ] } ]
Y
prometheus-node-exporter --collector.disable-defaults --collector.textfile \
    --collector.textfile.directory="$T/textfile" \
    --web.listen-address="127.0.0.1:$NPORT" >"$T/node.log" 2>&1 &
track_pid $!
prometheus --config.file="$T/prom.yml" --storage.tsdb.path="$T/tsdb" \
    --web.listen-address="127.0.0.1:$PPORT" >"$T/prom.log" 2>&1 &
track_pid $!

# query PROMQL: the result vector, as JSON.
query() {
	curl -sf "http://127.0.0.1:$PPORT/api/v1/query" \
	    --data-urlencode "query=$1" | jq -c '.data.result'
}
# count_is N PROMQL: the query returns N series.
count_is() {
	[ "$(query "$2" | jq length)" = "$1" ]
}
# until_count N PROMQL: wait up to 30 s for it.
until_count() {
	local i
	for ((i = 0; i < 150; i++)); do
		count_is "$1" "$2" 2>/dev/null && return 0
		sleep 0.2
	done
	fail "waited 30 s for $1 series of $2: $(query "$2")"
}

until_count 2 "up == 1"
for job in nesd node; do
	q="nesd_certificate_not_after_timestamp_seconds{job=\"$job\"} - time() < 25*86400"
	until_count 3 "$q"
	got=$(query "$q" | jq -r '.[].metric.fingerprint' | sort)
	assert_eq "$got" "$want" "$job: expiring within 25 days or expired"
	holders=$(query "$q" | jq -r '[.[].metric.source] | unique | join(",")')
	assert_eq "$holders" "import" "$job: the source label"
done
count_is 7 'count by (job) (nesd_certificates)' || true
assert_eq "$(query 'sum by (job) (nesd_certificates{state="expired"})' |
    jq -r '[.[].value[1]] | join(",")')" "2,2" \
    "both paths count the renewed certificate in nesd_certificates"

# The rules fire, by either path.
alerts() {
	query "ALERTS{alertstate=\"firing\",alertname=\"$1\",job=\"$2\"}" |
	    jq -r '.[].metric.fingerprint' | sort | tr '\n' ' '
}
fp() {
	local f
	f=$(fingerprint "$T/$1.pem")
	echo "${f:0:16}"
}
for job in nesd node; do
	until_count 2 "ALERTS{alertstate=\"firing\",alertname=\"NesdCertificateExpiresIn25Days\",job=\"$job\"}"
	assert_eq "$(alerts NesdCertificateExpiresIn25Days $job)" \
	    "$(printf '%s\n' "$(fp d10)" "$(fp d20)" | sort | tr '\n' ' ')" \
	    "$job: 25-day alerts"
	until_count 1 "ALERTS{alertstate=\"firing\",alertname=\"NesdCertificateExpired\",job=\"$job\"}"
	assert_eq "$(alerts NesdCertificateExpired $job)" "$(fp gone) " \
	    "$job: expired alert"
	until_count 1 "ALERTS{alertstate=\"firing\",alertname=\"NesdCertificateExpiresIn90Days\",job=\"$job\"}"
	assert_eq "$(alerts NesdCertificateExpiresIn90Days $job)" "$(fp d40) " \
	    "$job: 90-day alert"
done
count_is 0 'ALERTS{alertname="NesdDown"}' || fail "NesdDown while nesd runs"

# nesd stops: Prometheus's own up says so, and NesdDown fires.
nesd_stop
until_count 1 'ALERTS{alertstate="firing",alertname="NesdDown"}'
assert_eq "$(query 'ALERTS{alertname="NesdDown"}' | jq -r '.[0].metric.instance')" \
    "127.0.0.1:$PORT" "NesdDown names the PC"
exit 0
