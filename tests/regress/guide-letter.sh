#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# guide-letter.sh - seed guide 001, a renewal whose form is signed by hand
# and sent by the school with an official letter (paper_route = letter),
# walked in English and Turkish: the renewal form (Yenileme, İstenmedi,
# 3 Yıl), the window the guides give (3 months to 25 days before the end)
# and the last call; the letter through DYS, by registered post, to Kamu
# SM's address; the composed e-mail asking the officer to approve;
# production refused before its window; and, with no card 15 days after
# production opened, the courier hint with Kamu SM's KURYE TAKİP and its
# numbers.
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/guide.sh
. "$TOP_SRCDIR/tests/fixtures/guide.sh"
need_test_hooks
export NESD_TEST_HOOKS=1

printf '[reminders]\nchannels =\n[renewal]\npaper_route = letter\nofficer = eimza@example.org\n' \
    >"$NESD_CONF"
tckn=$(tckn_make 612345789)
start=$(date +%s)
mkcert "$T/old.pem" --not-after "$(utc_of $((start + 80 * 86400)))" \
    --tckn "$tckn" --cn "CAN YILDIZ"

walk() {
	guide_start
	test_clock "$start"
	ctl import "$T/old.pem" >/dev/null
	out=$(gf renew start)
	assert_contains "$out" "$(w "Case 1: renewal (Yenileme), opened" \
	    "Dosya 1: yenileme (Yenileme), açıldı")" "$GUIDE_LANG: a renewal"
	assert_contains "$out" "$(w "The window the guides give" "Kılavuzların verdiği dönem")" \
	    "$GUIDE_LANG: the window"
	deadline=$(ctl --json case show 1 | jq -r .deadline)
	assert_contains "$out" "$(day "$deadline")" "$GUIDE_LANG: the last day said"
	assert_eq "$(( ($(date -d "@$(ctl --json case show 1 | jq -r .not_after)" +%s) - deadline) / 86400 ))" \
	    24 "$GUIDE_LANG: last call 25 days before the end (the day, at 09:30)"
	form=$(g renew form)
	assert_contains "$form" "$(w "✓ Reason (Başvuru Nedeni): Yenileme" "✓ Başvuru Nedeni: Yenileme")" \
	    "$GUIDE_LANG: form: Yenileme"
	assert_contains "$form" "$(w "✓ Card reader (Kart Okuyucu Tipi): İstenmedi" \
	    "✓ Kart Okuyucu Tipi: İstenmedi")" "$GUIDE_LANG: form: no reader again"

	out=$(gf renew applied --method islak)
	assert_contains "$out" "$(w "with an official letter through DYS, by registered post (iadeli taahhütlü)" \
	    "DYS üzerinden resmi yazıyla, iadeli taahhütlü")" \
	    "$GUIDE_LANG: the institution's letter (paper_route = letter)"
	assert_contains "$out" "41470 Gebze/KOCAELİ" "$GUIDE_LANG: Kamu SM's address"
	assert_not_contains "$out" "$(w "Send the signed form yourself" "İmzalı formu kendiniz")" \
	    "$GUIDE_LANG: not the holder's post"
	grun renew notify-officer
	assert_rc 0 "$GUIDE_LANG: the officer's e-mail composed"
	assert_contains "$RUN_OUT" "eimza@example.org" "$GUIDE_LANG: to the officer"
	out=$(gf renew posted)
	assert_contains "$out" "$(w "Form recorded as handed over" "Formun teslim edildiği kaydedildi")" \
	    "$GUIDE_LANG: posted"
	gf renew approved >/dev/null
	grun renew produced
	assert_rc 1 "$GUIDE_LANG: produced before the window"
	opens=$(ctl --json case show 1 | jq -r .production_opens)
	assert_contains "$RUN_ERR" "possible from $(date -d "@$opens" +%F)" \
	    "$GUIDE_LANG: produced: from when"
	assert_contains "$(gf case show)" "$(w "Possible from $(day "$opens"): nesctl renew produced" \
	    "$(day "$opens") tarihinden itibaren mümkün: nesctl renew produced")" \
	    "$GUIDE_LANG: case show: later"

	# Production opened on day 20; on day 36 no card yet: the hint.
	test_clock $((start + 36 * 86400))
	wait_for has_step courier_hint
	step=$(ctl --json case show 1 | jq -r .next_step)
	assert_contains "$step" "$(w "kurye takip" "kurye takip")" "$GUIDE_LANG: courier hint"
	assert_contains "$step" "KURYE TAKİP" "$GUIDE_LANG: Kamu SM's tracking"
	assert_contains "$step" "0262 648 1818" "$GUIDE_LANG: Kamu SM's number"
	assert_contains "$step" "444 5 576" "$GUIDE_LANG: the call centre"
	out=$(gf renew produced)
	assert_contains "$out" "$(w "in production" "üretimde")" "$GUIDE_LANG: produced now"
	nesd_stop
}
has_step() {
	ctl --json case show 1 | jq -e --arg e "$1" 'any(.history[]; .event == $e)'
}

guide_walks walk
