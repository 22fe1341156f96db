#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# guide-eimza.sh - seed guide 004, a renewal signed with the card,
# walked in English and Turkish: the institution's own rule, no later than
# a month before the end (apply_by = 1m), as the last call; a personal
# e-mail address warned about (no email_domain configured); the e-imza
# steps (Continue at Java's prompt, card type AKİS, the PIN) and the words
# that say it is done; production refused until its window opens; the
# courier's 10 to 15 days after approval.
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/guide.sh
. "$TOP_SRCDIR/tests/fixtures/guide.sh"
need_test_hooks
export NESD_TEST_HOOKS=1

printf '[reminders]\nchannels =\n[renewal]\napply_by = 1m\n' >"$NESD_CONF"
start=$(date +%s)
mkcert "$T/old.pem" --not-after "$(utc_of $((start + 75 * 86400)))" \
    --tckn "$(tckn_make 312345678)" --cn "HASAN ÖZ"

walk() {
	guide_start
	test_clock "$start"
	ctl import "$T/old.pem" >/dev/null
	grun profile set email hasan.oz@hotmail.com
	assert_rc 0 "$GUIDE_LANG: a personal address is kept"
	assert_contains "$RUN_OUT" "$(w "hotmail.com is a personal address" \
	    "hotmail.com kişisel bir adres")" "$GUIDE_LANG: but warned about"
	grun profile set email "hasan.@meb.gov.tr"
	assert_rc 1 "$GUIDE_LANG: a dot before @"
	grun profile set email "hasan@-meb.gov.tr"
	assert_rc 1 "$GUIDE_LANG: a hyphen at a label's start"

	out=$(gf renew start)
	end=$(ctl --json case show 1 | jq -r .not_after)
	deadline=$(ctl --json case show 1 | jq -r .deadline)
	assert_eq "$(date -d "@$deadline" +%F)" "$(date -d "$(date -d "@$end" +%F) - 1 month" +%F)" \
	    "$GUIDE_LANG: the last call a month before the end"
	assert_contains "$out" "$(w "Apply by $(day "$deadline")" \
	    "Son başvuru günü $(day "$deadline")")" "$GUIDE_LANG: apply by"
	for words in "E-İmzalı Başvuru" "Continue" "AKİS" \
	    "Başvuru İmzalama İşlemi Başarıyla Bitirildi"; do
		assert_contains "$out" "$words" "$GUIDE_LANG: e-imza: $words"
	done
	assert_contains "$out" "$(w "Signing method now: e-imza" \
	    "Şimdi kullanılacak imzalama yöntemi: e-imza")" "$GUIDE_LANG: e-imza"
	g renew applied --method e-imza >/dev/null
	out=$(gf renew approved)
	assert_contains "$out" "$(w "Approval recorded" "Onay kaydedildi")" "$GUIDE_LANG: approved"
	grun renew produced
	assert_rc 1 "$GUIDE_LANG: not produced 2 months before the end yet"
	assert_contains "$RUN_ERR" "possible from" "$GUIDE_LANG: produced: from when"
	test_clock $((start + 16 * 86400))
	out=$(gf renew produced)
	assert_contains "$out" "$(w "usually within 10 to 15 days" "genellikle 10-15 gün içinde")" \
	    "$GUIDE_LANG: produced once the window opened"
	nesd_stop
}

guide_walks walk
