#!/bin/bash
# SPDX-License-Identifier: ISC
#
# check.sh - nesctl check, the monitoring plugin: one line "NESD STATE -
# text | perfdata" and exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, for
# each case: nesd down or hung, bad arguments, no certificate, one far
# off, within -w, within -c, expired, renewed, revoked, suspended, a
# card's PIN locked or at its last try. And verbs that reach the network
# are never picked by a prefix: `nesctl check-s` is an error, not
# check-status.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/ocsp-lib.sh
. "$TOP_SRCDIR/tests/fixtures/ocsp-lib.sh"
# shellcheck source=tests/fixtures/card.sh
. "$TOP_SRCDIR/tests/fixtures/card.sh"

# expect RC STATE ERE [nesctl check args]: the exit status, the one line.
expect() {
	local rc=$1 state=$2 ere=$3
	shift 3
	run ctl check "$@"
	assert_rc "$rc" "check $*: $state ($RUN_OUT)"
	assert_eq "$(wc -l <<<"$RUN_OUT")" 1 "check $*: one line"
	assert_match "$RUN_OUT" "^NESD $state - $ere" "check $*: $state"
}

# until_rev STATUS: a certificate has it, within 15 s (a first answer
# may wait for the responder's time limit, then come from the CRL).
until_rev() {
	local i
	for ((i = 0; i < 150; i++)); do
		ctl_true status "[.certificates[].revocation.status] |
		    index(\"$1\")" && return 0
		sleep 0.1
	done
	fail "no certificate became $1 within 15 s"
}

# ---- no nesd -------------------------------------------------------------------
mkdir "$T/empty"
run "$NESCTL" -s "$T/empty/sock" check
assert_rc 3 "nesd down"
assert_eq "$RUN_OUT" "NESD UNKNOWN - nesd does not answer on $T/empty/sock" \
    "nesd down: the line"
# Something that accepts and never answers: UNKNOWN after -t seconds.
"$PYTHON" -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept(); time.sleep(30)' "$T/hung.sock" &
HUNG=$!
track_pid "$HUNG"
wait_for test -S "$T/hung.sock"
t0=$(date +%s%N)
run "$NESCTL" -s "$T/hung.sock" check -t 1
t1=$(date +%s%N)
assert_rc 3 "hung nesd"
assert_match "$RUN_OUT" "^NESD UNKNOWN - nesd did not answer in time on $T/hung.sock" \
    "hung nesd: the line"
[ $(((t1 - t0) / 1000000)) -lt 2500 ] || fail "check -t 1 took $(((t1 - t0) / 1000000)) ms"
stop_pid "$HUNG"
untrack_pid "$HUNG"

# Bad arguments are UNKNOWN too, as monitoring plugins do.
for bad in "-w 3m" "-c soon" "-t 0" "--bogus" "extra"; do
	# shellcheck disable=SC2086
	run "$NESCTL" -s "$T/empty/sock" check $bad
	assert_rc 3 "check $bad"
	assert_match "$RUN_OUT" "^NESD UNKNOWN - " "check $bad: the line"
done

# ---- prefixes ------------------------------------------------------------------
run "$NESCTL" -s "$T/empty/sock" check-s
assert_rc 2 "check-s is no verb"
assert_contains "$RUN_ERR" "say check-status in full" "check-s: why"
run "$NESCTL" -s "$T/empty/sock" notify
assert_rc 2 "notify is no verb"
assert_contains "$RUN_ERR" "say notify-test in full" "notify: why"
run "$NESCTL" -s "$T/empty/sock" renew noti
assert_rc 2 "renew noti is no verb"
run "$NESCTL" -s "$T/empty/sock" chec
assert_rc 3 "chec is check"
assert_match "$RUN_OUT" "^NESD UNKNOWN" "chec: the plugin line"

# ---- certificates --------------------------------------------------------------
printf '[status]\nenabled = no\n' >"$NESD_CONF"
nesd_start
expect 0 OK "no certificates tracked \| certificates=0;;;0 " 
mkcert "$T/far.pem" --not-after "$(not_after_in 200)" --tckn "$(tckn_make 100000011)" \
    --cn "UZAK TARIH"
ctl import "$T/far.pem" >/dev/null
expect 0 OK "1 certificates, the first expires in 200 days \(UZAK TARIH\) \| .* days_left=200;90:;25:$"
mkcert "$T/d60.pem" --not-after "$(not_after_in 60)" --tckn "$(tckn_make 100000012)" \
    --cn "ALTMIS GUN"
ctl import "$T/d60.pem" >/dev/null
expect 1 WARNING "ALTMIS GUN \(1\*{8}[0-9]{2}\): expires in 60 days \| certificates=2;;;0 expiring=1;;;0 .* days_left=60;90:;25:$"
expect 0 OK "2 certificates" -w 30d
expect 1 WARNING "ALTMIS GUN" -w 9w
mkcert "$T/d10.pem" --not-after "$(not_after_in 10)" --tckn "$(tckn_make 100000013)" \
    --cn "ON GUN"
ctl import "$T/d10.pem" >/dev/null
expect 2 CRITICAL "ON GUN \([^)]*\): expires in 10 days; ALTMIS GUN \([^)]*\): expires in 60 days \| .*expiring=2;;;0 .*days_left=10;90:;25:$"
expect 1 WARNING "ON GUN" -c 5d
expect 2 CRITICAL "ON GUN" -c 264h
run ctl --json check
assert_rc 2 "--json check"
assert_eq "$(jqr "$RUN_OUT" .state)" CRITICAL "--json check: state"
assert_eq "$(jqr "$RUN_OUT" .exit)" 2 "--json check: exit"

# Expired: critical, until a newer certificate of the holder comes.
for id in $(ctl --json list | jq -r '.certificates[].id'); do
	ctl forget "$id" >/dev/null
done
OLD=$(tckn_make 100000014)
mkcert "$T/gone.pem" --days-left -3 --valid-days 700 --tckn "$OLD" \
    --cn "ESKI KART"
ctl import "$T/gone.pem" >/dev/null
expect 2 CRITICAL "ESKI KART \([^)]*\): expired [23] days ago \| .*expired=1;;;0"
mkcert "$T/renewed.pem" --not-after "$(not_after_in 300)" --tckn "$OLD" --cn "ESKI KART"
ctl import "$T/renewed.pem" >/dev/null
expect 0 OK "1 certificates, the first expires in 300 days \(ESKI KART\) \| .*expired=0;;;0"

nesd_stop

# Revoked and suspended, as the status checker found them.
rm -rf "$NESD_STATE"
ocsp_setup
printf '[status]\ntimeout = 5s\nrate = 50\n' >"$NESD_CONF"
nesd_start
ctl import "$PKI/revoked.crt" "$PKI/hold.crt" >/dev/null
until_rev revoked
until_rev on_hold
expect 2 CRITICAL "(MEHMET DEMIR \([^)]*\): revoked; FATMA KAYA \([^)]*\): suspended \(on hold\)|FATMA KAYA \([^)]*\): suspended \(on hold\); MEHMET DEMIR \([^)]*\): revoked) \| .*revoked=2;;;0"
nesd_stop
ocsp_peers_stop

# ---- cards -----------------------------------------------------------------------
rm -rf "$NESD_STATE"
mkcert "$T/a.pem" --not-after "$(not_after_in 300)" --tckn "$(tckn_make 100000015)" --cn "KART BIR"
mkcert "$T/b.pem" --not-after "$(not_after_in 300)" --tckn "$(tckn_make 100000016)" --cn "KART IKI"
locked=$(card_serial locked)
final=$(card_serial final)
pcscd_start
card_conf
nesd_start
card_insert locked --cert 9a:"$T/a.pem" --pin-tries 0
wait_for card_is "$locked" .pin_state locked
expect 2 CRITICAL "card $locked: PIN locked \| .*pin_locked=1;;;0"
card_insert final 1 --cert 9a:"$T/b.pem" --pin-tries 1
wait_for card_is "$final" .pin_state final_try
expect 2 CRITICAL "card $locked: PIN locked; card $final: one PIN try left"
# A card out of its reader still counts while its certificate is current.
card_remove locked
wait_for ctl_true cards "[.cards[] | select(.serial == \"$locked\") | .present] == [false]"
expect 2 CRITICAL "card $locked: PIN locked"
nesd_stop
exit 0
