#!/bin/sh
# On a database in WAL mode that nobody has open, the read-only commands
# (status, check, up --dry-run, schema, export -d) create no -wal or -shm
# file and leave the database byte-for-byte alone.
. "$TESTLIB"

migration 0001 one "CREATE TABLE a (x);"
manifest <<'M'
migrations:
  - {id: 1, name: one, file: sql/0001_one.sql}
M
run up -d app.db
sql app.db "PRAGMA journal_mode = WAL" >/dev/null
[ ! -e app.db-wal ] && [ ! -e app.db-shm ] || fail "setup left side files"
before=$(snapshot)
for cmd in status check "up --dry-run" schema export; do
	run $cmd -d app.db
	[ "$RC" -le 1 ] || fail "$cmd exited $RC"
	[ ! -e app.db-wal ] && [ ! -e app.db-shm ] || fail "$cmd made WAL side files"
done
[ "$(snapshot)" = "$before" ] || fail "a read-only command changed a file"
run check -d app.db
expect_rc 0 "compatible through the immutable view"

# An absolute path written with a leading // reads the same way.
run check -d "/$PWD/app.db"
expect_rc 0 "a //-path to an idle WAL database"
[ ! -e app.db-wal ] || fail "//-path: side files made"
