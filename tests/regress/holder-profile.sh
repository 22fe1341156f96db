#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# holder-profile.sh - two holders on one computer: each has a profile of
# their own, nesctl profile asks whose when it cannot tell (naming each),
# --cert and --case choose; what the certificate states (TCKN, name,
# surname) comes from it and another value is refused with what it says;
# holder B's form never shows holder A's data; E-Onay is per holder. The
# portal's labels are taken as field names. English and Turkish.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

printf '[reminders]\nchannels =\n' >"$NESD_CONF"
flat() {
	"$@" | tr '\n' ' ' | tr -s ' '
}
ta=$(tckn_make 111222333)
tb=$(tckn_make 444555666)
mkcert "$T/a.pem" --not-after "$(not_after_in 70)" --tckn "$ta" \
    --cn "AYŞE YILMAZ"
mkcert "$T/b.pem" --not-after "$(not_after_in 60)" --tckn "$tb" \
    --cn "MEHMET ÖZ"
nesd_start
ctl import "$T/a.pem" >/dev/null
a=$(cert_json "$(fingerprint "$T/a.pem")" | jq -r .id)

# One holder: nesd knows whose profile it is.
run ctl --json profile set "Kurum Sicil No" 123456
assert_rc 0 "one holder: no need to say whose"
assert_eq "$(jqr "$RUN_OUT" '.field + "=" + .value + " " + .holder.tckn')" \
    "registry_no=123456 $(tckn_mask "$ta")" "the portal's label, A's profile"

ctl import "$T/b.pem" >/dev/null
b=$(cert_json "$(fingerprint "$T/b.pem")" | jq -r .id)
run ctl profile set unit "Bilgi İşlem"
assert_rc 1 "two holders: whose?"
assert_contains "$RUN_ERR" "2 holders have certificates here" "ambiguous: said"
assert_contains "$RUN_ERR" "$(tckn_mask "$ta") AYŞE YILMAZ (--cert $a)" \
    "ambiguous: A listed"
assert_contains "$RUN_ERR" "$(tckn_mask "$tb") MEHMET ÖZ (--cert $b)" \
    "ambiguous: B listed"
run ctl --json profile show
assert_rc 1 "profile show asks too"

# What the certificate states: the same is taken, another refused.
run ctl profile set --cert "$b" tckn "$ta"
assert_rc 1 "B's profile with A's TCKN"
assert_contains "$RUN_ERR" "tckn: certificate $b of this holder says $(tckn_mask "$tb")" \
    "refused with what the certificate says"
run ctl profile set --cert "$b" Soyadı "YILMAZ"
assert_rc 1 "B's profile with A's surname"
assert_contains "$RUN_ERR" "surname: certificate $b of this holder says ÖZ" \
    "surname refused with the certificate's"
run ctl --json profile set --cert "$b" name "Mehmet"
assert_rc 0 "the certificate's name in other case"
assert_eq "$(jqr "$RUN_OUT" '.value + " " + .source')" "MEHMET certificate" \
    "taken as the certificate writes it"
run ctl profile set --cert "$b" registry_no 654321
assert_rc 0 "B's own registry number"

# B's renewal form: B's data only, A's nowhere.
ctl renew start "$b" >/dev/null
form=$(ctl renew form)
assert_contains "$form" "✓ TCKN (Kimlik No): $(tckn_mask "$tb")" "B's form: B's TCKN"
assert_contains "$form" "✓ Surname (Soyadı): ÖZ" "B's form: B's surname"
assert_contains "$form" "✓ Registry no (Kurum Sicil No): 654321" \
    "B's form: B's registry number"
assert_not_contains "$form" "YILMAZ" "B's form: nothing of A"
assert_not_contains "$form" "123456" "B's form: not A's registry number"
assert_eq "$(ctl --json renew form | jq -r .holder.tckn)" "$(tckn_mask "$tb")" \
    "form JSON: whose"
assert_eq "$(ctl --json profile show --case 1 | jq -r '.fields[] |
    select(.field == "registry_no") | .value')" 654321 "--case: B's profile"
assert_eq "$(ctl --json profile show --cert "$a" | jq -r '.fields[] |
    select(.field == "registry_no") | .value')" 123456 "--cert: A's profile"

# E-Onay per holder: B's given does not make A's.
ctl eonay given --cert "$b" >/dev/null
st=$(ctl --json status)
assert_eq "$(jqr "$st" '[.cases.holders[] | .name + "=" + .eonay] | sort |
    join(" ")')" "AYŞE YILMAZ=unknown MEHMET ÖZ=given" "E-Onay per holder"
assert_eq "$(jqr "$st" '.cases.recommend_eonay')" true \
    "still recommended: A has not given it"
assert_contains "$(flat ctl case show 1)" "e-onay" "B's case may go by e-onay"

nesd_stop
if tr_locale; then
	# The daemon speaks its own language: start it in Turkish.
	LC_ALL=tr_TR.UTF-8 NESD_LOCALEDIR=$TR_LOCALEDIR nesd_start
	run env LC_ALL=tr_TR.UTF-8 NESD_LOCALEDIR="$TR_LOCALEDIR" "$NESCTL" \
	    -s "$NESD_SOCK" profile set unit x
	assert_contains "$RUN_ERR" "burada 2 kişinin sertifikası var" \
	    "Turkish: whose?"
	tr_form=$(LC_ALL=tr_TR.UTF-8 NESD_LOCALEDIR=$TR_LOCALEDIR ctl renew form)
	assert_contains "$tr_form" "Kurum Sicil No: 654321" \
	    "Turkish form: the portal's label"
	assert_contains "$tr_form" "Soyadı: ÖZ" "Turkish form: Soyadı"
	run env LC_ALL=tr_TR.UTF-8 NESD_LOCALEDIR="$TR_LOCALEDIR" "$NESCTL" \
	    -s "$NESD_SOCK" profile set --cert "$b" tckn "$ta"
	assert_contains "$RUN_ERR" "bu kişinin $b numaralı sertifikasında $(tckn_mask "$tb") yazıyor" \
	    "Turkish: refused with what the certificate says"
	nesd_stop
fi
