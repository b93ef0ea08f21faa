#!/bin/sh
# drizzle on PostgreSQL keeps its table in a schema of its own:
# drizzle.__drizzle_migrations(id serial, hash text, created_at bigint),
# each row the SHA-256 of a file's bytes. adopt finds it there (not in
# the current schema), matches each row by hash, and refuses a hash no
# file has.
. "$PGLIB"

mkdir migrations migrations/meta
cat >migrations/meta/_journal.json <<'J'
{"version": "7", "dialect": "postgresql", "entries": [
 {"idx": 0, "version": "7", "when": 1700000000000, "tag": "0000_a", "breakpoints": true},
 {"idx": 1, "version": "7", "when": 1700000001000, "tag": "0001_b", "breakpoints": true},
 {"idx": 2, "version": "7", "when": 1700000002000, "tag": "0002_c", "breakpoints": true}]}
J
printf 'CREATE TABLE "a" (x int);\n--> statement-breakpoint\nCREATE INDEX "ai" ON "a" (x);\n' >migrations/0000_a.sql
printf 'CREATE TABLE "b" (x int);\n' >migrations/0001_b.sql
printf 'CREATE TABLE "c" (x int);\n' >migrations/0002_c.sql
run import --from drizzle-kit --engine postgresql migrations -o manifest.yaml
expect_rc 0 "import"
grep -q '^engine: postgresql$' manifest.yaml || fail "import wrote no engine line"
ha=$(sha256sum migrations/0000_a.sql | cut -c1-64)
hb=$(sha256sum migrations/0001_b.sql | cut -c1-64)

db=$(pg_newdb t276) || exit 1
# As drizzle-orm's PostgreSQL migrator writes it; and a decoy of the same
# name in the current schema, which drizzle never writes.
pg_sql "$db" "CREATE TABLE a (x int); CREATE INDEX ai ON a (x); CREATE TABLE b (x int);
CREATE SCHEMA IF NOT EXISTS \"drizzle\";
CREATE TABLE IF NOT EXISTS \"drizzle\".\"__drizzle_migrations\" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint);
INSERT INTO \"drizzle\".\"__drizzle_migrations\" (hash, created_at) VALUES ('$ha', 1700000000000), ('$hb', 1700000001000), ('0123', 1700000002000);
CREATE TABLE public.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)" >/dev/null ||
	fail "cannot make drizzle's table"

run adopt --from drizzle-kit -d "$db"
expect_rc 1 "adopt with a hash no file has"
expect_err "'__drizzle_migrations' records a migration whose SHA-256 is 0123"
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname = 'schema_migrations'")" = 0 ] ||
	fail "a refused adopt left ladder's table"

pg_sql "$db" "DELETE FROM drizzle.__drizzle_migrations WHERE hash = '0123'" >/dev/null || fail "psql"
run adopt --from drizzle-kit -d "$db"
expect_rc 0 "adopt"
expect_out 'adopted 2 migrations from drizzle-kit'
[ "$(pg_sql "$db" "SELECT string_agg(id || ' ' || name, ',' ORDER BY id) FROM schema_migrations")" = "1 0000_a,2 0001_b" ] ||
	fail "rows: $(pg_sql "$db" "TABLE schema_migrations")"
run check -d "$db"
expect_rc 1 "check: one pending"
expect_out 'pending \[3\]'
run up -d "$db"
expect_rc 0 "up"
run check -d "$db"
expect_rc 0 "check after up"

# With no table in drizzle's schema, the current schema's is read.
db2=$(pg_newdb t276_public) || exit 1
pg_sql "$db2" "CREATE TABLE a (x int); CREATE INDEX ai ON a (x);
CREATE TABLE __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint);
INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('$ha', 1700000000000)" >/dev/null || fail "psql"
run adopt --from drizzle-kit -d "$db2"
expect_rc 0 "adopt from the current schema"
expect_out 'adopted 1 migration from drizzle-kit'
exit 0
