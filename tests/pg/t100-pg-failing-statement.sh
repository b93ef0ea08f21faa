#!/bin/sh
# A failing statement rolls its whole step back (nothing of it stays, no
# row), and the error names FILE:LINE:COLUMN from the server's position,
# with the SQLSTATE in JSON.
. "$PGLIB"

db=$(pg_newdb t100_a) || exit 1
manifest <<'M'
engine: postgresql
migrations:
  - id: 1
    name: good
    file: sql/1.sql
  - id: 2
    name: bad
    file: sql/2.sql
M
migration 1 x 'CREATE TABLE a (x int);'
mv sql/1_x.sql sql/1.sql
mkdir -p sql
printf 'CREATE TABLE b (y int);\nINSERT INTO b VALUES (1);\n\nINSERT INTO b\n   VALUES (nosuch);\nCREATE TABLE c (z int);\n' >sql/2.sql

run up -d "$db"
expect_rc 1 "up with a failing statement"
expect_err '^sql/2\.sql:5:12: error: column "nosuch" does not exist \(SQLSTATE 42703\)'
expect_err 'rolled back'
[ "$(pg_sql "$db" "SELECT string_agg(id::text, ',' ORDER BY id) FROM schema_migrations")" = 1 ] ||
	fail "the rows are not just 1"
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname IN ('b', 'c')")" = 0 ] ||
	fail "the failed step left a table behind"

run up -d "$db" --format json
expect_rc 1 "up json"
jq_out '[.diagnostics[] | select(.code == "sql")][0] | .file == "sql/2.sql" and .line == 5 and .column == 12 and .sqlstate == "42703"'
exit 0
