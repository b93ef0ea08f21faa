#!/bin/sh
# validate, engine postgresql, no server: every statement is parsed by
# PostgreSQL's own grammar (libpg_query), PL/pgSQL bodies of functions and
# DO blocks too, and each error is reported at FILE:LINE:COLUMN of the
# file, naming the grammar. A corpus of tricky files that are valid, and
# of errors (inside bodies too) with their exact place.
. "$TESTLIB"

pg_manifest() {
	{
		echo "engine: postgresql"
		[ -z "${1:-}" ] || echo "postgresql: $1"
		echo "migrations:"
		echo "  - {id: 1, name: a, file: 1.sql}"
	} >manifest.yaml
}

case_valid_corpus() {
	pg_manifest
	cat >1.sql <<'SQL'
CREATE TABLE t (a int);
CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2);
CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $fn$
DECLARE s text := $q$ ; $q$;
BEGIN
  RETURN 1;
END
$fn$;
DO $$ BEGIN RAISE NOTICE 'x;y'; END $$;
SELECT $a$ $b$ ; $b$ $a$, E'it''s \' ;', U&'d\0061t\+000061';
CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION h() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;
/* a /* nested */ comment ; */ SELECT 1 -- ; trailing
;
SQL
	run validate
	expect_rc 0 "the corpus is valid"
	expect_no_err 'error|warning'
}

case_plain_error() {
	pg_manifest
	printf 'CREATE TABLE t (a int);\n\n  SELEC 1;\n' >1.sql
	run validate
	expect_rc 1 "a syntax error"
	expect_err '^1\.sql:3:3: error: syntax error at or near "SELEC" \(PostgreSQL 15 grammar, libpg_query\)$'
}

case_error_mid_statement() {
	pg_manifest
	printf 'CREATE TABLE t (\n  a int,\n  b int,,\n  c text);\n' >1.sql
	run validate
	expect_rc 1 "an error inside a statement"
	expect_err '^1\.sql:3:9: error: syntax error at or near ","'
}

case_do_body_error() {
	pg_manifest
	cat >1.sql <<'SQL'
SELECT 1;
DO $d$
BEGIN
  IF true THEN
    PERFORM 1;
  END IF;
  retrun;
END
$d$;
SQL
	run validate
	expect_rc 1 "an error in a DO body"
	expect_err '^1\.sql:7:3: error: in the PL/pgSQL body: syntax error at or near "retrun"'
}

case_function_body_error() {
	pg_manifest
	cat >1.sql <<'SQL'
CREATE FUNCTION f(n int) RETURNS int
LANGUAGE plpgsql AS $body$
DECLARE
  total int := 0;
BEGIN
  undeclared := n + 1;
  RETURN total;
END
$body$;
SQL
	run validate
	expect_rc 1 "an error in a function body"
	expect_err '^1\.sql:6:3: error: in the PL/pgSQL body: "undeclared" is not a known variable'
}

case_every_error_reported() {
	pg_manifest
	printf 'SELEC 1;\nSELECT 1;\nINSERT INTO;\n' >1.sql
	run validate
	expect_rc 1 "two errors"
	expect_err '^1\.sql:1:1: error: syntax error'
	expect_err '^1\.sql:3:12: error: syntax error at or near ";"'
	expect_err 'invalid \(2 errors\)'
}

case_multibyte_column() {
	pg_manifest
	printf "SELECT 'ééé' FRM t;\n" >1.sql
	run validate
	expect_rc 1 "an error after multibyte text"
	# the column is in bytes, like every ladder column: each é is 2 bytes (18 in characters)
	expect_err '^1\.sql:1:21: error: syntax error at or near "t"'
}

case_newer_target_warns() {
	pg_manifest 17
	printf 'SELEC 1;\n' >1.sql
	run validate
	expect_rc 0 "postgresql: 17 turns a syntax error into a warning"
	expect_err '^1\.sql:1:1: warning: syntax error at or near "SELEC" \(PostgreSQL 15 grammar, libpg_query\); PostgreSQL 17 may accept it'
	run validate --strict
	expect_rc 1 "--strict fails on it"
}

case_down_file_parsed() {
	cat >manifest.yaml <<'M'
engine: postgresql
migrations:
  - {id: 1, name: a, file: 1.sql, down: 1.down.sql}
M
	printf 'CREATE TABLE t (a int);\n' >1.sql
	printf 'DROP TABL t;\n' >1.down.sql
	run validate
	expect_rc 1 "a down file is parsed too"
	expect_err '^1\.down\.sql:1:6: error: syntax error at or near "TABL"'
}

tcase "tricky valid files: dollar quotes, rules, bodies, comments" case_valid_corpus
tcase "a syntax error at its line:column, naming the grammar" case_plain_error
tcase "an error inside a multi-line statement" case_error_mid_statement
tcase "a DO body's error mapped into the file" case_do_body_error
tcase "a function body's error mapped into the file" case_function_body_error
tcase "every statement is checked" case_every_error_reported
tcase "columns after multibyte characters" case_multibyte_column
tcase "postgresql: 17 makes a syntax error a warning" case_newer_target_warns
tcase "down files are parsed" case_down_file_parsed
tdone
