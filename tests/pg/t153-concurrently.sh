#!/bin/sh
# `transaction: false` on PostgreSQL: a step with two CREATE INDEX
# CONCURRENTLY applies and is recorded; a step whose unique index meets
# duplicate rows is left `failed`, names the INVALID index it left behind,
# and is never run again by the next `up`.
. "$PGLIB"

pgmanifest() {
	mkdir -p sql
	printf 'CREATE TABLE items (id int, sku text, n int);\nINSERT INTO items SELECT g, g::text, g %% 10 FROM generate_series(1, 5000) g;\n' >sql/1.sql
	cat >manifest.yaml <<YAML
engine: postgresql
migrations:
  - id: 1
    name: items
    file: sql/1.sql
  - id: 2
    name: indexes
    file: sql/2.sql
    transaction: false
YAML
}

case_two_indexes() {
	db=$(pg_newdb t153_a) || exit 1
	pgmanifest
	printf 'CREATE INDEX CONCURRENTLY items_sku ON items (sku);\nCREATE UNIQUE INDEX CONCURRENTLY items_id ON items (id);\n' >sql/2.sql
	run up -d "$db"
	expect_rc 0 "up with two CREATE INDEX CONCURRENTLY"
	[ "$(pg_sql "$db" "SELECT string_agg(c.relname || ':' || i.indisvalid, ',' ORDER BY c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'items'::regclass")" = "items_id:true,items_sku:true" ] ||
		fail "indexes: $(pg_sql "$db" "SELECT string_agg(indexrelid::regclass::text || ':' || indisvalid, ',') FROM pg_index WHERE indrelid = 'items'::regclass")"
	[ "$(pg_sql "$db" "SELECT string_agg(id::text, ',' ORDER BY id) FROM schema_migrations")" = "1,2" ] ||
		fail "rows are not 1,2"
}

case_invalid_index() {
	db=$(pg_newdb t153_b) || exit 1
	pgmanifest
	# n holds duplicates: the unique index fails and stays INVALID.
	printf 'CREATE INDEX CONCURRENTLY items_sku ON items (sku);\nCREATE UNIQUE INDEX CONCURRENTLY items_n ON items (n);\n' >sql/2.sql
	run up -d "$db"
	[ "$RC" -ne 0 ] || fail "up succeeded over duplicate rows"
	expect_err 'sql/2\.sql:2'
	expect_err 'items_n'
	expect_err '[Ii][Nn][Vv][Aa][Ll][Ii][Dd]'
	[ "$(pg_sql "$db" "SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_n'::regclass")" = f ] ||
		fail "items_n is not the INVALID index the step left"
	[ "$(pg_sql "$db" "SELECT string_agg(id::text, ',' ORDER BY id) FROM schema_migrations")" = "1" ] ||
		fail "step 2 was recorded"
	run status -d "$db"
	expect_out 'failed'
	# The next up refuses the failed step instead of running it again.
	run up -d "$db"
	[ "$RC" -ne 0 ] || fail "a second up went past the failed step"
	expect_err 'failed'
	[ "$(pg_sql "$db" "SELECT count(*) FROM pg_index WHERE indrelid = 'items'::regclass")" = 2 ] ||
		fail "the second up touched the indexes"
}

tcase "two CREATE INDEX CONCURRENTLY in a transaction: false step" case_two_indexes
tcase "a failed CONCURRENTLY step is failed and names its INVALID index" case_invalid_index
tdone
