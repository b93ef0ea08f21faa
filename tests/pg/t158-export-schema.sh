#!/bin/sh
# `ladder export` with `schema:` in the manifest names the bookkeeping
# table "schema"."table" everywhere (DDL, guards, rows): the script psql
# runs records the steps where ladder looks for them, even when the
# session's search_path does not hold that schema.
. "$PGLIB"

db=$(pg_newdb t158_a) || exit 1
pg_sql "$db" 'CREATE SCHEMA ops' || fail "cannot make schema ops"
mkdir -p sql
printf 'CREATE TABLE public.t1 (x int);\n' >sql/1.sql
printf 'CREATE INDEX CONCURRENTLY t1_x ON public.t1 (x);\n' >sql/2.sql
cat >manifest.yaml <<'YAML'
engine: postgresql
schema: ops
migrations:
  - id: 1
    name: one
    file: sql/1.sql
  - id: 2
    name: two
    file: sql/2.sql
    transaction: false
YAML
run export -d "$db"
expect_rc 0 "export"
cp "$T/out" script.sql
grep -q 'INSERT INTO "ops"."schema_migrations"' script.sql || fail "the rows are not schema-qualified"
"$LADDER_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$db" -f script.sql >psql.out 2>&1 ||
	{ cat psql.out >&2; fail "psql stopped on the exported script"; }
[ "$(pg_sql "$db" 'SELECT string_agg(id::text, $$,$$ ORDER BY id) FROM ops.schema_migrations')" = "1,2" ] ||
	fail "the rows are not in ops.schema_migrations"
[ "$(pg_sql "$db" "SELECT to_regclass('public.schema_migrations') IS NULL")" = t ] ||
	fail "a bookkeeping table appeared in public"
run status -d "$db"
expect_rc 0 "status"
expect_out '^2 applied, 0 pending'
# Run again: the first guard, on ops.schema_migrations, stops it.
"$LADDER_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$db" -f script.sql >psql2.out 2>&1 &&
	fail "the script ran twice"
grep -q 'step 1 is already applied' psql2.out || { cat psql2.out >&2; fail "the second run did not stop at the guard"; }
exit 0
