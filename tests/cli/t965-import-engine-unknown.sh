#!/bin/sh
# import --engine takes sqlite or postgresql; anything else is a usage
# error (exit 2) and nothing is written. --engine sqlite is the default.
. "$TESTLIB"

mkdir migrations
echo 'CREATE TABLE a (x);' >migrations/1_a.up.sql
run import --from golang-migrate --engine mysql migrations -o manifest.yaml
expect_rc 2 "an unknown engine"
expect_err "unknown engine 'mysql'"
[ ! -e manifest.yaml ] || fail "a manifest was written"
run import --from golang-migrate --engine sqlite migrations -o manifest.yaml
expect_rc 0 "--engine sqlite"
grep -q 'engine:' manifest.yaml && fail "an engine line for SQLite"
run up -d app.db
expect_rc 0 "up"
exit 0
