#!/bin/sh
# status exits 1 only when it cannot read: a foreign bookkeeping table, a
# file that is not a database, a missing or invalid manifest; 2 on usage.
. "$TESTLIB"

steps 1
sqlite3 foreign.db "CREATE TABLE schema_migrations (version bigint, dirty boolean)" || fail sqlite3
run status -d foreign.db
expect_rc 1 "foreign table"
expect_err 'version'

printf 'plain text\n' >text.db
run status -d text.db
expect_rc 1 "not a database"
grep -iq 'not a.*database' err || fail "no 'not a database' message"

run status -d ok.db -m missing.yaml
expect_rc 1 "missing manifest"
expect_err 'missing\.yaml'

printf 'migrations: 5\n' >bad.yaml
run status -d ok.db -m bad.yaml
expect_rc 1 "invalid manifest"
expect_err 'bad\.yaml:1:'

run status --bogus -d ok.db
expect_rc 2 "unknown option"
run status extra -d ok.db
expect_rc 2 "extra argument"
