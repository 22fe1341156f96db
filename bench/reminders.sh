#!/bin/sh
# SPDX-License-Identifier: ISC
# bench/reminders.sh [SIZES...]: how often an idle nesd wakes up with 10 and
# 100,000 tracked certificates and no reminder due (context switches of all
# its threads from /proc over IDLE seconds, default 60, and the scheduler's
# timerfd wakeups from status; the target is zero), and how long nesd takes
# to schedule the reminders of 100,000 certificates after start. Prints
# figures; asserts nothing. Builds an optimised nesd in build/bench, or
# uses the binaries in NESD_BUILD (a build directory).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sizes=${*:-10 100000}
idle=${IDLE:-60}
sched_n=${SCHED_CERTS:-100000}
if [ -n "${NESD_BUILD:-}" ]; then
	B=$(cd "$NESD_BUILD" && pwd)
elif [ -f "$top/config.status" ]; then
	# Configured in place: out-of-tree builds are refused; use it.
	make -s -j"$(nproc)" >/dev/null
	B=$top
	echo "note: using the in-tree build ($(sed -n \
	    's/^ac_cs_config=.\(.*\).$/\1/p' config.status))"
else
	tools/build.sh build/bench >/dev/null
	B=$top/build/bench
fi
T=$(mktemp -d /tmp/nesd-bench.XXXXXX)
pid=""
cleanup() {
	[ -z "$pid" ] || { kill -TERM "$pid" 2>/dev/null; wait "$pid" || true; }
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
# Never the desktop of whoever runs this.
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY NESD_TEST_NOW

now_ms() { date +%s%3N; }

ctl() { "$B/nesctl" -s "$T/sock" "$@"; }

# conf [PATHS] [KINDS]: nesd.conf with those certificate paths and kinds.
conf() {
	{
		printf '[inventory]\n'
		[ -z "${1:-}" ] || printf 'certificate_paths = %s\n' "$1"
		printf '[reminders]\nkinds = %s\n' "${2:-nes}"
	} >"$T/nesd.conf"
}

# start_nesd: in the foreground on T/sock and T/state; returns once it
# answers; the ms it took in start_ms.
start_nesd() {
	s=$(now_ms)
	"$B/nesd" -d -c "$T/nesd.conf" --socket "$T/sock" \
	    --state-dir "$T/state" 2>>"$T/nesd.log" &
	pid=$!
	until ctl status >/dev/null 2>&1; do
		sleep 0.01
	done
	start_ms=$(($(now_ms) - s))
}

stop_nesd() {
	kill -TERM "$pid"
	wait "$pid" || true
	pid=""
}

# status_num JQ: a number from nesctl --json status.
status_num() {
	ctl --json status | jq -r "$1"
}

# settled N: nesd tracks N certificates and has no scan pending.
settled() {
	[ "$(status_num '.summary.total')" = "$1" ] &&
	    [ "$(status_num '.daemon.scan_pending')" = 0 ]
}

# ctxt: voluntary and involuntary context switches of all nesd's threads.
ctxt() {
	cat /proc/"$pid"/task/*/status 2>/dev/null | awk '
	    /^voluntary_ctxt_switches/ { v += $2 }
	    /^nonvoluntary_ctxt_switches/ { n += $2 }
	    END { print v + 0, n + 0 }'
}

# kernel_wakeups: the scheduler's nr_wakeups of all threads, if the kernel
# keeps schedstats (/proc/PID/task/TID/sched), else "-".
kernel_wakeups() {
	cat /proc/"$pid"/task/*/sched 2>/dev/null | awk '
	    /nr_wakeups[ \t]*:/ { w += $3; seen = 1 }
	    END { if (seen) print w; else print "-" }'
}

# certs N: T/certs-N, N certificates 1000 days from expiry (made once):
# the first milestone (3 months before) is more than two years away.
certs() {
	[ -d "$T/certs-$1" ] ||
	    "$B/tests/nes-mkcert" --ca-dir "$T/ca" --count "$1" \
	    --days-left 1000 "$T/certs-$1/"
}

echo "idle wakeups over ${idle} s, nothing due (target: 0 everywhere);"
echo "ready_s: from start on a folder of new certificates to all of them"
echo "tracked and planned"
printf '%-8s %8s %7s %10s %12s %13s %14s %9s\n' certs ready_s threads \
    voluntary involuntary timer_wakeups kernel_wakeups rss_kib
for n in $sizes; do
	certs "$n"
	rm -rf "$T/state"
	conf "$T/certs-$n"
	s0=$(now_ms)
	start_nesd
	until settled "$n"; do sleep 0.2; done
	ready=$(awk -v a="$s0" -v b="$(now_ms)" \
	    'BEGIN { printf "%.1f", (b - a) / 1000 }')
	sleep 2
	w0=$(status_num '.daemon.timer_wakeups')
	set -- $(ctxt)
	v0=$1 i0=$2
	k0=$(kernel_wakeups)
	sleep "$idle"
	set -- $(ctxt)
	v1=$1 i1=$2
	k1=$(kernel_wakeups)
	threads=$(ls /proc/"$pid"/task | wc -l)
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
	w1=$(status_num '.daemon.timer_wakeups')
	next=$(status_num '.daemon.reminders.next_due_iso // "none"')
	if [ "$k0" = - ]; then kw=-; else kw=$((k1 - k0)); fi
	printf '%-8s %8s %7s %10s %12s %13s %14s %9s\n' "$n" "$ready" "$threads" \
	    $((v1 - v0)) $((i1 - i0)) $((w1 - w0)) "$kw" "$rss"
	echo "         (next reminder due $next)"
	stop_nesd
done

# Scheduling: a store that knows sched_n certificates but has no reminder
# planned yet (kinds = none while they were found), then a start with
# kinds = nes plans them all before nesd answers. A second start, with
# everything planned, is the baseline.
echo
echo "scheduling ${sched_n} certificates after start"
certs "$sched_n"
rm -rf "$T/state"
conf "$T/certs-$sched_n" none
start_nesd
until settled "$sched_n"; do sleep 0.2; done
stop_nesd
conf "" nes
start_nesd
plan_ms=$start_ms
next=$(status_num '.daemon.reminders.next_due_iso // "none"')
stop_nesd
start_nesd
base_ms=$start_ms
stop_nesd
rows=-
if command -v sqlite3 >/dev/null 2>&1; then
	rows=$(sqlite3 "$T/state/nesd.db" 'SELECT count(*) FROM reminders')
fi
echo "start to first answer, planning all:      ${plan_ms} ms"
echo "start to first answer, all planned:       ${base_ms} ms"
echo "scheduling ${sched_n} certificates:        $((plan_ms - base_ms)) ms" \
    "(${rows} reminder rows; next due ${next})"
