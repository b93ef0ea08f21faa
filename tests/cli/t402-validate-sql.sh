#!/bin/sh
# validate checks the SQL files too: transaction control in a transactional
# file is an error at sql/FILE:LINE:COL; a file holding only a comment (what
# `new` creates) is a warning naming its place, a failure under --strict.
. "$TESTLIB"

mkdir sql
printf 'CREATE TABLE a (x);\n' >sql/1.sql
printf 'CREATE TABLE b (x);\n-- fine: COMMIT;\nINSERT INTO b VALUES (1);\n  COMMIT;\n' >sql/2.sql
printf -- '-- 0003_empty.sql: write the migration here\n' >sql/3.sql
manifest <<'M'
migrations:
  - id: 1
    name: one
    file: sql/1.sql
  - id: 2
    name: commits
    file: sql/2.sql
  - id: 3
    name: empty
    file: sql/3.sql
M
run validate
expect_rc 1 "transaction control and empty file"
expect_err '^sql/2\.sql:4:3: error: .*COMMIT'
expect_no_err 'sql/2\.sql:2:'
# The empty file: a warning (sql-empty) naming the file at its first line.
expect_err '^sql/3\.sql:1: warning: .*no SQL statement'

# transaction: false makes the COMMIT allowed.
manifest <<'M'
migrations:
  - id: 1
    name: one
    file: sql/1.sql
  - id: 2
    name: commits
    file: sql/2.sql
    transaction: false
M
run validate
expect_rc 0 "COMMIT with transaction: false"

printf 'migrations:\n  - id: 3\n    name: empty\n    file: sql/3.sql\n' >e.yaml
printf '\n\n   \n' >sql/blank.sql
printf 'migrations:\n  - id: 3\n    name: empty\n    file: sql/3.sql\n  - id: 4\n    name: blank\n    file: sql/blank.sql\n' >e.yaml
run validate -m e.yaml
expect_rc 0 "comment-only and blank files are warnings"
expect_err '^sql/3\.sql:1: warning: '
expect_err '^sql/blank\.sql:1: warning: '
run validate --strict -m e.yaml
expect_rc 1 "--strict fails on them"
