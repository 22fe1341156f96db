#!/bin/bash
# SPDX-License-Identifier: ISC
#
# json-errors.sh - under --json every failure is one JSON object on stdout,
# {"error":{"code","message","data":{"name"}}}, with the exit status the
# same failure has without --json (and the same words on stderr): usage
# errors wherever --json stands, no daemon, nesd's own refusals passed on
# as nesd sent them, a bad file to import. A verb that prints its result
# on failure (notify-test) prints that alone.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

# json_fails RC CODE NAME WHAT ARGS...: nesctl ARGS exits RC, stdout is one
# JSON error object of CODE and NAME with a message, stderr says the same
# message; without the --json in ARGS, the same exit status.
json_fails() {
	local rc=$1 code=$2 name=$3 what=$4 a plain=()
	shift 4
	run "$NESCTL" "$@"
	assert_rc "$rc" "$what"
	assert_eq "$(wc -l <<<"$RUN_OUT")" 1 "$what: one line on stdout"
	assert_eq "$(jqr "$RUN_OUT" 'keys - ["certificates"] | join(",")')" \
	    error "$what: an error object"
	assert_eq "$(jqr "$RUN_OUT" .error.code)" "$code" "$what: code"
	assert_eq "$(jqr "$RUN_OUT" .error.data.name)" "$name" "$what: data.name"
	assert_match "$(jqr "$RUN_OUT" .error.message)" '.' "$what: a message"
	assert_contains "$RUN_ERR" "nesctl: $(jqr "$RUN_OUT" .error.message)" \
	    "$what: the message on stderr too"
	for a in "$@"; do
		[ "$a" = --json ] || [ "$a" = -j ] || plain+=("$a")
	done
	run "$NESCTL" "${plain[@]}"
	assert_rc "$rc" "$what, without --json"
	assert_eq "$RUN_OUT" "" "$what, without --json: nothing on stdout"
}

mkdir "$T/empty"
# Usage errors (nesctl's code 101), --json before, after or among them.
json_fails 2 101 usage "unknown verb" --json bogus
json_fails 2 101 usage "unknown verb, --json after" bogus --json
json_fails 2 101 usage "missing ID" show --json
json_fails 2 101 usage "unknown option" -j --bogus status
json_fails 2 101 usage "ambiguous prefix" --json re
json_fails 2 101 usage "bad id" --json show xyz
json_fails 2 101 usage "unknown shell" --json --completion fish
# No daemon (102): exit 3.
json_fails 3 102 no_daemon "no daemon" -s "$T/empty/sock" --json status
json_fails 3 102 no_daemon "no daemon, -j" -j -s "$T/empty/sock" list

# nesd's answers: its code and data, as it sent them.
nesd_start
json_fails 1 2 not_found "forget of an unknown id" -s "$NESD_SOCK" --json \
    forget 4242
json_fails 1 2 not_found "show of an unknown id" -s "$NESD_SOCK" show 4242 \
    --json
json_fails 2 101 usage "usage error of a verb" -s "$NESD_SOCK" --json \
    replace
# A file nesctl cannot send (100, failed): exit 1.
head -c 60000 /dev/zero >"$T/big.pem"
json_fails 1 100 failed "import of a file too large" -s "$NESD_SOCK" \
    --json import "$T/big.pem"
json_fails 1 100 failed "import of a missing file" -s "$NESD_SOCK" \
    --json import "$T/nothing.pem"
run ctl --json import "$T/nothing.pem"
assert_contains "$(jqr "$RUN_OUT" .error.message)" "$T/nothing.pem: No such file or directory" \
    "import of a missing file: the reason"
# One good file, one bad: the error, and the certificate that was imported.
mkcert "$T/good.pem" --days-left 100
run ctl --json import "$T/good.pem" "$T/nothing.pem"
assert_rc 1 "import of a good and a missing file"
assert_eq "$(jqr "$RUN_OUT" .error.data.name)" failed "good and missing: error"
assert_eq "$(jqr "$RUN_OUT" '.certificates | length')" 1 \
    "good and missing: the imported certificate beside the error"

# A result that tells the failure itself (no desktop bus): only that.
run ctl --json notify-test desktop
assert_rc 1 "notify-test desktop without a bus"
assert_eq "$(wc -l <<<"$RUN_OUT")" 1 "notify-test: one line"
assert_eq "$(jqr "$RUN_OUT" 'has("error")')" false \
    "notify-test: its result, not an error object"
assert_eq "$(jqr "$RUN_OUT" '.messages[0].state')" failed \
    "notify-test: the message failed"
# A refusal of nesd's that is a bad parameter: JSON-RPC's own code.
json_fails 1 -32602 invalid_params "notify-test of a channel not set" \
    -s "$NESD_SOCK" --json notify-test webhook

# Success is unchanged: the result, exit 0.
run ctl --json status
assert_rc 0 "status"
assert_eq "$(jqr "$RUN_OUT" 'has("error")')" false "status: no error"
nesd_stop
exit 0
