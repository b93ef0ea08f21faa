#!/bin/sh
# On PostgreSQL too, an unmanaged database holding another tool's
# bookkeeping table (goose's goose_db_version) gets the adopt hint, and
# that table is the one named, whatever other tables sort before it; the
# import command is given as it must be typed for this engine and tool.
. "$PGLIB"

db=$(pg_newdb t282_unmanaged) || exit 1
migration 0001 one "CREATE TABLE a (x int);"
manifest <<'M'
engine: postgresql
migrations:
  - {id: 1, name: one, file: sql/0001_one.sql}
M
pg_sql "$db" "CREATE TABLE aardvarks (id int); CREATE TABLE goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp DEFAULT now())" ||
	fail "cannot make the tables"
run check -d "$db"
expect_rc 3 "check"
expect_err "such as 'public.goose_db_version', goose's bookkeeping.*'ladder adopt --from goose'"
run up -d "$db"
expect_rc 1 "up"
# the import as it must be typed here: PostgreSQL's engine, and goose
# keeps up and down in one file
expect_err "'ladder import --from goose --engine postgresql --split NEWDIR DIR'"

CASE="drizzle keeps its table in its own schema: still named first"
db=$(pg_newdb t282_drizzle) || exit 1
pg_sql "$db" "CREATE SCHEMA drizzle; CREATE TABLE drizzle.__drizzle_migrations (id serial PRIMARY KEY, hash text NOT NULL, created_at bigint); CREATE TABLE public.users (id int)" ||
	fail "cannot make the tables"
run check -d "$db"
expect_rc 3 "check"
expect_err "such as 'drizzle.__drizzle_migrations', drizzle-kit's bookkeeping.*'ladder import --from drizzle-kit --engine postgresql DIR'"
[ "$(pg_sql "$db" "SELECT to_regclass('public.schema_migrations') IS NULL")" = t ] || fail "up wrote the bookkeeping table"
exit 0
