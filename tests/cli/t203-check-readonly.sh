#!/bin/sh
# check never modifies the database (byte-for-byte, no side files) in any
# verdict, and works on a read-only (chmod 444) file.
. "$TESTLIB"

steps 1 2 3
run up --to 2 -d app.db
expect_rc 0 "up --to 2"

before=$(snapshot)
run check -d app.db
expect_rc 1 "pending"
expect_same "$before" "check (pending)"
run check -d app.db --format json
expect_rc 1 "pending, json"
expect_same "$before" "check --format json"

sqlite3 app.db "INSERT INTO schema_migrations (id, name, applied_at) VALUES (99, 'x', '2030-01-01T00:00:00Z')" || fail sqlite3
before=$(snapshot)
run check -d app.db
expect_rc 2 "unknown"
expect_same "$before" "check (unknown)"

sqlite3 app.db "DELETE FROM schema_migrations WHERE id = 99" || fail sqlite3
run up -d app.db
expect_rc 0 "up"
chmod 444 app.db
before=$(snapshot)
run check -d app.db
expect_rc 0 "check on a read-only file"
expect_out '^compatible'
expect_same "$before" "check on a read-only file"
