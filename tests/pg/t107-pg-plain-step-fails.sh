#!/bin/sh
# A `transaction: false` step runs statement by statement in autocommit
# (two CREATE INDEX CONCURRENTLY work); one that fails midway is left
# `failed` (its note was committed before it started), names the INVALID
# index it left behind, and is never run again.
. "$PGLIB"

db=$(pg_newdb t107_a) || exit 1
manifest <<'M'
engine: postgresql
migrations:
  - id: 1
    name: data
    file: sql/1.sql
  - id: 2
    name: indexes
    file: sql/2.sql
    transaction: false
  - id: 3
    name: unique
    file: sql/3.sql
    transaction: false
M
mkdir -p sql
printf 'CREATE TABLE t (a int, b int);\nINSERT INTO t VALUES (1, 1), (1, 2);\n' >sql/1.sql
printf 'CREATE INDEX CONCURRENTLY ta ON t (a);\nCREATE INDEX CONCURRENTLY tb ON t (b);\n' >sql/2.sql
printf 'CREATE INDEX CONCURRENTLY tb2 ON t (b);\nCREATE UNIQUE INDEX CONCURRENTLY ua ON t (a);\n' >sql/3.sql

run up -d "$db"
expect_rc 1 "up with a failing plain step"
expect_err "left the index 'public\\.ua' INVALID"
[ "$(pg_sql "$db" "SELECT string_agg(id::text, ',' ORDER BY id) FROM schema_migrations")" = 1,2 ] ||
	fail "rows after the failure"
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('ta', 'tb', 'tb2') AND i.indisvalid")" = 3 ] ||
	fail "the indexes of the steps are not all there"
run status -d "$db"
expect_out ' 3  unique +failed'
run up -d "$db"
expect_rc 1 "up again"
expect_err 'failed'
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname = 'tb2'")" = 1 ] || fail "tb2 twice?"
exit 0
