#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# po-complete.sh - Turkish everywhere: every file with text people read
# is in po/POTFILES.in, every msgid xgettext finds there has a Turkish
# translation in po/tr.po (not fuzzy), and under tr_TR.UTF-8 the outputs
# a holder sees (status, a case, the form, refusals, help) hold no English
# sentence.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

command -v xgettext >/dev/null || skip "no xgettext (gettext)"
cd "$TOP_SRCDIR" || fail "no source tree"

# Every file that marks text for translation is listed.
listed=$(grep -v '^#' po/POTFILES.in | sort)
# shellcheck disable=SC2046
marks=$(grep -lE '(^|[^a-z_])(_|N_|P_|ngettext)\(|ctl_(reply_)?error\(' \
    $(find common daemon client -name '*.c') | sort || true)
missing=$(comm -23 <(echo "$marks") <(echo "$listed"))
assert_eq "$missing" "" "files with text people read, all in po/POTFILES.in"

# xgettext as po/Makevars says, then what tr.po lacks.
opts=$(sed -n '/^XGETTEXT_OPTIONS/,/[^\\]$/p' po/Makevars |
    sed 's/^XGETTEXT_OPTIONS *= *//; s/\\$//' | tr '\n' ' ')
# shellcheck disable=SC2086
xgettext $opts -f <(echo "$listed") -o "$T/nesd.pot" ||
    fail "xgettext failed"
msgmerge -q --no-fuzzy-matching po/tr.po "$T/nesd.pot" -o "$T/merged.po" ||
    fail "msgmerge failed"
stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$T/merged.po" 2>&1)
untranslated=$(msgattrib --untranslated --no-obsolete --no-location \
    --no-wrap "$T/merged.po" | sed -n '/^msgid "./p' | head -10)
assert_no_match "$stats" "untranslated|fuzzy" \
    "every msgid has a Turkish translation ($stats): $untranslated"
msgfmt -c -o /dev/null po/tr.po || fail "po/tr.po: msgfmt -c"
cd - >/dev/null || true

tr_locale || skip "no tr_TR.UTF-8 locale"
export LC_ALL=tr_TR.UTF-8 NESD_LOCALEDIR=$TR_LOCALEDIR
printf '[reminders]\nchannels =\n' >"$NESD_CONF"
tckn=$(tckn_make 910100200)
mkcert "$T/a.pem" --not-after "$(not_after_in 40)" --tckn "$tckn" \
    --cn "AYŞE YILMAZ"
mkcert "$T/b.pem" --not-after "$(not_after_in 400)" \
    --tckn "$(tckn_make 910100300)" --cn "MEHMET ÖZ"
nesd_start
ctl import "$T/a.pem" "$T/b.pem" >/dev/null
a=$(cert_json "$(fingerprint "$T/a.pem")" | jq -r .id)
# say CMD...: its output and errors, whatever it exits with.
say() {
	ctl "$@" 2>&1 || true
}
{
	say status
	say renew start "$a"
	say case show 1
	say renew form
	say renew posted
	say profile set unit x
	say profile set --cert "$a" tckn 19090909018
	say profile set --cert "$a" nosuch x
	say replace --reason pin "$a"
	say help
	say help renew
} >"$T/tr.out" 2>&1
nesd_stop
# An English sentence: two or more English function words on a line.
english=$(grep -Ewi -- '(the|your|is|are|to|and|of|with|for|you|this|has|not|be|was)' \
    "$T/tr.out" | grep -Ei -- '\b(the|your|is|are|to|and|of|with|for|you|this|has|not|be|was)\b.*\b(the|your|is|are|to|and|of|with|for|you|this|has|not|be|was)\b' |
    head -5 || true)
assert_eq "$english" "" "no English sentence under tr_TR.UTF-8"
