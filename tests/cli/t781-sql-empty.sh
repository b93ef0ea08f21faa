#!/bin/sh
# An empty or comment-only file is a warning (sql-empty), not an error: the
# step is recorded having changed nothing, a comment-only down file no
# longer blocks validate, export or schema --apply, and validate --strict
# turns the warnings into failures (exit 1).
. "$TESTLIB"

mkdir sql
printf 'CREATE TABLE a (x);\n' >sql/1.sql
printf -- '-- nothing to revert\n' >sql/1.down.sql
printf -- '-- emptied on purpose\n\n/* really */\n' >sql/2.sql
: >sql/3.sql
printf 'CREATE TABLE c (x);\n' >sql/4.sql
manifest <<'M'
migrations:
  - id: 1
    name: one
    file: sql/1.sql
    down: sql/1.down.sql
  - id: 2
    name: emptied
    file: sql/2.sql
  - id: 3
    name: empty
    file: sql/3.sql
  - id: 4
    name: four
    file: sql/4.sql
M
run validate
expect_rc 0 "comment-only and empty files are warnings"
expect_err '^sql/1\.down\.sql:1(:[0-9]+)?: warning: .*no SQL statement'
expect_err '^sql/2\.sql:1(:[0-9]+)?: warning: .*no SQL statement'
expect_err '^sql/3\.sql:1(:[0-9]+)?: warning: .*no SQL statement'
expect_no_err 'error:'
expect_out 'valid'

run validate --strict
expect_rc 1 "--strict fails on the warnings"
expect_err '^sql/2\.sql:1(:[0-9]+)?: (warning|error): .*no SQL statement'

run --format json validate
expect_rc 0 "json"
jq_out '[.diagnostics[] | select(.code == "sql-empty" and .severity == "warning")] | length == 3'

run validate --apply
expect_rc 0 "validate --apply"
run export -d none.db
expect_rc 0 "export with a comment-only down file"
expect_out 'CREATE TABLE c'
run schema --apply
expect_rc 0 "schema --apply with a comment-only down file"
expect_out 'CREATE TABLE c'

run up -d app.db
expect_rc 0 "up applies the empty steps"
[ "$(ids app.db)" = "1,2,3,4" ] || fail "recorded $(ids app.db), want 1,2,3,4"
run status -d app.db
expect_rc 0 "status"
expect_out ' 2 +emptied +applied'

# The comment-only down file reverts step 1 having changed nothing.
run up -d app2.db --to 1
expect_rc 0 "up --to 1"
run down -d app2.db
expect_rc 0 "down runs the comment-only down file"
[ -z "$(ids app2.db)" ] || fail "step 1 still recorded: $(ids app2.db)"
[ "$(sql app2.db "SELECT count(*) FROM sqlite_schema WHERE name = 'a'")" = 1 ] ||
	fail "the comment-only down file changed the schema"
exit 0
