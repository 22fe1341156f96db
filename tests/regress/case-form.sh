#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# The application form: nesctl profile set checks each field and refuses
# a bad value naming the rule (the security word always, and it is never
# stored), nesctl renew form prints the form in the portal's order with
# every field checked, nesctl renew open hands the configured portal to
# xdg-open (or says it is missing, or only prints it).
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

printf '[reminders]\nchannels =\n[renewal]\nemail_domain = meb.gov.tr\nportal_url = https://portal.example.org/bp/test.go\n' \
    >"$NESD_CONF"
flat() {
	"$@" | tr '\n' ' ' | tr -s ' '
}
tckn=$(tckn_make 678912345)
mkcert "$T/a.pem" --not-after "$(not_after_in 70)" --tckn "$tckn" \
    --cn "ZEYNEP KAYA" --email zeynep.kaya@meb.gov.tr
nesd_start
ctl import "$T/a.pem" >/dev/null
ctl renew start >/dev/null

# good FIELD VALUE STORED: accepted, stored as STORED.
good() {
	run ctl --json profile set "$1" "$2"
	assert_rc 0 "profile set $1 '$2'"
	assert_eq "$(jqr "$RUN_OUT" .value)" "$3" "profile set $1: stored"
}
# bad FIELD VALUE WHY: refused with WHY, nothing stored.
bad() {
	run ctl profile set "$1" "$2"
	assert_rc 1 "profile set $1 '$2' refused"
	assert_contains "$RUN_ERR" "nesctl: $1: " "profile set $1 '$2': field named"
	assert_contains "$RUN_ERR" "$3" "profile set $1 '$2': rule named"
}

bad tckn 19090909019 "check digits"
bad tckn 01111111110 "does not start with 0"
# The certificate states TCKN and name: another TCKN is refused, the same
# name (in any case) is taken as the certificate writes it.
bad tckn 19090909018 "certificate 1 of this holder says"
good name "Zeynep" ZEYNEP
bad surname "Kaya2" "only letters"
good birth_place "Iğdır" "Iğdır"
bad birth_date 1985-02-29 "no such day"
good birth_date 1984-02-29 29.02.1984
good institution "Milli Eğitim Bakanlığı" "Milli Eğitim Bakanlığı"
bad registry_no "AB12" "1 to 20 digits"
good registry_no 123456 123456
good unit "Bilgi İşlem" "Bilgi İşlem"
good title "Öğretmen" "Öğretmen"
good address "Atatürk Bulvarı No: 98" "Atatürk Bulvarı No: 98"
good province "İZMİR" "İzmir"
bad postal_code 06500 "the province is İzmir (35)"
bad postal_code 3510 "exactly 5 digits"
good postal_code 35100 35100
good district "Konak" "Konak"
bad email "zeynep@@meb.gov.tr" "one @"
good email "zeynep@example.com" "zeynep@example.com"
assert_contains "$(jqr "$RUN_OUT" .why)" "not an address of your institution (meb.gov.tr)" \
    "e-mail outside the institution: warned"
assert_eq "$(jqr "$RUN_OUT" .status)" warn "e-mail outside: status warn"
good email "zeynep.kaya@meb.gov.tr" "zeynep.kaya@meb.gov.tr"
good work_phone "(0232) 123 45 67" 2321234567
good extension 1234 1234
bad mobile_phone "0232 123 45 67" "starts with 5"
bad mobile_phone "0532 123 45" "10 digits"
good mobile_phone "+90 532 123 45 67" 5321234567
good operator vodafone Vodafone
assert_contains "$(jqr "$RUN_OUT" .why)" "prefix 532 was given to Turkcell" \
    "operator: prefix hint"
good operator turkcell Turkcell
bad operator telsim "Turkcell, Vodafone or Türk Telekom"
good info_channel both "Her ikisi (E-posta+SMS)"
good "Bilgi Kanalı" "Her ikisi (E-posta+SMS)" "Her ikisi (E-posta+SMS)"
bad duration 5 "1, 2 or 3 years"
run ctl profile set nosuch x
assert_rc 1 "unknown field"
assert_contains "$RUN_ERR" "no such field: nosuch (the fields are: card_reader" \
    "unknown field: the fields listed"
run ctl profile set security_word "gizli kelime"
assert_rc 1 "security word refused"
assert_contains "$RUN_ERR" "never stores the security word" "security word: why"
assert_not_contains "$(ctl --json profile show)" "security_word" \
    "security word not in the profile"
assert_not_contains "$(ctl --json profile show)" "gizli" \
    "security word's value nowhere"
if grep -q "gizli kelime" "$NESD_STATE"/nesd.db* "$NESD_LOG" 2>/dev/null; then
	fail "the security word reached the database or the log"
fi
run ctl profile set home_phone ""
assert_rc 0 "clearing a field"

form=$(ctl renew form)
assert_match "$form" '^Application details \(Başvuru Bilgileri\)$' "form: section 1"
order=$(grep -E '^[A-Z].*\((.* Bilgi(leri|ler))\)$' <<<"$form" |
    sed 's/.*(//; s/)//' | tr '\n' ',')
assert_eq "$order" "Başvuru Bilgileri,Kişisel Bilgiler,Kurum Bilgileri,İletişim Bilgileri," \
    "form: the portal's order"
assert_contains "$form" "✓ Reason (Başvuru Nedeni): Yenileme" "form: reason"
assert_contains "$form" "✓ Card reader (Kart Okuyucu Tipi): İstenmedi" \
    "form: no reader on a renewal"
assert_contains "$form" "✓ TCKN (Kimlik No): $(tckn_mask "$tckn")" \
    "form: TCKN masked, from the certificate"
assert_contains "$form" "✓ Surname (Soyadı): KAYA" "form: surname from the certificate"
assert_contains "$form" "✓ Postal code (Posta Kodu): 35100" "form: postal code"
assert_contains "$form" "✓ Home phone (Ev Telefonu): (empty)" \
    "form: optional field may stay empty"
assert_contains "$form" "Güvenlik Sözcüğü" "form: security word reminder"
assert_contains "$form" "Every field is ready for the portal." "form: ready"
good province Ankara Ankara
form=$(ctl renew form)
assert_contains "$form" "✗ Postal code (Posta Kodu): 35100" \
    "form: postal code checked again against a new province"
assert_contains "$form" "Fix the fields marked" "form: not ready"

# renew open: the configured portal, through xdg-open or printed.
assert_eq "$(ctl renew open --print)" "https://portal.example.org/bp/test.go" \
    "renew open --print"
mkdir -p "$T/bin"
printf '#!/bin/sh\necho "$@" >"%s/opened"\n' "$T" >"$T/bin/xdg-open"
chmod +x "$T/bin/xdg-open"
out=$(PATH=$T/bin:$PATH ctl renew open)
assert_contains "$out" "Opening https://portal.example.org/bp/test.go" \
    "renew open: says so"
assert_eq "$(cat "$T/opened")" "https://portal.example.org/bp/test.go" \
    "renew open: xdg-open got the portal"
mkdir -p "$T/empty"
run env PATH="$T/empty" "$NESCTL" -s "$NESD_SOCK" renew open
assert_rc 1 "renew open without xdg-open"
assert_contains "$RUN_ERR" "xdg-open is not installed" "no xdg-open: why"
assert_contains "$RUN_ERR" "https://portal.example.org/bp/test.go" \
    "no xdg-open: the address to open by hand"
nesd_stop
