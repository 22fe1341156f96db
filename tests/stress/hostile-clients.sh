#!/bin/bash
# SPDX-License-Identifier: ISC
#
# hostile-clients.sh - the control socket under attack
# (tests/stress/attacker.py): C connections held open by one process of
# the owner's uid, then by one of nobody's; a 10 MB line; random bytes
# with newlines among them; arrays and objects nested deep; invalid UTF-8
# of every kind; a client that floods requests and never reads its
# replies. After each, and while the holders and the flood hold on, a new
# `nesctl status` is answered (within 5 s); nesd keeps at most
# max_connections_per_uid of a uid open (the oldest idle one goes when a
# newcomer comes), stops reading the flood, and its memory stays bounded
# (RSS grows by less than 64 MiB, 320 under ASan); nobody may read but
# not change. The
# nobody part needs root (setpriv). NESD_STRESS_CONNS (1000) and
# NESD_STRESS_RANDOM_KB (1024) set the counts.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/stress/stress.sh
. "$TOP_SRCDIR/tests/stress/stress.sh"

C=$(stress_count CONNS 1000)
KB=$(stress_count RANDOM_KB 1024)
A=$TOP_SRCDIR/tests/stress/attacker.py
cat >"$NESD_CONF" <<EOF
[daemon]
socket_mode = 0666
EOF
mkcert "$T/a.pem" --days-left 100
chmod 755 "$T"
chmod 644 "$T/a.pem"
nesd_start
ctl import "$T/a.pem" >/dev/null
mem_before=$(rss_kib)
hung=0 tried=0

# answered WHAT: a fresh `nesctl status` is answered within 5 s.
answered() {
	tried=$((tried + 1))
	if ! timeout 5 "$NESCTL" -s "$NESD_SOCK" status >/dev/null 2>&1; then
		hung=$((hung + 1))
		note "status not answered: $1"
	fi
}
fds() {
	find "/proc/$NESD_PID/fd" -mindepth 1 | wc -l
}
fds_before=$(fds)

# hold AS NAME: C connections of one process (setpriv AS, or as we are),
# holding until its FIFO closes; KEPT is how many nesd kept open.
hold() {
	local name=$2
	mkfifo "$T/$name.in"
	$1 "$PYTHON" "$A" "$NESD_SOCK" hold "$C" <"$T/$name.in" \
	    >"$T/$name.out" 2>"$T/$name.log" &
	track_pid $!
	eval "exec {${name}_fd}>\"\$T/\$name.in\""
	wait_line "$T/$name.out" '^open '
	KEPT=$(awk '/^open / { print $2 }' "$T/$name.out")
}

# ---- the owner's uid holds C connections ---------------------------------------
hold "" owner
note "owner: $KEPT of $C connections kept open"
answered "while the owner's uid holds $C connections"
[ "$KEPT" -le 16 ] || fail "nesd kept $KEPT connections of one uid open"
fds_held=$(fds)
# shellcheck disable=SC2154
exec {owner_fd}>&-

# ---- nobody holds C connections, and the rest comes meanwhile ------------------
asnobody=
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null &&
    getent passwd nobody >/dev/null && getent group nogroup >/dev/null; then
	asnobody="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	hold "$asnobody" nobody
	note "nobody: $KEPT of $C connections kept open"
	[ "$KEPT" -le 16 ] || fail "nesd kept $KEPT connections of nobody open"
	answered "while nobody holds $C connections"
fi

run "$PYTHON" "$A" "$NESD_SOCK" longline 10
note "10 MB line: $RUN_OUT"
assert_eq "$RUN_OUT" "closed 7" "a 10 MB line: error 7, closed"
answered "after a 10 MB line"

run "$PYTHON" "$A" "$NESD_SOCK" random "$KB"
note "$KB KiB of random bytes: $RUN_OUT"
assert_rc 0 "random bytes: $RUN_ERR"
assert_match "$RUN_OUT" '^answered [0-9]+ errors [0-9]+ eof 0 lines [0-9]+$' \
    "random bytes: answered, the connection kept"
read -r _ nans _ nerr _ _ _ nlines <<<"$RUN_OUT"
assert_eq "$nans" "$nlines" "an answer to each line of random bytes"
assert_eq "$nerr" "$nans" "every answer to random bytes is an error"
answered "after random bytes"

run "$PYTHON" "$A" "$NESD_SOCK" nested 20000
note "nested 20,000 deep: $RUN_OUT"
assert_eq "$RUN_OUT" "errors 2 of 2" "deep nesting: two errors"
answered "after deep nesting"

run "$PYTHON" "$A" "$NESD_SOCK" utf8
note "invalid UTF-8: $RUN_OUT"
assert_eq "$RUN_OUT" "errors 18 of 18" "invalid UTF-8: an error each"
answered "after invalid UTF-8"

mkfifo "$T/flood.in"
"$PYTHON" "$A" "$NESD_SOCK" flood 20 <"$T/flood.in" >"$T/flood.out" \
    2>"$T/flood.log" &
track_pid $!
exec {flood_fd}>"$T/flood.in"
for ((i = 0; i < 500; i++)); do
	grep -q '^sent ' "$T/flood.out" && break
	sleep 0.05
done
note "flood: $(cat "$T/flood.out")"
assert_match "$(cat "$T/flood.out")" '^sent [0-9]+ stalled 1$' \
    "nesd stops reading a client that does not read its replies"
answered "while a client floods and never reads"
mem_after=$(rss_kib)
fds_after=$(fds)

# ---- nobody reads, and does not change ------------------------------------------
if [ -n "$asnobody" ]; then
	cp "$NESCTL" "$T/nesctl"
	chmod 755 "$T/nesctl"
	run $asnobody "$T/nesctl" -s "$NESD_SOCK" --json status
	assert_rc 0 "status as nobody"
	assert_eq "$(jqr "$RUN_OUT" .summary.total)" 1 "status as nobody: total"
	run $asnobody "$T/nesctl" -s "$NESD_SOCK" import "$T/a.pem"
	assert_rc 1 "import as nobody"
	assert_contains "$RUN_ERR" "not permitted" "import as nobody: refused"
	# shellcheck disable=SC2154
	exec {nobody_fd}>&-
else
	note "not root: the nobody part is left out"
fi
exec {flood_fd}>&-
nesd_alive || fail "nesd died under attack"
nesd_stop
crashed=$(sanitizer_reports)

stress_row hostile-clients "$C conns x 2 uids, 10 MB line, $KB KiB random, \
nesting, bad UTF-8, flood; $tried status" - - "$crashed" "$hung" \
    "$mem_before" "$mem_after" "status answered, memory bounded"
note "descriptors: $fds_before at start, $fds_held with $C held," \
    "$fds_after at the end"
assert_eq "$crashed" 0 "sanitizer reports"
assert_eq "$hung" 0 "status calls not answered within 5 s"
# AddressSanitizer's red zones, quarantine and allocator caches make the
# same 8 MiB of queued replies cost up to some 250 MiB there.
limit=64
if ldd "$NESD" 2>/dev/null | grep -q libasan; then
	limit=320
fi
[ $((mem_after - mem_before)) -lt $((limit << 10)) ] ||
    fail "nesd grew by $(((mem_after - mem_before) >> 10)) MiB under attack"
[ "$fds_held" -lt $((fds_before + 40)) ] ||
    fail "nesd holds $fds_held descriptors (from $fds_before)"
exit 0
