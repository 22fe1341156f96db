#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# remind-markup.sh - a holder's name is text, not markup: on a
# notification server that reads bodies as markup (capability
# body-markup), a CN of "Ali <b>Veli</b> & Kızı" reaches it escaped
# (&lt;b&gt; and &amp;), so the server shows the name as written; on one
# without body-markup, the same name goes as it is. python3-dbusmock's
# notification daemon on a private session bus.
. "$TOP_SRCDIR/tests/lib.sh"

command -v dbus-daemon >/dev/null || skip "no dbus-daemon"
"$PYTHON" -c 'import dbusmock' 2>/dev/null || skip "no python3-dbusmock"

need_test_hooks
export NESD_TEST_HOOKS=1
NOW=$(local_epoch "2027-03-01 12:00")
NAME='Ali <b>Veli</b> & Kızı'
mkcert "$T/a.pem" --not-after "$(utc_of $((NOW + 80 * 86400 + 3600)))" \
    --cn "$NAME" --tckn 12345678950
printf '[reminders]\nchannels = desktop\n' >"$NESD_CONF"

bus_start
notifyd_start "body body-markup actions"
NESD_TEST_NOW=$NOW nesd_start
ctl import "$T/a.pem" >/dev/null
wait_for test "$(notify_count)" -eq 1
body=$(notify_calls | head -n 1 | jq -r .body)
assert_contains "$body" 'Ali &lt;b&gt;Veli&lt;/b&gt; &amp; Kızı' \
    "body-markup: the name is escaped"
assert_not_contains "$body" '<b>' "body-markup: no markup from a certificate"
nesd_stop
notifyd_stop

NESD_STATE=$T/state2
notifyd_start "body actions"
NESD_TEST_NOW=$NOW nesd_start
ctl import "$T/a.pem" >/dev/null
wait_for test "$(notify_count)" -eq 1
body=$(notify_calls | head -n 1 | jq -r .body)
assert_contains "$body" "$NAME" "plain body: the name as written"
nesd_stop
exit 0
