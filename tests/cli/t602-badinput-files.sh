#!/bin/sh
# Missing, unreadable-as-file (a directory) and missing-manifest inputs:
# exit 1 with a message naming the place, no crash, the database untouched.
. "$TESTLIB"

steps 1
run up -d app.db
expect_rc 0 "first up"
before=$(snapshot)

steps 1 2
rm sql/2.sql
for cmd in up status validate; do
	run $cmd -d app.db
	expect_rc 1 "$cmd with a missing SQL file"
	expect_err '^manifest\.yaml:7(:[0-9]+)?: error: .*sql/2\.sql'
done
steps 1   # the manifest as it was
expect_same "$before" "missing SQL file"
steps 1 2
rm sql/2.sql
mkdir sql/2.sql
for cmd in up validate; do
	run $cmd -d app.db
	expect_rc 1 "$cmd with a directory as SQL file"
	expect_err '^manifest\.yaml:7(:[0-9]+)?: error: '
done
rmdir sql/2.sql
steps 1
expect_same "$before" "directory as SQL file"

for cmd in up status validate; do
	run $cmd -d app.db -m nowhere.yaml
	expect_rc 1 "$cmd with a missing manifest"
	expect_err 'nowhere\.yaml'
done
mkdir sub
run up -d app.db -m sub
expect_rc 1 "up with a directory as manifest"
expect_err 'sub'
rmdir sub
expect_same "$before" "missing manifest"
