#!/bin/sh
# Errors name FILE:LINE:COLUMN of the token SQLite points at; plain
# validate (no --apply, no database) reports syntax errors too, but not a
# table an earlier step creates.
. "$TESTLIB"

mkdir sql
printf 'CREATE TABLE a (x);\n' >sql/1.sql
printf 'INSERT INTO a VALUES (1);\nCREATE TABLE b (\n  x INTEGER,\n  y TEXT DEFUALT 3,\n  z\n);\n' >sql/2.sql
steps 1 2
run validate
expect_rc 1 "a syntax error in plain validate"
expect_err '^sql/2\.sql:4:18: error: .*syntax error'
expect_no_err 'no such table'
expect_no_err 'sql/1\.sql'
[ ! -e app.db ] || fail "validate made a database"
ls *.db 2>/dev/null && fail "validate made a database file"

run up -d app.db
expect_rc 1 "up"
expect_err '^sql/2\.sql:4:18: error: .*syntax error'

# An error with no syntax problem: named at the engine's token too.
printf 'CREATE TABLE c (x);\nINSERT INTO c\n  VALUES (nosuchfn(1));\n' >sql/3.sql
steps 3
run validate
expect_rc 0 "no such function is not a syntax error"
run up -d c.db
expect_rc 1 "up with an unknown function"
expect_err '^sql/3\.sql:3:11: error: .*no such function'
exit 0
