#!/bin/bash
# SPDX-License-Identifier: ISC
#
# import-status.sh - certificates imported with nesctl import show up in
# status with the right state, days left, masked TCKN, kind, next milestone
# and location; show reveals the TCKN only when asked; a second import is
# "already known"; list pages through many; forget removes one. The full
# TCKN never reaches status output or the daemon log.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

# Four NES certificates: 80 and 20 days left (expiring: within 3 months),
# expired 5 days ago, 400 days left (ok). Distinct valid TCKNs.
t80=$(tckn_make 123456789)
t20=$(tckn_make 234567891)
tex=$(tckn_make 345678912)
t400=$(tckn_make 456789123)
tnyv=$(tckn_make 567891234)
na80=$(not_after_in 80)
na20=$(not_after_in 20)
naex=$(not_after_in -5)
na400=$(not_after_in 400)
mkcert "$T/c80.pem" --not-after "$na80" --tckn "$t80" --cn "AYŞE YILMAZ"
mkcert "$T/c20.der" --format der --not-after "$na20" --tckn "$t20" \
    --cn "MEHMET ÖZTÜRK"
mkcert "$T/cexp.p7b" --format p7 --not-after "$naex" --tckn "$tex" \
    --cn "ÇAĞRI GÜNEŞ"
mkcert "$T/c400.p7.pem" --format p7pem --not-after "$na400" --tckn "$t400" \
    --cn "İSMAİL ŞAHİN"
# And one not valid yet (notBefore in 10 days).
mkcert "$T/nyv.pem" --not-before "$(not_after_in 10)" \
    --not-after "$(not_after_in 500)" --tckn "$tnyv" --cn "GELECEK GÜN"
fpnyv=$(fingerprint "$T/nyv.pem")
fp80=$(fingerprint "$T/c80.pem")
fp20=$(fingerprint "$T/c20.der" der)
fpex=$(fingerprint "$T/cexp.p7b" p7)
fp400=$(fingerprint "$T/c400.p7.pem" p7pem)

started=$(date +%s)
nesd_start -v -v

# Everything users see goes to seen.txt, checked for a full TCKN at the end.
seen=$T/seen.txt
: >"$seen"

run ctl import "$T/c80.pem" "$T/c20.der" "$T/nyv.pem"
assert_rc 0 "import of a PEM and a DER file"
cat "$T/.run.out" "$T/.run.err" >>"$seen"

imp=$(ctl --json import "$T/cexp.p7b" "$T/c400.p7.pem")
echo "$imp" >>"$seen"
assert_eq "$(jqr "$imp" '.certificates | length')" 2 "import --json count"
assert_eq "$(jqr "$imp" '[.certificates[].new] | all')" true \
    "import --json: new"
assert_eq "$(jqr "$imp" '.certificates[0].fingerprint')" "$fpex" \
    "import --json: fingerprint of the PKCS#7 one"
assert_eq "$(jqr "$imp" '.certificates[1].holder_name')" "İSMAİL ŞAHİN" \
    "import --json: holder_name"
assert_eq "$(jqr "$imp" '.certificates[1].not_after')" "$(epoch_of "$na400")" \
    "import --json: not_after"

# The same file again: already known, nothing added.
again=$(ctl --json import "$T/c80.pem")
assert_eq "$(jqr "$again" '.certificates[0].new')" false "re-import: new"
assert_eq "$(jqr "$again" '.certificates[0].fingerprint')" "$fp80" \
    "re-import: fingerprint"
run ctl import "$T/c80.pem"
assert_rc 0 "re-import (text)"
assert_match "$RUN_OUT$RUN_ERR" '[Aa]lready known' "re-import says so"

# ---- status --json -------------------------------------------------------
st=$(status_json)
echo "$st" >>"$seen"
assert_eq "$(jqr "$st" '.summary | [.total, .nes, .ok, .expiring, .expired,
    .not_yet_valid] | map(tostring) | join(" ")')" "5 5 1 2 1 1" \
    "summary total nes ok expiring expired not_yet_valid"
assert_eq "$(jqr "$st" '.certificates | length')" 5 "status: certificates"
assert_eq "$(jqr "$st" '.more')" 0 "status: more"
assert_eq "$(jqr "$st" '[.certificates[].fingerprint] | join(" ")')" \
    "$fpex $fp20 $fp80 $fp400 $fpnyv" "status order (not_after ascending)"
assert_eq "$(jqr "$st" ".certificates[] | select(.fingerprint == \"$fpnyv\") |
    [.state, .days_left] | map(tostring) | join(\" \")")" \
    "not_yet_valid 500" "certificate not valid yet: state, days_left"
assert_eq "$(jqr "$st" '.daemon.pid')" "$NESD_PID" "daemon.pid"
assert_eq "$(jqr "$st" '.daemon.socket')" "$NESD_SOCK" "daemon.socket"
assert_eq "$(jqr "$st" '.daemon.state_dir')" "$NESD_STATE" "daemon.state_dir"
assert_eq "$(jqr "$st" '.daemon.mode')" user "daemon.mode"
assert_eq "$(jqr "$st" '.daemon.version')" 0.1.0 "daemon.version"
assert_eq "$(jqr "$st" '.daemon.certificate_paths | length')" 0 \
    "daemon.certificate_paths"

# check_cert FP STATE DAYS TCKN NAME MILESTONE NOT_AFTER
check_cert() {
	local c what
	c=$(jqr "$st" ".certificates[] | select(.fingerprint == \"$1\")" -c)
	what="cert $5"
	[ -n "$c" ] || fail "$what: not in status"
	assert_eq "$(jqr "$c" .state)" "$2" "$what: state"
	assert_eq "$(jqr "$c" .days_left)" "$3" "$what: days_left"
	assert_eq "$(jqr "$c" .tckn)" "$(tckn_mask "$4")" "$what: tckn masked"
	assert_not_contains "$c" "$4" "$what: full TCKN"
	assert_contains "$(jqr "$c" .subject)" "$(tckn_mask "$4")" \
	    "$what: subject with the TCKN masked"
	assert_eq "$(jqr "$c" .holder_name)" "$5" "$what: holder_name"
	assert_eq "$(jqr "$c" .kind)" nes "$what: kind"
	assert_eq "$(jqr "$c" .qualified)" true "$what: qualified"
	assert_eq "$(jqr "$c" .other_id)" null "$what: other_id"
	assert_eq "$(jqr "$c" .issuer)" "CN=NES Test Kok SM,O=Test Kamu SM,C=TR" \
	    "$what: issuer"
	assert_eq "$(jqr "$c" .not_after)" "$(epoch_of "$7")" "$what: not_after"
	assert_eq "$(jqr "$c" .not_after_iso)" "$7" "$what: not_after_iso"
	assert_eq "$(jqr "$c" .not_before)" "$(($(epoch_of "$7") - 1095 * 86400))" \
	    "$what: not_before"
	assert_eq "$(jqr "$c" '.next_milestone.name')" "$6" \
	    "$what: next_milestone"
	case $6 in
	null) ;;
	expiry)
		assert_eq "$(jqr "$c" '.next_milestone.at')" "$(epoch_of "$7")" \
		    "$what: next_milestone.at" ;;
	*)
		assert_eq "$(jqr "$c" '.next_milestone.at')" \
		    "$(milestone_at "$(epoch_of "$7")" "$6")" \
		    "$what: next_milestone.at (09:30 local)" ;;
	esac
	assert_eq "$(jqr "$c" '.locations | length')" 1 "$what: locations"
	assert_eq "$(jqr "$c" '.locations[0].source')" import \
	    "$what: location source"
	assert_match "$(jqr "$c" '.serial')" '^[0-9A-F]+$' "$what: serial"
	[ "$(jqr "$c" .first_seen)" -ge "$started" ] ||
	    fail "$what: first_seen $(jqr "$c" .first_seen) before the start"
}
check_cert "$fp80" expiring 80 "$t80" "AYŞE YILMAZ" 25d "$na80"
check_cert "$fp20" expiring 20 "$t20" "MEHMET ÖZTÜRK" expiry "$na20"
check_cert "$fpex" expired -5 "$tex" "ÇAĞRI GÜNEŞ" null "$naex"
check_cert "$fp400" ok 400 "$t400" "İSMAİL ŞAHİN" 3m "$na400"
assert_eq "$(jqr "$st" ".certificates[] | select(.fingerprint == \"$fp80\")
    | .serial" | sed 's/^0*//')" \
    "$(openssl x509 -in "$T/c80.pem" -noout -serial | sed 's/.*=0*//')" \
    "serial of the 80-day certificate"

# ---- status as a table ---------------------------------------------------
run ctl status
assert_rc 0 "status (table)"
cat "$T/.run.out" "$T/.run.err" >>"$seen"
for name in "AYŞE YILMAZ" "MEHMET ÖZTÜRK" "ÇAĞRI GÜNEŞ" "İSMAİL ŞAHİN"; do
	assert_contains "$RUN_OUT" "$name" "status table: holder"
done
assert_contains "$RUN_OUT" "in 80 days" "status table: 80 days"
assert_contains "$RUN_OUT" "in 20 days" "status table: 20 days"
assert_contains "$RUN_OUT" "in 400 days" "status table: 400 days"
assert_contains "$RUN_OUT" "expiring" "status table: state"
assert_contains "$RUN_OUT" "expired" "status table: state"
assert_match "$RUN_OUT" '(^|[^a-z])ok([^a-z]|$)' "status table: state ok"
assert_contains "$RUN_OUT" "$(tckn_mask "$t80")" "status table: masked TCKN"

# ---- show ------------------------------------------------------------------
id80=$(jqr "$st" ".certificates[] | select(.fingerprint == \"$fp80\") | .id")
sh=$(ctl --json show "$id80")
echo "$sh" >>"$seen"
assert_eq "$(jqr "$sh" .fingerprint)" "$fp80" "show: fingerprint"
assert_eq "$(jqr "$sh" .tckn)" "$(tckn_mask "$t80")" "show: tckn masked"
assert_eq "$(jqr "$sh" .pem | openssl x509 -noout -fingerprint -sha256 |
    sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')" "$fp80" "show: pem"
run ctl show "$id80"
assert_rc 0 "show (text)"
cat "$T/.run.out" "$T/.run.err" >>"$seen"
assert_contains "$RUN_OUT" "AYŞE YILMAZ" "show: holder"
assert_contains "$RUN_OUT" "$(tckn_mask "$t80")" "show: masked TCKN"
assert_contains "$RUN_OUT" "$fp80" "show: fingerprint"
run ctl show "$id80" --pem
assert_rc 0 "show --pem"
cat "$T/.run.out" >>"$seen"
assert_eq "$(sed -n '/-----BEGIN CERT/,/-----END CERT/p' "$T/.run.out" |
    openssl x509 -noout -fingerprint -sha256 |
    sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')" "$fp80" "show --pem: the PEM"
run ctl show "$id80" --reveal
assert_rc 0 "show --reveal"
assert_contains "$RUN_OUT" "$t80" "show --reveal: full TCKN"
rv=$(ctl --json show "$id80" --reveal)
assert_eq "$(jqr "$rv" .tckn)" "$t80" "show --reveal --json: tckn"
assert_contains "$(jqr "$rv" .subject)" "serialNumber=$t80" \
    "show --reveal --json: subject"
# By fingerprint prefix, as openssl prints it (upper case, colons) too.
# A prefix of decimal digits only is read as an id: take one with a letter.
n=8
while [[ "${fp20:0:n}" =~ ^[0-9]+$ ]]; do
	n=$((n + 2))
done
p20=${fp20:0:n}
assert_eq "$(ctl --json show "$p20" | jq .id)" \
    "$(jqr "$st" ".certificates[] | select(.fingerprint == \"$fp20\") | .id")" \
    "show by fingerprint prefix"
pfx=$(tr 'a-f' 'A-F' <<<"$p20" | sed 's/../&:/g; s/:$//')
assert_eq "$(ctl --json show "$pfx" | jq -r .fingerprint)" "$fp20" \
    "show by prefix $pfx"
# A decimal id in a string is an id.
r=$(rpc cert.show "{\"id\":\"$id80\"}")
assert_eq "$(jqr "$r" .result.fingerprint)" "$fp80" "cert.show id as a string"
run ctl show 99999
assert_rc 1 "show of an unknown id"
assert_match "$RUN_ERR" '^nesctl: ' "show of an unknown id: message"
r=$(rpc cert.show '{"id":99999}')
assert_eq "$(jqr "$r" '.error.code')" 2 "cert.show unknown: code"
assert_eq "$(jqr "$r" '.error.data.name')" not_found "cert.show unknown: name"
r=$(rpc cert.show '{"id":"abcdef"}')
if [ "${fp80:0:6}" != abcdef ] && [ "${fp20:0:6}" != abcdef ]; then
	assert_eq "$(jqr "$r" '.error.data.name')" not_found \
	    "cert.show of an unknown prefix"
fi

# ---- many certificates: list pages ---------------------------------------
mkcert "$T/many.pem" --count 30 --days-left 200 --cn "ZEYNEP KAYA"
assert_eq "$(grep -c 'BEGIN CERTIFICATE' "$T/many.pem")" 30 "many.pem"
many=$(ctl --json import "$T/many.pem")
echo "$many" >>"$seen"
assert_eq "$(jqr "$many" '[.certificates[] | select(.new)] | length')" 30 \
    "import of 30 in one PEM"
ls=$(ctl --json list)
echo "$ls" >>"$seen"
assert_eq "$(jqr "$ls" '.certificates | length')" 35 "list: all 35"
assert_eq "$(jqr "$ls" '[.certificates[].id] | . == (sort | unique)')" true \
    "list: ids ascending, no duplicates"
assert_eq "$(jq -rn --argjson a "$ls" --argjson b "$many" \
    '($b.certificates | map(.fingerprint)) - ($a.certificates |
    map(.fingerprint)) | length')" 0 "list: holds every imported one"
# The daemon's pages, 7 at a time.
after=0 pages=0 ids=()
while :; do
	r=$(rpc cert.list "{\"after\":$after,\"limit\":7}")
	n=$(jqr "$r" '.result.certificates | length')
	[ "$n" -le 7 ] || fail "cert.list page of $n > limit 7"
	# shellcheck disable=SC2207
	ids+=($(jqr "$r" '.result.certificates[].id'))
	next=$(jqr "$r" '.result.next')
	pages=$((pages + 1))
	[ "$pages" -le 10 ] || fail "cert.list does not end: $r"
	[ "$next" != null ] || break
	assert_eq "$next" "$(jqr "$r" '.result.certificates[-1].id')" \
	    "cert.list next = last id"
	after=$next
done
assert_eq "${ids[*]}" "$(jqr "$ls" '[.certificates[].id] | map(tostring) |
    join(" ")')" "cert.list pages = nesctl list"
r=$(rpc status '{"limit":5}')
assert_eq "$(jqr "$r" '.result.certificates | length')" 5 "status limit 5"
assert_eq "$(jqr "$r" '.result.more')" 30 "status limit 5: more"
assert_eq "$(jqr "$r" '[.result.certificates[].not_after] | . == sort')" true \
    "status limit 5: ordered by not_after"
assert_eq "$(jqr "$r" '.result.summary.total')" 35 "status limit 5: total"

# ---- forget ----------------------------------------------------------------
id20=$(jqr "$st" ".certificates[] | select(.fingerprint == \"$fp20\") | .id")
fg=$(ctl --json forget "$id20")
assert_eq "$(jqr "$fg" .id)" "$id20" "forget --json: id"
assert_eq "$(jqr "$fg" .fingerprint)" "$fp20" "forget --json: fingerprint"
assert_lacks_cert "$fp20" "a forgotten certificate is still in status"
assert_eq "$(status_json | jq .summary.total)" 34 "total after forget"
run ctl show "$id20"
assert_rc 1 "show of a forgotten certificate"
run ctl forget "$id20"
assert_rc 1 "forget twice"
# Imported again, it is back.
assert_eq "$(ctl --json import "$T/c20.der" | jq .certificates[0].new)" true \
    "re-import after forget: new"
has_cert "$fp20" || fail "re-imported certificate not in status"

# ---- other kinds: seals, Mali Muhur, not qualified; TCKN prefixes --------
tpno=$(tckn_make 111111111)
mkcert "$T/seal.pem" --kind seal --serial-number 1234567890 --cn "OKUL MÜDÜRLÜĞÜ"
mkcert "$T/mali.pem" --kind mali-muhur --serial-number 9876543210 \
    --cn "ŞİRKET A.Ş."
mkcert "$T/plain.pem" --kind plain --tckn "$t80" --cn "AYŞE YILMAZ"
mkcert "$T/pno.pem" --serial-number "PNOTR-$tpno" --cn "PINAR ÖNAL"
kinds=$(ctl --json import "$T/seal.pem" "$T/mali.pem" "$T/plain.pem" \
    "$T/pno.pem")
echo "$kinds" >>"$seen"
st=$(status_json)
echo "$st" >>"$seen"
# kind_of FILE: "kind qualified tckn other_id" of that file's certificate.
kind_of() {
	jqr "$st" ".certificates[] | select(.fingerprint == \"$(fingerprint "$1")\")
	    | [.kind, .qualified, .tckn, .other_id] | map(tostring) | join(\" \")"
}
assert_eq "$(kind_of "$T/seal.pem")" "seal true null 1234567890" "seal"
assert_eq "$(kind_of "$T/mali.pem")" "mali_muhur true null 9876543210" \
    "Mali Mühür"
assert_eq "$(kind_of "$T/plain.pem")" "other false $(tckn_mask "$t80") null" \
    "a certificate without qcStatements"
assert_eq "$(kind_of "$T/pno.pem")" "nes true $(tckn_mask "$tpno") null" \
    "serialNumber PNOTR-<TCKN>"
assert_eq "$(jqr "$st" '.summary | [.total, .nes] | map(tostring) |
    join(" ")')" "39 36" "summary total and nes with other kinds"

# ---- paging edges --------------------------------------------------------
r=$(rpc status '{"limit":0}')
assert_eq "$(jqr "$r" '[(.result.certificates | length), .result.more] |
    map(tostring) | join(" ")')" "0 39" "status limit 0"
r=$(rpc cert.list '{"after":100000}')
assert_eq "$(jqr "$r" '.result | [(.certificates | length), .next] |
    map(tostring) | join(" ")')" "0 null" "cert.list after the last id"

# ---- the full TCKN was never shown unasked nor logged --------------------
run ctl status
cat "$T/.run.out" >>"$seen"
all_tckns="$t80 $t20 $tex $t400 $tnyv $tpno"
for i in $(seq 1 30); do
	all_tckns="$all_tckns $(tckn_make $((100000000 + i)))"
done
for t in $all_tckns; do
	if grep -qF "$t" "$seen"; then
		fail "full TCKN $t in nesctl output"
	fi
	if grep -qF "$t" "$NESD_LOG"; then
		fail "full TCKN $t in the nesd log"
	fi
done

# "next" is null when done: a page that ends with the last certificate
# says so, even when it is full (pages of 7, and one page of exactly all).
last=$(ctl --json list | jq '.certificates[-1].id')
after=$(ctl --json list | jq '.certificates[-8].id')
r=$(rpc cert.list "{\"after\":$after,\"limit\":7}")
assert_eq "$(jqr "$r" '.result.certificates[-1].id')" "$last" \
    "cert.list: the last page"
assert_eq "$(jqr "$r" .result.next)" null \
    "cert.list: next of a full page that ends with the last certificate"
total=$(ctl --json status | jq .summary.total)
r=$(rpc cert.list "{\"limit\":$total}")
assert_eq "$(jqr "$r" '.result.certificates | length')" "$total" \
    "cert.list: a page of all $total"
assert_eq "$(jqr "$r" .result.next)" null \
    "cert.list: next when all $total fit a page of $total"

nesd_stop
if grep -qF "$t80" "$NESD_LOG"; then
	fail "full TCKN in the nesd log after stop"
fi
exit 0
