#!/bin/sh
# On PostgreSQL too, an unmanaged database holding another tool's
# bookkeeping table (goose's goose_db_version) gets the adopt hint, and
# that table is the one named, whatever other tables sort before it.
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
expect_err "ladder import --from goose DIR"
[ "$(pg_sql "$db" "SELECT to_regclass('public.schema_migrations') IS NULL")" = t ] || fail "up wrote the bookkeeping table"
exit 0
