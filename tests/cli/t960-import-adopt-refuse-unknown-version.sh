#!/bin/sh
# The tool's table records a version the manifest lacks: adopt refuses,
# naming it, exit 1, nothing written.
. "$TESTLIB"

mkdir migrations
printf -- '-- migrate:up\nCREATE TABLE a (x);\n-- migrate:down\nDROP TABLE a;\n' >migrations/20200101000000_a.sql
run import --from dbmate --split split migrations -o manifest.yaml
expect_rc 0 "import"
sqlite3 app.db "CREATE TABLE a (x); CREATE TABLE schema_migrations (version VARCHAR(128) PRIMARY KEY);
INSERT INTO schema_migrations VALUES ('20200101000000'), ('20300101000000');" || fail "sqlite3"
before=$(snapshot)
run adopt --from dbmate -d app.db
expect_rc 1 "adopt with a version the manifest lacks"
expect_err "20300101000000.*manifest lacks"
expect_same "$before" "a refused adopt"
