#!/bin/sh
# vaultwarden's history applied the way diesel does it (each up.sql in a
# transaction, __diesel_schema_migrations written as diesel writes it) is
# adopted, and then check says compatible.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/import-lib.sh"

corpus vaultwarden
run import --from diesel migrations -o manifest.yaml
expect_rc 0 "import"
shell_apply app.db migrations/*/up.sql
{
	echo "CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);"
	for d in migrations/*/; do
		v=$(basename "$d")
		v=$(printf '%s' "${v%%_*}" | tr -d -)
		echo "INSERT INTO __diesel_schema_migrations (version) VALUES ('$v');"
	done
} | sqlite3 app.db || fail "sqlite3"
run adopt --from diesel -d app.db
expect_rc 0 "adopt"
[ "$(sql app.db 'SELECT count(*) FROM schema_migrations')" = 56 ] || fail "rows: $(sql app.db 'SELECT count(*) FROM schema_migrations')"
run check -d app.db
expect_rc 0 "check after adopt"
expect_out '^compatible'
