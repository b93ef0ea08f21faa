#!/bin/sh
# Dollar-quoted bodies with ';' inside ($$, $tag$, nested tags), DO
# blocks, and BEGIN ATOMIC bodies apply on PostgreSQL as written.
. "$PGLIB"

db=$(pg_newdb t157_a) || exit 1
mkdir -p sql
cat >sql/1.sql <<'SQL'
CREATE TABLE log (msg text);
CREATE FUNCTION add_log(m text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO log VALUES (m);
  INSERT INTO log VALUES (m || '; again');
END;
$$;
CREATE FUNCTION outer_fn() RETURNS text LANGUAGE plpgsql AS $outer$
DECLARE s text := $inner$a;b$$c$inner$;
BEGIN
  RETURN s;
END;
$outer$;
DO $do$
BEGIN
  PERFORM add_log('from do; block');
END
$do$;
CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT x * 2;
END;
SELECT add_log('plain');
SQL
cat >manifest.yaml <<'YAML'
engine: postgresql
migrations:
  - id: 1
    name: bodies
    file: sql/1.sql
YAML
run up -d "$db"
expect_rc 0 "up"
[ "$(pg_sql "$db" "SELECT string_agg(msg, '|' ORDER BY msg) FROM log")" = "from do; block|from do; block; again|plain|plain; again" ] ||
	fail "log: $(pg_sql "$db" "SELECT string_agg(msg, '|') FROM log")"
[ "$(pg_sql "$db" 'SELECT outer_fn()')" = 'a;b$$c' ] || fail "the nested dollar quote was cut"
[ "$(pg_sql "$db" 'SELECT twice(21)')" = 42 ] || fail "the BEGIN ATOMIC body was cut"
exit 0
