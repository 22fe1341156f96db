#!/bin/bash
# SPDX-License-Identifier: ISC
#
# systemd-unit.sh - the built user unit systemd/nesd.service passes
# systemd-analyze verify without a word (ExecStart pointed at the built
# nesd), and runs nesd in the foreground unless it is a forking service.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

command -v systemd-analyze >/dev/null || skip "systemd-analyze is missing"
unit=$TOP_BUILDDIR/systemd/nesd.service
[ -f "$unit" ] || fail "$unit was not built (from systemd/nesd.service.in)"
if grep -q '@[a-z_]*@' "$unit"; then
	fail "unsubstituted @var@ in $unit: $(grep '@[a-z_]*@' "$unit")"
fi
grep -q '^ExecStart=' "$unit" || fail "no ExecStart= in $unit"
exec_start=$(grep '^ExecStart=' "$unit")
assert_match "$exec_start" '^ExecStart=[-@:+!]*/[^ ]*/nesd( |$)' \
    "ExecStart runs nesd by absolute path"
type=$(sed -n 's/^Type=//p' "$unit")
if [ "$type" != forking ]; then
	assert_match "$exec_start" ' (-d|--foreground)( |$)' \
	    "ExecStart of a Type=${type:-simple} service keeps nesd in the foreground"
fi

mkdir -m 700 "$T/xdg"
sed -E "s#^(ExecStart=[-@:+!]*)/[^ ]*/nesd( |\$)#\1$NESD\2#" "$unit" \
    >"$T/nesd.service"
assert_contains "$(cat "$T/nesd.service")" "ExecStart=$NESD" \
    "ExecStart replaced by the built nesd"
run env XDG_RUNTIME_DIR="$T/xdg" systemd-analyze --user verify --man=no \
    "$T/nesd.service"
assert_rc 0 "systemd-analyze --user verify"
assert_eq "$RUN_OUT$RUN_ERR" "" "systemd-analyze --user verify says nothing"
exit 0
