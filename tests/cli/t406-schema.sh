#!/bin/sh
# schema prints a database's schema in a stable order without ladder's
# tables; schema --apply prints the same, byte for byte, from the chain
# applied in memory, with no database.
. "$TESTLIB"

cp -r "$LADDER_SRC/sql" "$LADDER_SRC/manifest.yaml" .
before=$(snapshot)
run schema --apply -d nowhere.db
expect_rc 0 "schema --apply"
[ "$(snapshot)" = "$before" ] || fail "schema --apply wrote a file"
cp out applied.sql
expect_out '^CREATE TABLE images '
expect_out '^CREATE INDEX tags_image_id '
expect_no_out 'schema_migrations'
expect_no_out 'docker'   # dropped by 0002
expect_out 'pinned'      # added by 0003
# tables first, each kind by name
[ "$(grep -o '^CREATE [A-Z]* [a-z_]*' out | tr '\n' ' ')" = "CREATE TABLE images CREATE TABLE repositories CREATE TABLE tags CREATE INDEX tags_image_id " ] ||
	fail "order: $(grep -o '^CREATE [A-Z]* [a-z_]*' out | tr '\n' ' ')"

run up -d app.db
expect_rc 0 up
cp app.db app.before
run schema -d app.db
expect_rc 0 "schema of the database"
cmp -s out applied.sql || fail "schema and schema --apply differ: $(diff out applied.sql)"
cmp -s app.db app.before || fail "schema wrote to the database"

run schema -d app.db --format json
jq_out '.schema | test("CREATE TABLE tags")'
