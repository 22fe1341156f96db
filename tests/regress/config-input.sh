#!/bin/bash
# SPDX-License-Identifier: ISC
#
# config-input.sh - what nesd reads as its configuration is a regular text
# file of at most 1 MiB (D9): `-c` of a FIFO, of /dev/zero or of a folder
# ends nesd at once with exit 1 and "not a regular file" (before, a FIFO
# blocked start-up and /dev/zero grew without bound); a NUL byte in a line
# is an error naming the file and the line (before, it silently cut the
# value); a file over 1 MiB is refused; and a SIGHUP with nesd.conf
# replaced by a FIFO keeps the running configuration and nesd answering
# (before, the daemon hung in the reload).

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

# Within 1 GiB of address space, unless AddressSanitizer needs more.
limit=1048576
if ldd "$NESD" 2>/dev/null | grep -q libasan; then
	limit=unlimited
fi

# refused PATH WANT WHAT: nesd -n and nesd -d with -c PATH exit 1 within
# 10 s, saying PATH followed by WANT; no socket is left.
refused() {
	local path=$1 want=$2 what=$3
	run timeout -k 1 10 bash -c 'ulimit -v "$0"; exec "$@"' "$limit" \
	    "$NESD" -n -c "$path"
	assert_rc 1 "$what (nesd -n)"
	assert_contains "$RUN_OUT$RUN_ERR" "$path$want" \
	    "$what (nesd -n): message"
	run timeout -k 1 10 bash -c 'ulimit -v "$0"; exec "$@"' "$limit" \
	    "$NESD" -d -c "$path" --socket "$NESD_SOCK" \
	    --state-dir "$NESD_STATE"
	assert_rc 1 "$what"
	assert_contains "$RUN_ERR" "$path$want" "$what: message"
	[ ! -e "$NESD_SOCK" ] || fail "$what: socket left behind"
}

mkfifo "$T/fifo.conf"
refused "$T/fifo.conf" ": not a regular file" "-c FIFO"
refused /dev/zero ": not a regular file" "-c /dev/zero"
mkdir "$T/folder.conf"
refused "$T/folder.conf" ": not a regular file" "-c folder"

printf '[daemon]\nsocket_group = nesd\0wheel\n' >"$T/nul.conf"
refused "$T/nul.conf" ":2: a NUL byte in the line" "a NUL byte in a value"

{
	printf '[daemon]\n'
	head -c $((1024 * 1024)) /dev/zero | tr '\0' '#'
	printf '\n'
} >"$T/big.conf"
refused "$T/big.conf" ": larger than 1 MiB" "a 1 MiB comment"
truncate -s 4G "$T/sparse.conf"
refused "$T/sparse.conf" ": larger than 1 MiB" "a sparse 4 GiB file"

# A symbolic link to a regular file is fine.
printf '[daemon]\nidle_timeout = 60\n' >"$T/real.conf"
ln -s "$T/real.conf" "$T/link.conf"
run "$NESD" -n -c "$T/link.conf"
assert_rc 0 "a link to a regular file: $RUN_ERR"

# ---- SIGHUP with nesd.conf replaced by a FIFO --------------------------------
printf '[daemon]\nidle_timeout = 60\n' >"$NESD_CONF"
nesd_start
rm -f "$NESD_CONF"
mkfifo "$NESD_CONF"
kill -HUP "$NESD_PID"
wait_line "$NESD_LOG" "reload: $NESD_CONF: not a regular file; keeping"
run timeout 5 "$NESCTL" -s "$NESD_SOCK" status
assert_rc 0 "status answered after a SIGHUP with a FIFO as nesd.conf"
# And a NUL byte on reload: the same error, the old configuration kept.
rm -f "$NESD_CONF"
printf '[daemon]\nidle_timeout = 6\0\n' >"$NESD_CONF"
kill -HUP "$NESD_PID"
wait_line "$NESD_LOG" "reload: $NESD_CONF:2: a NUL byte in the line"
run ctl status
assert_rc 0 "status answered after a SIGHUP with a NUL byte"
nesd_stop
exit 0
