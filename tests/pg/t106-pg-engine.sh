#!/bin/sh
# engine: picks the dialect with no database, and a target of the other
# engine is refused plainly (exit 1; check 3); schema: is PostgreSQL's.
. "$PGLIB"

db=$(pg_newdb t106_a) || exit 1
mkdir -p sql
# a dollar-quoted body with semicolons: one statement for PostgreSQL
printf 'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\n' >sql/1.sql
body() {
	printf '  - id: 1\n    name: fn\n    file: sql/1.sql\n'
}

tc_validate_pg() {
	{ echo "engine: postgresql"; echo "migrations:"; body; } >manifest.yaml
	run validate
	expect_rc 0 "validate with engine: postgresql"
}
tcase "validate reads files in PostgreSQL's dialect" tc_validate_pg

tc_sqlite_manifest_pg_target() {
	{ echo "migrations:"; body; } >manifest.yaml
	run up -d "$db"
	expect_rc 1 "a SQLite manifest, a PostgreSQL target"
	expect_err "engine-mismatch|is a postgresql database, but the manifest's engine is sqlite"
	run check -d "$db"
	expect_rc 3 "check, engine mismatch"
	[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname = 'schema_migrations'")" = 0 ] ||
		fail "something was written"
}
tcase "a SQLite manifest refuses a PostgreSQL target" tc_sqlite_manifest_pg_target

tc_pg_manifest_sqlite_target() {
	{ echo "engine: postgresql"; echo "migrations:"; body; } >manifest.yaml
	run up -d app.db
	expect_rc 1 "a PostgreSQL manifest, a SQLite target"
	expect_err "is a sqlite database, but the manifest's engine is postgresql"
	[ ! -e app.db ] || fail "a file was made"
}
tcase "a PostgreSQL manifest refuses a SQLite target" tc_pg_manifest_sqlite_target

tc_engine_rules() {
	{ echo "migrations:"; body; echo "engine: postgresql"; } >manifest.yaml
	run validate
	expect_rc 1 "engine after migrations"
	expect_err "'engine' must come before 'migrations'"
	{ echo "engine: mysql"; echo "migrations: []"; } >manifest.yaml
	run validate
	expect_rc 1 "an unknown engine"
	expect_err "unknown engine 'mysql'"
	{ echo "schema: app"; echo "migrations: []"; } >manifest.yaml
	run validate
	expect_rc 1 "schema: with SQLite"
	expect_err "'schema' is PostgreSQL's"
	{ echo "engine: postgresql"; echo "table: Mixed"; echo "migrations: []"; } >manifest.yaml
	run validate
	expect_rc 1 "a table name PostgreSQL would fold"
	expect_err "table name 'Mixed' is not a plain lower-case identifier"
}
tcase "engine:, schema: and table: rules" tc_engine_rules

tc_schema() {
	{ echo "engine: postgresql"; echo "schema: app_meta"; echo "table: steps"; echo "migrations:"; body; } >manifest.yaml
	run up -d "$db"
	expect_rc 0 "up with schema: app_meta"
	[ "$(pg_sql "$db" "SELECT string_agg(id::text, ',') FROM app_meta.steps")" = 1 ] ||
		fail "no row in app_meta.steps"
	[ "$(pg_sql "$db" "SELECT f()")" = 1 ] || fail "the function was not made"
}
tcase "schema: places the bookkeeping tables" tc_schema
tdone
