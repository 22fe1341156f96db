#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# guide-eonay.sh - seed guide 002, E-Onay and the application it makes
# paperless, walked in English and Turkish: refused while the holder has
# no valid certificate (it is signed with one); the way to give it, with
# the second Doğrulama Kodu, Devam Et and "Seçiminiz kaydedildi"; kept per
# holder, so another holder's case offers no e-onay; the e-onay
# application and its success words; production waits 2 months before the
# end, and "renew produced" is refused until then with the day.
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
# shellcheck source=tests/fixtures/guide.sh
. "$TOP_SRCDIR/tests/fixtures/guide.sh"

printf '[reminders]\nchannels =\n' >"$NESD_CONF"
mkcert "$T/gone.pem" --days-left -3 --tckn "$(tckn_make 712345678)"
mkcert "$T/mine.pem" --not-after "$(not_after_in 85)" --tckn "$(tckn_make 812345679)"
mkcert "$T/other.pem" --not-after "$(not_after_in 70)" --tckn "$(tckn_make 912345671)"

walk() {
	guide_start
	# Only an expired certificate: E-Onay cannot be given now.
	ctl import "$T/gone.pem" >/dev/null
	grun eonay given
	assert_rc 1 "$GUIDE_LANG: E-Onay without a valid certificate"
	assert_contains "$RUN_ERR" "E-Onay is signed with a valid certificate" \
	    "$GUIDE_LANG: why not"
	assert_contains "$RUN_ERR" "hand-signed form (islak)" "$GUIDE_LANG: what instead"
	grun eonay not-given
	assert_rc 0 "$GUIDE_LANG: not-given is always possible"

	ctl import "$T/mine.pem" "$T/other.pem" >/dev/null
	mine=$(cert_json "$(fingerprint "$T/mine.pem")" | jq -r .id)
	other=$(cert_json "$(fingerprint "$T/other.pem")" | jq -r .id)
	out=$(gf renew start "$mine")
	for words in "E-imzalı Giriş" "E-Onay İşlemleri → KABUL EDİYORUM → Devam Et" \
	    "Seçiminiz kaydedildi" "nesctl eonay given"; do
		assert_contains "$out" "$words" "$GUIDE_LANG: how to give E-Onay: $words"
	done
	assert_contains "$out" "$(w "the second Doğrulama Kodu" "ikinci Doğrulama Kodu")" \
	    "$GUIDE_LANG: the second verification code"
	grun eonay given
	assert_rc 1 "$GUIDE_LANG: two holders: say whose"
	assert_contains "$RUN_ERR" "(--cert $mine)" "$GUIDE_LANG: whose? the holders are listed"
	grun eonay given "$mine"
	assert_rc 0 "$GUIDE_LANG: E-Onay given for one holder"
	out=$(gf case show 1)
	assert_contains "$out" "$(w "Signing method now: e-onay (E-Onaylı Başvuru)" \
	    "Şimdi kullanılacak imzalama yöntemi: e-onay (E-Onaylı Başvuru)")" \
	    "$GUIDE_LANG: e-onay offered"
	assert_contains "$out" "Başvuru formu e-onaylama işlemi başarıyla tamamlandı" \
	    "$GUIDE_LANG: what success looks like"
	assert_not_contains "$out" "Seçiminiz kaydedildi" "$GUIDE_LANG: no E-Onay advice once given"
	# The other holder gave none.
	g renew start "$other" >/dev/null
	assert_eq "$(ctl --json case show 2 | jq -r '.methods | join(",")')" "e-imza,islak" \
	    "$GUIDE_LANG: E-Onay is per holder"
	grun renew applied --case 2 --method e-onay
	assert_rc 1 "$GUIDE_LANG: the other holder cannot use e-onay"
	g renew cancel --case 2 >/dev/null

	out=$(gf renew applied --case 1 --method e-onay)
	assert_contains "$out" "$(w "Application recorded. Next: your institution's e-signature officer approves it" \
	    "Başvuru kaydedildi")" "$GUIDE_LANG: applied, paperless"
	g renew approved --case 1 >/dev/null
	opens=$(ctl --json case show 1 | jq -r .production_opens)
	grun renew produced --case 1
	assert_rc 1 "$GUIDE_LANG: produced before production opens"
	assert_contains "$RUN_ERR" "production at Kamu SM opens on $(date -d "@$opens" +%F)" \
	    "$GUIDE_LANG: when production opens"
	assert_contains "$RUN_ERR" "$(w "allowed: renew cancel" "yapılabilecekler: renew cancel")" \
	    "$GUIDE_LANG: what is allowed now"
	grun renew shipped --case 1
	assert_rc 1 "$GUIDE_LANG: shipped before production opens"
	assert_eq "$(ctl --json case show 1 | jq -r '[.later[].call] | join(",")')" \
	    "renew.produced,renew.shipped" "$GUIDE_LANG: the steps possible later"
	nesd_stop
}

guide_walks walk
