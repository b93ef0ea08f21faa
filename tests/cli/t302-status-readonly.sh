#!/bin/sh
# status writes nothing: on a missing database it creates no file, and on
# an existing one it leaves the file byte-for-byte unchanged (text and json).
. "$TESTLIB"

steps 1 2
before=$(snapshot)
run status -d app.db
expect_rc 0 "status on a missing database"
expect_out '^ *1 +m1 +pending'
expect_same "$before" "status on a missing database"
[ ! -e app.db ] || fail "status created the database"

run status -d nodir/app.db
expect_rc 1 "status on a missing database in a missing directory (t815)"
expect_same "$before" "status in a missing directory"

run up --to 1 -d app.db
expect_rc 0 "up --to 1"
before=$(snapshot)
run status -d app.db
expect_rc 0 "status on an existing database"
expect_same "$before" "status on an existing database"
run status -d app.db --format json
expect_rc 0 "status json"
expect_same "$before" "status --format json"
run -v status -d app.db
expect_same "$before" "status -v"
