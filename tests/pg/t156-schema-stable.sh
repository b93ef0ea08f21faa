#!/bin/sh
# `ladder schema` on PostgreSQL: the same bytes on two runs, every object a
# migration made, and none of ladder's own tables.
. "$PGLIB"

db=$(pg_newdb t156_a) || exit 1
mkdir -p sql
cat >sql/1.sql <<'SQL'
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text);
CREATE VIEW user_names AS SELECT name FROM users;
CREATE INDEX users_name ON users (name);
SQL
printf 'SELECT 1;\n' >sql/2.sql
cat >manifest.yaml <<'YAML'
engine: postgresql
migrations:
  - id: 1
    name: users
    file: sql/1.sql
  - id: 2
    name: noop
    file: sql/2.sql
    transaction: false
YAML
run up -d "$db"
expect_rc 0 "up"
# The attempts table exists (the transaction: false step noted itself).
[ "$(pg_sql "$db" "SELECT to_regclass('schema_migrations_attempts') IS NOT NULL")" = t ] ||
	fail "no attempts table to leave out"
run schema -d "$db"
expect_rc 0 "schema"
mv "$T/out" first
run schema -d "$db"
expect_rc 0 "schema again"
cmp -s first "$T/out" || { diff first "$T/out" >&2; fail "two runs of schema differ"; }
grep -q 'CREATE TABLE public.users' first || fail "the schema lacks users"
grep -q 'CREATE VIEW public.user_names' first || fail "the schema lacks the view"
grep -q 'users_name' first || fail "the schema lacks the index"
! grep -q 'schema_migrations' first || fail "the schema shows ladder's tables"
! grep -q '^\\restrict' first || fail "the schema holds pg_dump's random restrict key"
exit 0
