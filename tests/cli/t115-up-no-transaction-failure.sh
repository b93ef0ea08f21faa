#!/bin/sh
# A failing `transaction: false` migration: up exits 1, names FILE:LINE,
# says plainly that the database may be partly changed, and writes no row;
# status and check then report it with the SPEC's vocabulary (state
# pending - its row is written only after it succeeds), and once fixed the
# next up applies it.
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
grep -Eq '^ *1 +one +(applied|pending|changed|unknown)( |$)' out ||
	fail "status state for 1 is not one of applied/pending/changed/unknown"
expect_out '^ *1 +one +pending'
run status --format json -d app.db
jq_out '.migrations[0].state == "pending"'

run check -d app.db
expect_rc 1 "check after the failure"
expect_out '^migrations needed: pending \[1\]'

printf 'CREATE TABLE IF NOT EXISTS a (x);\nCREATE TABLE IF NOT EXISTS b (x);\n' >sql/1.sql
run up -d app.db
expect_rc 0 "up once fixed"
[ "$(ids app.db)" = 1 ] || fail "not recorded after the fix"
