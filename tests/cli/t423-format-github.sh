#!/bin/sh
# --format github: diagnostics as GitHub workflow-command annotations on
# stdout (docs/recipes.md), for validate and up, on both engines; the
# command line as docs/recipes.md prints it.
. "$TESTLIB"

pg_validate() {
	printf 'engine: postgresql\nmigrations:\n  - {id: 1, name: a, file: sql/1.sql}\n' >manifest.yaml
	mkdir -p sql
	printf 'CREATE INDEX CONCURRENTLY i ON t (a);\nSET search_path = x;\n' >sql/1.sql
	run validate --strict --format github
	expect_rc 1 "invalid"
	expect_out "^::error file=sql/1\.sql,line=1,col=1::'CREATE INDEX CONCURRENTLY' cannot run"
	expect_out '^::warning file=sql/1\.sql,line=2,col=1::SET search_path lasts .*\[lint-session-set\]$'
	expect_no_err '^sql/1\.sql'
}
sqlite_validate() {
	printf 'migrations:\n  - {id: 1, name: a, file: "a,b:c.sql"}\n' >manifest.yaml
	printf 'SELEC 1;\n' >'a,b:c.sql'
	run validate --format github
	expect_rc 1 "invalid"
	expect_out '^::error file=a%2Cb%3Ac\.sql,line=1,col=1::near "SELEC": syntax error'
}
sqlite_up() {
	printf 'migrations:\n  - {id: 1, name: a, file: 1.sql}\n' >manifest.yaml
	printf 'CREATE TABLE a (x);\nINSERT INTO nope VALUES (1);\n' >1.sql
	run up -d app.db --format github
	[ "$RC" -ne 0 ] || fail "up should fail"
	expect_out '^::error file=1\.sql,line=2(,col=[0-9]+)?::.*no such table: nope'
}
bad_format() {
	printf 'migrations: []\n' >manifest.yaml
	run validate --format gitlab
	expect_rc 2 "usage"
	expect_err "'text', 'json' or 'github'"
}
tcase "validate on PostgreSQL: errors and lint warnings" pg_validate
tcase "validate on SQLite, with a file name escaped" sqlite_validate
tcase "up on SQLite: the failing statement" sqlite_up
tcase "an unknown format" bad_format
tdone
