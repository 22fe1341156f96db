#!/bin/bash
# SPDX-License-Identifier: ISC
#
# layers.sh - tools/layers.sh, the check that nesd's layers call one way:
# it passes on the tree as it is, and on a copy of the tree it fails,
# naming file and line, for an include that runs upward, one across a
# row, a header name used in two folders and a folder with no row.

# shellcheck source=tests/lib.sh
. "${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

check=$TOP_SRCDIR/tools/layers.sh

run sh "$check" "$TOP_SRCDIR"
assert_rc 0 "the tree keeps its layers"
assert_eq "$RUN_OUT" "" "nothing reported on the tree"

# A copy of daemon/ to break: only the sources, no build products.
fresh() {
	rm -rf "$T/tree"
	mkdir -p "$T/tree"
	(cd "$TOP_SRCDIR" && find daemon -name '*.[ch]' -print0 |
	    tar -cf - --null -T -) | tar -xf - -C "$T/tree"
}

# An upward include: the store (row 1) reaching for the cases (row 4).
fresh
sed -i '0,/#include "store.h"/s//#include "store.h"\n#include "renewal.h"/' \
    "$T/tree/daemon/store/store.c"
line=$(grep -n '#include "renewal.h"' "$T/tree/daemon/store/store.c" |
    cut -d: -f1)
run sh "$check" "$T/tree"
assert_rc 1 "an upward include fails"
assert_contains "$RUN_OUT" \
    "daemon/store/store.c:$line: includes cases/renewal.h (row 4 above row 1)" \
    "the upward include is named with its line"

# Across a row: the status checker (row 2) reaching for the outbox (row 2).
fresh
printf '#include "outbox.h"\n' >>"$T/tree/daemon/status/ocsp.c"
run sh "$check" "$T/tree"
assert_rc 1 "an include across a row fails"
assert_match "$RUN_OUT" \
    'daemon/status/ocsp.c:[0-9]+: includes outbox/outbox.h \(outbox/ and status/ share row 2\)' \
    "the sideways include is named"

# A header name in two folders would make the check guess: refused.
fresh
cp "$T/tree/daemon/core/mq.h" "$T/tree/daemon/cases/mq.h"
run sh "$check" "$T/tree"
assert_rc 1 "a header name used twice fails"
assert_contains "$RUN_OUT" "header name also used by" "the duplicate is named"

# A new folder must be given a row.
fresh
mkdir "$T/tree/daemon/extra"
printf '#include "store.h"\n' >"$T/tree/daemon/extra/extra.c"
run sh "$check" "$T/tree"
assert_rc 1 "a folder with no row fails"
assert_contains "$RUN_OUT" "daemon/extra/extra.c: folder extra has no row" \
    "the folder is named"
exit 0
