#!/bin/bash
# SPDX-License-Identifier: ISC
#
# prom-rules.sh - contrib/prometheus: the alert rules load and pass their
# unit tests (promtool test rules), and the sample Alertmanager
# configuration is valid (amtool check-config).

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

command -v promtool >/dev/null || skip "promtool not installed (tools/deps.sh)"
command -v amtool >/dev/null || skip "amtool not installed (tools/deps.sh)"
P=$TOP_SRCDIR/contrib/prometheus

run promtool check rules "$P/nesd.rules.yml"
assert_rc 0 "promtool check rules: $RUN_OUT $RUN_ERR"
assert_contains "$RUN_OUT" "SUCCESS: 9 rules found" "every rule loads"
# promtool finds the rule file beside the test file.
cp "$P/nesd.rules.yml" "$P/nesd.rules_test.yml" "$T/"
run promtool test rules "$T/nesd.rules_test.yml"
assert_rc 0 "promtool test rules: $RUN_OUT $RUN_ERR"
assert_contains "$RUN_OUT" "SUCCESS" "promtool test rules"
# The tests can fail: a rule that fires at other times breaks them.
sed 's/for: 1h/for: 3h/' "$P/nesd.rules.yml" >"$T/nesd.rules.yml"
run promtool test rules "$T/nesd.rules_test.yml"
assert_ne "$RUN_RC" 0 "the unit tests notice a changed rule"
run amtool check-config "$P/alertmanager.yml"
assert_rc 0 "amtool check-config: $RUN_OUT $RUN_ERR"
assert_contains "$RUN_OUT" "SUCCESS" "amtool check-config"
exit 0
