#!/bin/sh
# -q prints nothing on stdout for a successful up, status and validate, but
# still prints errors on stderr.
. "$TESTLIB"

steps 1 2
run -q up -d app.db
expect_rc 0 "up -q"
expect_empty_out
[ "$(ids app.db)" = "1,2" ] || fail "up -q did not apply"
run up -q -d app.db
expect_rc 0 "up -q, nothing to do"
expect_empty_out
run -q status -d app.db
expect_rc 0 "status -q"
expect_empty_out
run --quiet validate
expect_rc 0 "validate --quiet"
expect_empty_out

printf 'SELEC 1;\n' >sql/3.sql
steps 1 2 3
run -q up -d app.db
expect_rc 1 "up -q with a failing migration"
expect_empty_out
expect_err 'sql/3\.sql:1'
