#!/bin/sh
# A failing statement (the third of migration 2) rolls back all of migration
# 2 - its earlier statements' effects are gone, no row is recorded - while
# migration 1 stays applied and migration 3 is not attempted; up exits 1 and
# names FILE:LINE where the failing statement starts and SQLite's message.
. "$TESTLIB"

mkdir sql
printf 'CREATE TABLE a (x);\n' >sql/1.sql
cat >sql/2.sql <<'S'
CREATE TABLE b (x);
INSERT INTO a VALUES (1);

-- the next statement starts on line 5 and fails
INSERT INTO
  nosuch VALUES (2);
CREATE TABLE c (x);
S
printf 'CREATE TABLE d (x);\n' >sql/3.sql
steps 1 2 3

run up -d app.db
expect_rc 1 "up with a failing statement"
expect_err 'sql/2\.sql:5(:[0-9]+)?: error: .*no such table: nosuch'
expect_no_err 'sql/2\.sql:(4|6):'
[ "$(ids app.db)" = "1" ] || fail "recorded rows are '$(ids app.db)', want only 1"
[ "$(sql app.db "SELECT count(*) FROM sqlite_master WHERE name = 'a'")" = 1 ] ||
	fail "migration 1's table a is gone"
[ "$(sql app.db 'SELECT count(*) FROM a')" = 0 ] || fail "migration 2's INSERT INTO a was not rolled back"
[ -z "$(sql app.db "SELECT name FROM sqlite_master WHERE name IN ('b', 'c', 'd')")" ] ||
	fail "migration 2 or 3 left tables behind: $(sql app.db "SELECT name FROM sqlite_master WHERE name IN ('b','c','d')")"

# A syntax error is reported the same way, at the line its statement starts.
printf 'CREATE TABLE b (x);\n\nSELEC 1;\n' >sql/2.sql
run up -d app.db
expect_rc 1 "up with a syntax error"
expect_err 'sql/2\.sql:3(:[0-9]+)?: error: .*syntax error'
[ "$(ids app.db)" = "1" ] || fail "recorded rows after syntax error: $(ids app.db)"
[ -z "$(sql app.db "SELECT name FROM sqlite_master WHERE name = 'b'")" ] || fail "table b left behind"

# Once fixed, the next up completes.
printf 'CREATE TABLE b (x);\n' >sql/2.sql
run up -d app.db
expect_rc 0 "up after fixing"
[ "$(ids app.db)" = "1,2,3" ] || fail "after fix: $(ids app.db)"
