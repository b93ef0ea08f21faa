#!/bin/sh
# Global options are accepted before and after the command, with the same
# result.
. "$TESTLIB"

mkdir sql
printf 'CREATE TABLE a (x);\n' >sql/1.sql
printf 'migrations:\n  - id: 1\n    name: only\n    file: sql/1.sql\n' >m.yaml

run -m m.yaml -d app.db status
expect_rc 0 "options before status"
expect_out '^ *1 +only +pending'
cp out before.txt
run status -m m.yaml -d app.db
expect_rc 0 "options after status"
cmp -s out before.txt || fail "status output differs with options after the command"
run -m m.yaml status -d app.db
expect_rc 0 "options on both sides"
cmp -s out before.txt || fail "status output differs with options on both sides"

run --manifest m.yaml --database app.db --format json up
expect_rc 0 "long options before up"
jq_out '.applied | length == 1'
run up --manifest=m.yaml --database=app.db -q
expect_rc 0 "long options after up, with ="
run -q check --manifest m.yaml -d app.db
expect_rc 0 "check with options on both sides"
run validate --manifest m.yaml
expect_rc 0 "validate --manifest after"
run --manifest m.yaml validate
expect_rc 0 "validate --manifest before"
