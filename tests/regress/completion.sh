#!/bin/bash
# SPDX-License-Identifier: ISC
#
# completion.sh - shell completion from nesctl's verb table: every verb
# and word of the table is offered, unique prefixes narrow as the parser
# takes them, a verb's options and the words of their values, argument
# words, file names left to the shell, certificate and case ids from a
# running nesd (and none, quietly and at once, without one); then the
# real scripts: bash's function run with COMP_WORDS, zsh's with its
# completion builtins stubbed, and the installed files are what
# `nesctl --completion` prints.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

# comp WORD...: the candidates' words for the last word, one a line.
comp() {
	"$NESCTL" --complete -- "$@" | cut -f1
}

# Every verb's first word, from `nesctl help` (the same table).
verbs=$("$NESCTL" help | sed -n '/^Verbs:/,/^$/p' | awk 'NF > 1 { print $1 }' |
    sort -u)
assert_eq "$(comp "" | sort -u)" "$verbs" "every verb is offered"
assert_eq "$(comp re | tr '\n' ' ')" "readers reminders renew replace ready " \
    "prefix re"
assert_eq "$(comp renew a | tr '\n' ' ')" "applied approved " \
    "renew a: second words"
assert_eq "$(comp ren a | tr '\n' ' ')" "applied approved " \
    "ren a: a prefix for the first word"
assert_eq "$("$NESCTL" --complete -- st)" \
    "$(printf 'status\twhat to do today, and the certificates that expire first')" \
    "a verb's help goes with it"
assert_eq "$(comp show --)" "$(printf '%s\n' --pem --reveal --json --help)" \
    "show's options"
assert_eq "$(comp renew applied --method "" | tr '\n' ' ')" \
    "e-onay e-imza islak " "--method's values"
assert_eq "$(comp replace --reason h)" hardware "--reason h"
assert_eq "$(comp notify-test "" | tr '\n' ' ')" "desktop mail webhook " \
    "channels"
assert_eq "$(comp eonay "" | tr '\n' ' ')" "given not-given " "eonay"
assert_eq "$(comp eonay given "")" "" \
    "after given: the certificates nesd knows (none, it is not running)"
assert_eq "$(comp help renew s | tr '\n' ' ')" "start shipped " \
    "help: verb words"
assert_eq "$(comp - | tr '\n' ' ')" \
    "--socket --json --help --version --completion " "global options"
assert_eq "$(comp --completion "" | tr '\n' ' ')" "bash zsh " \
    "--completion's values"
assert_eq "$(comp import "")" "@files" "import: file names"
assert_eq "$(comp -s "")" "@files" "-s: file names"
assert_eq "$(comp bogus "")" "" "nothing after an unknown verb"

# Ids from nesd: none without it, quickly and silently.
start=$(date +%s%N)
run "$NESCTL" --complete -- -s "$T/none.sock" show ""
assert_rc 0 "no daemon: still exit 0"
assert_eq "$RUN_OUT$RUN_ERR" "" "no daemon: no ids, no words"
[ $((($(date +%s%N) - start) / 1000000)) -lt 1000 ] ||
    fail "no daemon: completion took over a second"
assert_eq "$(comp -s "$T/none.sock" lost "" | tr '\n' ' ')" \
    "suspended revoked found paid " "lost: its steps without nesd"

nesd_start
mkcert "$T/a.pem" --days-left 42 --cn "AYŞE YILMAZ"
mkcert "$T/b.pem" --days-left 200 --cn "MEHMET DEMİR"
ctl import "$T/a.pem" "$T/b.pem" >/dev/null
run "$NESCTL" --complete -- -s "$NESD_SOCK" show ""
assert_eq "$(cut -f1 <<<"$RUN_OUT" | tr '\n' ' ')" "1 2 " "certificate ids"
assert_contains "$RUN_OUT" "$(printf '1\tAYŞE YILMAZ ')" "an id with its holder"
assert_eq "$(comp -s "$NESD_SOCK" forget 2)" 2 "an id prefix"
ctl renew start 1 >/dev/null
assert_eq "$(comp -s "$NESD_SOCK" case show "")" 1 "case ids"
assert_eq "$(comp -s "$NESD_SOCK" renew posted --case "")" 1 \
    "--case: case ids"
assert_eq "$(comp -s "$NESD_SOCK" lost "" | tr '\n' ' ')" \
    "suspended revoked found paid 1 2 " "lost: its steps and the ids"

# bash: the script's function, as bash-completion would call it.
"$NESCTL" --completion bash >"$T/nesctl.bash"
bash_comp() {
	NESCTL_PATH=$(dirname "$NESCTL") bash -c '
	    PATH=$NESCTL_PATH:$PATH
	    . "$1"; shift
	    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
	    _nesctl
	    printf "%s\n" "${COMPREPLY[@]}"' bash "$T/nesctl.bash" "$@"
}
assert_eq "$(bash_comp nesctl re | tr '\n' ' ')" \
    "readers reminders renew replace ready " "bash: prefix re"
assert_eq "$(bash_comp nesctl -s "$NESD_SOCK" show "" | tr '\n' ' ')" \
    "1 2 " "bash: ids from nesd"
touch "$T/cert-one.pem" "$T/cert-two.der"
assert_eq "$(bash_comp nesctl import "$T/cert-" | tr '\n' ' ')" \
    "$T/cert-one.pem $T/cert-two.der " "bash: file names"
assert_match "$(bash -c ". '$T/nesctl.bash'; complete -p nesctl")" \
    'complete -F _nesctl nesctl' "bash: registered for nesctl"

# zsh: the script with _describe and _files stubbed, words and CURRENT set.
"$NESCTL" --completion zsh >"$T/_nesctl"
if command -v zsh >/dev/null; then
	zsh_comp() {
		NESCTL_PATH=$(dirname "$NESCTL") zsh -f -c '
		    PATH=$NESCTL_PATH:$PATH
		    _describe() { local n=${@[-1]}; print -rl -- "${(@P)n}" }
		    _files() { print -r -- "(files)" }
		    f=$1; shift
		    words=("$@"); CURRENT=$#
		    . "$f"' zsh "$T/_nesctl" "$@"
	}
	assert_eq "$(zsh_comp nesctl renew a)" \
	    "$(printf '%s\n' "applied:record that you applied, and how the form was signed" \
	    "approved:record the institution's approval")" \
	    "zsh: words with their help"
	assert_eq "$(zsh_comp nesctl import x)" "(files)" "zsh: file names"
	assert_eq "$(zsh_comp nesctl -s "$NESD_SOCK" show "" | cut -d: -f1 |
	    tr '\n' ' ')" "1 2 " "zsh: ids from nesd"
	assert_eq "$(head -1 "$T/_nesctl")" "#compdef nesctl" "zsh: #compdef"
else
	note "zsh is not installed: its script was not run"
fi
nesd_stop

# What make install puts in place is what nesctl prints.
for f in completion/nesctl:bash completion/_nesctl:zsh; do
	[ -f "$TOP_BUILDDIR/${f%:*}" ] || fail "${f%:*} was not built"
	cmp -s "$TOP_BUILDDIR/${f%:*}" <("$NESCTL" --completion "${f#*:}") ||
	    fail "${f%:*} differs from nesctl --completion ${f#*:}"
done
exit 0
