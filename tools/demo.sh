#!/bin/sh
# SPDX-License-Identifier: ISC
# The built-in demo: installs what is missing, builds, makes three sample
# NES-like certificates (about 80 days left, about 20 days left, expired),
# starts nesd on a temporary state directory watching them, and prints
# `nesctl status`. Then it stops nesd and removes everything, unless run
# with --keep, which leaves nesd running and says how to stop it.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
keep=0
[ "${1:-}" = "--keep" ] && keep=1

tools/deps.sh
echo "demo: building (a minute the first time)"
tools/build.sh build/default --enable-debug
B=$top/build/default

T=$(mktemp -d /tmp/nesd-demo.XXXXXX)
pid=""
cleanup() {
	if [ -n "$pid" ] && [ "$keep" -eq 0 ]; then
		kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	fi
	[ "$keep" -eq 1 ] || rm -rf "$T"
}
trap cleanup EXIT INT TERM

# Synthetic identities: checksum-valid TCKNs that belong to nobody.
mkdir -p "$T/certs"
mk() { "$B/tests/nes-mkcert" --ca-dir "$T/ca" "$@"; }
mk --days-left 80 --tckn 12345678950 --cn "AYŞE YILMAZ" "$T/certs/ayse.pem"
mk --days-left 20 --tckn 10000000146 --cn "MEHMET DEMİR" --format der \
    "$T/certs/mehmet.der"
mk --days-left -12 --tckn 10000000078 --cn "FATMA KAYA" "$T/certs/fatma.pem"

cat > "$T/nesd.conf" <<CONF
# nesd demo configuration
[inventory]
certificate_paths = $T/certs
CONF

"$B/nesd" -d -c "$T/nesd.conf" --socket "$T/nesd.sock" \
    --state-dir "$T/state" 2>"$T/nesd.log" &
pid=$!
n=0
until "$B/nesctl" -s "$T/nesd.sock" --json status 2>/dev/null |
    grep -q '"total":3'; do
	n=$((n + 1))
	if [ $n -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "demo: nesd did not come up; its log:" >&2
		cat "$T/nesd.log" >&2
		exit 1
	fi
	sleep 0.1
done

echo
echo "\$ nesctl status"
"$B/nesctl" -s "$T/nesd.sock" status
echo
if [ "$keep" -eq 1 ]; then
	echo "nesd (pid $pid) keeps running on $T/nesd.sock."
	echo "Try: $B/nesctl -s $T/nesd.sock show 1"
	echo "Stop it with: kill $pid; rm -rf $T"
else
	echo "demo: done; nesd stopped and $T removed (run with --keep to leave it running)"
fi
