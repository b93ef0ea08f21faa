#!/bin/sh
# diesel on PostgreSQL: __diesel_schema_migrations(version varchar(50),
# run_on timestamp). With the manifest's `schema:`, ladder's table goes
# there while diesel's is read where diesel wrote it (the current
# schema). --dry-run writes nothing (not even the schema); adopt keeps
# diesel's times; --drop-tool-table drops diesel's table in the same
# transaction.
. "$PGLIB"

mkdir -p migrations/2020-01-01-000000_a migrations/2020-02-01-000000_b migrations/2020-03-01-000000_c
for f in migrations/*; do
	d=${f##*_}
	echo "CREATE TABLE $d (x int);" >"$f/up.sql"
	echo "DROP TABLE $d;" >"$f/down.sql"
done
run import --from diesel --engine postgresql migrations -o imported.yaml
expect_rc 0 "import"
{ echo 'schema: ladder'; cat imported.yaml; } >manifest.yaml

db=$(pg_newdb t274) || exit 1
# As diesel's migration harness writes it on PostgreSQL.
pg_sql "$db" "CREATE TABLE a (x int); CREATE TABLE b (x int);
CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);
INSERT INTO __diesel_schema_migrations VALUES ('20200101000000', '2020-01-09 10:00:00'), ('20200201000000', '2020-02-09 11:00:00')" >/dev/null ||
	fail "cannot make diesel's table"

export PGOPTIONS="-c TimeZone=UTC"
run adopt --from diesel --dry-run -d "$db"
expect_rc 0 "adopt --dry-run"
expect_out 'would adopt 20200101000000 2020-01-01-000000_a \(diesel 20200101000000\)'
expect_out 'would adopt 20200201000000 2020-02-01-000000_b \(diesel 20200201000000\)'
expect_no_out '20200301000000'
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_namespace WHERE nspname = 'ladder'")" = 0 ] ||
	fail "adopt --dry-run made the schema"

run adopt --from diesel --drop-tool-table -d "$db"
expect_rc 0 "adopt"
expect_out 'adopted 2 migrations from diesel \(its table dropped\)'
unset PGOPTIONS
[ "$(pg_sql "$db" "SET TimeZone = 'UTC'; SELECT string_agg(id || ' ' || applied_at, ',' ORDER BY id) FROM ladder.schema_migrations")" = \
	"20200101000000 2020-01-09 10:00:00+00,20200201000000 2020-02-09 11:00:00+00" ] ||
	fail "rows: $(pg_sql "$db" "TABLE ladder.schema_migrations")"
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname = '__diesel_schema_migrations'")" = 0 ] ||
	fail "diesel's table was not dropped"
run check -d "$db"
expect_rc 1 "check: one pending"
expect_out 'pending \[20200301000000\]'
run up -d "$db"
expect_rc 0 "up"
run check -d "$db"
expect_rc 0 "check after up"
exit 0
