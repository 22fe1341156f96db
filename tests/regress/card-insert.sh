#!/bin/bash
# SPDX-License-Identifier: ISC
#
# card-insert.sh - the whole chain: a private pcscd with vpcd, a virtual
# PIV card, OpenSC's PKCS#11 module. An inserted card's certificates
# appear in status with the token serial, label and reader; a certificate
# on the card and in a file is one certificate; a card taken out leaves
# its certificates listed, not present; a different card holding a renewed
# certificate for the same TCKN makes both known. nesctl readers, cards and
# watch (text and --json) show it as it happens.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/card.sh
. "$TOP_SRCDIR/tests/fixtures/card.sh"

tckn=$(tckn_make 123456789)
mkdir -p "$T/files"
mkcert "$T/old.pem" --tckn "$tckn" --cn "AYŞE YILMAZ" --days-left 40
mkcert "$T/auth.pem" --tckn "$tckn" --cn "AYŞE YILMAZ" --kind plain \
    --not-after "$(not_after_in 300)"
mkcert "$T/new.pem" --tckn "$tckn" --cn "AYŞE YILMAZ" --days-left 1090
cp "$T/old.pem" "$T/files/old.pem"
fp_old=$(fingerprint "$T/old.pem")
fp_auth=$(fingerprint "$T/auth.pem")
fp_new=$(fingerprint "$T/new.pem")
serial_a=$(card_serial card-a)
serial_b=$(card_serial card-b)

pcscd_start
card_conf
printf '[inventory]\ncertificate_paths = %s\n' "$T/files" >>"$NESD_CONF"
nesd_start -v
wait_for service_is up
wait_for has_cert "$fp_old"

run ctl readers
assert_rc 0 "nesctl readers"
assert_match "$RUN_OUT" "^$READER0 +no +- +-$" "reader 0 listed, empty"
assert_match "$RUN_OUT" "^$READER1 +no " "reader 1 listed"
run ctl cards
assert_rc 0 "nesctl cards, none yet"
assert_contains "$RUN_OUT" "No cards read yet" "cards before any"

# Subscribers see what happens, for people and for scripts.
"$NESCTL" -s "$NESD_SOCK" watch >"$T/watch-txt.log" 2>&1 &
track_pid $!
"$NESCTL" -s "$NESD_SOCK" --json watch card cert >"$T/watch-json.log" 2>&1 &
track_pid $!
wait_for ctl_true status '.daemon.clients >= 3'

# Card A: the certificate in the file, and an authentication certificate.
card_insert card-a --cert 9a:"$T/auth.pem" --cert 9c:"$T/old.pem"
wait_for cert_at "$fp_auth" "$serial_a"
wait_for cert_at "$fp_old" "$serial_a"
st=$(status_json)
assert_eq "$(jqr "$st" '.summary.total')" 2 "one certificate, file and card"
c=$(jqr "$st" '.certificates[] | select(.fingerprint == $f)' -c \
    --arg f "$fp_old")
assert_eq "$(jqr "$c" '[.locations[].source] | sort | join(",")')" \
    "card,file" "locations of the certificate in a file and on the card"
loc=$(jqr "$c" '.locations[] | select(.source == "card")' -c)
assert_eq "$(jqr "$loc" '[.path, .token_label, .reader, .present] |
    map(tostring) | join("|")')" "$serial_a|AYŞE YILMAZ|$READER0|true" \
    "card location: serial, label, reader, present"
assert_eq "$(jqr "$st" '.cards.service')" up "status: service up"
assert_eq "$(jqr "$st" '.cards.cards_in_readers')" 1 "status: one card in"
run ctl status
assert_match "$RUN_OUT" "Smart cards: service available, readers: 2, cards in them: 1" \
    "status says the service is there"
assert_match "$RUN_OUT" "card AYŞE YILMAZ +[0-9-]+ +in 300 days" \
    "status shows where the certificate lives"

run ctl readers
assert_match "$RUN_OUT" \
    "^$READER0 +yes +3B8880014E4553442D50495677 +AYŞE YILMAZ \\($serial_a\\)$" \
    "readers: card, ATR and token in reader 0"
run ctl cards
assert_match "$RUN_OUT" "^$serial_a +AYŞE YILMAZ +$READER0 +2 +ok " \
    "cards: card A in reader 0 with 2 certificates"
a=$(card_json "$serial_a")
assert_eq "$(jqr "$a" '[.present, .manufacturer, .pin_state,
    (.certificates | length), .certificates[0].tckn] | map(tostring) |
    join("|")')" "true|piv_II|ok|2|$(tckn_mask "$tckn")" \
    "card.list: card A with its certificates, TCKN masked"

# Out of the reader: still tracked, with its stored expiry, not present.
card_out card-a
wait_for card_is "$serial_a" .present false
wait_for cert_is "$fp_auth" '.locations[0].present' false
assert_eq "$(cert_json "$fp_auth" | jq -r .days_left)" 300 \
    "the certificate keeps its expiry"
run ctl cards
assert_match "$RUN_OUT" "^$serial_a +AYŞE YILMAZ +not present +2 " \
    "cards: card A not present"
run ctl status
assert_match "$RUN_OUT" "card AYŞE YILMAZ \\(not present\\)" \
    "status: where, not present"
run ctl show "$fp_auth"
assert_match "$RUN_OUT" \
    "card AYŞE YILMAZ, serial $serial_a, in $READER0 \\(not present, last seen" \
    "show: the card location"
assert_eq "$(cert_json "$fp_old" | jq -r '.locations[] |
    select(.source == "file") | .present')" true "the file is still there"
card_remove card-a
wait_for reader_empty "$READER0"

# Card B, another card with the renewed certificate: both known.
card_insert card-b --cert 9c:"$T/new.pem"
wait_for cert_at "$fp_new" "$serial_b"
st=$(status_json)
assert_eq "$(jqr "$st" '[.certificates[] | select(.tckn == $t)] | length' \
    --arg t "$(tckn_mask "$tckn")")" 3 \
    "three certificates of the same holder"
assert_eq "$(ctl --json cards | jq -r '[.cards[] | "\(.serial)=\(.present)"] |
    join(" ")')" "$serial_b=true $serial_a=false" \
    "cards: B present, A not, present first"

# What the subscribers saw.
watched() {
	jq -se "any(.[]; $1)" "$T/watch-json.log" >/dev/null
}
wait_for watched '.event == "cert.seen" and .source == "card" and
    .path == "'"$serial_b"'"'
watched '.event == "card.inserted" and .reader == "'"$READER0"'" and
    .atr == "3B8880014E4553442D50495677" and .seen_ms > 0' ||
    fail "watch --json: card.inserted with the ATR"
watched '.event == "card.read" and .serial == "'"$serial_a"'" and
    .certificates == 2 and .complete' || fail "watch --json: card.read"
watched '.event == "card.removed" and .reader == "'"$READER0"'"' ||
    fail "watch --json: card.removed"
! watched '.event | startswith("reader")' ||
    fail "watch card cert: a reader event came through"
w=$(cat "$T/watch-txt.log")
assert_match "$w" "^[0-9:]{8} card inserted in $READER0 \\(ATR 3B8880014E4553442D50495677\\)$" \
    "watch: card inserted, for people"
assert_match "$w" "^[0-9:]{8} certificate [0-9]+ on card $serial_b: AYŞE YILMAZ, expires " \
    "watch: certificate seen on the card"
assert_match "$w" "^[0-9:]{8} card removed from $READER0$" "watch: removed"

# A restart: card B still in is read again, card A is still out.
nesd_stop
nesd_start -v
wait_for card_is "$serial_b" .present true
assert_eq "$(card_json "$serial_a" | jq -r .present)" false \
    "card A still out after a restart"
assert_eq "$(status_json | jq -r .summary.total)" 3 "nothing lost"
nesd_stop
