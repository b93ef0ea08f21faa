#!/bin/sh
# A migration may not write ladder's own tables (SPEC): on PostgreSQL a
# step that deletes, inserts, updates or truncates rows of the bookkeeping
# table or its _attempts table, or puts a rule or a trigger on it that
# ladder's own next write would fire, or drops or renames one, is refused
# with `bookkeeping-write`, rolled
# back whole, and nothing is recorded; a step that only reads them, or
# changes session settings, applies.
. "$PGLIB"
pg_attach

mkdir -p sql
printf 'CREATE TABLE a (x int);\n' >sql/1.sql
# reads the tables and changes the settings their text form depends on
printf "SET LOCAL TimeZone = 'Asia/Tokyo';\nSET LOCAL DateStyle = 'SQL, DMY';\nCREATE TABLE b AS SELECT count(*) AS n FROM schema_migrations;\n" >sql/2.sql
cat >manifest.yaml <<'YAML'
engine: postgresql
migrations:
  - id: 1
    name: a
    file: sql/1.sql
  - id: 2
    name: reads
    file: sql/2.sql
  - id: 3
    name: bad
    file: sql/3.sql
YAML

n=0
for bad in "DELETE FROM schema_migrations WHERE id = 1;" \
	"UPDATE schema_migrations SET name = 'x' WHERE id = 2;" \
	"INSERT INTO schema_migrations (id, name, applied_at) VALUES (99, 'x', now());" \
	"TRUNCATE schema_migrations;" \
	"INSERT INTO schema_migrations_attempts VALUES (98, 'x', now(), NULL);" \
	'CREATE RULE r AS ON INSERT TO schema_migrations DO ALSO DELETE FROM schema_migrations WHERE id < 2;' \
	'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN DELETE FROM schema_migrations WHERE id < 2; RETURN NULL; END $f$; CREATE TRIGGER tg AFTER INSERT ON schema_migrations FOR EACH STATEMENT EXECUTE FUNCTION f();' \
	"DROP TABLE schema_migrations_attempts;" \
	"ALTER TABLE schema_migrations RENAME TO old_migrations;"; do
	n=$((n + 1))
	CASE="$bad"
	db=$(pg_newdb "t261_$n") || exit 1
	printf 'CREATE TABLE c (x int);\n%s\n' "$bad" >sql/3.sql
	run up -d "$db"
	expect_rc 1 "up with a step that writes ladder's tables"
	expect_err "error: a statement of the migration changed 'schema_migrations', ladder's own bookkeeping"
	[ "$(pg_sql "$db" "SELECT string_agg(id::text, ',' ORDER BY id) FROM schema_migrations")" = "1,2" ] ||
		fail "the rows are not 1,2"
	[ "$(pg_sql "$db" "SELECT count(*) FROM schema_migrations_attempts")" = 0 ] ||
		fail "the attempts table changed"
	[ "$(pg_sql "$db" "SELECT to_regclass('c') IS NULL")" = t ] || fail "the step was kept"
	run status -d "$db"
	expect_out "1 +a +applied"
	expect_out "3 +bad +pending"
	run --format=json up -d "$db"
	expect_rc 1 "up --format=json"
	jq_out '.diagnostics | any(.code == "bookkeeping-write")'
done
