#!/bin/bash
# SPDX-License-Identifier: ISC
#
# sighup.sh - SIGHUP re-reads nesd.conf and rescans certificate_paths: a
# folder added to the config is scanned and watched, new reminder settings
# apply; a config that became bad is logged with file:line and the old one
# is kept while nesd goes on serving.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

mkdir -p "$T/a" "$T/b"
mkcert "$T/a/a.pem" --not-after "$(not_after_in 20)" --cn "AHMET ARSLAN"
mkcert "$T/b/b.der" --format der --days-left 200 --cn "BANU BAL"
fpa=$(fingerprint "$T/a/a.pem")
fpb=$(fingerprint "$T/b/b.der" der)
cat >"$NESD_CONF" <<EOF
[inventory]
certificate_paths = $T/a
EOF
nesd_start
wait_for has_cert "$fpa"
assert_lacks_cert "$fpb" "a certificate outside certificate_paths is listed"
c=$(cert_json "$fpa")
assert_eq "$(jqr "$c" .state)" expiring "20 days left, default milestones"
assert_eq "$(jqr "$c" .next_milestone.name)" expiry "next milestone"

# Add folder b, and change the reminders: 10 days before, at 07:15.
cat >"$NESD_CONF" <<EOF
[inventory]
certificate_paths = $T/a, $T/b

[reminders]
time_of_day = 07:15
milestones = 10d
EOF
pid=$NESD_PID
kill -HUP "$NESD_PID"
wait_for has_cert "$fpb"
assert_eq "$(ctl --json status | jq -r '.daemon.certificate_paths |
    join(" ")')" "$T/a $T/b" "certificate_paths after SIGHUP"
c=$(cert_json "$fpa")
assert_eq "$(jqr "$c" .next_milestone.name)" 10d "milestone after SIGHUP"
assert_eq "$(jqr "$c" .next_milestone.at)" \
    "$(milestone_at "$(jqr "$c" .not_after)" 10d 07:15)" \
    "milestone time after SIGHUP (07:15 local)"
assert_eq "$(jqr "$c" .state)" ok "state with milestones = 10d"
assert_eq "$(ctl --json status | jq .daemon.pid)" "$pid" "same process"
# The new folder is watched, not only scanned.
mkcert "$T/b/c.pem" --days-left 300 --cn "CEM CAN"
wait_for has_cert "$(fingerprint "$T/b/c.pem")"

# A bad config: logged with file and line, the old one stays.
cat >"$NESD_CONF" <<EOF
[inventory]
certificate_paths = $T/a

[reminders]
time_of_day = 25:00
EOF
kill -HUP "$NESD_PID"
wait_for grep -qF "$NESD_CONF:5: time_of_day: must be a time of day" \
    "$NESD_LOG"
nesd_alive || fail "nesd exited on a bad config at SIGHUP"
st=$(ctl --json status)
assert_eq "$(jqr "$st" '.daemon.certificate_paths | join(" ")')" \
    "$T/a $T/b" "certificate_paths kept after a bad SIGHUP"
assert_eq "$(jqr "$st" ".certificates[] | select(.fingerprint == \"$fpa\") |
    .next_milestone.name")" 10d "milestones kept after a bad SIGHUP"
mkcert "$T/b/d.pem" --days-left 301 --cn "DENİZ DAL"
wait_for has_cert "$(fingerprint "$T/b/d.pem")"

# Good again: the defaults come back for what the file no longer sets.
cat >"$NESD_CONF" <<EOF
[inventory]
certificate_paths = $T/a, $T/b
EOF
kill -HUP "$NESD_PID"
wait_for cert_is "$fpa" .next_milestone.name expiry
assert_eq "$(cert_json "$fpa" | jq -r .state)" expiring "state with defaults"
assert_eq "$(ctl --json status | jq .daemon.pid)" "$pid" "same process"
nesd_stop
exit 0
