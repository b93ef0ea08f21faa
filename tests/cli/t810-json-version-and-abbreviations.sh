#!/bin/sh
# The CI engineer's contract (issue 14, item 8): every JSON document
# carries "format_version"; every diagnostic the migration id it concerns
# ("migration", null when none); `baseline ID` with a usage error still
# prints its document under --format json; an abbreviated long option
# works as getopt_long allows, and an ambiguous or unknown one is refused
# naming it, never read as a command.
. "$TESTLIB"

migration 0001 one "CREATE TABLE a (x);"
printf 'DROP TABLE a;\n' >sql/0001_one.down.sql
migration 0002 two "CREATE TABLE b (x);"
manifest <<'M'
migrations:
  - {id: 1, name: one, file: sql/0001_one.sql, down: sql/0001_one.down.sql}
  - {id: 2, name: two, file: sql/0002_two.sql}
M

CASE="format_version in every command's document"
for cmd in "validate" "schema --apply" "export" "up -d app.db --to 1" \
	"status -d app.db" "check -d app.db" "embed" "repair -d app.db" \
	"down -d app.db --to 0" "baseline -d base.db 1" "new three"; do
	run --format json $cmd
	[ "$cmd" = embed ] && { expect_rc 2 "embed refuses --format json"; continue; }
	jq_out '.format_version == 1' || fail "$cmd: no format_version"
done

CASE="a diagnostic about a file names its migration"
printf 'BEGIN;\n' >sql/0002_two.sql
run --format json validate
expect_rc 1
jq_out '[.diagnostics[] | select(.file == "sql/0002_two.sql") | .migration] | length > 0 and all(. == 2)'
CASE="a diagnostic from the database's side names its migration"
migration 0002 two "CREATE TABLE b (x);"
rm -f sql/0003_three.sql
steps 1 2
run -d app.db up
expect_rc 0
printf 'CREATE TABLE t2 (x, y);\n' >sql/2.sql
run --format json -d app.db up
expect_rc 1
jq_out '[.diagnostics[] | select(.code == "changed") | .migration] == [2]'
CASE="a diagnostic about no migration has migration null"
run --format json status
expect_rc 1
jq_out '.diagnostics | length > 0 and all(.migration == null)'

CASE="baseline with a usage error prints its document"
for bad in 99 abc; do
	run --format json -d base.db baseline $bad
	expect_rc 2
	[ "$(jq -s length "$T/out")" = 1 ] || fail "baseline $bad: not one JSON document"
	jq_out '.command == "baseline" and .ok == false and .exit_code == 2 and .format_version == 1'
	jq_out '[.diagnostics[] | select(.code == "usage")] | length == 1'
	expect_err "error:"
done
[ ! -e base2.db ] || fail "a usage error made a database"

CASE="an abbreviated global option before the command"
run --form json -d app.db status
expect_rc 0
jq_out '.command == "status" and .format_version == 1'
CASE="an abbreviated option after the command"
run -d app.db status --form=json
expect_rc 0
jq_out '.command == "status"'
run -d app.db up --dry --allow
expect_rc 1
expect_err "changed"
CASE="an ambiguous option is refused naming it"
run -d app.db up --a
expect_rc 2
expect_err "ambiguous option '--a'"
expect_no_err "unknown command"
CASE="an unknown option is refused naming it"
run --fmt json status
expect_rc 2
expect_err "unknown option '--fmt'"
expect_no_err "unknown command"
exit 0
