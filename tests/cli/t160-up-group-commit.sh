#!/bin/sh
# Group commit: consecutive steps share one transaction, each in its own
# savepoint. A failing step leaves the steps before it applied and itself
# absent; nothing is printed (text, JSON) as applied before the commit that
# made it durable; SIGINT mid-group commits the finished steps, reports
# them and exits 130; kill -9 mid-group leaves every step whole or absent
# and the next up completes; --group-ms 0 commits each step on its own.
. "$TESTLIB"

# A statement that runs until it is interrupted.
HANG='CREATE TABLE t4 (x);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;'

fail_in_group() {
	mkdir -p sql
	printf 'CREATE TABLE t3 (x);\nINSERT INTO nosuch VALUES (1);\n' >sql/3.sql
	steps 1 2 3 4
	run up -d a.db --group-ms 60000
	expect_rc 1 "a failing step"
	[ "$(ids a.db)" = 1,2 ] || fail "recorded: $(ids a.db), want 1,2"
	[ -z "$(sql a.db "SELECT name FROM sqlite_schema WHERE name IN ('t3', 't4')")" ] ||
		fail "the failing step (or one after it) left a table"
	[ "$(sql a.db "SELECT count(*) FROM sqlite_schema WHERE name IN ('t1', 't2')")" = 2 ] ||
		fail "the steps before it are not whole"
	expect_out "^applied 1 m1"
	expect_out "^applied 2 m2"
	expect_no_out "applied 3"
	expect_err "rolled back"
}

# A deferred foreign key a step leaves broken fails that step, not the
# group's commit (which would take the steps before it along).
deferred_fk() {
	mkdir -p sql
	printf 'CREATE TABLE t3 (id INTEGER PRIMARY KEY, up INTEGER REFERENCES t3 DEFERRABLE INITIALLY DEFERRED);\nINSERT INTO t3 VALUES (1, 2);\n' >sql/3.sql
	steps 1 2 3 4
	run up -d f.db --group-ms 60000
	expect_rc 1 "a deferred foreign key broken"
	[ "$(ids f.db)" = 1,2 ] || fail "recorded: $(ids f.db), want 1,2"
	expect_out "^applied 2 m2"
	expect_err "sql/3\.sql.*rolled back"
	expect_err "foreign key"
}

# A step's connection settings do not reach the next step of its group.
reset_in_group() {
	mkdir -p sql
	printf 'PRAGMA recursive_triggers = ON;\nCREATE TABLE t1 (x);\n' >sql/1.sql
	printf 'CREATE TABLE t2 AS SELECT * FROM pragma_recursive_triggers;\nCREATE TEMP TABLE tmp (x);\n' >sql/2.sql
	printf 'CREATE TABLE t3 AS SELECT count(*) AS n FROM temp.sqlite_schema;\n' >sql/3.sql
	steps 1 2 3
	run up -d r.db --group-ms 60000
	expect_rc 0 "up"
	[ "$(sql r.db 'SELECT * FROM t2')" = 0 ] || fail "step 2 saw step 1's PRAGMA"
	[ "$(sql r.db 'SELECT n FROM t3')" = 0 ] || fail "step 3 saw step 2's TEMP table"
}

# hang_start DB ARGS...: up with step 4 hanging; returns once step 4
# runs: it has burnt half a second of CPU (steps 1-3 take milliseconds).
hang_start() {
	db=$1
	shift
	mkdir -p sql
	printf '%s\n' "$HANG" >sql/4.sql
	steps 1 2 3 4 5
	"$LADDER" up -d "$db" --group-ms 60000 "$@" >"$T/out" 2>"$T/err" &
	pid=$!
	HOLDER=$pid # ended if the case fails
	i=0
	while [ "$(awk '{ print $14 }' /proc/$pid/stat 2>/dev/null || echo 0)" -lt 50 ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ $i -lt 600 ] || fail "step 4 never started"
}

not_before_commit() {
	hang_start n.db
	# Steps 1-3 are done, in the open transaction: not yet durable, so
	# not printed and not visible to another connection.
	grep -q '^applied' "$T/out" && fail "a step was printed applied before its commit"
	seen=$(sql n.db "SELECT count(*) FROM sqlite_schema WHERE name = 'schema_migrations'")
	[ "$seen" = 0 ] || [ "$(sql n.db 'SELECT count(*) FROM schema_migrations')" = 0 ] ||
		fail "rows visible before the commit"
	kill -INT $pid
	reap $pid 60
	expect_rc 130 "SIGINT"
	expect_out "^applied 1 m1"
	expect_out "^applied 3 m3"
	expect_no_out "^applied 4"
	expect_err "interrupted"
	[ "$(ids n.db)" = 1,2,3 ] || fail "recorded: $(ids n.db), want 1,2,3"
	[ -z "$(sql n.db "SELECT name FROM sqlite_schema WHERE name = 't4'")" ] || fail "step 4 left t4"
	[ "$(sql n.db 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
}

json_after_commit() {
	hang_start j.db --format json
	[ ! -s "$T/out" ] || fail "JSON written before the commit"
	kill -TERM $pid
	reap $pid 60
	expect_rc 143 "SIGTERM"
	jq_out '.ok == false and ([.applied[].id] == [1, 2, 3])'
}

kill9() {
	hang_start k.db
	kill -9 $pid
	wait $pid 2>/dev/null
	[ "$(sql k.db 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after kill -9"
	# Whole or absent: every table whose step is recorded, and no other.
	recorded=$(ids k.db 2>/dev/null)
	for i in 1 2 3 4 5; do
		has=$(sql k.db "SELECT count(*) FROM sqlite_schema WHERE name = 't$i'")
		case ",$recorded," in
		*",$i,"*) [ "$has" = 1 ] || fail "step $i recorded without its table" ;;
		*) [ "$has" = 0 ] || fail "step $i's table without its row" ;;
		esac
	done
	printf 'CREATE TABLE t4 (x);\n' >sql/4.sql
	run up -d k.db
	expect_rc 0 "up after kill -9"
	[ "$(ids k.db)" = 1,2,3,4,5 ] || fail "recorded: $(ids k.db)"
}

per_step() {
	mkdir -p sql
	printf 'CREATE TABLE t3 (x);\nINSERT INTO nosuch VALUES (1);\n' >sql/3.sql
	steps 1 2 3
	run up -d p.db --group-ms 0
	expect_rc 1 "a failing step"
	[ "$(ids p.db)" = 1,2 ] || fail "recorded: $(ids p.db)"
	run up -d p.db --group-ms x
	expect_rc 2 "--group-ms x"
}

# in_dir FUNCTION: the case in a folder of its own (the runner lock is
# the database's folder's).
in_dir() { mkdir "$1" && cd "$1" && "$1"; }
fail_in_group_d() { in_dir fail_in_group; }
reset_in_group_d() { in_dir reset_in_group; }
deferred_fk_d() { in_dir deferred_fk; }
not_before_commit_d() { in_dir not_before_commit; }
json_after_commit_d() { in_dir json_after_commit; }
kill9_d() { in_dir kill9; }
per_step_d() { in_dir per_step; }

tcase "a failing step in a group: the steps before it applied, itself absent" fail_in_group_d
tcase "a deferred foreign key broken by a step fails that step alone" deferred_fk_d
tcase "each step of a group starts from the same connection state" reset_in_group_d
tcase "nothing printed applied before its commit; SIGINT commits the finished steps, exit 130" not_before_commit_d
tcase "JSON: applied only after the commit; SIGTERM exits 143" json_after_commit_d
tcase "kill -9 mid-group: every step whole or absent, the next up completes" kill9_d
tcase "--group-ms 0: a commit per step" per_step_d
tdone
