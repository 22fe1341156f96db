#!/bin/bash
# SPDX-License-Identifier: ISC
#
# container.sh [DEB] - the Debian package in a real systemd: boots a Debian
# 12 tree with systemd-nspawn (PID 1 systemd, a private network, the tree
# itself never written: --volatile=overlay), installs nesd_*.deb with
# apt-get and asserts what an institution relies on:
#   - the package: user nesd and group nesd from sysusers, the system units
#     installed but disabled, the user unit enabled for graphical sessions,
#     /etc/nesd/nesd.conf a conffile, lintian-clean maintainer scripts;
#   - systemd-analyze security: the system unit at 2.0 or less (both
#     scores are printed);
#   - socket activation: nesd.service starts on the first nesctl status,
#     Type=notify with a STATUS= line; /run/nesd/nesd.sock root:nesd 0660,
#     nesd-ro.sock 0666: a member of group nesd may change things, another
#     user only reads (nesctl falls back to the read-only socket);
#   - systemctl reload takes a new drop-in of /etc/nesd/nesd.conf.d, and
#     nesd --system -n --print says where each value came from;
#   - the hardening holds (nesd's namespace cannot write /etc; no
#     capabilities, seccomp, no new privileges) and still reaches pcscd's
#     socket and OpenSC's PKCS#11 module: a virtual PIV card in vpcd is read;
#   - the journal: errors at priority err, no TCKN;
#   - systemctl stop ends nesd;
#   - a user's service started with systemctl --user shows a desktop
#     reminder on a notification server on that user's bus, and a key the
#     admin locked is not taken from the user's file;
#   - apt-get purge leaves nothing behind but the nesd user and group
#     (Debian keeps system users) and the admin's own drop-ins.
#
# The debootstrap tree is kept in $NESD_TESTBED_CACHE (default
# /var/cache/nesd-testbed), one per package list, so that only the first
# run on a machine downloads (about a minute); later ones take about as
# long as the tests. Needs root, systemd-nspawn (systemd-container),
# debootstrap, and the apt mirror of /etc/apt/sources.list.d the first
# time; exits 77 saying why when the machine cannot run it.

TOP_SRCDIR=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
TOP_BUILDDIR=${TOP_BUILDDIR:-$TOP_SRCDIR/build/default}
# shellcheck source=tests/lib.sh
. "$TOP_SRCDIR/tests/lib.sh"

t_start=$SECONDS
SUITE=bookworm
CACHE=${NESD_TESTBED_CACHE:-/var/cache/nesd-testbed}
MACHINE=nesd-test-$$
NS_PID=
LEADER=

# ---- can this machine run it? ----------------------------------------------
[ "$(id -u)" -eq 0 ] || skip "needs root (debootstrap, systemd-nspawn)"
for c in systemd-nspawn debootstrap nsenter unshare setsid dpkg-deb jq; do
	command -v "$c" >/dev/null ||
	    skip "$c is missing (tools/deps.sh installs systemd-container, debootstrap, jq)"
done
[ -d /sys/fs/cgroup/unified ] || [ -f /sys/fs/cgroup/cgroup.controllers ] ||
    skip "no cgroup2 hierarchy for the container's systemd"
DEB=${1:-}
if [ -z "$DEB" ]; then
	DEB=$(ls -t "$TOP_SRCDIR"/build/deb/nesd_*_"$(dpkg --print-architecture)".deb \
	    2>/dev/null | head -1) || true
fi
[ -n "$DEB" ] && [ -f "$DEB" ] ||
    fail "no nesd_*.deb: build it with tools/deb.sh (make deb), or name it"
DEB=$(cd "$(dirname "$DEB")" && pwd)/$(basename "$DEB")
[ -x "$MKCERT" ] || fail "$MKCERT is missing: build the tree first (tools/build.sh build/default)"

mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources \
    2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { print $2; exit }' \
    /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

# ---- the tree, cached by its package list ---------------------------------
# What the tests use, and what the package depends on and recommends (the
# container has no network: apt must find them installed).
pkgs="systemd systemd-sysv dbus dbus-user-session libpam-systemd procps
python3 python3-dbusmock libglib2.0-bin pcscd opensc-pkcs11 vsmartcard-vpcd"
# (of "a | b", a; versions dropped)
pkgs="$pkgs $(for f in Depends Recommends; do dpkg-deb -f "$DEB" "$f"; done |
    tr ',' '\n' | sed -E 's/\|.*//; s/\(.*\)//; s/[[:space:]]//g' | grep .)"
include=$(printf '%s\n' $pkgs | sort -u | paste -sd, -)
key=$(printf '%s %s %s\n' "$SUITE" "$mirror" "$include" | sha256sum | cut -c1-12)
ROOT=$CACHE/$SUITE-$key

t_boot=$SECONDS
if [ ! -x "$ROOT/usr/lib/systemd/systemd" ]; then
	mkdir -p "$CACHE"
	exec 9>"$CACHE/lock"
	flock 9
	if [ ! -x "$ROOT/usr/lib/systemd/systemd" ]; then
		if ! "$PYTHON" -c 'import sys, urllib.request
urllib.request.urlopen(sys.argv[1] + "/dists/" + sys.argv[2] + "/InRelease", timeout=15)' \
		    "$mirror" "$SUITE" 2>/dev/null; then
			skip "no cached tree in $CACHE and the mirror $mirror cannot be reached"
		fi
		note "debootstrap $SUITE from $mirror into $ROOT (first run on this machine)"
		rm -rf "$ROOT.new"
		debootstrap --variant=minbase --include="$include" "$SUITE" \
		    "$ROOT.new" "$mirror" >"$T/debootstrap.log" 2>&1 ||
		    fail "debootstrap failed: $(tail -5 "$T/debootstrap.log")"
		# A machine id of its own at each boot, no stale apt lists.
		: >"$ROOT.new/etc/machine-id"
		rm -rf "$ROOT.new/var/lib/apt/lists/"*
		mv "$ROOT.new" "$ROOT"
		# Older trees of other package lists go.
		for old in "$CACHE/$SUITE"-*; do
			[ "$old" = "$ROOT" ] || [ ! -d "$old" ] || rm -rf "$old"
		done
	fi
	flock -u 9
	exec 9>&-
fi
t_tree=$((SECONDS - t_boot))

# ---- boot ------------------------------------------------------------------
mkdir -p "$T/share"
mkcert "$T/share/12345678950.pem" --days-left 50 --tckn 12345678950 \
    --cn "AYŞE YILMAZ"
mkcert "$T/share/more.pem" --days-left 300 --tckn 10000000146 \
    --cn "MEHMET DEMİR"
mkcert "$T/share/alice.pem" --days-left 400 --tckn 10000000078 \
    --cn "FATMA KAYA"
mkcert "$T/share/card.pem" --days-left 70 --tckn "$(tckn_make 300000000)" \
    --cn "ALİ ÇELİK"
mkcert "$T/share/carol.pem" --days-left 50 --tckn "$(tckn_make 300000001)" \
    --cn "ZEYNEP ŞAHİN"
mkdir -p "$T/debs"
cp "$DEB" "$T/debs/"
chmod -R a+rX "$T/share" "$T/debs"

# The container's systemd wants its own cgroup and a /run/systemd that is
# not the host's: a private mount namespace with a tmpfs there.
container_up() {
	local h
	for h in unified systemd; do
		[ -d /sys/fs/cgroup/$h ] || continue
		mkdir -p "/sys/fs/cgroup/$h/sd-$MACHINE"
	done
	SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 setsid bash -c '
	    for h in unified systemd; do
	        [ -d /sys/fs/cgroup/$h ] &&
	            echo $$ >/sys/fs/cgroup/$h/sd-$0/cgroup.procs
	    done
	    mkdir -p /run/systemd
	    exec unshare --mount --propagation private bash -euc "
	        mount -t tmpfs -o mode=755 tmpfs /run/systemd
	        d=/run/systemd/inaccessible; mkdir \$d
	        touch \$d/reg; mkdir \$d/dir; mkfifo \$d/fifo
	        mknod \$d/chr c 0 0; mknod \$d/blk b 0 0; chmod 0000 \$d/*
	        exec systemd-nspawn --boot --register=no --keep-unit \
	            --console=read-only \"\$@\"" -- "$@"' "$MACHINE" \
	    -D "$ROOT" -M "$MACHINE" --volatile=overlay --private-network \
	    --bind-ro="$T/debs:/debs" --bind-ro="$T/share:/share" \
	    --bind-ro="$TOP_SRCDIR/tests/fixtures:/fixtures" \
	    </dev/null >"$T/nspawn.log" 2>&1 &
	NS_PID=$!
	local end=$((SECONDS + 60)) st
	while [ $SECONDS -lt $end ]; do
		if ! kill -0 "$NS_PID" 2>/dev/null; then
			! grep -q 'inotify object: Too many open files' \
			    "$T/nspawn.log" || fail "the container's systemd" \
			    "found no inotify instance left: other processes" \
			    "of root use all $(cat /proc/sys/fs/inotify/max_user_instances)" \
			    "(fs.inotify.max_user_instances)"
			fail "systemd-nspawn exited: $(tail -20 "$T/nspawn.log")"
		fi
		LEADER=$(ps --ppid "$NS_PID" -o pid= | head -1 | tr -d ' ' || true)
		if [ -n "$LEADER" ]; then
			st=$(nsenter -t "$LEADER" -a systemctl is-system-running \
			    2>/dev/null || true)
			case $st in running|degraded) return 0 ;; esac
		fi
		sleep 0.1
	done
	fail "the container's systemd did not come up in 60 s"
}

container_down() {
	local i h
	[ -n "$NS_PID" ] || return 0
	if kill -0 "$NS_PID" 2>/dev/null; then
		[ -z "$LEADER" ] || nsenter -t "$LEADER" -a systemctl poweroff \
		    >/dev/null 2>&1 || true
		for ((i = 0; i < 150; i++)); do
			kill -0 "$NS_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -TERM "$NS_PID" 2>/dev/null || true
		sleep 1
		kill -KILL "$NS_PID" 2>/dev/null || true
	fi
	wait "$NS_PID" 2>/dev/null || true
	for h in unified systemd; do
		find "/sys/fs/cgroup/$h/sd-$MACHINE" -depth -type d \
		    -exec rmdir {} + 2>/dev/null || true
	done
	NS_PID=
}
# At exit: the container first, then lib.sh's clean-up, with the status.
container_exit() {
	local rc=$?
	set +e
	trap - ERR
	container_down
	return "$rc"
}
trap 'container_exit; _cleanup' EXIT

# C CMD...: run CMD in the container, as root, with a clean environment.
C() {
	nsenter -t "$LEADER" -a env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	    LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# U USER CMD...: CMD as USER, with their groups, home and runtime folder.
U() {
	local u=$1 uid
	shift
	uid=$(C id -u "$u")
	C setpriv --reuid="$u" --regid="$u" --init-groups env HOME="/home/$u" \
	    USER="$u" XDG_RUNTIME_DIR="/run/user/$uid" \
	    DBUS_SESSION_BUS_ADDRESS="unix:path=/run/user/$uid/bus" "$@"
}

# in_container CMD...: true when CMD succeeds there (for wait_for).
in_container() {
	C "$@" >/dev/null 2>&1
}

t_boot=$SECONDS
container_up
t_boot=$((SECONDS - t_boot))
note "container $MACHINE booted in ${t_boot}s (tree: ${t_tree}s)"
t_tests=$SECONDS

# ---- install ---------------------------------------------------------------
run C apt-get install -y "/debs/$(basename "$DEB")"
assert_rc 0 "apt-get install $(basename "$DEB"): $RUN_ERR"
assert_match "$(C getent passwd nesd)" '^nesd:x:[0-9]+:[0-9]+:.*:/var/lib/nesd:/usr/sbin/nologin$' \
    "user nesd from sysusers"
C getent group nesd >/dev/null || fail "no group nesd"
for u in nesd.service nesd.socket nesd-ro.socket; do
	assert_eq "$(C systemctl is-enabled "$u" || true)" disabled \
	    "$u installed, disabled"
done
assert_eq "$(C systemctl is-active nesd.service nesd.socket || true)" \
    "$(printf 'inactive\ninactive')" "nothing runs until the admin says so"
assert_eq "$(C systemctl --global is-enabled nesd.service)" enabled \
    "the user unit is enabled for every user"
C test -L /etc/systemd/user/graphical-session.target.wants/nesd.service ||
    fail "the user unit is not wanted by graphical-session.target"
assert_contains "$(C dpkg-query -W -f='${Conffiles}' nesd)" /etc/nesd/nesd.conf \
    "/etc/nesd/nesd.conf is a conffile"
run C nesd --system -n
assert_rc 0 "the shipped nesd.conf: nesd --system -n"

# ---- systemd-analyze security ----------------------------------------------
score() {
	sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'
}
sys_score=$(C systemd-analyze security --no-pager nesd.service | score)
assert_match "$sys_score" '^[0-9]+\.[0-9]$' "systemd-analyze security nesd.service"
note "systemd-analyze security nesd.service: $sys_score"
[ -z "${NESD_CONTAINER_VERBOSE:-}" ] ||
    C systemd-analyze security --no-pager nesd.service | grep -v "^✓"
awk -v s="$sys_score" 'BEGIN { exit !(s <= 2.0) }' ||
    fail "nesd.service exposure $sys_score is over 2.0"

# ---- admin configuration, socket activation --------------------------------
C mkdir -p /srv/nesd/certs /srv/nesd/more
C cp /share/12345678950.pem /srv/nesd/certs/
C cp /share/more.pem /srv/nesd/more/
C sh -c 'printf "[inventory]\ncertificate_paths = /srv/nesd/certs, /srv/nesd/missing\n" \
    >/etc/nesd/nesd.conf.d/10-certs.conf'
C systemctl enable --now nesd.socket nesd-ro.socket >/dev/null 2>&1
assert_eq "$(C systemctl is-active nesd.socket nesd-ro.socket nesd.service || true)" \
    "$(printf 'active\nactive\ninactive')" "sockets listen, nesd not yet"
assert_eq "$(C stat -c '%U:%G %a' /run/nesd/nesd.sock)" "root:nesd 660" \
    "control socket: root:nesd 0660"
assert_eq "$(C stat -c '%a' /run/nesd/nesd-ro.sock)" 666 \
    "read-only socket: 0666"
run C nesctl --json status
assert_rc 0 "the first nesctl status"
assert_eq "$(C systemctl is-active nesd.service)" active \
    "nesd.service started by the first client"
assert_eq "$(jqr "$RUN_OUT" .daemon.mode)" system "system mode"
assert_eq "$(jqr "$RUN_OUT" .daemon.socket)" /run/nesd/nesd.sock \
    "status shows the socket systemd passed"
status_total() {
	[ "$(C nesctl --json status | jq -r .summary.total)" = "$1" ]
}
wait_for status_total 1
statustext() {
	C systemctl show -P StatusText nesd.service
}
status_says() {
	[[ "$(statustext)" == "$1"* ]]
}
wait_for status_says "1 certificate tracked (1 expiring, 0 expired); next reminder 20"
note "StatusText: $(statustext)"
main_pid=$(C systemctl show -P MainPID nesd.service)
assert_eq "$(C ps -o user= -p "$main_pid" | tr -d ' ')" nesd "runs as nesd"

# ---- who may change things --------------------------------------------------
C useradd -m -G nesd alice
C useradd -m bob
run U alice nesctl --json import /share/alice.pem
assert_rc 0 "alice (group nesd) imports: $RUN_ERR"
assert_eq "$(jqr "$RUN_OUT" '.certificates | length')" 1 "alice: imported"
run U bob nesctl --json status
assert_rc 0 "bob reads the status (through the read-only socket)"
assert_eq "$(jqr "$RUN_OUT" .summary.total)" 2 "bob sees both certificates"
assert_eq "$(jqr "$(U bob nesctl --json status)" .daemon.mode)" system \
    "bob: the system nesd"
run U bob nesctl --json forget 2
assert_rc 1 "bob may not forget"
assert_eq "$(jqr "$RUN_OUT" .error.data.name)" not_permitted "bob: not permitted"
run U bob nesctl -s /run/nesd/nesd.sock status
assert_rc 3 "bob cannot connect to the control socket"
assert_contains "$RUN_ERR" "Permission denied" "bob: permission denied"
run U bob nesctl -s /run/nesd/nesd-ro.sock --json forget 2
assert_rc 1 "bob through the read-only socket: refused too"
run U alice nesctl -s /run/nesd/nesd-ro.sock --json forget 2
assert_rc 1 "even alice may not change through the read-only socket"
assert_eq "$(jqr "$RUN_OUT" .error.data.name)" not_permitted \
    "alice on the read-only socket: not permitted"

# ---- reload takes a new drop-in ---------------------------------------------
C sh -c 'printf "# a later drop-in wins\n[inventory]\ncertificate_paths = /srv/nesd/certs, /srv/nesd/more\n" \
    >/etc/nesd/nesd.conf.d/20-more.conf'
run C systemctl reload nesd.service
assert_rc 0 "systemctl reload nesd"
wait_for status_total 3
assert_eq "$(C systemctl show -P MainPID nesd.service)" "$main_pid" \
    "reloaded, not restarted"
run C nesd --system -n --print
assert_rc 0 "nesd --system -n --print"
assert_match "$RUN_OUT" '^certificate_paths = /srv/nesd/certs, /srv/nesd/more +# /etc/nesd/nesd\.conf\.d/20-more\.conf:3$' \
    "--print: the value and the drop-in it came from"
assert_match "$RUN_OUT" '^#   /etc/nesd/nesd\.conf$' "--print: the files read"

# ---- the hardening holds, and pcscd and PKCS#11 are still reached -----------
main_pid=$(C systemctl show -P MainPID nesd.service)
run C nsenter -t "$main_pid" -m setpriv --reuid=nesd --regid=nesd \
    --clear-groups touch /etc/nesd/written-by-nesd
assert_rc 1 "nesd's namespace writes to /etc"
assert_contains "$RUN_ERR" "Read-only file system" "/etc is read-only for nesd"
run C nsenter -t "$main_pid" -m setpriv --reuid=nesd --regid=nesd \
    --clear-groups touch /var/lib/nesd/written-by-nesd
assert_rc 0 "nesd's namespace writes to its state directory"
run C nsenter -t "$main_pid" -m ls /home
assert_eq "$RUN_OUT" "" "no home folders for nesd"
proc=$(C cat "/proc/$main_pid/status")
assert_match "$proc" $'^NoNewPrivs:\t1$' "no new privileges"
assert_match "$proc" $'^Seccomp:\t2$' "seccomp filter"
assert_match "$proc" $'^CapEff:\t0000000000000000$' "no capabilities"
assert_match "$proc" $'^CapBnd:\t0000000000000000$' "no capability bounding set"

C systemctl start pcscd.service
vpcd_listens() {
	C awk '$2 ~ /:8C7B$/ && $4 == "0A" { found = 1 } END { exit !found }' \
	    /proc/net/tcp
}
wait_for vpcd_listens
C python3 /fixtures/piv-card.py -P 35963 --card-id container-card \
    --cert 9c:/share/card.pem >"$T/card.log" 2>&1 &
CARD_PID=$!
track_pid "$CARD_PID"
card_read() {
	C nesctl --json cards |
	    jq -e '.cards[] | select(.present and (.certificates | length) >= 1)' \
	    >/dev/null
}
for ((i = 0; i < 100; i++)); do
	card_read && break
	sleep 0.2
done
card_read || fail "the hardened nesd did not read the virtual card:" \
    "$(C nesctl --json cards) $(C journalctl -u nesd.service -n 20 --no-pager)"
wait_for status_total 4
assert_contains "$(C nesctl status)" "ALİ ÇELİK" "the card's certificate, by pcscd and OpenSC"
note "card read by the hardened nesd: $(C nesctl --json cards | jq -c '.cards[0] | {serial, reader, certificates: (.certificates | length)}')"

# ---- the journal -------------------------------------------------------------
errs=$(C journalctl -u nesd.service -p err --no-pager -o cat)
assert_contains "$errs" "certificate path /srv/nesd/missing: does not exist" \
    "journalctl -p err finds the error"
assert_not_contains "$errs" "started" "journalctl -p err: no info lines"
all=$(C journalctl -u nesd.service --no-pager -o cat)
assert_contains "$all" "started: socket from systemd" "info lines are there"
assert_not_contains "$all" 12345678950 "no TCKN in the journal"
assert_contains "$all" "1********50" "the TCKN masked in the journal"

# ---- stop ---------------------------------------------------------------------
run C systemctl stop nesd.service
assert_rc 0 "systemctl stop nesd"
assert_eq "$(C systemctl is-active nesd.service || true)" inactive "stopped"
C kill -0 "$main_pid" 2>/dev/null && fail "nesd (pid $main_pid) still runs"
assert_eq "$(C pgrep -u nesd || true)" "" "no process of user nesd"
assert_match "$(C journalctl -u nesd.service --no-pager -o cat -n 5)" \
    'signal 15: exiting' "stopped by SIGTERM"

# ---- a user's desktop service --------------------------------------------------
C useradd -m carol
C mkdir -p /home/carol/sertifikalar /home/carol/.config/nesd
C cp /share/carol.pem /home/carol/sertifikalar/
C sh -c 'printf "[inventory]\ncertificate_paths = ~/sertifikalar\n[reminders]\ntime_of_day = 23:00\n" \
    >/home/carol/.config/nesd/nesd.conf'
C chown -R carol:carol /home/carol
C sh -c 'printf "[daemon]\nlocked = reminders.time_of_day\n[reminders]\ntime_of_day = 08:15\n" \
    >/etc/nesd/nesd.conf.d/30-lock.conf'
C loginctl enable-linger carol
carol_uid=$(C id -u carol)
wait_for in_container test -S "/run/user/$carol_uid/bus"
U carol systemd-run --user --quiet --unit=notifyd python3 -m dbusmock \
    --template notification_daemon -p '{"capabilities": "body actions"}'
wait_for in_container setpriv --reuid=carol --regid=carol --init-groups \
    env DBUS_SESSION_BUS_ADDRESS="unix:path=/run/user/$carol_uid/bus" \
    gdbus wait --session --timeout 1 org.freedesktop.Notifications
run U carol systemctl --user start nesd.service
[ "$RUN_RC" -eq 0 ] || fail "systemctl --user start nesd: $RUN_ERR" \
    "$(C journalctl --no-pager -n 30 _UID="$carol_uid" 2>&1)" \
    "$(C journalctl --no-pager -n 30 -u "user@$carol_uid.service" 2>&1)"
assert_eq "$(U carol systemctl --user is-active nesd.service)" active \
    "carol's nesd runs"
notify_count_is() {
	[ "$(U carol python3 /fixtures/notify-ctl.py calls | wc -l)" -ge "$1" ]
}
for ((i = 0; i < 50; i++)); do
	notify_count_is 1 && break
	sleep 0.2
done
notify_count_is 1 || fail "no desktop reminder on carol's bus:" \
    "$(U carol journalctl --user -u nesd.service -n 20 --no-pager 2>&1)"
call=$(U carol python3 /fixtures/notify-ctl.py calls | head -1)
assert_eq "$(jqr "$call" .app)" nesd "the notification is nesd's"
assert_contains "$(jqr "$call" .summary)" "expires in 50 days" \
    "the reminder's short summary says when"
assert_contains "$(jqr "$call" .body)" "ZEYNEP ŞAHİN" \
    "the reminder names carol's certificate's holder"
note "carol's desktop reminder: $(jqr "$call" .summary)"
assert_eq "$(jqr "$(U carol nesctl --json status)" .daemon.mode)" user \
    "carol's nesctl talks to her own nesd"
run U carol nesd -n --print
assert_match "$RUN_OUT" '^time_of_day = 08:15 +# /etc/nesd/nesd\.conf\.d/30-lock\.conf:4, locked by /etc/nesd/nesd\.conf\.d/30-lock\.conf:2$' \
    "the admin's locked time_of_day holds"
assert_contains "$RUN_OUT" "/home/carol/.config/nesd/nesd.conf:4: [reminders] time_of_day: locked by" \
    "carol's value is not taken, and --print says so"
user_score=$(U carol systemd-analyze security --user --no-pager nesd.service |
    score)
note "systemd-analyze security --user nesd.service: $user_score"
[ -z "${NESD_CONTAINER_VERBOSE:-}" ] ||
    U carol systemd-analyze security --user --no-pager nesd.service |
    grep -v "^✓"
C loginctl terminate-user carol >/dev/null 2>&1 || true
C loginctl disable-linger carol

# ---- purge ---------------------------------------------------------------------
run C apt-get purge -y nesd
assert_rc 0 "apt-get purge nesd: $RUN_ERR"
assert_eq "$(C dpkg-query -W -f='${db:Status-Abbrev}' nesd 2>/dev/null || true)" "" \
    "nesd is gone from dpkg's database"
left=$(C sh -c 'ls -d /etc/nesd/nesd.conf /lib/systemd/system/nesd* \
    /usr/lib/systemd/user/nesd* /usr/lib/sysusers.d/nesd.conf /usr/sbin/nesd \
    /usr/bin/nesctl /usr/share/bash-completion/completions/nesctl \
    /var/lib/nesd /run/nesd /etc/systemd/system/*/nesd* \
    /etc/systemd/user/*/nesd* /var/lib/systemd/deb-systemd-helper-enabled/*nesd* \
    /var/lib/systemd/deb-systemd-user-helper-enabled/*nesd* 2>/dev/null' || true)
assert_eq "$left" "" "purge left files behind"
assert_eq "$(C find /etc/nesd -type f | sort | tr '\n' ' ')" \
    "/etc/nesd/nesd.conf.d/10-certs.conf /etc/nesd/nesd.conf.d/20-more.conf /etc/nesd/nesd.conf.d/30-lock.conf " \
    "only the admin's own drop-ins stay in /etc/nesd"
assert_eq "$(C pgrep -f /usr/sbin/nesd || true)" "" "no nesd process"
C getent passwd nesd >/dev/null || fail "the system user nesd went (Debian keeps it)"

t_tests=$((SECONDS - t_tests))
note "figures: tree ${t_tree}s, boot ${t_boot}s, tests ${t_tests}s, total $((SECONDS - t_start))s; deb $(stat -c %s "$DEB") bytes; security: system $sys_score, user $user_score"
exit 0
