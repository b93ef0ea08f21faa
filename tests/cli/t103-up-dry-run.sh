#!/bin/sh
# up --dry-run lists what it would apply but leaves the database file
# byte-for-byte unchanged and creates no file, whether the database exists
# or not.
. "$TESTLIB"

steps 1 2 3

# Fresh: no database file.
before=$(snapshot)
run up --dry-run -d app.db
expect_rc 0 "dry-run on a missing database"
expect_out '1'
expect_out '3'
expect_same "$before" "up --dry-run on a missing database"
[ ! -e app.db ] || fail "dry-run created the database"

# Existing: 1 applied, 2 and 3 pending.
run up --to 1 -d app.db
expect_rc 0 "up --to 1"
before=$(snapshot)
run up --dry-run -d app.db
expect_rc 0 "dry-run on an existing database"
expect_out 'm2'
expect_out 'm3'
expect_no_out 'm1'
expect_same "$before" "up --dry-run on an existing database"
[ "$(ids app.db)" = "1" ] || fail "dry-run recorded rows"

run up --dry-run --format json -d app.db
expect_rc 0 "dry-run json"
expect_same "$before" "up --dry-run --format json"
