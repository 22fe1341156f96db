#!/bin/bash
# SPDX-License-Identifier: ISC
#
# watch-folder.sh - a folder in certificate_paths is watched: certificates
# moved or copied in (PEM, DER, PKCS#7, into subfolders too) appear without a
# restart, other files (and files over max_file_size, folders deeper than
# scan_depth) are ignored, a removed file leaves its certificate
# listed with the location "present": false, and a forgotten certificate
# stays forgotten on rescan until it is imported again.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

W=$T/certs
mkdir -p "$W/sub/deep" "$T/out"
cat >"$NESD_CONF" <<EOF
[inventory]
certificate_paths = $W
scan_depth = 1
max_file_size = 4096
EOF

# One certificate already there at start, in a subfolder; one too deep
# for scan_depth = 1 (W is depth 0, W/sub depth 1).
mkcert "$W/sub/early.pem" --days-left 300 --cn "ELİF DEMİR"
fp_early=$(fingerprint "$W/sub/early.pem")
mkcert "$W/sub/deep/too-deep.pem" --days-left 301 --cn "DERİN KUYU"
fp_deep=$(fingerprint "$W/sub/deep/too-deep.pem")

nesd_start -v
wait_for has_cert "$fp_early"
assert_eq "$(status_json | jq -r .daemon.certificate_paths[0])" "$W" \
    "daemon.certificate_paths"
c=$(cert_json "$fp_early")
assert_eq "$(jqr "$c" '.locations[0] | [.source, .path, .present] |
    map(tostring) | join(" ")')" "file $W/sub/early.pem true" \
    "location of the certificate found at start"

# Written outside, then moved into place (how editors and browsers save).
mkcert "$T/out/moved.pem" --days-left 100 --cn "ALİ VELİ"
fp_moved=$(fingerprint "$T/out/moved.pem")
mv "$T/out/moved.pem" "$W/moved.pem"
wait_for has_cert "$fp_moved"

# Copied in place with cp (create, write, close): DER.
mkcert "$T/out/copied.der" --format der --days-left 50 --cn "CAN ÖZ"
fp_der=$(fingerprint "$T/out/copied.der" der)
cp "$T/out/copied.der" "$W/copied.der"
wait_for has_cert "$fp_der"
c=$(cert_json "$fp_der")
assert_eq "$(jqr "$c" '.locations[0].path')" "$W/copied.der" "DER location"
assert_eq "$(jqr "$c" '.holder_name')" "CAN ÖZ" "DER holder"

# PKCS#7 (DER) with two certificates, and PKCS#7 in PEM, in a subfolder;
# no file name extension needed.
mkcert "$T/out/bundle.p7b" --format p7 --count 2 --days-left 700 \
    --cn "SELİN AK"
openssl pkcs7 -inform DER -in "$T/out/bundle.p7b" -print_certs |
    awk -v d="$T/out" '/BEGIN CERT/ { n++ } n { print > (d "/b" n ".pem") }'
fps_p7="$(fingerprint "$T/out/b1.pem")
$(fingerprint "$T/out/b2.pem")"
[ "$(wc -l <<<"$fps_p7")" -eq 2 ] || fail "bundle fingerprints: $fps_p7"
cp "$T/out/bundle.p7b" "$W/sub/bundle"
mkcert "$T/out/p7pem" --format p7pem --days-left 10 --cn "BURAK ÇELİK"
fp_p7pem=$(fingerprint "$T/out/p7pem" p7pem)
mv "$T/out/p7pem" "$W/sub/p7pem.crt"
for f in $fps_p7 "$fp_p7pem"; do
	wait_for has_cert "$f"
done

# Written slowly, in two parts: read once the writer closes the file.
mkcert "$T/out/slow.pem" --days-left 120 --cn "YAVAŞ YAZAN"
fp_slow=$(fingerprint "$T/out/slow.pem")
"$PYTHON" -c 'import sys, time
data = open(sys.argv[1], "rb").read()
with open(sys.argv[2], "wb") as f:
    f.write(data[:len(data) // 2])
    f.flush()
    time.sleep(0.1)
    f.write(data[len(data) // 2:])' "$T/out/slow.pem" "$W/slow.pem"
wait_for has_cert "$fp_slow"

# Renewed in place: the same file name gets a new certificate.
mkcert "$T/out/renewed.pem" --days-left 1000 --cn "YAVAŞ YAZAN"
fp_renewed=$(fingerprint "$T/out/renewed.pem")
cp "$T/out/renewed.pem" "$W/slow.pem"
wait_for has_cert "$fp_renewed"
has_cert "$fp_slow" || fail "the certificate replaced in its file left status"

# A folder made after start is watched as well.
mkdir "$W/new"
mkcert "$T/out/innew.pem" --days-left 30 --cn "DERYA SU"
fp_new=$(fingerprint "$T/out/innew.pem")
cp "$T/out/innew.pem" "$W/new/innew.pem"
wait_for has_cert "$fp_new"

# Files that hold no certificate are skipped; nesd keeps serving and still
# reads the next certificate.
echo "not a certificate" >"$W/notes.txt"
: >"$W/empty.pem"
head -c 200 "$W/copied.der" >"$W/half.der"
cp "$T/ca/ca.key" "$W/key.pem"
# Over max_file_size (4096 bytes): skipped, certificates and all.
mkcert "$T/out/big.pem" --count 10 --days-left 500 --cn "BÜYÜK DOSYA"
[ "$(stat -c %s "$T/out/big.pem")" -gt 4096 ] || fail "big.pem is not big"
fp_big=$(fingerprint "$T/out/big.pem")
cp "$T/out/big.pem" "$W/big.pem"
mkcert "$T/out/after.pem" --days-left 60 --cn "EMRE TAŞ"
fp_after=$(fingerprint "$T/out/after.pem")
cp "$T/out/after.pem" "$W/after.pem"
wait_for has_cert "$fp_after"
nesd_alive || fail "nesd died on files without certificates"
assert_lacks_cert "$fp_big" "a file over max_file_size was read"
assert_lacks_cert "$fp_deep" "a file deeper than scan_depth was read"
st=$(status_json)
assert_eq "$(jqr "$st" .summary.total)" 10 "certificates after the junk files"
assert_eq "$(jqr "$st" '[.certificates[].locations[].path] |
    map(select(test("notes|empty|half|key|big|deep"))) | length')" 0 \
    "no location for files without certificates"

# A removed file: the certificate stays, its location is no longer present.
rm "$W/moved.pem"
wait_for cert_is "$fp_moved" \
    ".locations[] | select(.path == \"$W/moved.pem\") | .present" false
c=$(cert_json "$fp_moved")
[ -n "$c" ] || fail "a certificate whose file was removed left status"
assert_eq "$(jqr "$c" '.locations | length')" 1 "locations after removal"
# Moved out of the folder counts as removed, too.
mv "$W/copied.der" "$T/out/gone.der"
wait_for cert_is "$fp_der" \
    ".locations[] | select(.path == \"$W/copied.der\") | .present" false
# And back in: present again.
mv "$T/out/gone.der" "$W/copied.der"
wait_for cert_is "$fp_der" \
    ".locations[] | select(.path == \"$W/copied.der\") | .present" true

# Forget the DER one: it does not come back on a rescan (SIGHUP). To know
# the rescan is done, the reloaded config adds a second folder whose
# certificate must appear; folders are scanned in the listed order.
id_der=$(cert_json "$fp_der" | jq -r .id)
ctl forget "$id_der" >/dev/null
assert_lacks_cert "$fp_der" "forgotten certificate still in status"
mkdir "$T/second"
mkcert "$T/second/s.pem" --days-left 90 --cn "SEDA GÜL"
fp_second=$(fingerprint "$T/second/s.pem")
cat >"$NESD_CONF" <<EOF
[inventory]
certificate_paths = $W, $T/second
EOF
kill -HUP "$NESD_PID"
wait_for has_cert "$fp_second"
assert_lacks_cert "$fp_der" "a forgotten certificate came back on rescan"
# Touching its file does not bring it back either.
cp "$W/copied.der" "$W/copied-again.der"
mkcert "$T/out/marker.pem" --days-left 95 --cn "MARKER"
cp "$T/out/marker.pem" "$W/marker.pem"
wait_for has_cert "$(fingerprint "$T/out/marker.pem")"
assert_lacks_cert "$fp_der" \
    "a forgotten certificate came back when its file was copied"
# nesctl import brings it back.
run ctl import "$W/copied.der"
assert_rc 0 "import of a forgotten certificate"
has_cert "$fp_der" || fail "imported again, but not in status"
nesd_alive || fail "nesd is gone"
nesd_stop
exit 0
