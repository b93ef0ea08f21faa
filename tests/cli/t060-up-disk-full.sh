#!/bin/sh
# A step that fills the database (here: SQLite's max_page_count, the disk
# full as SQLite sees it) fails with its own diagnostic code, disk-full,
# at the statement's file and line, and is rolled back: nothing recorded.
. "$TESTLIB"

mkdir sql
cat >sql/1.sql <<'SQL'
PRAGMA max_page_count = 20;
CREATE TABLE big(x);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO big SELECT randomblob(100) FROM n;
SQL
manifest <<'YAML'
migrations:
  - {id: 1, name: big, file: sql/1.sql}
YAML

run up -d app.db --format json
expect_rc 1 "a step that fills the database"
jq_out '[.diagnostics[] | select(.code == "disk-full" and .file == "sql/1.sql" and .line == 3)] | length == 1'
jq_out '[.diagnostics[] | select(.code == "rolled-back")] | length == 1'
[ "$(sql app.db "SELECT count(*) FROM sqlite_master WHERE name = 'big'")" = 0 ] ||
	fail "the step's table was kept"
