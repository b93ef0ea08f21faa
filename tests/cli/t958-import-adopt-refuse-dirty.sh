#!/bin/sh
# golang-migrate's table dirty at its version (a migration failed midway):
# adopt refuses, exit 1, and writes nothing.
. "$TESTLIB"

mkdir migrations
echo 'CREATE TABLE a (x);' >migrations/1_a.up.sql
echo 'CREATE TABLE b (x);' >migrations/2_b.up.sql
run import --from golang-migrate migrations -o manifest.yaml
expect_rc 0 "import"
sqlite3 app.db "CREATE TABLE a (x); CREATE TABLE schema_migrations (version uint64, dirty bool);
CREATE UNIQUE INDEX version_unique ON schema_migrations (version);
INSERT INTO schema_migrations VALUES (2, 1);" || fail "sqlite3"
before=$(snapshot)
run adopt --from golang-migrate -d app.db
expect_rc 1 "adopt of a dirty database"
expect_err 'dirty at version 2'
expect_same "$before" "a refused adopt"

# Clean, the same database is adopted: up to version 2, in ladder's own
# table (golang-migrate's is schema_migrations).
sqlite3 app.db "UPDATE schema_migrations SET dirty = 0" || fail "sqlite3"
run adopt --from golang-migrate -d app.db
expect_rc 0 "adopt once clean"
[ "$(ids app.db ladder_migrations)" = "1,2" ] || fail "recorded: $(ids app.db ladder_migrations)"
