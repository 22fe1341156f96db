#!/bin/bash
# SPDX-License-Identifier: ISC
#
# card-pcscd.sh - the smart card service coming and going. nesd started
# before pcscd says the service is unavailable, waits without a busy loop
# (its voluntary context switches over 8 s are counted and bounded: a
# retry now and then, not thousands), and picks pcscd up when it appears.
# pcscd killed (its socket left behind) and started again, or stopped and
# started: nesd notices, marks the card out, recovers and reads the next
# card inserted.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/card.sh
. "$TOP_SRCDIR/tests/fixtures/card.sh"

# Voluntary context switches of every thread of nesd.
switches() {
	cat /proc/"$NESD_PID"/task/*/status |
	    awk '/^voluntary_ctxt_switches/ { n += $2 } END { print n }'
}

mkcert "$T/a.pem" --cn "CAN ÖZ" --days-left 100
fp=$(fingerprint "$T/a.pem")
serial=$(card_serial card-1)
card_conf
nesd_start
wait_for service_is down
run ctl status
assert_match "$RUN_OUT" \
    "The smart card service \\(pcscd\\) is unavailable: the service is not running; nesd keeps trying" \
    "status: no smart card service"
run ctl readers
assert_rc 0 "nesctl readers without pcscd"
assert_contains "$RUN_OUT" "unavailable" "readers: no service"

before=$(switches)
sleep 8
after=$(switches)
note "nesd, pcscd absent: $((after - before)) voluntary context switches in 8 s"
[ $((after - before)) -lt 100 ] ||
    fail "pcscd absent: $((after - before)) context switches in 8 s"

# pcscd appears: picked up at once (nesd watches its socket's folder).
pcscd_start
wait_for service_is up
wait_for ctl_true readers '(.readers | length) == 2'
card_insert card-1 --cert 9c:"$T/a.pem"
wait_for cert_at "$fp" "$serial"
wait_for card_is "$serial" .present true

# Killed: its socket stays; nesd notices at once, the card is out.
pcscd_stop KILL
card_remove card-1
wait_for service_is down
wait_for card_is "$serial" .present false
assert_eq "$(ctl --json readers | jq '.readers | length')" 0 \
    "no readers without pcscd"
nesd_alive || fail "nesd died with pcscd"

pcscd_start
wait_for service_is up
card_insert card-1 --cert 9c:"$T/a.pem"
wait_for card_is "$serial" .present true
wait_for reader_has_card "$READER0"

# Stopped and started again, then the card in the other reader.
pcscd_stop
card_remove card-1
wait_for service_is down
pcscd_start
wait_for service_is up
card_insert card-1 1 --cert 9c:"$T/a.pem"
wait_for card_is "$serial" .reader "$READER1"
wait_for card_is "$serial" .present true
assert_eq "$(grep -c "smart card service available" "$NESD_LOG")" 3 \
    "three times the service came up"
nesd_stop
