#!/bin/sh
# On the real server: a transactional step holding a statement that cannot
# run in a transaction (decided from the parse tree) is refused by up
# before anything runs: no earlier step, no table, no bookkeeping row.
# The same statement in a `transaction: false` step runs.
. "$PGLIB"

db=$(pg_newdb t220_a) || exit 1
mkdir -p sql
echo "CREATE TABLE first (a int);" >sql/1.sql
printf 'CREATE TABLE second (a int);\nVACUUM (ANALYZE) second;\n' >sql/2.sql
cat >manifest.yaml <<'YAML'
engine: postgresql
migrations:
  - {id: 1, name: first, file: sql/1.sql}
  - {id: 2, name: second, file: sql/2.sql}
YAML
run up -d "$db"
[ "$RC" -ne 0 ] || fail "up should refuse"
expect_err "sql/2\.sql:2:1: error: 'VACUUM' cannot run inside a transaction block.*transaction: false"
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_tables WHERE tablename IN ('first', 'second')")" = 0 ] ||
	fail "a step ran before the refusal"
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_tables WHERE tablename = 'schema_migrations'")" = 0 ] ||
	[ "$(pg_sql "$db" "SELECT count(*) FROM schema_migrations")" = 0 ] || fail "rows recorded"

sed -i 's/file: sql\/2.sql}/file: sql\/2.sql, transaction: false}/' manifest.yaml
run up -d "$db"
expect_rc 0 "the same statement without a transaction"
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_tables WHERE tablename IN ('first', 'second')")" = 2 ] ||
	fail "the steps did not run"
exit 0
