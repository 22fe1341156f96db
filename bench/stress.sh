#!/bin/sh
# SPDX-License-Identifier: ISC
# bench/stress.sh [CAMPAIGN...]: the stress campaigns of tests/stress with
# bigger counts than make check gives them, one after the other, then one
# table row per campaign: what was tried (counts), lost, duplicated,
# crashed (nesd died or a sanitizer spoke), hung (an answer or the end of
# the work did not come in time), nesd's memory before and after, the
# target, and whether the campaign's assertions held. Uses the build in
# NESD_BUILD (default build/default, built with the test hooks if
# missing); hostile-files runs on ASAN_BUILD (default build/asan, when it
# exists) for AddressSanitizer and UBSan. Each count can be set through
# its NESD_STRESS_* variable (see each script); the defaults here are:
#   crash-delivery   1000 certificates, 50 kills, SMTP QUIT held 0.1 s
#   crash-scan       10,000 files, 25-cert bundle + 1000 imports, 20 kills
#   hostile-clients  1000 connections x 2 uids, 10 MiB of random bytes
#   hostile-files    the x509 corpus, 100,000 empty files
#   storage-faults   200 files and imports
#   clock            50 certificates, 600 clock steps
#   pcscd            50 kills and restarts of pcscd
# Logs of each campaign in BUILD/stress-NAME.log.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
B=${NESD_BUILD:-build/default}
[ -f "$B/config.status" ] ||
    tools/build.sh "$B" --enable-debug --enable-test-hooks >/dev/null
B=$(cd "$B" && pwd)
A=${ASAN_BUILD:-build/asan}
if [ -f "$A/config.status" ]; then
	make -s -C "$A" all >/dev/null 2>&1 || A=$B
	A=$(cd "$A" && pwd)
else
	A=$B
fi
campaigns=${*:-crash-delivery crash-scan hostile-clients hostile-files \
storage-faults clock pcscd}

: "${NESD_STRESS_CERTS_DELIVERY:=1000}" "${NESD_STRESS_KILLS_DELIVERY:=50}"
: "${NESD_STRESS_SLOW_QUIT:=0.1}"
: "${NESD_STRESS_FILES_SCAN:=10000}" "${NESD_STRESS_IMPORTS:=1000}"
: "${NESD_STRESS_KILLS_SCAN:=20}"
: "${NESD_STRESS_CONNS:=1000}" "${NESD_STRESS_RANDOM_KB:=10240}"
: "${NESD_STRESS_EMPTY:=100000}"
: "${NESD_STRESS_FILES_STORAGE:=200}"
: "${NESD_STRESS_CERTS_CLOCK:=50}" "${NESD_STRESS_STEPS:=600}"
: "${NESD_STRESS_ROUNDS:=50}"
export NESD_STRESS_SLOW_QUIT NESD_STRESS_IMPORTS NESD_STRESS_CONNS \
    NESD_STRESS_RANDOM_KB NESD_STRESS_EMPTY NESD_STRESS_STEPS \
    NESD_STRESS_ROUNDS

rows=$(mktemp /tmp/nesd-stress.XXXXXX)
trap 'rm -f "$rows"' EXIT INT TERM
export NESD_STRESS_ROWS=$rows
for c in $campaigns; do
	build=$B
	[ "$c" != hostile-files ] || build=$A
	case $c in
	crash-delivery) set -- NESD_STRESS_CERTS=$NESD_STRESS_CERTS_DELIVERY \
	    NESD_STRESS_KILLS=$NESD_STRESS_KILLS_DELIVERY ;;
	crash-scan) set -- NESD_STRESS_FILES=$NESD_STRESS_FILES_SCAN \
	    NESD_STRESS_KILLS=$NESD_STRESS_KILLS_SCAN ;;
	storage-faults) set -- NESD_STRESS_FILES=$NESD_STRESS_FILES_STORAGE ;;
	clock) set -- NESD_STRESS_CERTS=$NESD_STRESS_CERTS_CLOCK ;;
	*) set -- ;;
	esac
	echo "stress: $c ($(basename "$build"))..." >&2
	start=$(date +%s)
	if env "$@" tests/run.sh -C "$build" "$c" >"$B/stress-$c.log" 2>&1
	then
		result=PASS
	else
		result=FAIL
	fi
	! grep -q '^SKIP' "$B/stress-$c.log" || result=SKIP
	echo "stress: $c: $result in $(($(date +%s) - start)) s" >&2
	if ! grep -q "^$c	" "$rows"; then
		printf '%s\t-\t-\t-\t-\t-\t-\t-\t-\n' "$c" >>"$rows"
	fi
	sed -i "/^$c	/s/\$/	$result/" "$rows"
done

printf '| campaign | tried | lost | duplicated | crashed | hung | memory before -> after | target | result |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n'
awk -F '\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s -> %s | %s | %s |\n",
    $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }' "$rows"
! grep -q 'FAIL$' "$rows"
