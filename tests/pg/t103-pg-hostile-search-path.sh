#!/bin/sh
# A hostile search_path changes nothing ladder does: a schema earlier in
# the path holds a schema_migrations table and functions and an operator
# named like pg_catalog's (max, to_char, pg_try_advisory_lock, =), set
# both for the session (PGOPTIONS) and by a migration mid-run. ladder's
# own SQL still reads and writes public.schema_migrations, with the same
# rows as a run on a clean database. (Present before the first up, the
# hostile table is in the search_path: the database is unmanaged, and
# up says so, naming it.)
. "$PGLIB"

# The hostile table: made before the first up, it makes the database
# unmanaged (a table in the schema the migrations would write to, which
# the hostile path makes evil); after the first step, it is bait.
evil_table() {
	pg_sql "$1" "
CREATE TABLE evil.schema_migrations (id bigint, name text, applied_at text);
INSERT INTO evil.schema_migrations VALUES (1, 'bogus', 'never'), (99, 'bogus', 'never');
" >/dev/null || fail "cannot make the hostile table"
}

setup_evil() {
	pg_sql "$1" "
CREATE SCHEMA evil;
CREATE AGGREGATE evil.max(bigint) (sfunc = int8larger, stype = bigint, initcond = '999999');
CREATE FUNCTION evil.to_char(timestamp, text) RETURNS text LANGUAGE sql AS 'SELECT ''evil''';
CREATE FUNCTION evil.pg_try_advisory_lock(int, int) RETURNS boolean LANGUAGE sql AS 'SELECT false';
CREATE FUNCTION evil.pg_export_snapshot() RETURNS text LANGUAGE sql AS 'SELECT ''x''';
CREATE FUNCTION evil.eq(bigint, bigint) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR evil.= (leftarg = bigint, rightarg = bigint, function = evil.eq);
GRANT USAGE ON SCHEMA evil TO PUBLIC;
" >/dev/null || fail "cannot set up the hostile schema"
}

write_manifest() {
	manifest <<'M'
engine: postgresql
schema: public
migrations:
  - id: 1
    name: one
    file: sql/1.sql
  - id: 2
    name: path
    file: sql/2.sql
  - id: 3
    name: three
    file: sql/3.sql
M
	mkdir -p sql
	printf 'CREATE TABLE public.t1 (x int);\n' >sql/1.sql
	# a migration that turns the path hostile for the rest of the run
	printf 'SET search_path = evil, pg_catalog, public;\n' >sql/2.sql
	printf 'CREATE TABLE public.t3 (x int);\n' >sql/3.sql
}

rows() { pg_sql "$1" "SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM public.schema_migrations"; }

write_manifest
clean=$(pg_newdb t103_clean) || exit 1
run up -d "$clean"
expect_rc 0 "up on a clean database"
want=$(rows "$clean")
[ "$want" = "1:one,2:path,3:three" ] || fail "clean rows: $want"

db=$(pg_newdb t103_evil) || exit 1
setup_evil "$db"
evil_table "$db"
export PGOPTIONS="-c search_path=evil,pg_catalog,public"
# The catalog read that tells a fresh install from an application's
# database is not captured either: it names the hostile table, and
# nothing is written.
run up -d "$db" --lock-timeout 2000
expect_rc 1 "up on a database with a table in the current schema"
expect_err "tables of its own \(such as 'evil\.schema_migrations'\).*ladder baseline"
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = 'schema_migrations'")" = 1 ] ||
	fail "the refused up made a table"
pg_sql "$db" "DROP TABLE evil.schema_migrations" >/dev/null || fail "cannot drop the hostile table"
run up -d "$db" --lock-timeout 2000 --to 1
expect_rc 0 "the first step under a hostile search_path"
evil_table "$db"
run up -d "$db" --lock-timeout 2000
expect_rc 0 "up under a hostile search_path"
[ "$(rows "$db")" = "$want" ] || fail "rows under a hostile path: $(rows "$db")"
[ "$(pg_sql "$db" "SELECT count(*) FROM evil.schema_migrations")" = 2 ] ||
	fail "ladder wrote the hostile table"
run status -d "$db"
expect_rc 0 "status under a hostile search_path"
expect_out '3 applied, 0 pending'
expect_no_out 'evil|bogus|99'
expect_out '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'
run check -d "$db"
expect_rc 0 "check under a hostile search_path"
exit 0
