#!/bin/sh
# import --engine postgresql reads the files by PostgreSQL's rules and
# writes `engine: postgresql`: a file with CREATE INDEX CONCURRENTLY gets
# `transaction: false` (SQLite's rules know nothing of it), so after
# adopt, `up` runs it outside a transaction and it works.
. "$PGLIB"

mkdir migrations
echo 'CREATE TABLE a (x int);' >migrations/1_a.up.sql
echo 'CREATE INDEX CONCURRENTLY ai ON a (x);' >migrations/2_ai.up.sql
run import --from golang-migrate migrations -o sqlite.yaml
expect_rc 0 "import for SQLite"
grep -q 'engine:\|transaction: false' sqlite.yaml && fail "SQLite's import: $(cat sqlite.yaml)"
run import --from golang-migrate --engine postgresql migrations -o manifest.yaml
expect_rc 0 "import --engine postgresql"
grep -q '^engine: postgresql$' manifest.yaml || fail "no engine line: $(cat manifest.yaml)"
[ "$(grep -c 'transaction: false' manifest.yaml)" = 1 ] || fail "entries: $(cat manifest.yaml)"
run validate
expect_rc 0 "validate"

db=$(pg_newdb t278) || exit 1
pg_sql "$db" "CREATE TABLE a (x int);
CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO schema_migrations VALUES (1, false)" >/dev/null || fail "psql"
run adopt --from golang-migrate -d "$db"
expect_rc 0 "adopt"
run up -d "$db"
expect_rc 0 "up runs the CONCURRENTLY step"
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_index WHERE indexrelid = 'ai'::regclass AND indisvalid")" = 1 ] ||
	fail "no valid index"
run check -d "$db"
expect_rc 0 "check"
exit 0
