#!/bin/sh
# SPDX-License-Identifier: ISC
# Installs the Debian 12 packages nesd needs to build and test, when any
# is missing, and the Turkish locale for the tests of Turkish output.
# clang and its runtime build the fuzz test (libFuzzer). prometheus
# (promtool), prometheus-node-exporter and prometheus-alertmanager
# (amtool) check and run the metrics, the alert rules and the sample
# Alertmanager configuration for real. debhelper, dpkg-dev and lintian
# build and check the Debian package (tools/deb.sh); systemd-container
# and debootstrap boot a Debian tree with a real systemd to install it in
# (tests/deb/container.sh); zsh runs the zsh completion script in its
# test; python3-cryptography-vectors is the x509 corpus of
# tests/stress/hostile-files.sh. Xvfb, the three notification servers,
# ImageMagick and a font draw and photograph the notices as holders see
# them (tests/regress/notify-screen.sh). Runs as root, or through sudo.
set -eu

PKGS="build-essential autoconf automake autopoint gettext pkg-config
libevent-dev libssl-dev libsqlite3-dev libjansson-dev libsystemd-dev check
libcurl4-openssl-dev libpcsclite-dev libp11-kit-dev libnotify-dev
openssl jq python3 procps util-linux systemd sqlite3 man-db groff-base
locales curl pcscd pcsc-tools vsmartcard-vpcd opensc opensc-pkcs11 softhsm2
p11-kit dbus python3-dbusmock libnotify-bin libglib2.0-bin python3-aiosmtpd
clang libclang-rt-14-dev prometheus prometheus-node-exporter
prometheus-alertmanager
debhelper dpkg-dev lintian systemd-container debootstrap zsh
python3-icalendar python3-cryptography-vectors
xvfb xfce4-notifyd notification-daemon dunst imagemagick fonts-dejavu-core"

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
else
	SUDO=none
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	if [ "$SUDO" = none ]; then
		echo "deps: not root and no sudo; install as root:$missing" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -q
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -q --no-install-recommends $missing
fi

if ! locale -a 2>/dev/null | grep -qi '^tr_TR\.utf-\{0,1\}8$' &&
    [ "$SUDO" != none ]; then
	echo "deps: generating the tr_TR.UTF-8 locale"
	$SUDO localedef -i tr_TR -f UTF-8 tr_TR.UTF-8 || true
fi
