#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
#
# remind-config.sh - the reminder, mail and webhook keys of nesd.conf: a
# bad value (URL scheme, duration, channel name, yes/no) or a channel
# without what it sends through stops nesd at start with exit 1 and a
# message naming the file, the line and the key, before any socket exists;
# nesd -n says the same; a file using every key is fine. As bad-config.sh.
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

C=$T/bad.conf

# bad CONTENT WANT WHAT: nesd -d with this config exits 1, stderr holds
# "$C:WANT", no socket is left; nesd -n says the same.
bad() {
	printf '%s' "$1" >"$C"
	run timeout -k 1 10 "$NESD" -d -c "$C" --socket "$NESD_SOCK" \
	    --state-dir "$NESD_STATE"
	assert_rc 1 "$3"
	assert_contains "$RUN_ERR" "$C:$2" "$3: message"
	[ ! -e "$NESD_SOCK" ] || fail "$3: socket left behind"
	run timeout -k 1 10 "$NESD" -n -c "$C"
	assert_rc 1 "$3 (nesd -n)"
	assert_contains "$RUN_OUT$RUN_ERR" "$C:$2" "$3 (nesd -n): message"
}

bad $'[webhook]\nurl = ftp://files.example/hook\n' \
    "2: url: must be an http:// or https:// URL" "webhook url scheme"
bad $'# mail\n[mail]\nserver = https://mail.example\n' \
    "3: server: must be an smtp:// or smtps:// URL" "mail server scheme"
bad $'[reminders]\nretry_max = 5 minutes\n' \
    "2: retry_max: must be a duration such as 90s, 15m, 12h or 1d" \
    "retry_max = 5 minutes"
bad $'[reminders]\nexpire_after = 1w\n' \
    "2: expire_after: must be a duration such as 90s, 15m, 12h or 1d" \
    "expire_after = 1w"
bad $'[reminders]\nexpire_after = 30s\n' \
    "2: expire_after: is out of range" "expire_after under a minute"
bad $'[webhook]\ntimeout = 0s\n' "2: timeout: is out of range" \
    "webhook timeout 0"
bad $'[reminders]\nchannels = desktop, sms\n' \
    "2: channels: channels are desktop, mail and webhook" "unknown channel"
bad $'[mail]\nstarttls = sometimes\n' "2: starttls: must be yes or no" \
    "starttls not yes or no"
bad $'[mail]\npassword_file = smtp.pass\n' \
    "2: password_file: must be an absolute path" "relative password_file"
bad $'[reminders]\nchannels = mail\n' \
    "2: channels: mail needs server in [mail]" "mail without a server"
bad $'[reminders]\nchannels = desktop\nchannels = webhook\n' \
    "3: channels: webhook needs url in [webhook]" "webhook without a url"
bad $'url = http://127.0.0.1/h\n' \
    "1: url: key outside a section (put it under [webhook])" \
    "a key outside its section"

# A good file with every key.
G=$T/good.conf
cat >"$G" <<EOF
[reminders]
time_of_day = 08:00
milestones = 3m, 25d
channels = desktop, mail, webhook   # all three
kinds = nes
retry_max = 30m
expire_after = 2d

[mail]
server = smtps://127.0.0.1:4650
starttls = no
ca_file = $T/ca.pem
from = nesd@okul.example.test
to = sahip@okul.example.test
officer = yetkili@ilce.example.test, bt@ilce.example.test
username = nesd
password_file = $T/smtp.pass
timeout = 20s

[webhook]
url = https://127.0.0.1:8443/hooks/nesd
timeout = 5
EOF
run "$NESD" -n -c "$G"
assert_rc 0 "nesd -n on a file with every new key"
assert_eq "$RUN_OUT" "configuration OK" "nesd -n on a good file"
