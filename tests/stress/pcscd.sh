#!/bin/bash
# SPDX-License-Identifier: ISC
#
# pcscd.sh - the smart card service killed and started again R times (by
# SIGKILL, which leaves its socket behind, and by SIGTERM, in turns) while
# a virtual PIV card comes and goes (tests/fixtures/card.sh: a private
# pcscd, vpcd and piv-card.py). Holds: the card is read again after every
# restart and every re-insertion; nesd's descriptors and threads are as
# many at the end as after the first read (no leak); and it does not spin:
# its CPU time over 3 s is under 0.3 s with pcscd up and the card in, and
# again with pcscd gone. NESD_STRESS_ROUNDS (3) sets the count.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/card.sh
. "$TOP_SRCDIR/tests/fixtures/card.sh"
# shellcheck source=tests/stress/stress.sh
. "$TOP_SRCDIR/tests/stress/stress.sh"

R=$(stress_count ROUNDS 3)
mkcert "$T/a.pem" --cn "KART SAHİBİ" --days-left 100
serial=$(card_serial card-1)
card_conf
printf '[status]\nenabled = no\n' >>"$NESD_CONF"

# reads: how many times nesd has read the card's certificates.
reads() {
	grep -c "card $serial: certificates read through" "$NESD_LOG" || true
}
reads_over() {
	[ "$(reads)" -gt "$1" ]
}
fds() {
	find "/proc/$NESD_PID/fd" -mindepth 1 | wc -l
}
threads() {
	find "/proc/$NESD_PID/task" -mindepth 1 -maxdepth 1 | wc -l
}
# cpu_ticks: user and system time of all of nesd's threads, in ticks.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$NESD_PID/stat"
}
# cpu_over_3s: the ticks nesd spends in 3 s (100 ticks a second).
cpu_over_3s() {
	local a
	a=$(cpu_ticks)
	sleep 3
	echo $(($(cpu_ticks) - a))
}

pcscd_start
nesd_start
mem_before=$(rss_kib)
card_insert card-1 --cert 9c:"$T/a.pem"
wait_for reads_over 0
fds0=$(fds) threads0=$(threads)
missed=0
for ((r = 1; r <= R; r++)); do
	n=$(reads)
	if ((r % 2)); then
		pcscd_stop KILL
	else
		pcscd_stop
	fi
	card_remove card-1
	wait_for service_is down
	pcscd_start
	wait_for service_is up
	card_insert card-1 --cert 9c:"$T/a.pem"
	for ((i = 0; i < 200; i++)); do
		reads_over "$n" && break
		sleep 0.05
	done
	reads_over "$n" || { missed=$((missed + 1)); continue; }
	# And out and in again while pcscd stays.
	n=$(reads)
	card_out card-1
	wait_for card_is "$serial" .present false
	wait_for reader_empty "$READER0"
	card_in card-1
	for ((i = 0; i < 200; i++)); do
		reads_over "$n" && break
		sleep 0.05
	done
	reads_over "$n" || missed=$((missed + 1))
done
wait_for card_is "$serial" .present true
sleep 1		# the last reads settle: threads back to their count
fds1=$(fds) threads1=$(threads)
cpu_up=$(cpu_over_3s)
pcscd_stop KILL
wait_for service_is down
cpu_down=$(cpu_over_3s)
mem_after=$(rss_kib)
nesd_alive || fail "nesd died with pcscd"
run ctl status
assert_rc 0 "status after $R restarts of pcscd"
nesd_stop
crashed=$(sanitizer_reports)

note "after $R restarts: descriptors $fds0 -> $fds1, threads $threads0 ->" \
    "$threads1; CPU over 3 s: $((cpu_up * 10)) ms with pcscd, $((cpu_down * 10))" \
    "ms without; $(reads) reads"
stress_row pcscd "$R pcscd kills/restarts + $R card out/in, card read \
$(reads) times" "$missed" - "$crashed" 0 "$mem_before" "$mem_after" \
    "read again each time, no fd/thread leak, no busy loop"
assert_eq "$crashed" 0 "sanitizer reports"
assert_eq "$missed" 0 "times the card was not read again"
assert_eq "$fds1" "$fds0" "descriptors after $R restarts"
assert_eq "$threads1" "$threads0" "threads after $R restarts"
[ "$cpu_up" -lt 30 ] || fail "nesd spent ${cpu_up}0 ms of CPU in 3 s idle"
[ "$cpu_down" -lt 30 ] ||
    fail "nesd spent ${cpu_down}0 ms of CPU in 3 s without pcscd"
exit 0
