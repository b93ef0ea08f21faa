#!/bin/sh
# A statement that rolls back the whole transaction by itself (INSERT OR
# ROLLBACK hitting a conflict, RAISE(ROLLBACK) in a trigger) takes a
# group's finished steps with it on SQLite. ladder applies those again at
# once, each with a commit of its own, then reports the failing step as
# without groups: exit 1, its FILE:LINE named, itself absent, the steps
# before it applied (text and JSON).
. "$TESTLIB"

# or_rollback: step 3 fails at line 3 by an INSERT OR ROLLBACK conflict.
or_rollback() {
	mkdir -p sql
	printf 'CREATE TABLE t3 (x UNIQUE);\nINSERT INTO t3 VALUES (1);\nINSERT OR ROLLBACK INTO t3 VALUES (1);\n' >sql/3.sql
	steps 1 2 3 4
}

# expect_kept DB: 1 and 2 recorded and whole, 3 and 4 absent.
expect_kept() {
	[ "$(ids "$1")" = 1,2 ] || fail "recorded: $(ids "$1"), want 1,2"
	[ "$(sql "$1" "SELECT count(*) FROM sqlite_schema WHERE name IN ('t1', 't2')")" = 2 ] ||
		fail "a recorded step's table is missing"
	[ -z "$(sql "$1" "SELECT name FROM sqlite_schema WHERE name IN ('t3', 't4')")" ] ||
		fail "the failing step (or one after it) left a table"
	[ ! -e "$1-journal" ] || fail "a journal was left behind"
}

text() {
	or_rollback
	run up -d a.db --group-ms 60000
	expect_rc 1 "INSERT OR ROLLBACK"
	expect_kept a.db
	expect_err "sql/3\.sql:3:.*UNIQUE constraint failed"
	expect_err "sql/3\.sql.*migration 3 'm3' was rolled back"
	expect_out "^applied 1 m1"
	expect_out "^applied 2 m2"
	expect_no_out "^applied 3"
	# the same on the next run: the culprit fails alone
	run up -d a.db --group-ms 60000
	expect_rc 1 "the next run"
	[ "$(ids a.db)" = 1,2 ] || fail "recorded: $(ids a.db)"
}

json() {
	or_rollback
	run up -d j.db --group-ms 60000 --format json
	expect_rc 1 "INSERT OR ROLLBACK, JSON"
	expect_kept j.db
	jq_out '.ok == false and ([.applied[].id] == [1, 2])'
	jq_out '[.diagnostics[] | select(.severity == "error" and (.file | endswith("sql/3.sql")) and .line == 3)] | length == 1'
}

trigger() {
	mkdir -p sql
	printf 'CREATE TABLE t2 (x);\nCREATE TRIGGER no_negative BEFORE INSERT ON t2 WHEN new.x < 0 BEGIN SELECT RAISE(ROLLBACK, '"'"'negative'"'"'); END;\n' >sql/2.sql
	printf 'CREATE TABLE t3 (x);\nINSERT INTO t2 VALUES (1);\nINSERT INTO t2 VALUES (-1);\n' >sql/3.sql
	steps 1 2 3 4
	run up -d r.db --group-ms 60000
	expect_rc 1 "RAISE(ROLLBACK)"
	expect_kept r.db
	expect_err "sql/3\.sql:3:.*negative"
	[ "$(sql r.db 'SELECT count(*) FROM t2')" = 0 ] || fail "step 3's first insert was kept"
}

in_dir() { mkdir "$1" && cd "$1" && "$1"; }
text_d() { in_dir text; }
json_d() { in_dir json; }
trigger_d() { in_dir trigger; }

tcase "INSERT OR ROLLBACK in step 3 of a group: 1-2 applied, 3 named and absent" text_d
tcase "the same in JSON: only the committed steps are applied" json_d
tcase "RAISE(ROLLBACK) in a trigger: the same" trigger_d
tdone
