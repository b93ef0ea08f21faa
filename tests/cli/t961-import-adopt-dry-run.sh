#!/bin/sh
# adopt --dry-run lists the rows it would write and writes nothing.
. "$TESTLIB"

mkdir -p migrations/2020-01-01-000000_a migrations/2020-02-01-000000_b
echo 'CREATE TABLE a (x);' >migrations/2020-01-01-000000_a/up.sql
echo 'CREATE TABLE b (x);' >migrations/2020-02-01-000000_b/up.sql
run import --from diesel migrations -o manifest.yaml
expect_rc 0 "import"
sqlite3 app.db "CREATE TABLE a (x); CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);
INSERT INTO __diesel_schema_migrations (version) VALUES ('20200101000000');" || fail "sqlite3"
before=$(snapshot)
run adopt --from diesel --dry-run -d app.db
expect_rc 0 "adopt --dry-run"
expect_out '20200101000000'
expect_no_out '20200201000000'
expect_same "$before" "adopt --dry-run"
run adopt --from diesel -d app.db
expect_rc 0 "adopt"
run check -d app.db
expect_rc 1 "check: one step pending"
expect_out 'pending \[20200201000000\]'
