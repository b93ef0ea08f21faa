#!/bin/sh
# sqlx on PostgreSQL: _sqlx_migrations(version bigint, description text,
# installed_on timestamptz, success boolean, checksum bytea,
# execution_time bigint). A row with success = false is refused, nothing
# written. adopt keeps sqlx's time whatever the session's TimeZone, and
# neither a hostile search_path (functions named like pg_catalog's,
# earlier in the path) nor the time zone changes what it reads or writes.
. "$PGLIB"

mkdir migrations
echo 'CREATE TABLE a (x int);' >migrations/20200101000000_a.sql
echo 'CREATE TABLE b (x int);' >migrations/20200102000000_b.sql
echo 'CREATE TABLE c (x int);' >migrations/20200103000000_c.sql
run import --from sqlx --engine postgresql migrations -o manifest.yaml
expect_rc 0 "import"
grep -q '^engine: postgresql$' manifest.yaml || fail "import wrote no engine line"

db=$(pg_newdb t273) || exit 1
# As sqlx's postgres migrator writes it; b failed.
pg_sql "$db" "CREATE TABLE a (x int);
CREATE TABLE IF NOT EXISTS _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL,
 installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL);
INSERT INTO _sqlx_migrations VALUES (20200101000000, 'a', '2020-01-05 10:11:12.5+02', true, '\\x00', 3),
 (20200102000000, 'b', '2020-01-06 00:00:00+00', false, '\\x01', 4);
CREATE SCHEMA evil;
CREATE FUNCTION evil.to_char(timestamp, text) RETURNS text LANGUAGE sql AS \$\$ SELECT 'captured' \$\$;
CREATE FUNCTION evil.to_char(timestamptz, text) RETURNS text LANGUAGE sql AS \$\$ SELECT 'captured' \$\$;
CREATE FUNCTION evil.timezone(text, timestamptz) RETURNS timestamp LANGUAGE sql AS \$\$ SELECT timestamp '1999-01-01' \$\$;
CREATE FUNCTION evil.quote_ident(text) RETURNS text LANGUAGE sql AS \$\$ SELECT 'evil' \$\$;
CREATE FUNCTION evil.current_schema() RETURNS name LANGUAGE sql AS \$\$ SELECT 'evil'::name \$\$;
GRANT USAGE ON SCHEMA evil TO PUBLIC" >/dev/null || fail "cannot make sqlx's table"

export PGOPTIONS="-c search_path=public,evil,pg_catalog -c TimeZone=Asia/Tokyo"
run adopt --from sqlx -d "$db"
expect_rc 1 "adopt of a failed migration"
expect_err "'_sqlx_migrations' records migration 20200102000000 with success = false"
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname = 'schema_migrations'")" = 0 ] ||
	fail "a refused adopt left ladder's table"

pg_sql "$db" "DELETE FROM _sqlx_migrations WHERE NOT success" >/dev/null || fail "psql"
run adopt --from sqlx -d "$db"
expect_rc 0 "adopt"
unset PGOPTIONS
[ "$(pg_sql "$db" "SET TimeZone = 'UTC'; SELECT id || ' ' || applied_at || ' ' || ladder_version FROM public.schema_migrations")" = \
	"20200101000000 2020-01-05 08:11:12+00 0.1.0 adopted from sqlx" ] ||
	fail "rows: $(pg_sql "$db" "TABLE public.schema_migrations")"
run status -d "$db"
expect_rc 0 "status"
expect_out '^20200101000000  20200101000000_a +applied +2020-01-05T08:11:12Z'
run check -d "$db"
expect_rc 1 "check: two pending"
expect_out 'pending \[20200102000000 20200103000000\]'
run up -d "$db"
expect_rc 0 "up"
run check -d "$db"
expect_rc 0 "check after up"
exit 0
