#!/bin/sh
# A migration file edited after it was applied (checksum differs): up
# refuses before touching anything, exit 1, naming the file.
. "$TESTLIB"

steps 1 2
run up -d app.db
expect_rc 0 "first up"

printf 'CREATE TABLE t2 (x, y);\n' >sql/2.sql
steps 1 2 3
before=$(snapshot)
run up -d app.db
expect_rc 1 "up with a changed file"
expect_err 'sql/2\.sql'
expect_same "$before" "up refused on a changed file"
[ "$(ids app.db)" = "1,2" ] || fail "recorded: $(ids app.db)"
