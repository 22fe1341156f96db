# SPDX-License-Identifier: ISC
# shellcheck shell=bash
#
# stress.sh - sourced by tests/stress/*.sh after tests/lib.sh: the counts
# of a campaign (small for make check, bigger from bench/stress.sh through
# the NESD_STRESS_* variables), nesd killed with SIGKILL, its memory, a
# check that it never crashed under the sanitizers, and the one row each
# campaign reports: what was tried, lost, duplicated, crashed, hung,
# memory before and after, and the target. The row is printed as a note
# and, when NESD_STRESS_ROWS names a file, appended to it (tab separated)
# for bench/stress.sh's table.

# stress_count NAME DEFAULT: NESD_STRESS_NAME if set, else DEFAULT.
stress_count() {
	local v="NESD_STRESS_$1"
	echo "${!v:-$2}"
}

# rss_kib [PID]: resident memory of nesd (or PID) in KiB.
rss_kib() {
	awk '/^VmRSS:/ { print $2 }' "/proc/${1:-$NESD_PID}/status" \
	    2>/dev/null || echo 0
}

# nesd_spawn [nesd args]: start nesd as nesd_start does, without waiting
# for it to answer (to kill it at any moment of its start).
nesd_spawn() {
	echo "=== nesd_spawn $(date +%T.%N) $*" >>"$NESD_LOG"
	"$NESD" -d -c "$NESD_CONF" --socket "$NESD_SOCK" \
	    --state-dir "$NESD_STATE" "$@" >>"$NESD_LOG" 2>&1 &
	NESD_PID=$!
	track_pid "$NESD_PID"
}

# nesd_kill9: SIGKILL nesd_start's nesd, reap it; no clean-up of its own.
nesd_kill9() {
	kill -KILL "$NESD_PID" 2>/dev/null || true
	wait "$NESD_PID" 2>/dev/null || true
	untrack_pid "$NESD_PID"
	NESD_PID=
}

# sanitizer_reports: how many AddressSanitizer, LeakSanitizer or UBSan
# reports nesd's log holds.
sanitizer_reports() {
	grep -cE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' \
	    "$NESD_LOG" || true
}

# random_ms MIN MAX: a whole number of milliseconds, as seconds for sleep.
random_ms() {
	local ms=$(($1 + RANDOM % ($2 - $1 + 1)))
	printf '%d.%03d\n' $((ms / 1000)) $((ms % 1000))
}

# stress_row CAMPAIGN TRIED LOST DUPLICATED CRASHED HUNG MEM_BEFORE
# MEM_AFTER TARGET: the campaign's figures (memory in KiB, or -).
stress_row() {
	local mb ma
	mb=$3 ma=$3
	mb=$(_stress_mem "$7")
	ma=$(_stress_mem "$8")
	note "stress: $1 | tried $2 | lost $3 | duplicated $4 | crashed $5" \
	    "| hung $6 | memory $mb -> $ma | target: $9"
	if [ -n "${NESD_STRESS_ROWS:-}" ]; then
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" \
		    "$4" "$5" "$6" "$mb" "$ma" "$9" >>"$NESD_STRESS_ROWS"
	fi
}

_stress_mem() {
	case $1 in
	-|'') echo - ;;
	*) echo "$(($1 / 1024)) MiB" ;;
	esac
}
