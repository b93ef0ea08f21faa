#!/bin/sh
# atuin's history applied the way sqlx does it (_sqlx_migrations with
# SHA-384 checksums, success = TRUE) is adopted; check says compatible.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/import-lib.sh"

corpus atuin
run import --from sqlx migrations -o manifest.yaml
expect_rc 0 "import"
shell_apply app.db migrations/*.sql
{
	echo "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, success BOOLEAN NOT NULL, checksum BLOB NOT NULL, execution_time BIGINT NOT NULL);"
	for f in migrations/*.sql; do
		b=$(basename "$f" .sql)
		desc=$(printf '%s' "${b#*_}" | tr _ ' ')
		h=$(sha384sum "$f" | cut -c1-96)
		echo "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (${b%%_*}, '$desc', TRUE, X'$h', 1000);"
	done
} | sqlite3 app.db || fail "sqlite3"
run adopt --from sqlx -d app.db
expect_rc 0 "adopt"
[ "$(sql app.db 'SELECT count(*) FROM schema_migrations')" = 12 ] || fail "rows"
run check -d app.db
expect_rc 0 "check after adopt"
expect_out '^compatible'
