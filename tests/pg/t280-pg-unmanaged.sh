#!/bin/sh
# An application's database with tables of its own and no bookkeeping
# table is not a fresh install, on PostgreSQL as on SQLite (t310): status
# warns, check exits 3 (never 1), up and up --dry-run refuse and write
# nothing, each naming one of its tables and pointing to `ladder
# baseline`; after a baseline, up applies what follows. Looked for in the
# bookkeeping schema and the search_path's schemas; what an extension
# owns, the attempts table and other schemas do not count (docs/postgresql.md, "An
# application's database"). On a hot standby too.
. "$PGLIB"

mkdir -p sql
printf 'CREATE TABLE users (id int);\n' >sql/1.sql
printf 'CREATE TABLE orders (id int);\n' >sql/2.sql
write_manifest() { # [schema]
	{
		echo "engine: postgresql"
		[ -z "${1:-}" ] || echo "schema: $1"
		printf 'migrations:\n'
		printf '  - id: 1\n    name: users\n    file: sql/1.sql\n'
		printf '  - id: 2\n    name: orders\n    file: sql/2.sql\n'
	} >manifest.yaml
}

# objects URL: every relation outside the system schemas, and the schemas.
objects() {
	pg_sql "$1" "SELECT coalesce(string_agg(n.nspname || '.' || c.relname, ',' ORDER BY 1), '') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')" &&
		pg_sql "$1" "SELECT string_agg(nspname, ',' ORDER BY 1) FROM pg_namespace"
}

# refused URL OWN: status warns, check exits 3, up and up --dry-run
# refuse; each names OWN (schema.table); nothing is written.
refused() {
	_before=$(objects "$1") || fail "cannot read the catalog"
	run status -d "$1"
	expect_rc 0 "status"
	expect_err "warning: .*has tables of its own \\(such as '$2'\\).*ladder baseline"
	run check -d "$1"
	expect_rc 3 "check on an application's database"
	expect_err "error: .*tables of its own \\(such as '$2'\\).*ladder baseline"
	run --format json check -d "$1"
	expect_rc 3 "check json"
	jq_out '.exit_code == 3 and ([.diagnostics[] | select(.code == "unmanaged" and .severity == "error")] | length == 1)'
	run --format json status -d "$1"
	jq_out '.unmanaged == true and any(.diagnostics[]; .code == "unmanaged" and .severity == "warning")'
	run up --dry-run -d "$1"
	expect_rc 1 "up --dry-run"
	expect_err 'ladder baseline'
	run up -d "$1"
	expect_rc 1 "up refuses"
	expect_err "tables of its own \\(such as '$2'\\)"
	expect_no_err 'already exists'
	[ "$(objects "$1")" = "$_before" ] || fail "up wrote: $(objects "$1")"
}

# fresh URL: check says migrations are needed (exit 1) and up applies.
fresh() {
	run check -d "$1"
	expect_rc 1 "check on a fresh install"
	expect_out 'pending \[1 2\]'
	expect_no_err 'unmanaged|tables of its own'
	run up -d "$1"
	expect_rc 0 "up on a fresh install"
}

tc_app() {
	db=$(pg_newdb t280_app) || exit 1
	pg_sql "$db" "CREATE TABLE users (id int); INSERT INTO users VALUES (1);" >/dev/null
	write_manifest
	refused "$db" public.users
	[ "$(pg_sql "$db" "SELECT count(*) FROM users")" = 1 ] || fail "users changed"
	run baseline 1 -d "$db"
	expect_rc 0 "baseline"
	run check -d "$db"
	expect_rc 1 "pending after the baseline"
	expect_out 'pending \[2\]'
	run up -d "$db"
	expect_rc 0 "up after the baseline"
	[ "$(pg_sql "$db" "SELECT string_agg(id::text, ',' ORDER BY id) FROM schema_migrations")" = "1,2" ] ||
		fail "rows after up"
}
tcase "an application's database is refused until a baseline" tc_app

# Each kind of relation the migrations could collide with counts.
tc_kinds() {
	write_manifest
	for k in view:"CREATE VIEW v AS SELECT 1 AS x" \
		matview:"CREATE MATERIALIZED VIEW v AS SELECT 1 AS x" \
		sequence:"CREATE SEQUENCE v" \
		partitioned:"CREATE TABLE v (x int) PARTITION BY RANGE (x)"; do
		db=$(pg_newdb "t280_${k%%:*}") || exit 1
		pg_sql "$db" "${k#*:}" >/dev/null || fail "cannot make a ${k%%:*}"
		run check -d "$db"
		expect_rc 3 "check, a ${k%%:*} of its own"
		expect_err "such as 'public\\.v'"
	done
}
tcase "views, materialized views, sequences and partitioned tables count" tc_kinds

# A fresh install: empty, or holding only what an extension made (here
# pg_buffercache's view), another schema's tables, a table whose name is
# the bookkeeping table's attempts table.
tc_fresh() {
	write_manifest
	db=$(pg_newdb t280_ext) || exit 1
	pg_sql "$db" "CREATE EXTENSION pg_buffercache" >/dev/null || fail "no pg_buffercache"
	[ "$(pg_sql "$db" "SELECT count(*) FROM pg_views WHERE schemaname = 'public'")" -ge 1 ] ||
		fail "the extension made no view in public"
	fresh "$db"
	db=$(pg_newdb t280_other) || exit 1
	pg_sql "$db" "CREATE SCHEMA other; CREATE TABLE other.users (id int)" >/dev/null
	fresh "$db"
	db=$(pg_newdb t280_attempts) || exit 1
	pg_sql "$db" "CREATE TABLE schema_migrations_attempts (id bigint PRIMARY KEY, name text NOT NULL, started_at timestamptz NOT NULL, reason text)" >/dev/null
	fresh "$db"
	db=$(pg_newdb t280_empty) || exit 1
	fresh "$db"
}
tcase "extensions' objects, other schemas and the attempts table do not count" tc_fresh

# schema: apart from the application's: its tables in the current schema
# count, and so do tables already in the bookkeeping schema.
tc_schemas() {
	write_manifest ladder
	db=$(pg_newdb t280_sch) || exit 1
	pg_sql "$db" "CREATE TABLE users (id int)" >/dev/null
	refused "$db" public.users
	db=$(pg_newdb t280_sch2) || exit 1
	pg_sql "$db" "CREATE SCHEMA ladder; CREATE TABLE ladder.notes (id int)" >/dev/null
	refused "$db" ladder.notes
	db=$(pg_newdb t280_sch3) || exit 1
	fresh "$db"
	[ "$(pg_sql "$db" "SELECT count(*) FROM ladder.schema_migrations")" = 2 ] || fail "rows in ladder."
	# The whole search_path: the migrations' unqualified names are found
	# in a later schema too (an ALTER TABLE users would reach public's).
	write_manifest
	db=$(pg_newdb t280_path) || exit 1
	pg_sql "$db" "CREATE SCHEMA app; CREATE TABLE public.users (id int)" >/dev/null
	(
		export PGOPTIONS="-c search_path=app,public"
		refused "$db" public.users
	) || exit 1
	# ... and only it: a schema outside it is another application's.
	db=$(pg_newdb t280_path2) || exit 1
	pg_sql "$db" "CREATE SCHEMA app; CREATE TABLE public.users (id int)" >/dev/null
	(
		export PGOPTIONS="-c search_path=app"
		fresh "$db"
	) || exit 1
	[ "$(pg_sql "$db" "SELECT count(*) FROM app.schema_migrations")" = 2 ] || fail "rows in app."
}
tcase "the bookkeeping schema and the search_path's schemas are looked at" tc_schemas

# Read-only on a hot standby: the same verdicts, nothing to write.
tc_standby() {
	write_manifest
	db=$(pg_newdb t280_sb) || exit 1
	pg_sql "$db" "CREATE TABLE users (id int)" >/dev/null
	fr=$(pg_newdb t280_sbfresh) || exit 1
	pg_standby
	pg_wait_replay
	sb=$(pg_url t280_sb standby)
	run status -d "$sb"
	expect_rc 0 "status on the standby"
	expect_err "warning: .*tables of its own \\(such as 'public\\.users'\\)"
	run check -d "$sb"
	expect_rc 3 "check on the standby"
	expect_err 'ladder baseline'
	run check -d "$(pg_url t280_sbfresh standby)"
	expect_rc 1 "check on the standby, a fresh install"
}
tcase "on a hot standby" tc_standby
tdone
