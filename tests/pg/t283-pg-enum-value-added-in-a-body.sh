#!/bin/sh
# An enum value added inside a DO block (or by EXECUTE in a function),
# which no reading of the text sees, then used by a later step of the same
# group: PostgreSQL refuses the use before the value's commit (55P04). The
# group commits the steps before that step and runs it again in a
# transaction of its own, so one grouped run applies what a commit per
# step applies (issue 15: the result never depends on how up is split).
. "$PGLIB"

mkdir -p sql
printf "CREATE TYPE mood AS ENUM ('a');\nCREATE TABLE t (m mood);\n" >sql/1.sql
printf "DO \$\$ BEGIN ALTER TYPE mood ADD VALUE 'b'; END \$\$;\n" >sql/2.sql
printf "INSERT INTO t VALUES ('b');\n" >sql/3.sql
printf "CREATE FUNCTION add_mood(v text) RETURNS void LANGUAGE plpgsql AS \$\$ BEGIN EXECUTE format('ALTER TYPE mood ADD VALUE %%L', v); END \$\$;\nSELECT add_mood('c');\n" >sql/4.sql
printf "INSERT INTO t VALUES ('c');\n" >sql/5.sql
cat >manifest.yaml <<'YAML'
engine: postgresql
migrations:
  - {id: 1, name: type, file: sql/1.sql}
  - {id: 2, name: add_b, file: sql/2.sql}
  - {id: 3, name: use_b, file: sql/3.sql}
  - {id: 4, name: add_c, file: sql/4.sql}
  - {id: 5, name: use_c, file: sql/5.sql}
YAML

for group in 600000 0; do
	CASE="--group-ms $group"
	db=$(pg_newdb "t283_g$group") || exit 1
	run up -d "$db" --group-ms "$group"
	expect_rc 0 "up"
	expect_no_err "55P04|unsafe use"
	[ "$(pg_sql "$db" "SELECT string_agg(id::text, ',' ORDER BY id) FROM schema_migrations")" = "1,2,3,4,5" ] ||
		fail "rows: $(pg_sql "$db" "SELECT id FROM schema_migrations")"
	[ "$(pg_sql "$db" "SELECT string_agg(m::text, ',' ORDER BY m) FROM t")" = "b,c" ] ||
		fail "values: $(pg_sql "$db" "SELECT * FROM t")"
done
exit 0
