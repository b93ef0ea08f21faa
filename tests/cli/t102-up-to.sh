#!/bin/sh
# up --to ID applies only the pending migrations with id <= ID; a later up
# applies the rest.
. "$TESTLIB"

steps 1 2 3 4

run up --to 2 -d app.db
expect_rc 0 "up --to 2"
[ "$(ids app.db)" = "1,2" ] || fail "--to 2 recorded $(ids app.db)"
[ -z "$(sql app.db "SELECT name FROM sqlite_master WHERE name IN ('t3', 't4')")" ] ||
	fail "--to 2 ran migrations above 2"

run up --to 3 -d app.db
expect_rc 0 "up --to 3"
[ "$(ids app.db)" = "1,2,3" ] || fail "--to 3 recorded $(ids app.db)"

run up -d app.db
expect_rc 0 "up"
[ "$(ids app.db)" = "1,2,3,4" ] || fail "up recorded $(ids app.db)"
