#!/bin/sh
# dbmate on PostgreSQL: schema_migrations(version varchar(128)), one row
# per applied file. Imported with --split (up and down in one file),
# adopted into ladder_migrations; a version the manifest lacks is refused
# and nothing is written; --dry-run lists the rows and writes nothing.
. "$PGLIB"

mkdir migrations
for v in 20200101000000 20200201000000 20200301000000; do
	printf -- '-- migrate:up\nCREATE TABLE t%s (x int);\n\n-- migrate:down\nDROP TABLE t%s;\n' "$v" "$v" >migrations/${v}_t.sql
done
run import --from dbmate --split split --engine postgresql migrations -o manifest.yaml
expect_rc 0 "import"
grep -q '^engine: postgresql$' manifest.yaml || fail "import wrote no engine line"

db=$(pg_newdb t271) || exit 1
# As dbmate's postgres driver writes it.
pg_sql "$db" "CREATE TABLE t20200101000000 (x int); CREATE TABLE t20200201000000 (x int);
CREATE TABLE IF NOT EXISTS public.schema_migrations (version varchar(128) PRIMARY KEY);
INSERT INTO public.schema_migrations (version) VALUES ('20200101000000'), ('20200201000000'), ('20300101000000')" >/dev/null ||
	fail "cannot make dbmate's table"
run adopt --from dbmate -d "$db"
expect_rc 1 "adopt with a version the manifest lacks"
expect_err "'schema_migrations' records version 20300101000000, which the manifest lacks"
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname LIKE 'ladder_migrations%'")" = 0 ] ||
	fail "a refused adopt left ladder's table"

pg_sql "$db" "DELETE FROM schema_migrations WHERE version = '20300101000000'" >/dev/null || fail "psql"
run adopt --from dbmate --dry-run -d "$db"
expect_rc 0 "adopt --dry-run"
expect_out 'would adopt 20200101000000 20200101000000_t \(dbmate 20200101000000\)'
expect_out 'would adopt 2 migrations from dbmate \(nothing was written\)'
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname LIKE 'ladder_migrations%'")" = 0 ] ||
	fail "adopt --dry-run wrote ladder's table"

run adopt --from dbmate -d "$db"
expect_rc 0 "adopt"
[ "$(pg_sql "$db" "SELECT string_agg(id::text, ',' ORDER BY id) FROM ladder_migrations")" = 20200101000000,20200201000000 ] ||
	fail "rows: $(pg_sql "$db" "TABLE ladder_migrations")"
run check -d "$db"
expect_rc 1 "check: one step pending"
expect_out 'pending \[20200301000000\]'
run up -d "$db"
expect_rc 0 "up"
run check -d "$db"
expect_rc 0 "check after up"
run down -d "$db"
expect_rc 0 "down of the step up applied (the split copy's down section)"
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname = 't20200301000000'")" = 0 ] || fail "down left the table"
[ "$(pg_sql "$db" "SELECT count(*) FROM schema_migrations")" = 2 ] || fail "dbmate's table changed"
exit 0
