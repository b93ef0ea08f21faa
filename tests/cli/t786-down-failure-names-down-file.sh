#!/bin/sh
# A failed down names the down file it ran, not the up file.
. "$TESTLIB"

mkdir sql
printf 'CREATE TABLE a (x);\n' >sql/1.sql
printf 'DROP TABLE nosuch;\n' >sql/1.down.sql
manifest <<'M'
migrations:
  - id: 1
    name: one
    file: sql/1.sql
    down: sql/1.down.sql
M
run up -d app.db
expect_rc 0 "up"
run down -d app.db
expect_rc 1 "a failing down file"
expect_err '^sql/1\.down\.sql:1(:[0-9]+)?: error: .*no such table'
expect_err "^sql/1\.down\.sql: note: .*rolled back"
expect_no_err '^sql/1\.sql'
[ "$(ids app.db)" = 1 ] || fail "step 1 no longer recorded"
exit 0
