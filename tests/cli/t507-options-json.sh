#!/bin/sh
# --format json prints exactly one JSON document on stdout for up, status,
# check and validate, carrying the facts: states, verdict, pending ids, exit
# code, and diagnostics with file/line/column/message/severity/code.
. "$TESTLIB"

# one_doc: stdout is exactly one JSON document.
one_doc() { [ "$(jq -s length out)" = 1 ] || fail "stdout is not exactly one JSON document"; }

steps 1 2 3
run --format json up --to 1 -d app.db
expect_rc 0 "up json"
one_doc
jq_out '[.applied[].id] == [1]'

printf 'CREATE TABLE t1 (x, y);\n' >sql/1.sql   # 1 is changed
run status --format json -d app.db
expect_rc 0 "status json"
one_doc
jq_out '[.migrations[] | [.id, .state]] == [[1, "changed"], [2, "pending"], [3, "pending"]]'
jq_out '.migrations[0].applied_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")'

rm sql/1.sql
steps 1 2 3   # 1 is back as it was applied
run check --format json -d app.db
expect_rc 1 "check json, pending"
one_doc
jq_out '.verdict | test("migrations needed")'
jq_out '.pending == [2, 3]'
jq_out '.exit_code == 1'

sqlite3 app.db "INSERT INTO schema_migrations (id, name, applied_at) VALUES (99, 'x', '2030-01-01T00:00:00Z')" || fail sqlite3
run check --format json -d app.db
expect_rc 2 "check json, unknown"
one_doc
jq_out '.verdict | test("incompatible")'
jq_out '.unknown == [99]'
jq_out '.exit_code == 2'
run status --format json -d app.db
jq_out '[.migrations[] | select(.state == "unknown") | .id] == [99]'

run check --format json -d mysql://x/y
expect_rc 3 "check json, error"
one_doc
jq_out '.exit_code == 3'

# validate with errors: diagnostics with every field.
printf 'migrations:\n  - id: 1\n    name: one\n    fiel: sql/1.sql\n  - id: 1\n    name: dup\n    file: sql/1.sql\n' >bad.yaml
run validate --format json -m bad.yaml
expect_rc 1 "validate json, invalid"
one_doc
jq_out '.diagnostics | length >= 2'
jq_out 'all(.diagnostics[]; .file == "bad.yaml" and (.line | type) == "number" and (.column | type) == "number" and (.message | length) > 0 and .severity == "error" and (.code | length) > 0)'
jq_out 'any(.diagnostics[]; .line == 4 and .column == 5 and (.message | test("fiel")))'
jq_out 'any(.diagnostics[]; .line == 5 and (.message | test("line 2")))'

# up failing: the SQL diagnostic carries file and line.
printf 'CREATE TABLE t4 (x);\n\nSELEC 1;\n' >sql/4.sql
printf 'migrations:\n  - id: 4\n    name: four\n    file: sql/4.sql\n' >four.yaml
run up --format json -m four.yaml -d four.db
expect_rc 1 "up json, failing"
one_doc
jq_out 'any(.diagnostics[]; .severity == "error" and .file == "sql/4.sql" and .line == 3)'
jq_out '.exit_code == 1'
