#!/bin/sh
# import -o never overwrites an existing file.
. "$TESTLIB"

mkdir migrations
echo 'CREATE TABLE a (x);' >migrations/0001.sql
echo 'mine' >manifest.yaml
run import --from grocy migrations -o manifest.yaml
expect_rc 1 "import over an existing file"
expect_err 'manifest.yaml'
[ "$(cat manifest.yaml)" = mine ] || fail "manifest.yaml was overwritten"
