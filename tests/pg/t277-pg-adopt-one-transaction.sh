#!/bin/sh
# adopt on PostgreSQL is one transaction: a failure after some of ladder's
# rows were written leaves nothing (no row, no table, no schema, the
# tool's table as it was). Two failures midway: the last row refused by
# a constraint on a ladder table made beforehand, and --drop-tool-table
# refused by a view on the tool's table, after every row was written.
. "$PGLIB"

mkdir migrations
for v in 1 2 3; do
	echo "CREATE TABLE t$v (x int);" >migrations/${v}_t$v.up.sql
done
run import --from golang-migrate --engine postgresql migrations -o imported.yaml
expect_rc 0 "import"
{ echo 'schema: ops'; cat imported.yaml; } >manifest.yaml

tool="CREATE TABLE t1 (x int); CREATE TABLE t2 (x int); CREATE TABLE t3 (x int);
CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO schema_migrations VALUES (3, false)"

# 1. ladder's table exists, empty, and refuses id 3: rows 1 and 2 are
# written first, then the third fails.
db=$(pg_newdb t277_row) || exit 1
pg_sql "$db" "$tool; CREATE SCHEMA ops;
CREATE TABLE ops.ladder_migrations (id bigint PRIMARY KEY CHECK (id < 3), name text NOT NULL, applied_at timestamptz NOT NULL)" >/dev/null ||
	fail "psql"
run adopt --from golang-migrate -d "$db"
expect_rc 1 "adopt failing on the third row"
expect_err 'ladder_migrations_id_check'
[ "$(pg_sql "$db" "SELECT count(*) FROM ops.ladder_migrations")" = 0 ] || fail "rows were kept"
[ "$(pg_sql "$db" "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'ops' AND table_name = 'ladder_migrations'")" = 3 ] ||
	fail "columns were added"
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname = 'ladder_migrations_attempts'")" = 0 ] ||
	fail "the attempts table was kept"
# The lock is gone with the process: a second adopt goes through once the
# constraint allows it.
pg_sql "$db" "ALTER TABLE ops.ladder_migrations DROP CONSTRAINT ladder_migrations_id_check" >/dev/null || fail "psql"
run adopt --from golang-migrate -d "$db"
expect_rc 0 "adopt once the constraint is gone"
[ "$(pg_sql "$db" "SELECT string_agg(id::text, ',' ORDER BY id) FROM ops.ladder_migrations")" = 1,2,3 ] ||
	fail "rows: $(pg_sql "$db" "TABLE ops.ladder_migrations")"

# 2. --drop-tool-table fails after every row was written: a view depends
# on the tool's table.
db=$(pg_newdb t277_drop) || exit 1
pg_sql "$db" "$tool; CREATE VIEW v AS SELECT version FROM schema_migrations" >/dev/null || fail "psql"
run adopt --from golang-migrate --drop-tool-table -d "$db"
expect_rc 1 "adopt whose drop fails"
expect_err 'depend'
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_namespace WHERE nspname = 'ops'")" = 0 ] || fail "the schema was kept"
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname LIKE 'ladder_migrations%'")" = 0 ] || fail "ladder's table was kept"
[ "$(pg_sql "$db" "SELECT version || ':' || dirty FROM schema_migrations")" = "3:false" ] || fail "the tool's table changed"
# Nothing adopted: the application's database it was before, with tables
# of its own and no bookkeeping table, which check cannot call fresh.
run check -d "$db"
expect_rc 3 "check: nothing adopted, still an unmanaged database"
expect_err "tables of its own .*no bookkeeping table 'ladder_migrations'"
exit 0
