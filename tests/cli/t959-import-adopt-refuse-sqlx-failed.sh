#!/bin/sh
# sqlx recorded a migration with success = false: adopt refuses, exit 1,
# and writes nothing.
. "$TESTLIB"

mkdir migrations
echo 'CREATE TABLE a (x);' >migrations/1_a.sql
run import --from sqlx migrations -o manifest.yaml
expect_rc 0 "import"
sqlite3 app.db "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, success BOOLEAN NOT NULL, checksum BLOB NOT NULL, execution_time BIGINT NOT NULL);
INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (1, 'a', FALSE, x'00', 1);" || fail "sqlite3"
before=$(snapshot)
run adopt --from sqlx -d app.db
expect_rc 1 "adopt of a failed sqlx row"
expect_err 'success = false'
expect_same "$before" "a refused adopt"
