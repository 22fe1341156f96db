#!/bin/bash
# SPDX-License-Identifier: ISC
#
# card-bad.sh - cards that do not go as planned. A card holding garbage in
# a certificate container beside a good certificate, a card with no
# certificate at all, a card full (24 certificates, the retired key slots
# too), and a card pulled out in the middle of being read: nesd logs what
# happened, keeps every certificate it read correctly, and keeps serving;
# the card pulled out is read in full when it comes back.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/card.sh
. "$TOP_SRCDIR/tests/fixtures/card.sh"

mkcert "$T/good.pem" --cn "ZEKİ MÜREN" --days-left 100
fp_good=$(fingerprint "$T/good.pem")
head -c 900 /dev/urandom >"$T/garbage.der"
mkcert "$T/many/" --format der --count 24 --cn "DOLU KART" --days-left 300
mkcert "$T/mid/" --format der --count 3 --cn "YARIM KALAN" --days-left 400
slots=(9a 9c 9d 9e 82 83 84 85 86 87 88 89 8a 8b 8c 8d 8e 8f 90 91 92 93 94 95)
full=()
for i in "${!slots[@]}"; do
	full+=(--cert "${slots[$i]}:$T/many/cert-$(printf %05d $((i + 1))).der")
done
garbage=$(card_serial garbage)
empty=$(card_serial empty)
many=$(card_serial many)
mid=$(card_serial mid)

pcscd_start
card_conf
nesd_start -v

card_insert garbage --cert 9a:"$T/garbage.der" --cert 9c:"$T/good.pem"
card_insert empty 1
wait_for cert_at "$fp_good" "$garbage"
wait_for card_is "$empty" .present true
assert_eq "$(card_json "$garbage" | jq '.certificates | length')" 1 \
    "the good certificate beside the garbage"
assert_eq "$(card_json "$empty" | jq '.certificates | length')" 0 \
    "a card without certificates"
run ctl cards
assert_match "$RUN_OUT" "^$empty +[^ ].* +$READER1 +0 +ok " \
    "cards: the empty card"
card_remove garbage
card_remove empty
wait_for reader_empty "$READER0"

card_insert many "${full[@]}"
wait_for ctl_true cards "any(.cards[]; .serial == \"$many\" and
    (.certificates | length) == 24)"
assert_eq "$(status_json | jq .summary.total)" 25 "25 certificates"
card_remove many
wait_for reader_empty "$READER0"

# Pulled out while OpenSC reads the second certificate container.
card_insert mid --pull-after 2 --cert 9a:"$T/mid/cert-00001.der" \
    --cert 9c:"$T/mid/cert-00002.der" --cert 9d:"$T/mid/cert-00003.der"
wait_for grep -q "^removed" "$T/card-mid.log"
wait_for grep -q "reader $READER0: card removed" "$NESD_LOG"
run ctl --json status
assert_rc 0 "status while a card was pulled out mid-read"
assert_eq "$(jqr "$RUN_OUT" .summary.total)" 25 "nothing read before lost"
assert_eq "$(card_json "$garbage" | jq '.certificates | length')" 1 \
    "what was read from other cards is kept"
wait_for reader_empty "$READER0"
card_in mid
wait_for ctl_true cards "any(.cards[]; .serial == \"$mid\" and
    ([.certificates[] | select(.present)] | length) == 3)"
wait_for card_is "$mid" .present true
assert_eq "$(status_json | jq .summary.total)" 28 "read in full"
nesd_stop
