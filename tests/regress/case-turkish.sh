#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Cases speak Turkish on a Turkish locale, in the portal's own words: the
# next step of a renewal (from nesd), nesctl's headings and state names,
# a field rule nesd refuses a value by, and the form's section titles.
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

tr_locale || skip "no tr_TR.UTF-8 locale (tools/deps.sh makes it)"
export NESD_LOCALEDIR=$TR_LOCALEDIR
flat() {
	"$@" | tr '\n' ' ' | tr -s ' '
}

printf '[reminders]\nchannels =\n' >"$NESD_CONF"
mkcert "$T/a.pem" --not-after "$(not_after_in 80)" --tckn "$(tckn_make 789123456)"
LC_ALL=tr_TR.UTF-8 nesd_start
ctl import "$T/a.pem" >/dev/null

out=$(LC_ALL=tr_TR.UTF-8 flat ctl renew start)
assert_contains "$out" "Dosya 1: yenileme (Yenileme), açıldı" "Turkish header"
assert_contains "$out" "Sıradaki adım:" "Turkish heading"
assert_contains "$out" "personel kaydınızın (MEBBİS / e-personel)" \
    "Turkish next step from nesd"
assert_contains "$out" "Şimdi kullanılacak imzalama yöntemi: e-imza (E-İmzalı Başvuru)" \
    "Turkish method advice"
assert_contains "$out" "gün kaldı" "Turkish deadline"
assert_contains "$out" "Şimdi kaydedebileceğiniz adımlar: nesctl renew applied" \
    "Turkish heading of the allowed steps"

LC_ALL=tr_TR.UTF-8 ctl profile set province Ankara >/dev/null
run env LC_ALL=tr_TR.UTF-8 "$NESCTL" -s "$NESD_SOCK" profile set postal_code 35100
assert_rc 1 "bad postal code refused"
assert_contains "$RUN_ERR" "posta kodu 35 (İzmir) ile başlıyor, ama il Ankara (06)" \
    "Turkish field rule"
form=$(LC_ALL=tr_TR.UTF-8 ctl renew form)
assert_match "$form" '^Kişisel Bilgiler$' "Turkish form section"
assert_contains "$form" "? Posta Kodu: (boş)" "Turkish field label"

list=$(LC_ALL=tr_TR.UTF-8 ctl case list)
assert_match "$list" '^NO +TÜR +DURUM +SERTİFİKA +AÇILIŞ +SIRADAKİ$' \
    "Turkish case list header"
assert_match "$list" '^1 +yenileme +açıldı +1 +[0-9]{2}\.[0-9]{2}\.[0-9]{4} [0-9:]+ son çağrı, ' \
    "Turkish case list row, aligned"

# The same verb in English with the C locale (nesd still speaks Turkish:
# its texts follow nesd's locale, nesctl's follow the caller's).
out=$(flat ctl case show)
assert_contains "$out" "Case 1: renewal (Yenileme), opened" "English header"
nesd_stop
