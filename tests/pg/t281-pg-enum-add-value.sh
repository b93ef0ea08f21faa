#!/bin/sh
# ALTER TYPE ... ADD VALUE at run time, on the test cluster's server (15):
# - in a transactional step it runs (only servers before 12 refuse it in a
#   transaction; that refusal, made from the server's version before
#   anything runs, is tested with the version as input in
#   unit/dialect_pg, test_server_check: we have no older server);
# - a later step that uses the new value is not grouped into the same
#   transaction (group commit): the server refuses a value until the
#   transaction that added it commits (55P04), so the group commits after
#   the step that added it, and the whole history applies in one run;
# - the manifest's `postgresql: 11` is validate's business: up judges by
#   the server it runs on.
. "$PGLIB"

mkdir -p sql
printf "CREATE TYPE mood AS ENUM ('sad');\nCREATE TABLE people (m mood);\n" >sql/1.sql
printf "ALTER TYPE mood ADD VALUE 'happy';\n" >sql/2.sql
printf "INSERT INTO people VALUES ('happy');\n" >sql/3.sql
printf "ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'calm' BEFORE 'sad';\nCREATE TABLE later (x int);\n" >sql/4.sql
printf "INSERT INTO people VALUES ('calm');\n" >sql/5.sql
body() {
	echo "migrations:"
	for i in 1 2 3 4 5; do
		printf '  - id: %s\n    name: m%s\n    file: sql/%s.sql\n' "$i" "$i" "$i"
	done
}

tc_grouped() {
	{ echo "engine: postgresql"; body; } >manifest.yaml
	db=$(pg_newdb t281_a) || exit 1
	run up -d "$db"
	expect_rc 0 "up: add a value, then use it in the next step"
	expect_no_err 'unsafe use|55P04'
	[ "$(pg_sql "$db" "SELECT string_agg(m::text, ',' ORDER BY m) FROM people")" = "calm,happy" ] ||
		fail "rows: $(pg_sql "$db" "SELECT string_agg(m::text, ',') FROM people")"
	[ "$(pg_sql "$db" "SELECT count(*) FROM schema_migrations")" = 5 ] || fail "not every step recorded"
	# a commit per step, as before
	db=$(pg_newdb t281_b) || exit 1
	run up -d "$db" --group-ms 0
	expect_rc 0 "up --group-ms 0"
}
tcase "ADD VALUE in a transactional step, its value used by the next" tc_grouped

tc_manifest_version() {
	{ echo "engine: postgresql"; echo "postgresql: 11"; body; } >manifest.yaml
	run validate
	expect_rc 1 "validate for a PostgreSQL 11 target"
	expect_err "sql/2.sql:1:1: error: 'ALTER TYPE \\.\\.\\. ADD VALUE' cannot run inside a transaction block before PostgreSQL 12 \\(the manifest's 'postgresql: 11'\\); set 'transaction: false' on this migration"
	db=$(pg_newdb t281_c) || exit 1
	run up -d "$db"
	expect_rc 0 "up on a 15 server"
}
tcase "postgresql: 11 is validate's; up asks the server" tc_manifest_version
tdone
