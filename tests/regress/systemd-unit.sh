#!/bin/bash
# SPDX-License-Identifier: ISC
#
# systemd-unit.sh - the built user unit systemd/nesd.service passes
# systemd-analyze verify without a word (ExecStart pointed at the built
# nesd), and runs nesd in the foreground unless it is a forking service.
# So do the system units (nesd.service, nesd.socket, nesd-ro.socket), the
# sockets name their descriptors as nesd takes them, and
# systemd-analyze security --offline rates the system service 2.0 or less
# (tests/deb/container.sh measures both units in a booted systemd).

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

# The system units.
sys=$TOP_BUILDDIR/systemd/system/nesd.service
[ -f "$sys" ] || fail "$sys was not built (from systemd/system/nesd.service.in)"
mkdir "$T/system"
sed -E "s#^(ExecStart=[-@:+!]*)/[^ ]*/nesd( |\$)#\1$NESD\2#" "$sys" \
    >"$T/system/nesd.service"
cp "$TOP_SRCDIR/systemd/system/nesd.socket" \
    "$TOP_SRCDIR/systemd/system/nesd-ro.socket" "$T/system/"
assert_contains "$(cat "$T/system/nesd.service")" "ExecStart=$NESD --system --foreground" \
    "system ExecStart: the built nesd, system mode, foreground"
run systemd-analyze verify --man=no "$T/system/nesd.service" \
    "$T/system/nesd.socket" "$T/system/nesd-ro.socket"
assert_rc 0 "systemd-analyze verify of the system units"
assert_eq "$RUN_OUT$RUN_ERR" "" "systemd-analyze verify of the system units says nothing"
assert_eq "$(sed -n 's/^FileDescriptorName=//p' "$T/system/nesd.socket")" control \
    "nesd.socket: descriptor name"
assert_eq "$(sed -n 's/^FileDescriptorName=//p' "$T/system/nesd-ro.socket")" readonly \
    "nesd-ro.socket: the name nesd takes as read-only"
assert_eq "$(sed -n 's/^SocketMode=//p' "$T/system/nesd.socket") $(sed -n 's/^SocketGroup=//p' "$T/system/nesd.socket")" \
    "0660 nesd" "nesd.socket: 0660, group nesd"
assert_eq "$(sed -n 's/^Sockets=//p' "$T/system/nesd.service")" \
    "nesd.socket nesd-ro.socket" "nesd.service takes both sockets"
run systemd-analyze security --offline=true --threshold=20 --no-pager \
    "$T/system/nesd.service"
assert_rc 0 "systemd-analyze security: exposure 2.0 or less"
note "$(grep 'Overall exposure' <<<"$RUN_OUT")"
grep -q "^u nesd " "$TOP_SRCDIR/systemd/nesd.sysusers" ||
    fail "sysusers.d: no user nesd"
exit 0
