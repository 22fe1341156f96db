#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# guide-first.sh - seed guide 000, the first application of a civil
# servant, walked start to finish in English and Turkish: no certificate,
# so a first application signed by hand; the institution's form in the
# portal's words (Mini Kart Okuyucu, 3 Yıl, AKSARAY MERKEZ, Her ikisi),
# which the portal fills Kurum Adı of; e-imza refused; the form posted by
# the holder to Kamu SM in Gebze (paper_route = post) with the address
# said, and reminded until posted; then approval, production, courier and
# the new card closing the case.
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/guide.sh
. "$TOP_SRCDIR/tests/fixtures/guide.sh"
need_test_hooks
export NESD_TEST_HOOKS=1

printf '[reminders]\nchannels =\n[renewal]\npaper_route = post\n' >"$NESD_CONF"
tckn=$(tckn_make 456123789)
mkcert "$T/new.pem" --not-after "$(not_after_in 1095)" --tckn "$tckn" \
    --cn "ZEHRA DEMİR"

walk() {
	guide_start
	# Adım 2: the form's fields, in the portal's own words.
	for kv in "tckn ${tckn:0:3} ${tckn:3:3} ${tckn:6:5}" "name Zehra" \
	    "surname Demir" "birth_place Aksaray" "birth_date 12.03.1988" \
	    "registry_no 2024" "unit Bilgi İşlem" "title Memur" \
	    "address Yeni Sanayi Mah. Valilik Ek Hizmet Binası" \
	    "province AKSARAY" "district AKSARAY MERKEZ" "postal_code 68100" \
	    "email zehra.demir@meb.gov.tr" "work_phone (382) 213 00 00" \
	    "mobile_phone 0532 000 11 22" "operator TURKCELL" \
	    "card_reader Mini Kart Okuyucu" "duration 3 Yıl" \
	    "info_channel Her ikisi (E-posta+SMS)"; do
		# shellcheck disable=SC2086
		grun profile set $kv
		assert_rc 0 "$GUIDE_LANG: profile set $kv"
	done
	assert_eq "$(ctl --json profile show | jq -r '.fields[] |
	    select(.field == "district") | .value')" "Aksaray Merkez" \
	    "$GUIDE_LANG: the district as the portal lists it"
	grun profile set district Çankaya
	assert_rc 1 "$GUIDE_LANG: a district of another province"
	assert_contains "$RUN_ERR" "$(w "Çankaya is a district (ilçe) of Ankara, not of Aksaray" \
	    "Çankaya, Ankara ilinin ilçesi, Aksaray ilinin değil")" \
	    "$GUIDE_LANG: district refused, the province named"

	out=$(gf renew start)
	assert_contains "$out" "$(w "Case 1: first application (İlk Başvuru), opened" \
	    "Dosya 1: ilk başvuru (İlk Başvuru), açıldı")" "$GUIDE_LANG: a first application"
	assert_contains "$out" "Islak İmzalı Başvuru" "$GUIDE_LANG: signed by hand"
	assert_contains "$out" "$(w "Signing method now: islak" \
	    "Şimdi kullanılacak imzalama yöntemi: islak")" "$GUIDE_LANG: islak only"
	assert_contains "$out" "$(w 'It is done when the portal says "Sertifika Başvurunuz Alınmıştır"' \
	    'Portal "Sertifika Başvurunuz Alınmıştır" dediğinde işlem tamamdır')" \
	    "$GUIDE_LANG: what success looks like"
	assert_eq "$(g renew open --print)" "https://portal.kamusm.gov.tr/bp/meb.go" \
	    "$GUIDE_LANG: the MEB portal"
	assert_contains "$(g --json renew open | jq -r .path)" "Form Onayla → Gönder" \
	    "$GUIDE_LANG: the way through the portal"
	form=$(g renew form)
	assert_contains "$form" "$(w "✓ Card reader (Kart Okuyucu Tipi): Mini Kart Okuyucu" \
	    "✓ Kart Okuyucu Tipi: Mini Kart Okuyucu")" "$GUIDE_LANG: form: reader"
	assert_contains "$form" "$(w "✓ Years (Sertifika Süresi): 3" "✓ Sertifika Süresi: 3")" \
	    "$GUIDE_LANG: form: 3 Yıl"
	assert_contains "$form" "$(w "✓ District (İlçe): Aksaray Merkez" "✓ İlçe: Aksaray Merkez")" \
	    "$GUIDE_LANG: form: district"
	assert_not_contains "$form" "Kurum (" "$GUIDE_LANG: Kurum Adı is not asked"
	assert_contains "$(tr '\n' ' ' <<<"$form" | tr -s ' ')" \
	    "$(w "Kurum Adı is filled in by the portal" "Kurum Adı'nı portal kurumunuzun kayıtlarından doldurur")" \
	    "$GUIDE_LANG: form: who fills Kurum Adı"
	assert_contains "$form" "$(w "Every field is ready for the portal." \
	    "Bütün alanlar portal için hazır.")" "$GUIDE_LANG: form ready"

	grun renew applied --method e-imza
	assert_rc 1 "$GUIDE_LANG: no e-imza without a certificate"
	assert_contains "$RUN_ERR" "e-imza is not possible" "$GUIDE_LANG: e-imza: why"
	out=$(gf renew applied --method islak)
	assert_contains "$out" "$(w "sign it bottom right in blue pen" \
	    "sağ alttan mavi tükenmez kalemle")" "$GUIDE_LANG: applied: blue pen"
	assert_contains "$out" "$(w "Send the signed form yourself, by courier or registered post" \
	    "İmzalı formu kendiniz, kargo ya da taahhütlü posta ile")" \
	    "$GUIDE_LANG: applied: the holder posts it (paper_route = post)"
	assert_contains "$out" "Barış Mah. Dr. Zeki Acar Cad." "$GUIDE_LANG: Kamu SM's address"
	assert_contains "$out" "41470 Gebze/KOCAELİ" "$GUIDE_LANG: in Gebze"
	assert_not_contains "$out" "DYS" "$GUIDE_LANG: not the institution's letter"
	grun renew approved
	assert_rc 1 "$GUIDE_LANG: approved before posting"
	assert_contains "$RUN_ERR" "$(w "needs the signed form posted first" \
	    "önce imzalı formun gönderilmesi gerekir")" \
	    "$GUIDE_LANG: approved: the paper first"

	# Three days on, not posted: reminded, with the way to send it.
	test_clock $(( $(date +%s) + 3 * 86400 + 3600 ))
	wait_for has_step remind_post
	assert_contains "$(ctl --json case show | jq -r .next_step)" \
	    "$(w "not recorded as posted yet" "henüz gönderildi olarak kaydedilmedi")" \
	    "$GUIDE_LANG: reminded"
	assert_contains "$(ctl --json case show | jq -r .next_step)" "41470 Gebze/KOCAELİ" \
	    "$GUIDE_LANG: the reminder says where to"

	out=$(gf renew posted)
	assert_contains "$out" "$(w "Form recorded as handed over" "Formun teslim edildiği kaydedildi")" \
	    "$GUIDE_LANG: posted"
	out=$(gf renew approved)
	assert_contains "$out" "$(w "Approval recorded" "Onay kaydedildi")" "$GUIDE_LANG: approved"
	out=$(gf renew produced)
	assert_contains "$out" "$(w "usually within 10 to 15 days" "genellikle 10-15 gün içinde")" \
	    "$GUIDE_LANG: produced at once (a first application)"
	out=$(gf renew shipped)
	assert_contains "$out" "$(w "create the card's PIN through e-Devlet" "e-Devlet")" \
	    "$GUIDE_LANG: shipped: the PIN next"
	ctl import "$T/new.pem" >/dev/null
	assert_eq "$(ctl --json case show 1 | jq -r .state)" "done" "$GUIDE_LANG: done"
	assert_eq "$(ctl --json case show 1 | jq -r '[.history[].event] | join(",")')" \
	    "start,apply,remind_post,post,approve,produce,ship,evidence" \
	    "$GUIDE_LANG: the guide's steps, in order"
	nesd_stop
}
has_step() {
	ctl --json case show | jq -e --arg e "$1" 'any(.history[]; .event == $e)'
}

guide_walks walk
