#!/bin/sh
# The docs and the behaviour agree (issue 14, item 10): each command's
# --help names every exit code docs/exit-codes.md lists for it, and
# `up --to 0` prints exactly what docs/commands.md shows.
. "$TESTLIB"

DOC="$LADDER_SRC/docs/exit-codes.md"
for cmd in up down status check validate schema export embed new baseline repair; do
	CASE="$cmd --help lists the documented exit codes"
	# The codes of the section `## CMD`: the first cell of each row.
	codes=$(awk -v h="## $cmd" '$0 == h {on = 1; next} /^## / {on = 0}
		on && /^\| [0-9]/ {print $2, $4}' "$DOC" | tr -c '0-9\n' ' ')
	[ -n "$codes" ] || fail "no exit codes found for $cmd in $DOC"
	run $cmd --help
	expect_rc 0
	for code in $codes; do
		grep -Eq "(^|[^0-9])$code([^0-9]|$)" "$T/out" ||
			fail "'ladder $cmd --help' does not mention exit code $code"
	done
done

CASE="up --to 0 prints what docs/commands.md shows"
# The lines after `$ ladder up --to 0` in the doc, up to the fence.
awk '/^\$ ladder up --to 0$/ {on = 1; next} on && /^```/ {exit} on' \
	"$LADDER_SRC/docs/commands.md" >want
[ -s want ] || fail "docs/commands.md shows no 'ladder up --to 0'"
printf 'migrations: []\n' >manifest.yaml
run up --to 0
expect_rc 2
diff want "$T/err" >/dev/null || fail "up --to 0 differs from docs/commands.md: $(diff want "$T/err")"
CASE="an ambiguous option prints what docs/commands.md shows"
awk '/^\$ ladder up --a$/ {on = 1; next} on && /^```/ {exit} on' \
	"$LADDER_SRC/docs/commands.md" >want
[ -s want ] || fail "docs/commands.md shows no 'ladder up --a'"
run up --a
expect_rc 2
diff want "$T/err" >/dev/null || fail "up --a differs from docs/commands.md"
exit 0
