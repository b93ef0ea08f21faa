#!/bin/sh
# Flyway on PostgreSQL: flyway_schema_history(installed_rank int, version
# varchar(50), ..., type varchar(20), ..., success boolean), read in
# installed_rank order: SQL rows apply, UNDO_SQL rows revert, repeatables
# (no version) and the schema-creation row are passed over, a row with
# success = false is refused.
. "$PGLIB"

mkdir migrations
echo 'CREATE TABLE a (x int);' >migrations/V1__a.sql
echo 'CREATE TABLE b (x int);' >migrations/V2__b.sql
echo 'DROP TABLE b;' >migrations/U2__b.sql
echo 'CREATE TABLE c (x int);' >migrations/V3__c.sql
run import --from flyway --engine postgresql migrations -o manifest.yaml
expect_rc 0 "import"
grep -q '^engine: postgresql$' manifest.yaml || fail "import wrote no engine line"

db=$(pg_newdb t275) || exit 1
# As Flyway writes it on PostgreSQL: 1 and 2 applied, 2 undone, 3 failed.
pg_sql "$db" "CREATE TABLE a (x int);
CREATE TABLE \"public\".\"flyway_schema_history\" (\"installed_rank\" INT NOT NULL, \"version\" VARCHAR(50),
 \"description\" VARCHAR(200) NOT NULL, \"type\" VARCHAR(20) NOT NULL, \"script\" VARCHAR(1000) NOT NULL,
 \"checksum\" INTEGER, \"installed_by\" VARCHAR(100) NOT NULL, \"installed_on\" TIMESTAMP NOT NULL DEFAULT now(),
 \"execution_time\" INTEGER NOT NULL, \"success\" BOOLEAN NOT NULL,
 CONSTRAINT \"flyway_schema_history_pk\" PRIMARY KEY (\"installed_rank\"));
INSERT INTO flyway_schema_history VALUES
 (0, NULL, '<< Flyway Schema Creation >>', 'SCHEMA', '\"public\"', NULL, 'u', '2021-01-01 00:00:00', 0, true),
 (1, '1', 'a', 'SQL', 'V1__a.sql', 1, 'u', '2021-01-02 00:00:00', 5, true),
 (2, '2', 'b', 'SQL', 'V2__b.sql', 2, 'u', '2021-01-03 00:00:00', 5, true),
 (3, NULL, 'v', 'SQL', 'R__v.sql', 3, 'u', '2021-01-04 00:00:00', 5, true),
 (4, '2', 'b', 'UNDO_SQL', 'U2__b.sql', 4, 'u', '2021-01-05 00:00:00', 5, true),
 (5, '3', 'c', 'SQL', 'V3__c.sql', 5, 'u', '2021-01-06 00:00:00', 5, false)" >/dev/null ||
	fail "cannot make Flyway's table"

run adopt --from flyway -d "$db"
expect_rc 1 "adopt of a failed migration"
expect_err "'flyway_schema_history' records version 3 as failed"
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname = 'schema_migrations'")" = 0 ] ||
	fail "a refused adopt left ladder's table"

pg_sql "$db" "DELETE FROM flyway_schema_history WHERE NOT success" >/dev/null || fail "psql"
export PGOPTIONS="-c TimeZone=UTC"
run adopt --from flyway -d "$db"
expect_rc 0 "adopt"
unset PGOPTIONS
[ "$(pg_sql "$db" "SET TimeZone = 'UTC'; SELECT string_agg(id || ' ' || name || ' ' || applied_at, ',' ORDER BY id) FROM schema_migrations")" = \
	"1 V1__a 2021-01-02 00:00:00+00" ] ||
	fail "rows: $(pg_sql "$db" "TABLE schema_migrations")"
run check -d "$db"
expect_rc 1 "check: two pending"
expect_out 'pending \[2 3\]'
run up -d "$db"
expect_rc 0 "up"
run check -d "$db"
expect_rc 0 "check after up"
exit 0
