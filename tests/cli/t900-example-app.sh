#!/bin/sh
# examples/app.c migrates its own database on start from migrations
# compiled in (ladder embed), through an adopted sqlite3 handle: the first
# run applies every step, the second does nothing, and the ladder CLI then
# finds the database compatible with the files the migrations came from.
. "$TESTLIB"
: "${EXAMPLE_APP:?set EXAMPLE_APP to the built example}"

"$EXAMPLE_APP" app.db >first.out 2>&1 || fail "first run: $(cat first.out)"
[ "$(grep -c '^migrated: ' first.out)" = 3 ] || fail "first run did not migrate: $(cat first.out)"
grep -q '^ready: 3 migrations applied' first.out || fail "first run not ready"
"$EXAMPLE_APP" app.db >second.out 2>&1 || fail "second run: $(cat second.out)"
grep -q '^migrated: ' second.out && fail "second run migrated again"
grep -q '^ready: 3 migrations applied' second.out || fail "second run not ready"

run check -m "$LADDER_SRC/manifest.yaml" -d app.db
expect_rc 0 "embedded checksums are the files' checksums"
expect_out '^compatible'
