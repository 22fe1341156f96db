#!/bin/sh
# SPDX-License-Identifier: ISC
# layers.sh [TOP]: checks that nesd's layers call one way. Each folder of
# daemon/ has a row; a file may include the headers of its own folder,
# of common/ and of the folders in lower rows, nothing else. A header in
# a higher row, or in another folder of the same row, is reported as
#   daemon/status/ocsp.c:12: includes cases/renewal.h (row 4 above row 2)
# and the script exits 1. Headers are found by name, so a name may be
# used by one folder only; a duplicate is an error too.
set -eu
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top"

# The rows, bottom to top. Folders on one row do not see each other.
rows='
1 core net store
2 sources status outbox
3 remind
4 cases
5 metrics control
6 .
'

awk -v rows="$rows" '
BEGIN {
	n = split(rows, line, "\n")
	for (i = 1; i <= n; i++) {
		k = split(line[i], w, " ")
		for (j = 2; j <= k; j++)
			row[w[j]] = w[1]
	}
	bad = 0
}
# First pass: which folder owns each header.
{
	file = FILENAME
	dir = file
	sub(/^daemon\//, "", dir)
	if (dir ~ /\//)
		sub(/\/[^\/]*$/, "", dir)
	else
		dir = "."
	if (!(dir in row)) {
		if (!(file in unknown)) {
			printf "%s: folder %s has no row in tools/layers.sh\n",
			    file, dir
			unknown[file] = 1
			bad = 1
		}
		next
	}
	if (pass == 1) {
		if (FNR == 1 && file ~ /\.h$/) {
			h = file
			sub(/.*\//, "", h)
			if (h in owner && owner[h] != dir) {
				printf "%s: header name also used by %s/\n",
				    file, owner[h]
				bad = 1
			}
			owner[h] = dir
		}
		next
	}
	if ($0 !~ /^[ \t]*#[ \t]*include[ \t]*"/)
		next
	inc = $0
	sub(/^[^"]*"/, "", inc)
	sub(/".*$/, "", inc)
	name = inc
	sub(/.*\//, "", name)
	if (!(name in owner))
		next		# common/, autoconf.h, tests
	to = owner[name]
	if (to == dir)
		next
	if (row[to] < row[dir])
		next
	if (row[to] == row[dir])
		printf "%s:%d: includes %s/%s (%s/ and %s/ share row %d)\n",
		    file, FNR, to, name, to, dir, row[dir]
	else
		printf "%s:%d: includes %s/%s (row %d above row %d)\n",
		    file, FNR, to, name, row[to], row[dir]
	bad = 1
}
END { exit bad }
' pass=1 $(find daemon -name '*.h' | sort) \
  pass=2 $(find daemon -name '*.[ch]' | sort)
