#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# notify-screen.sh - the last call as real notification servers draw it,
# on a virtual screen (Xvfb): xfce4-notifyd (Pardus' default), GNOME's
# notification-daemon and dunst. The Turkish summary fits the ~45
# characters xfce4-notifyd shows, the body four lines; the critical
# notice is still on the screen after 8 s (notification-daemon drops
# others after 3-6 s). A screenshot of each server stays in the build
# tree, tests/screens/notify-SERVER.png, for a person to look at (CI
# keeps them as artifacts).

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
need_test_hooks
export NESD_TEST_HOOKS=1

command -v Xvfb >/dev/null || skip "no Xvfb (xvfb)"
command -v import >/dev/null || skip "no import (imagemagick)"
command -v dbus-daemon >/dev/null || skip "no dbus-daemon"
tr_locale || skip "no tr_TR.UTF-8 locale"
SHOTS=${TOP_BUILDDIR:-$PWD}/tests/screens
mkdir -p "$SHOTS"

DAY=86400
NOW=$(local_epoch "2026-12-03 12:00")
mkcert "$T/a.pem" --cn "AYŞE YILMAZ" --tckn "$(tckn_make 920100200)" \
    --not-after "$(utc_of $((NOW + 19 * DAY + 3600)))"

: >"$T/display"
Xvfb -displayfd 3 -screen 0 1024x600x24 -nolisten tcp 3>"$T/display" \
    >"$T/xvfb.log" 2>&1 &
track_pid $!
wait_for test -s "$T/display"
export DISPLAY=:$(head -n 1 "$T/display")
bus_start
# What nesd sends, as the bus carries it.
dbus-monitor --session "interface='org.freedesktop.Notifications',member='Notify'" \
    >"$T/monitor.log" 2>&1 &
track_pid $!

# drawn FILE: the share of the screen that is not black, as 0.xxxx.
drawn() {
	convert "$1" -colorspace Gray -threshold 10% -format '%[fx:mean]' info:
}
is_drawn() {
	import -window root "$T/now.png" 2>/dev/null &&
	    [ "$(drawn "$T/now.png")" != 0 ]
}

# show NAME CMD...: nesd's last call on server CMD, screenshots kept.
show() {
	local name=$1 pid
	shift
	"$@" >"$T/$name.log" 2>&1 &
	pid=$!
	track_pid "$pid"
	gdbus wait --session --timeout 5 org.freedesktop.Notifications ||
	    fail "$name did not take the bus name"
	NESD_STATE=$T/state-$name
	printf '[reminders]\nchannels = desktop\n' >"$NESD_CONF"
	LC_ALL=tr_TR.UTF-8 NESD_LOCALEDIR=$TR_LOCALEDIR NESD_TEST_NOW=$NOW \
	    nesd_start
	ctl import "$T/a.pem" >/dev/null
	wait_for outbox_is desktop delivered
	wait_for is_drawn
	sleep 1
	import -window root "$SHOTS/notify-$name.png"
	sleep 8
	import -window root "$T/$name-later.png"
	assert_ne "$(drawn "$T/$name-later.png")" 0 \
	    "$name: the last call is still there after 8 s"
	cp "$T/$name-later.png" "$SHOTS/notify-$name-8s.png"
	nesd_stop
	stop_pid "$pid"
	untrack_pid "$pid"
	gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus \
	    -m org.freedesktop.DBus.NameHasOwner org.freedesktop.Notifications |
	    grep -q false || sleep 0.5
}

ran=0
if [ -x /usr/lib/x86_64-linux-gnu/xfce4/notifyd/xfce4-notifyd ]; then
	show xfce4-notifyd /usr/lib/x86_64-linux-gnu/xfce4/notifyd/xfce4-notifyd
	ran=$((ran + 1))
fi
if [ -x /usr/lib/notification-daemon/notification-daemon ]; then
	show notification-daemon /usr/lib/notification-daemon/notification-daemon -r
	ran=$((ran + 1))
fi
if command -v dunst >/dev/null; then
	show dunst dunst
	ran=$((ran + 1))
fi
[ "$ran" -gt 0 ] || skip "no notification server (xfce4-notifyd, notification-daemon, dunst)"
note "screenshots: $SHOTS/notify-*.png"

# The words themselves, as the bus carried them: Notify's app name, id,
# icon, summary, body, actions, hints, timeout.
summary=$(sed -n 's/^ *string "\(E-imza[^"]*\)"$/\1/p' "$T/monitor.log" | head -n 1)
assert_eq "$summary" "E-imzanız 19 gün sonra bitiyor" "the Turkish summary, verb first"
assert_eq "$(($(printf %s "$summary" | wc -m) <= 45))" 1 \
    "the summary fits the 45 characters xfce4-notifyd shows"
body=$(awk '/member=Notify/ { n = 0 } /^ *string "/ { n++ } n == 4' \
    "$T/monitor.log" | head -n 6)
assert_contains "$body" "Son çağrı" "the body has the step for today"
assert_not_contains "$body" "SHA-256" "no fingerprint"
assert_eq "$(grep -c '^ *int32 0$' "$T/monitor.log" | head -n 1)" "$ran" \
    "no timeout: the last call stays until closed"
