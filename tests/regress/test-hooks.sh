#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# test-hooks.sh - the test suite's hooks exist only in a nesd built with
# ./configure --enable-test-hooks. Built so, nesd says so in its version,
# hello lists test.clock and test.cert_status, both refused without
# NESD_TEST_HOOKS, and NESD_TEST_NOW starts the clock where it says (a bad
# value stops nesd). Built without (the default, and every package), the
# binary holds none of their names, hello lists no test.* method, calling
# one is an unknown method and NESD_TEST_NOW is ignored. tools/check.sh
# runs this in a default build too.
# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

command -v strings >/dev/null || skip "strings (binutils) not installed"

# hook_names: what of the hooks' names the binary holds, one a line.
hook_names() {
	strings "$NESD" | grep -oE 'NESD_TEST[A-Z_]*|test\.clock|test\.cert_status' |
	    sort -u || true
}
# started: the daemon's start time by its own clock.
started() {
	jqr "$(rpc status)" .result.daemon.started
}

printf '[reminders]\nchannels =\n' >"$NESD_CONF"

# The binary has the hooks exactly when the build tree was configured with
# them (its autoconf.h says), so a default build that grew them fails here.
if [ -f "$TOP_BUILDDIR/autoconf.h" ]; then
	want=no got=no
	if grep -q '^#define ENABLE_TEST_HOOKS 1' "$TOP_BUILDDIR/autoconf.h"; then
		want=yes
	fi
	if has_test_hooks; then
		got=yes
	fi
	assert_eq "$got" "$want" "nesd has the test hooks as configured"
fi
then=$(local_epoch "2031-03-04 10:00")

if has_test_hooks; then
	note "nesd built with the test hooks"
	assert_eq "$(hook_names | tr '\n' ' ')" \
	    "NESD_TEST_HOOKS NESD_TEST_NOW test.cert_status test.clock " \
	    "the names the default build must not hold are found here"

	nesd_start
	r=$(rpc hello)
	assert_eq "$(jqr "$r" '[.result.methods[] | select(startswith("test."))] |
	    join(",")')" "test.clock,test.cert_status" "hello lists the hooks"
	r=$(rpc test.clock "{\"now\": $then}")
	assert_eq "$(jqr "$r" .error.data.name)" not_permitted \
	    "test.clock refused without NESD_TEST_HOOKS"
	assert_contains "$(jqr "$r" .error.message)" NESD_TEST_HOOKS \
	    "the refusal names the variable"
	nesd_stop

	NESD_TEST_NOW=$then nesd_start
	assert_eq "$(started)" "$then" "NESD_TEST_NOW starts the clock there"
	nesd_stop

	NESD_TEST_NOW=soon run "$NESD" -n -c "$NESD_CONF"
	assert_rc 1 "a bad NESD_TEST_NOW stops nesd"
	assert_contains "$RUN_ERR" "NESD_TEST_NOW must be epoch seconds: soon" \
	    "the bad value is named"
else
	note "nesd built without the test hooks"
	assert_eq "$(hook_names | tr '\n' ' ')" "" \
	    "no hook's name in the default nesd"
	run "$NESD" -V
	assert_rc 0 "nesd -V"
	assert_not_contains "$RUN_OUT" "test hooks" "-V: a plain version"

	NESD_TEST_NOW=$then NESD_TEST_HOOKS=1 nesd_start
	r=$(rpc hello)
	assert_eq "$(jqr "$r" '[.result.methods[] | select(startswith("test."))] |
	    length')" 0 "hello lists no test.* method"
	for m in test.clock test.cert_status; do
		r=$(rpc "$m" '{"now": 1, "cert": 1, "status": "good"}')
		assert_eq "$(jqr "$r" .error.code)" -32601 "$m: no such method"
	done
	now=$(date +%s)
	[ "$(started)" -ge $((now - 60)) ] ||
	    fail "NESD_TEST_NOW moved the clock of a default nesd: $(started)"
	nesd_stop

	NESD_TEST_NOW=soon run "$NESD" -n -c "$NESD_CONF"
	assert_rc 0 "NESD_TEST_NOW is not read"
fi
