#!/bin/sh
# repair shows before it writes (issue 14, item 5): --dry-run lists each
# row it would change with the old and new checksum and writes nothing;
# `repair ID...` changes only those rows; a plain repair over several
# changed rows lists them all.
. "$TESTLIB"

steps 1 2 3 4
run -d app.db up
expect_rc 0
old2=$(sql app.db "SELECT checksum FROM schema_migrations WHERE id = 2")
printf -- '-- edited\n' >>sql/2.sql
printf -- '-- edited\n' >>sql/3.sql
printf -- '-- edited\n' >>sql/4.sql
new2=$(sha256sum sql/2.sql | cut -c1-12)

CASE="--dry-run lists every row with old and new checksum, writes nothing"
before=$(snapshot)
run -d app.db repair --dry-run
expect_rc 0
expect_out "^would repair 3 rows:"
expect_out "^  2 'm2' sql/2.sql: checksum $(echo "$old2" | cut -c1-12) -> "
expect_out "^  3 'm3' sql/3.sql: checksum "
expect_out "^  4 'm4' sql/4.sql: checksum "
expect_out "nothing was changed"
expect_same "$before" "repair --dry-run"
run --format json -d app.db repair --dry-run
jq_out '.dry_run == true and .repaired == 3 and (.rows | map(.id)) == [2, 3, 4]'
jq_out ".rows[0].old_checksum == \"$old2\" and (.rows[0].new_checksum | startswith(\"$new2\"))"
expect_same "$before" "repair --dry-run --format json"

CASE="repair ID... changes only those rows"
run -d app.db repair 3
expect_rc 0
expect_out "^repaired 1 row:"
expect_out "^  3 'm3' sql/3.sql"
expect_no_out "'m2'|'m4'"
[ "$(sql app.db "SELECT checksum FROM schema_migrations WHERE id = 2")" = "$old2" ] ||
	fail "repair 3 changed row 2"
run -d app.db status
expect_out "^ 2  m2 +changed"
expect_out "^ 3  m3 +applied"

CASE="a plain repair over several rows lists them all"
run -d app.db repair
expect_rc 0
expect_out "^repaired 2 rows:"
expect_out "^  2 'm2'"
expect_out "^  4 'm4'"
run -d app.db check
expect_rc 0

CASE="a bad id is a usage error"
run -d app.db repair x
expect_rc 2
expect_err "repair takes migration ids"
exit 0
