#!/bin/sh
# A schema_migrations table of another shape (golang-migrate's version,
# dirty) is never misread: up, status and check refuse naming the columns
# found, and the file stays byte-for-byte the same.
. "$TESTLIB"

steps 1 2
sqlite3 app.db "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO schema_migrations VALUES (1, 0);" || fail "sqlite3"
before=$(snapshot)

for cmd in up status check "up --dry-run"; do
	# shellcheck disable=SC2086
	run $cmd -d app.db
	case $cmd in check) expect_rc 3 "$cmd on a foreign table" ;; *) expect_rc 1 "$cmd on a foreign table" ;; esac
	expect_err 'version'
	expect_err 'dirty'
	expect_same "$before" "$cmd on a foreign table"
done
[ -z "$(sql app.db "SELECT name FROM sqlite_master WHERE name = 't1'")" ] || fail "migration ran"
