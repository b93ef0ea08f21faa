#!/bin/sh
# A failing `transaction: false` migration: up exits 1, names FILE:LINE,
# says plainly that the database may be partly changed, and writes no row.
# The failure stays visible (issue 3): status shows the state `failed` with
# the reason, check says incompatible (exit 2), up refuses until `repair`
# clears the note, and once mended the next up applies it.
. "$TESTLIB"

mkdir sql
printf 'CREATE TABLE IF NOT EXISTS a (x);\nCREATE TABLE IF NOT EXISTS b (x);\nINSERT INTO nosuch VALUES (1);\n' >sql/1.sql
manifest <<'M'
migrations:
  - id: 1
    name: one
    file: sql/1.sql
    transaction: false
M
run up -d app.db
expect_rc 1 "failing non-transactional migration"
expect_err 'sql/1\.sql:3(:[0-9]+)?: error: .*no such table: nosuch'
grep -iq 'partly changed\|partially changed\|partly applied' err || fail "no plain 'database may be partly changed' warning"
[ -z "$(ids app.db)" ] || fail "a row was written for the failed step: $(ids app.db)"

run status -d app.db
expect_rc 0 "status after the failure"
expect_out '^ *1 +one +failed'
run status --format json -d app.db
jq_out '.migrations[0].state == "failed"'
jq_out '.migrations[0].failure | test("no such table: nosuch")'
jq_out '.counts.failed == 1'

run check -d app.db
expect_rc 2 "check after the failure"
expect_out '^incompatible: failed midway .*\[1\]'

run up -d app.db
expect_rc 1 "up while the failure is noted"
expect_err "ladder repair"
[ -z "$(ids app.db)" ] || fail "up ran the failed step again"

printf 'CREATE TABLE IF NOT EXISTS a (x);\nCREATE TABLE IF NOT EXISTS b (x);\n' >sql/1.sql
run repair -d app.db
expect_rc 0 "repair clears the note"
run check -d app.db
expect_rc 1 "after repair the step is pending again"
expect_out '^migrations needed: pending \[1\]'
run up -d app.db
expect_rc 0 "up once mended"
[ "$(ids app.db)" = 1 ] || fail "not recorded after the fix"
