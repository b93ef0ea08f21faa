#!/bin/sh
# --format json: every command prints exactly one JSON document on stdout
# with its facts, "exit_code" matching the exit status, and diagnostics as
# objects; nothing else on stdout.
. "$TESTLIB"

migration 0001 one "CREATE TABLE a (x);"
printf 'DROP TABLE a;\n' >sql/0001_one.down.sql
manifest <<'M'
migrations:
  - {id: 1, name: one, file: sql/0001_one.sql, down: sql/0001_one.down.sql}
M

# json CMD...: runs it, checks one document and exit_code == $RC.
json() {
	run --format json "$@"
	[ "$(jq -s length "$T/out" 2>/dev/null)" = 1 ] || fail "$*: not one JSON document"
	jq_out ".exit_code == $RC"
	jq_out '.diagnostics | type == "array"'
	jq_out ".command == \"$1\""
}

json validate
jq_out '.valid == true and (.migrations | length) == 1'
json validate --apply
jq_out '.applied == true'
json schema --apply
jq_out '.schema | test("CREATE TABLE a")'
json export
jq_out '.script | test("BEGIN IMMEDIATE")'
json up -d app.db --dry-run
jq_out '.dry_run == true and (.would_run | map(.id)) == [1]'
json up -d app.db
jq_out '.ok == true and (.applied | map(.id)) == [1] and (.applied[0].duration_ms | type) == "number"'
json status -d app.db
jq_out '.migrations[0].state == "applied" and .counts.applied == 1'
json check -d app.db
jq_out '.verdict == "compatible" and .exit_code == 0'
json schema -d app.db
jq_out '.applied_in_memory == false'
json repair -d app.db
jq_out '.repaired == 0 and .ok == true'
json down -d app.db
jq_out '(.reverted | map(.id)) == [1]'
json baseline 1 -d fresh.db
jq_out '.id == 1 and .ok == true'
json check -d mysql://h/x
expect_rc 3 "unsupported database"
jq_out '.verdict == "error" and .diagnostics[0].code == "unsupported-database"'
json new two
jq_out '.id == 2 and (.file | test("0002_two.sql$"))'

# A warning is in the document, with its place; under --strict it fails,
# and the failure is a document too.
json validate
expect_rc 0 "the new file is empty: a warning"
jq_out '.valid == true and (.diagnostics[0] | .severity == "warning" and .code == "sql-empty" and .file == "sql/0002_two.sql" and .line == 1)'
json validate --strict
expect_rc 1 "the new file is empty, under --strict"
jq_out '.valid == false and .exit_code == 1 and .diagnostics[0].code == "sql-empty"'
