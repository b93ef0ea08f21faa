#!/bin/sh
# Between steps ladder reads back the connection's settings, TEMP objects
# and attachments only when the authorizer saw a statement that could
# change them (a PRAGMA, ATTACH, DETACH, ALTER TABLE, a virtual table, a
# TEMP object); issue 12: a commit per step costs no more than the floor.
# The ways in that t780 does not take, each in a step of its own, still
# do not reach the next step:
# a table made in `temp` by its schema name (not the TEMP keyword), a
# virtual table in `temp`, an ATTACH in a `transaction: false` step, and
# a setting changed by a `transaction: false` step. In one run with a
# commit per step, and in one group.
. "$TESTLIB"

project() {
	rm -rf sql
	mkdir sql
	printf 'CREATE TABLE shadow (x);\nCREATE TABLE log (what);\n' >sql/1.sql
	printf 'CREATE TABLE temp.shadow (x);\n' >sql/2.sql
	cat >sql/3.sql <<'S'
INSERT INTO log SELECT 'temp ' || count(*) FROM temp.sqlite_schema;
CREATE VIRTUAL TABLE temp.vt USING rtree(id, a, b);
S
	printf "INSERT INTO log SELECT 'temp ' || count(*) FROM temp.sqlite_schema;\n" >sql/4.sql
	printf "ATTACH '%s/other.db' AS other;\n" "$T" >sql/5.sql
	cat >sql/6.sql <<'S'
INSERT INTO log SELECT 'dbs ' || count(*) FROM pragma_database_list;
PRAGMA recursive_triggers = ON;
S
	cat >sql/7.sql <<'S'
INSERT INTO log SELECT 'rt ' || recursive_triggers FROM pragma_recursive_triggers;
INSERT INTO shadow VALUES (42);
S
	cat >manifest.yaml <<'S'
migrations:
  - {id: 1, name: one, file: sql/1.sql}
  - {id: 2, name: two, file: sql/2.sql}
  - {id: 3, name: three, file: sql/3.sql}
  - {id: 4, name: four, file: sql/4.sql}
  - {id: 5, name: five, file: sql/5.sql, transaction: false}
  - {id: 6, name: six, file: sql/6.sql, transaction: false}
  - {id: 7, name: seven, file: sql/7.sql}
S
}

check_db() {
	[ "$(sql "$1" 'SELECT group_concat(x) FROM shadow')" = 42 ] ||
		fail "step 7 wrote into step 2's temp.shadow"
	got=$(sql "$1" "SELECT group_concat(what, ',') FROM log")
	[ "$got" = "temp 0,temp 0,dbs 2,rt 0" ] ||
		fail "a step saw what the one before it left: $got"
	[ "$(ids "$1")" = "1,2,3,4,5,6,7" ] || fail "not all recorded"
}

per_step() {
	project
	run up -d a.db --group-ms 0
	expect_rc 0 "up, a commit per step"
	check_db a.db
}
grouped() {
	project
	run up -d b.db --group-ms 60000
	expect_rc 0 "up, grouped"
	check_db b.db
}

tcase "a commit per step: each step starts from the same connection" per_step
tcase "grouped: each step starts from the same connection" grouped
tdone
