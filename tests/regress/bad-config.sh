#!/bin/bash
# SPDX-License-Identifier: ISC
#
# bad-config.sh - a bad nesd.conf stops nesd at start with exit 1 and a
# message naming the file, the line and the key, before any socket exists;
# nesd -n checks a file without starting; -c of a missing file names it.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

C=$T/bad.conf

# bad CONTENT WANT WHAT: nesd -d with this config exits 1, stderr holds
# WANT (after "$C:"), no socket is left; nesd -n says the same.
bad() {
	printf '%s' "$1" >"$C"
	run timeout -k 1 10 "$NESD" -d -c "$C" --socket "$NESD_SOCK" \
	    --state-dir "$NESD_STATE"
	assert_rc 1 "$3"
	assert_contains "$RUN_ERR" "$C:$2" "$3: message"
	[ ! -e "$NESD_SOCK" ] || fail "$3: socket left behind"
	run timeout -k 1 10 "$NESD" -n -c "$C"
	assert_rc 1 "$3 (nesd -n)"
	assert_contains "$RUN_OUT$RUN_ERR" "$C:$2" "$3 (nesd -n): message"
	assert_not_contains "$RUN_OUT$RUN_ERR" "configuration OK" \
	    "$3 (nesd -n)"
}

bad $'# nesd.conf\n\n[daemon]\ncolour = red\n' \
    "4: colour: unknown key in [daemon]" "unknown key"
bad $'[daemon]\nsocket_mode = 999\n' \
    "2: socket_mode: must be an octal mode such as 0600" "socket_mode = 999"
bad $'[daemon]\nsocket_mode = 01777\n' \
    "2: socket_mode: " "socket_mode = 01777 (over 0777)"
bad $'; times\n[reminders]\ntime_of_day = 25:00\n' \
    "3: time_of_day: must be a time of day HH:MM" "time_of_day = 25:00"
bad $'[reminders]\ntime_of_day = 9:30\n' \
    "2: time_of_day: " "time_of_day = 9:30"
bad $'[reminders]\nmilestones = 3y\n' \
    "2: milestones: \"3y\" is not an offset like 3m" "milestones = 3y"
bad $'[reminders]\nmilestones = 3m, 0d\n' \
    "2: milestones: " "milestones with 0d"
bad $'[inventory]\ncertificate_paths = /ok, certs/relative\n' \
    "2: certificate_paths: must be an absolute path" \
    "relative certificate_paths"
bad $'[inventory]\nscan_depth = 17\n' \
    "2: scan_depth: is out of range" "scan_depth = 17"
bad $'[inventory]\nmax_file_size = 1 MiB\n' \
    "2: max_file_size: must be a whole number" "max_file_size = 1 MiB"
bad $'[daemon]\nmax_connections_per_uid = 0\n' \
    "2: max_connections_per_uid: is out of range" \
    "max_connections_per_uid = 0"
bad $'[daemon]\nstate_dir = var/nesd\n' \
    "2: state_dir: must be an absolute path" "relative state_dir"
bad $'[daemon]\n\n[foo]\nx = 1\n' \
    "3: [foo]: unknown section (known: daemon, inventory, cards, reminders, status, mail, renewal, webhook, metrics)" \
    "unknown section"
bad $'socket_mode = 0600\n[daemon]\n' \
    "1: socket_mode: key outside a section" "key outside a section"
bad $'[daemon]\njust words\n' "2: " "line without ="
bad $'[daemon\n' "1: " "section without ]"
# The first error is the one reported.
bad $'[daemon]\nidle_timeout = -1\ncolour = red\n' \
    "2: idle_timeout: " "first of two errors"

# Without -d, a config error still reaches stderr before any detaching.
printf '[daemon]\nsocket_mode = 999\n' >"$C"
run timeout -k 1 10 "$NESD" -c "$C" --socket "$NESD_SOCK" \
    --state-dir "$NESD_STATE"
assert_rc 1 "bad config without -d"
assert_contains "$RUN_ERR" "$C:2: socket_mode: " "bad config without -d"
[ ! -e "$NESD_SOCK" ] || fail "bad config without -d: socket left"

# A good file with every key: nesd -n says so and exits 0.
G=$T/good.conf
cat >"$G" <<EOF
# every key, with comments and blank lines
[daemon]
state_dir = $T/st
socket = $T/s.sock
socket_mode = 0640
socket_group = nesd
max_connections_per_uid = 4
idle_timeout = 0

; inventory
[inventory]
certificate_paths = ~/sertifikalar, $T/certs
certificate_paths = "$T/more"
scan_depth = 0
max_file_size = 1024

[reminders]
time_of_day = 08:05
milestones = 6m, 2m, 40d, 1d
EOF
run "$NESD" -n -c "$G"
assert_rc 0 "nesd -n on a good file"
assert_eq "$RUN_OUT" "configuration OK" "nesd -n on a good file"
[ ! -e "$T/s.sock" ] || fail "nesd -n made a socket"
[ ! -e "$T/st" ] || fail "nesd -n made the state dir"
# An empty file is a good file too.
: >"$T/empty.conf"
run "$NESD" -n -c "$T/empty.conf"
assert_rc 0 "nesd -n on an empty file"
assert_eq "$RUN_OUT" "configuration OK" "nesd -n on an empty file"

# -c of a missing file: an error naming it.
run timeout -k 1 10 "$NESD" -d -c "$T/missing.conf" --socket "$NESD_SOCK" \
    --state-dir "$NESD_STATE"
assert_rc 1 "-c of a missing file"
assert_contains "$RUN_ERR" "$T/missing.conf" "-c of a missing file: named"
assert_contains "$RUN_ERR" "No such file or directory" "-c of a missing file"
[ ! -e "$NESD_SOCK" ] || fail "-c of a missing file: socket left"
run "$NESD" -n -c "$T/missing.conf"
assert_rc 1 "nesd -n -c of a missing file"
assert_contains "$RUN_OUT$RUN_ERR" "$T/missing.conf" "nesd -n: missing file"

# Without -c, a missing default file ($XDG_CONFIG_HOME/nesd/nesd.conf) is
# fine: defaults apply.
run "$NESD" -n
assert_rc 0 "nesd -n with no config file at all"
assert_eq "$RUN_OUT" "configuration OK" "nesd -n with no config file"
mkdir -p "$XDG_CONFIG_HOME/nesd"
printf '[daemon]\nbogus = 1\n' >"$XDG_CONFIG_HOME/nesd/nesd.conf"
run "$NESD" -n
assert_rc 1 "nesd -n reads \$XDG_CONFIG_HOME/nesd/nesd.conf"
assert_contains "$RUN_OUT$RUN_ERR" \
    "$XDG_CONFIG_HOME/nesd/nesd.conf:2: bogus: unknown key in [daemon]" \
    "nesd -n on the default file"

# And the good file really starts (socket from the file, mode from it).
nesd_start_good() {
	"$NESD" -d -c "$G" >>"$NESD_LOG" 2>&1 &
	NESD_PID=$!
	track_pid "$NESD_PID"
	NESD_SOCK=$T/s.sock
	wait_for rpc_probe "$T/s.sock"
}
mkdir -p "$T/certs" "$T/more"
nesd_start_good
assert_eq "$(stat -c %a "$T/s.sock")" 640 "socket_mode from the file"
assert_eq "$(stat -c %a "$T/st")" 700 "state_dir from the file"
st=$(ctl --json status)
assert_eq "$(jqr "$st" '.daemon.certificate_paths | join(" ")')" \
    "$HOME/sertifikalar $T/certs $T/more" "certificate_paths, ~ expanded"
assert_eq "$(jqr "$st" .daemon.state_dir)" "$T/st" "daemon.state_dir"
assert_eq "$(jqr "$st" .daemon.socket)" "$T/s.sock" "daemon.socket"
nesd_stop
exit 0
