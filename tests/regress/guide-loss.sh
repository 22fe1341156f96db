#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# guide-loss.sh - seed guide 003, a lost card and the personal-payment
# application, walked in English and Turkish: the buttons to press
# (Kullanıma Kapat, İptal Et) on Kamu SM Online İşlemler, which renew open
# goes to; the revocation confirmed by OCSP (test.cert_status) taking the
# holder's other certificate along (its reminders stop); then Başvuru
# İşlemleri → Kişi Ödemeli Başvuru → Kurum Seçimi → the ministry → Devam,
# the personal-payment form with its delivery address, payment on the
# virtual POS right after applying (Borç Sorgula) and only then the signed
# form, handed to the institution's e-signature representative
# (paper_route = officer); production, courier and the new card.
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/guide.sh
. "$TOP_SRCDIR/tests/fixtures/guide.sh"
need_test_hooks
export NESD_TEST_HOOKS=1

printf '[reminders]\nchannels =\n[renewal]\npaper_route = officer\n' >"$NESD_CONF"
tckn=$(tckn_make 523456781)
mkcert "$T/lost.pem" --not-after "$(not_after_in 600)" --tckn "$tckn"
mkcert "$T/spare.pem" --not-after "$(not_after_in 300)" --tckn "$tckn"
mkcert "$T/new.pem" --not-after "$(not_after_in 1095)" --tckn "$tckn"

walk() {
	guide_start
	ctl import "$T/lost.pem" "$T/spare.pem" >/dev/null
	lost=$(cert_json "$(fingerprint "$T/lost.pem")" | jq -r .id)
	spare=$(cert_json "$(fingerprint "$T/spare.pem")" | jq -r .id)
	out=$(gf lost "$lost")
	assert_contains "$out" "$(w "Case 1: loss (Kayıp/Çalıntı), reported" \
	    "Dosya 1: kayıp (Kayıp/Çalıntı), bildirildi")" "$GUIDE_LANG: reported"
	for words in "Askıya Alma" "Kullanıma Kapat" "Sertifikamı İptal Et" \
	    "İptal Et" "444 5 576"; do
		assert_contains "$out" "$words" "$GUIDE_LANG: reported: $words"
	done
	assert_eq "$(g renew open --print)" "https://onlineislemler.kamusm.gov.tr" \
	    "$GUIDE_LANG: a loss opens Online İşlemler"
	assert_contains "$(g --json renew open | jq -r .path)" \
	    "NES İşlemleri → Bireysel İşlemler → Askıya Alma → Kullanıma Kapat" \
	    "$GUIDE_LANG: the path to suspend"
	rpc test.cert_status "{\"cert\":$lost,\"status\":\"revoked\"}" >/dev/null
	wait_for case_is .state revoked
	out=$(gf case show 1)
	assert_contains "$out" "$(w "OCSP confirms that the certificate is revoked" \
	    "OCSP sertifikanın iptal edildiğini doğruluyor")" "$GUIDE_LANG: revoked by OCSP"
	assert_contains "$out" "Başvuru İşlemleri → Kişi Ödemeli Başvuru → Kurum Seçimi" \
	    "$GUIDE_LANG: where to apply again"
	assert_contains "$out" "$(w "Going with the loss" "kayıpla birlikte gidenler")" \
	    "$GUIDE_LANG: the other certificate goes too"
	assert_contains "$out" "$(w "certificate $spare: not confirmed by OCSP yet" \
	    "$spare numaralı sertifika: OCSP henüz doğrulamadı")" \
	    "$GUIDE_LANG: not confirmed yet"
	assert_eq "$(ctl --json reminders | jq --argjson c "$spare" \
	    '[.upcoming[] | select(.cert == $c)] | length')" 0 \
	    "$GUIDE_LANG: the other certificate's reminders stop"
	assert_contains "$(g --json renew open | jq -r .path)" \
	    "Kişi Ödemeli Başvuru → Kurum Seçimi → T.C. Milli Eğitim Bakanlığı → Devam" \
	    "$GUIDE_LANG: the ministry to choose"

	form=$(g renew form)
	assert_contains "$form" "$(w "4. Delivery (Teslimat Bilgisi)" "4. Teslimat (Teslimat Bilgisi)")" \
	    "$GUIDE_LANG: the personal-payment form"
	assert_contains "$form" "$(w "✓ Published (İnternette Yayınlansın mı?): Hayır" \
	    "✓ İnternette Yayınlansın mı?: Hayır")" "$GUIDE_LANG: published: no"
	assert_contains "$form" "Mahalle/Köy" "$GUIDE_LANG: the delivery address"
	assert_contains "$form" "Kat/Daire No" "$GUIDE_LANG: floor and door"
	assert_contains "$form" "T.C. Milli Eğitim Bakanlığı" "$GUIDE_LANG: the ministry"
	assert_not_contains "$form" "Kişisel Bilgiler" "$GUIDE_LANG: identity from e-Devlet"

	out=$(gf renew applied --method islak)
	assert_contains "$out" "$(w "Personal-payment application recorded" \
	    "Kişi ödemeli başvuru kaydedildi")" "$GUIDE_LANG: applied"
	assert_contains "$out" "Borç Sorgula" "$GUIDE_LANG: pay next"
	assert_eq "$(g renew open --print)" "https://sanalpos.kamusm.gov.tr/index.xhtml?cid=1" \
	    "$GUIDE_LANG: the virtual POS"
	grun renew posted
	assert_rc 1 "$GUIDE_LANG: the form before the payment"
	assert_contains "$RUN_ERR" "$(w "allowed: renew cancel, lost paid" \
	    "yapılabilecekler: renew cancel, lost paid")" "$GUIDE_LANG: pay first"
	out=$(gf lost paid)
	assert_contains "$out" "$(w "about 5 minutes" "yaklaşık 5 dakikada")" "$GUIDE_LANG: paid"
	assert_contains "$out" "$(w "e-signature representative (E-İmza temsilcisi)" \
	    "E-İmza temsilcisine")" "$GUIDE_LANG: handed to the representative (paper_route = officer)"
	grun renew produced
	assert_rc 1 "$GUIDE_LANG: no production before the form"
	assert_contains "$RUN_ERR" "$(w "needs the signed form posted first" \
	    "önce imzalı formun gönderilmesi gerekir")" "$GUIDE_LANG: the form first"
	out=$(gf renew posted)
	assert_contains "$out" "$(w "Production starts as soon as it reaches Kamu SM" \
	    "form Kamu SM'ye ulaşır ulaşmaz başlar")" "$GUIDE_LANG: posted"
	g renew produced >/dev/null
	g renew shipped >/dev/null
	ctl import "$T/new.pem" >/dev/null
	assert_eq "$(ctl --json case show 1 | jq -r '[.history[].state] | join(",")')" \
	    "reported,revoked,applied,paid,posted,in_production,shipped,done" \
	    "$GUIDE_LANG: the guide's order"
	nesd_stop
}
case_is() {
	[ "$(ctl --json case show 1 | jq -r "$1")" = "$2" ]
}

guide_walks walk
