#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# nesctl speaks Turkish on a Turkish locale: the status header, the table's
# column names, states and relative days come from po/tr.po; with the C
# locale the same output is English.
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

tr_locale || skip "no tr_TR.UTF-8 locale (tools/deps.sh makes it)"

mkcert "$T/a.pem" --not-after "$(not_after_in 80)" --tckn 12345678950 \
    --cn "AYŞE YILMAZ"
mkcert "$T/b.pem" --days-left -3 --tckn 10000000146 --cn "İSMAİL ÇELİK"
nesd_start
ctl import "$T/a.pem" "$T/b.pem" >/dev/null
# a.pem names no OCSP responder or CRL: it cannot be checked.
wait_for cert_is "$(fingerprint "$T/a.pem")" .revocation.status error

tr_out=$(LC_ALL=tr_TR.UTF-8 NESD_LOCALEDIR=$TR_LOCALEDIR ctl status)
assert_contains "$tr_out" "2 sertifika: 0 geçerli, 1 süresi doluyor, 1 süresi doldu" \
    "Turkish status header"
assert_match "$tr_out" '^NO +SAHİBİ +TCKN +TÜR +YER +BİTİŞ +KALAN +DURUM +SIRADAKİ +İPTAL DURUMU$' \
    "Turkish column names"
assert_match "$tr_out" 'İSMAİL ÇELİK .* sorgulanmadı$' \
    "an expired certificate is not checked, in Turkish"
assert_match "$tr_out" 'AYŞE YILMAZ .* denetlenemez: OCSP ya da CRL adresi yok$' \
    "a certificate that names no OCSP or CRL address, in Turkish"
assert_match "$tr_out" 'İSMAİL ÇELİK .* 3 gün önce doldu +süresi doldu' \
    "expired row in Turkish"
assert_match "$tr_out" 'AYŞE YILMAZ .* [0-9]{2}\.[0-9]{2}\.[0-9]{4} +80 gün içinde +süresi doluyor +25 gün önce, [0-9]{2}\.[0-9]{2}\.[0-9]{4} ' \
    "expiring row in Turkish: the milestone in words, dates as the portal writes them"

en_out=$(NESD_LOCALEDIR=$TR_LOCALEDIR ctl status)
assert_contains "$en_out" "2 certificates: 0 ok, 1 expiring, 1 expired" \
    "English with the C locale"
assert_match "$en_out" 'in 80 days +expiring' "English relative days"

tr_err=$(LC_ALL=tr_TR.UTF-8 NESD_LOCALEDIR=$TR_LOCALEDIR "$NESCTL" \
    -s "$T/nowhere.sock" status 2>&1) && fail "nesctl talked to no daemon"
assert_contains "$tr_err" "nesd çalışıyor mu?" "Turkish connection error"
nesd_stop
