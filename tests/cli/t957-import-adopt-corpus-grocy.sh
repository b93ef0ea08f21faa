#!/bin/sh
# grocy's history applied the way its runner does it (NNNN.sql in order,
# a row per number in `migrations`) is adopted; check says compatible.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/import-lib.sh"

corpus grocy
run import --from grocy migrations -o manifest.yaml
expect_rc 0 "import"
shell_apply app.db migrations/*.sql
{
	echo "CREATE TABLE migrations (migration INTEGER NOT NULL PRIMARY KEY UNIQUE, execution_time_timestamp DATETIME DEFAULT (datetime('now', 'localtime')));"
	for f in migrations/*.sql; do
		n=$(basename "$f" .sql)
		echo "INSERT INTO migrations (migration) VALUES ($(expr "$n" + 0));"
	done
} | sqlite3 app.db || fail "sqlite3"
run adopt --from grocy -d app.db
expect_rc 0 "adopt"
[ "$(sql app.db 'SELECT count(*) FROM schema_migrations')" = 248 ] || fail "rows"
run check -d app.db
expect_rc 0 "check after adopt"
expect_out '^compatible'
