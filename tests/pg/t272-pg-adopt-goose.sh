#!/bin/sh
# goose on PostgreSQL: goose_db_version(id serial, version_id bigint,
# is_applied boolean, tstamp timestamp), one row per up and per down plus
# goose's own version-0 row; the latest row per version wins. adopt keeps
# goose's time (a timestamp, read in the session's zone, shown in UTC).
. "$PGLIB"

mkdir migrations
for v in 00001 00002 00003; do
	printf -- '-- +goose Up\nCREATE TABLE t%s (x int);\n\n-- +goose Down\nDROP TABLE t%s;\n' "$v" "$v" >migrations/${v}_t.sql
done
run import --from goose --split split --engine postgresql migrations -o manifest.yaml
expect_rc 0 "import"
grep -q '^engine: postgresql$' manifest.yaml || fail "import wrote no engine line"

db=$(pg_newdb t272) || exit 1
# As goose's postgres dialect writes it: 1 and 2 applied, 2 rolled back
# (a down row), 1 applied; so 1 is applied, 2 is not.
pg_sql "$db" "SET TimeZone = 'UTC'; CREATE TABLE t00001 (x int);
CREATE TABLE goose_db_version (id serial NOT NULL, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NULL DEFAULT now(), PRIMARY KEY (id));
INSERT INTO goose_db_version (version_id, is_applied, tstamp) VALUES (0, true, '2021-01-01 00:00:00'),
 (1, true, '2021-01-02 03:04:05.25'), (2, true, '2021-01-03 00:00:00'), (2, false, '2021-01-04 00:00:00')" >/dev/null ||
	fail "cannot make goose's table"

# goose's now() wrote the session's local time; ladder reads it in its own
# session's zone (the same server default): UTC here.
export PGOPTIONS="-c TimeZone=UTC"
run adopt --from goose -d "$db" --format json
unset PGOPTIONS
expect_rc 0 "adopt"
jq_out '.rows | length == 1 and .[0].id == 1 and .[0].tool_version == "00001"'
[ "$(pg_sql "$db" "SELECT id || ' ' || pg_catalog.to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM schema_migrations")" = "1 2021-01-02 03:04:05" ] ||
	fail "rows: $(pg_sql "$db" "TABLE schema_migrations")"
run status -d "$db"
expect_rc 0 "status"
expect_out ' 1  00001_t +applied +2021-01-02T03:04:05Z'
expect_out ' 2  00002_t +pending'
run up -d "$db"
expect_rc 0 "up applies 2 and 3"
run check -d "$db"
expect_rc 0 "check after up"
[ "$(pg_sql "$db" "SELECT count(*) FROM goose_db_version")" = 4 ] || fail "goose's table changed"
exit 0
