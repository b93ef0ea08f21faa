#!/bin/sh
# An application database with tables of its own and no bookkeeping table
# is not a fresh install: status, check and up say so and point to
# `ladder baseline ID`; check exits 3 (never 1); up touches nothing.
. "$TESTLIB"

steps 1 2
sql app.db 'CREATE TABLE users (id); INSERT INTO users VALUES (1);'
before=$(snapshot)

run status -d app.db
expect_rc 0 "status"
expect_err "^app\.db: (warning|note): .*tables of its own.*ladder baseline"
run check -d app.db
expect_rc 3 "check on an existing application database"
expect_err 'ladder baseline'
run --format json check -d app.db
expect_rc 3 "check json"
jq_out '.exit_code == 3'
jq_out '[.diagnostics[] | select(.code == "unmanaged")] | length == 1'
run --format json status -d app.db
jq_out '.unmanaged == true and any(.diagnostics[]; .code == "unmanaged" and .severity == "warning")'
run up -d app.db
expect_rc 1 "up refuses"
expect_err 'ladder baseline'
expect_no_err 'already exists'
expect_same "$before" "up touched the database"

# After a baseline, up applies what follows.
run baseline 1 -d app.db
expect_rc 0 "baseline"
run check -d app.db
expect_rc 1 "pending after baseline"
# An empty database file (0 bytes, or only ladder-free sqlite_ tables) is fresh.
sqlite3 empty.db 'PRAGMA user_version = 1;'
run check -d empty.db
expect_rc 1 "an empty database is a fresh install"
exit 0
