#!/bin/sh
# validate checks the SQL files too: transaction control in a transactional
# file is an error at sql/FILE:LINE:COL; a file holding only a comment (what
# `new` creates) is flagged, naming its place.
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
# The empty file: named with a line, either its manifest entry or the file.
expect_err '^(manifest\.yaml:10|sql/3\.sql:[0-9]+)(:[0-9]+)?: error: '

# transaction: false makes the COMMIT allowed; the empty file stays flagged.
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
expect_rc 1 "comment-only and blank files"
expect_err 'sql/3\.sql'
expect_err 'sql/blank\.sql'
