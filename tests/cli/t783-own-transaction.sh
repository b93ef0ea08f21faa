#!/bin/sh
# A `transaction: false` file that opens its own transaction: when a
# statement inside fails, ladder rolls the file's transaction back, keeps
# the reason in the attempt note, and says what stayed (the statements
# before the BEGIN). A file ending with its transaction open is named and
# rolled back.
. "$TESTLIB"

mkdir sql
cat >sql/1.sql <<'S'
CREATE TABLE before_tx (x);
BEGIN;
CREATE TABLE inside_tx (x);
INSERT INTO nosuch VALUES (1);
COMMIT;
S
manifest <<'M'
migrations:
  - id: 1
    name: own
    file: sql/1.sql
    transaction: false
M
run up -d app.db
expect_rc 1 "a failing statement inside the file's own transaction"
expect_err '^sql/1\.sql:4(:[0-9]+)?: error: .*no such table'
expect_err "the file's own transaction was rolled back"
expect_err 'before line 2'
expect_no_err 'process died'
sqlite3 app.db 'BEGIN IMMEDIATE; COMMIT;' || fail "a transaction was left open"
[ "$(sql app.db "SELECT count(*) FROM sqlite_schema WHERE name = 'before_tx'")" = 1 ] ||
	fail "the statement before BEGIN did not stay"
[ "$(sql app.db "SELECT count(*) FROM sqlite_schema WHERE name = 'inside_tx'")" = 0 ] ||
	fail "the file's transaction was not rolled back"
run status -d app.db
expect_out 'failed'
run --format json status -d app.db
jq_out '[.. | strings | select(test("no such table"))] | length >= 1'

# A file that leaves its transaction open.
cat >sql/2.sql <<'S'
CREATE TABLE t2 (x);
BEGIN;
INSERT INTO t2 VALUES (1);
S
manifest <<'M'
migrations:
  - id: 2
    name: open
    file: sql/2.sql
    transaction: false
M
run up -d open.db
expect_rc 1 "a file that ends inside its own transaction"
expect_err "^sql/2\.sql:2: error: .*ends inside the transaction it opened at line 2"
[ "$(sql open.db 'SELECT count(*) FROM t2')" = 0 ] || fail "the open transaction was committed"
[ -z "$(ids open.db)" ] || fail "the step was recorded"
exit 0
