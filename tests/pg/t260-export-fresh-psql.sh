#!/bin/sh
# `ladder export` without -d on an `engine: postgresql` manifest writes
# PostgreSQL's bookkeeping DDL (not SQLite's main."..." with INTEGER/TEXT):
# psql -v ON_ERROR_STOP=1 runs it on a fresh database, and `ladder check`
# then finds that database up to date (exit 0). With `schema:`, the schema
# is made first.
. "$PGLIB"
pg_attach

mkdir -p sql
printf 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n' >sql/1.sql
printf 'CREATE INDEX CONCURRENTLY accounts_id ON accounts (id);\n' >sql/2.sql
for schema in "" "schema: app"; do
	cat >manifest.yaml <<YAML
engine: postgresql
$schema
migrations:
  - id: 1
    name: accounts
    file: sql/1.sql
  - id: 2
    name: index
    file: sql/2.sql
    transaction: false
YAML
	run export
	expect_rc 0 "export without -d ($schema)"
	expect_no_out 'main\.'
	cp "$T/out" script.sql
	db=$(pg_newdb t260_fresh) || exit 1
	"$LADDER_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$db" -f script.sql >psql.out 2>&1 ||
		{ cat psql.out >&2; fail "psql stopped on the exported script ($schema)"; }
	run check -d "$db"
	expect_rc 0 "check after the script ($schema)"
	run status -d "$db"
	expect_rc 0 "status"
	expect_out "2 applied, 0 pending"
done
