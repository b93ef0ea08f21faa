#!/bin/sh
# A database with an applied id the manifest does not list (it was migrated
# by a newer release): up refuses, exit 1, names the id, and leaves the
# database byte-for-byte unchanged, even with pending migrations.
. "$TESTLIB"

steps 1
run up -d app.db
expect_rc 0 "first up"
sqlite3 app.db "INSERT INTO schema_migrations (id, name, applied_at) VALUES (99, 'future', '2030-01-01T00:00:00Z')" ||
	fail "sqlite3 insert"
steps 1 2

before=$(snapshot)
run up -d app.db
expect_rc 1 "up with unknown applied id"
expect_err '99'
expect_same "$before" "up refused on an unknown id"

run up --allow-out-of-order -d app.db
expect_rc 1 "up --allow-out-of-order with unknown applied id"
expect_same "$before" "up --allow-out-of-order refused on an unknown id"
[ -z "$(sql app.db "SELECT name FROM sqlite_master WHERE name = 't2'")" ] || fail "migration 2 ran"
