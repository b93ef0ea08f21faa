#!/bin/sh
# A three-column table (id, name, applied_at as text, timestamp or
# timestamptz) is adopted: its rows count as applied, up adds the missing
# columns. golang-migrate's and dbmate's schema_migrations(version ...)
# are refused naming their columns, and left untouched.
. "$PGLIB"

manifest <<'M'
engine: postgresql
migrations:
  - id: 1
    name: one
    file: sql/1.sql
  - id: 2
    name: two
    file: sql/2.sql
M
mkdir -p sql
printf 'CREATE TABLE t1 (x int);\n' >sql/1.sql
printf 'CREATE TABLE t2 (x int);\n' >sql/2.sql

adopt() { # TYPE VALUE SHOWN
	name=t104_$(echo "$1" | tr -cd 'a-z')
	db=$(pg_newdb "$name") || exit 1
	pg_sql "$db" "CREATE TABLE t1 (x int); CREATE TABLE schema_migrations (id bigint PRIMARY KEY, name text NOT NULL, applied_at $1 NOT NULL); INSERT INTO schema_migrations VALUES (1, 'one', '$2')" >/dev/null ||
		fail "$1: cannot make the table"
	run status -d "$db"
	expect_rc 0 "status, applied_at $1"
	expect_out " 1  one +applied +$3"
	run up -d "$db"
	expect_rc 0 "up, applied_at $1"
	[ "$(pg_sql "$db" "SELECT string_agg(id::text, ',' ORDER BY id) FROM schema_migrations")" = 1,2 ] ||
		fail "$1: rows after up"
	[ "$(pg_sql "$db" "SELECT count(*) FROM information_schema.columns WHERE table_name = 'schema_migrations' AND column_name IN ('checksum', 'checksum_algorithm', 'duration_ms', 'ladder_version')")" = 4 ] ||
		fail "$1: the columns were not added"
	run status -d "$db"
	expect_rc 0 "status after up, applied_at $1"
	expect_out ' 2  two +applied +[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'
}
adopt text '2026-01-02T03:04:05Z' '2026-01-02T03:04:05Z'
adopt timestamp '2026-01-02 03:04:05.678' '2026-01-02T03:04:05Z'
adopt timestamptz '2026-01-02 04:04:05+01' '2026-01-02T03:04:05Z'

refuse() { # NAME DDL COLUMNS
	db=$(pg_newdb "$1") || exit 1
	pg_sql "$db" "$2" >/dev/null || fail "$1: cannot make the table"
	before=$(pg_sql "$db" "SELECT count(*) FROM schema_migrations")
	for cmd in status up check; do
		run $cmd -d "$db"
		[ "$RC" -ne 0 ] || fail "$1: $cmd accepted another tool's table"
		expect_err "has columns \\($3\\)"
	done
	[ "$(pg_sql "$db" "SELECT count(*) FROM schema_migrations")" = "$before" ] || fail "$1: rows changed"
	[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname IN ('t1', 'schema_migrations_attempts')")" = 0 ] ||
		fail "$1: up ran something"
}
refuse t104_golang "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (3, false)" \
	'version bigint, dirty boolean'
refuse t104_dbmate "CREATE TABLE schema_migrations (version character varying(128) PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20260101')" \
	'version character varying\(128\)'
exit 0
