#!/bin/sh
# `ladder schema` with `schema: ops` in the manifest leaves out ladder's two
# tables in ops, and keeps every other table, in ops or elsewhere.
. "$PGLIB"

db=$(pg_newdb t159_a) || exit 1
mkdir -p sql
printf 'CREATE SCHEMA IF NOT EXISTS ops;\nCREATE TABLE ops.jobs (id int);\nCREATE TABLE public.schema_migrations (v int);\n' >sql/1.sql
printf 'SELECT 1;\n' >sql/2.sql
cat >manifest.yaml <<'YAML'
engine: postgresql
schema: ops
migrations:
  - id: 1
    name: jobs
    file: sql/1.sql
  - id: 2
    name: noop
    file: sql/2.sql
    transaction: false
YAML
pg_sql "$db" 'CREATE SCHEMA ops' || fail "cannot make schema ops"
run up -d "$db"
expect_rc 0 "up"
[ "$(pg_sql "$db" "SELECT to_regclass('ops.schema_migrations_attempts') IS NOT NULL")" = t ] ||
	fail "no attempts table in ops to leave out"
run schema -d "$db"
expect_rc 0 "schema"
expect_out 'CREATE TABLE ops\.jobs'
# A table of the same name in another schema is the application's.
expect_out 'CREATE TABLE public\.schema_migrations'
expect_no_out 'ops\.schema_migrations'
exit 0
