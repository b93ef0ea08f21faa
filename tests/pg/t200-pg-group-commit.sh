#!/bin/sh
# Group commit on PostgreSQL: consecutive steps share one transaction,
# each in its own savepoint. A failing step leaves the steps before it
# applied and itself absent; nothing is printed applied (nor visible to
# another session) before the commit; SIGINT mid-group commits the
# finished steps and exits 130; kill -9 mid-group leaves every step whole
# or absent and the next up completes; a deferred constraint that fails
# only at the group's commit is pinned on its step (the group runs again a
# commit per step); a step's SET and TEMP table do not reach the next.
. "$PGLIB"

# setup NAME STEP3 STEP4: a manifest of steps 1-5 (sql/N.sql, table tN),
# with the given SQL for steps 3 and 4; echoes the database URL.
setup() {
	mkdir -p "$1/sql"
	cd "$1" || exit 1
	for i in 1 2 5; do printf 'CREATE TABLE t%s (x int);\n' $i >sql/$i.sql; done
	printf '%s\n' "$2" >sql/3.sql
	printf '%s\n' "$3" >sql/4.sql
	{
		echo "engine: postgresql"
		echo "migrations:"
		for i in 1 2 3 4 5; do printf '  - {id: %s, name: m%s, file: sql/%s.sql}\n' $i $i $i; done
	} >manifest.yaml
}

ids_pg() { pg_sql "$1" "SELECT string_agg(id::text, ',' ORDER BY id) FROM schema_migrations"; }
tables_pg() { pg_sql "$1" "SELECT string_agg(relname::text, ',' ORDER BY relname) FROM pg_class WHERE relkind = 'r' AND relname ~ '^t[0-9]$'"; }

failing() {
	db=$(pg_newdb t200_fail) || exit 1
	setup fail 'CREATE TABLE t3 (x int);' 'CREATE TABLE t4 (x int); INSERT INTO nosuch VALUES (1);'
	run up -d "$db" --group-ms 60000
	expect_rc 1 "a failing step"
	[ "$(ids_pg "$db")" = 1,2,3 ] || fail "recorded: $(ids_pg "$db"), want 1,2,3"
	[ "$(tables_pg "$db")" = t1,t2,t3 ] || fail "tables: $(tables_pg "$db")"
	expect_out "^applied 3 m3"
	expect_no_out "applied 4"
	expect_err 'sql/4\.sql:1:.*nosuch'
}

# A step that makes a savepoint of its own named as ladder's was would
# hide ladder's from its ROLLBACK TO; ladder's name is not guessable.
own_savepoint() {
	db=$(pg_newdb t200_sp) || exit 1
	setup sp 'CREATE TABLE t3 (x int);' 'CREATE TABLE t4 (x int); SAVEPOINT ladder_step; SELECT 1/0;'
	run up -d "$db" --group-ms 60000
	expect_rc 1 "a failing step with a savepoint of its own"
	[ "$(ids_pg "$db")" = 1,2,3 ] || fail "recorded: $(ids_pg "$db"), want 1,2,3"
	[ "$(tables_pg "$db")" = t1,t2,t3 ] || fail "part of the failed step was kept: $(tables_pg "$db")"
}

deferred() {
	db=$(pg_newdb t200_deferred) || exit 1
	setup deferred 'CREATE TABLE t3 (x int);' 'CREATE TABLE t4 (id int PRIMARY KEY, up int REFERENCES t4 DEFERRABLE INITIALLY DEFERRED); INSERT INTO t4 VALUES (1, 2);'
	run up -d "$db" --group-ms 60000
	expect_rc 1 "a deferred constraint broken"
	[ "$(ids_pg "$db")" = 1,2,3 ] || fail "recorded: $(ids_pg "$db"), want 1,2,3"
	expect_out "^applied 3 m3"
	expect_no_out "applied 4"
	expect_err 'foreign key'
}

resets() {
	db=$(pg_newdb t200_reset) || exit 1
	setup reset "SET statement_timeout = '123s'; CREATE TEMP TABLE tmp (x int); CREATE TABLE t3 (x int);" \
		"CREATE TABLE t4 AS SELECT current_setting('statement_timeout') AS st, (SELECT count(*) FROM pg_class WHERE relname = 'tmp' AND relpersistence = 't') AS n;"
	run up -d "$db" --group-ms 60000
	expect_rc 0 "up"
	[ "$(pg_sql "$db" "SELECT st || '/' || n FROM t4")" = 0/0 ] ||
		fail "step 4 saw step 3's SET or TEMP table: $(pg_sql "$db" "SELECT st || '/' || n FROM t4")"
}

# hang NAME SIG|KILL: step 4 sleeps; once it runs (pg_stat_activity shows
# it), the signal.
hang() {
	db=$(pg_newdb "t200_$1") || exit 1
	setup "$1" 'CREATE TABLE t3 (x int);' 'CREATE TABLE t4 (x int); SELECT pg_sleep(600);'
	"$LADDER" up -d "$db" --group-ms 60000 >"$T/out" 2>"$T/err" &
	pid=$!
	HOLDER=$pid
	i=0
	until [ "$(pg_sql "$db" "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(600)%' AND state = 'active'")" = 1 ] || [ $i -ge 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ $i -lt 300 ] || fail "step 4 never started"
	grep -q '^applied' "$T/out" && fail "a step was printed applied before its commit"
	[ -z "$(pg_sql "$db" "SELECT 1 FROM pg_class WHERE relname = 'schema_migrations'")" ] ||
		[ "$(pg_sql "$db" "SELECT count(*) FROM schema_migrations")" = 0 ] ||
		fail "rows visible to another session before the commit"
	if [ "$2" = KILL ]; then
		kill -9 $pid
		wait $pid 2>/dev/null
	else
		kill -"$2" $pid
		reap $pid 60
	fi
}

sigint() {
	hang int INT
	[ "$RC" -eq 130 ] || fail "SIGINT: exit $RC, want 130"
	expect_out "^applied 1 m1"
	expect_out "^applied 3 m3"
	expect_no_out "applied 4"
	expect_err "interrupted"
	[ "$(ids_pg "$db")" = 1,2,3 ] || fail "recorded: $(ids_pg "$db"), want 1,2,3"
	[ "$(tables_pg "$db")" = t1,t2,t3 ] || fail "tables: $(tables_pg "$db")"
}

kill9() {
	hang kill KILL
	# The server notices a dead client only when it next writes to it,
	# which pg_sleep never does: end the backend, as the server would.
	pg_sql "$db" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(600)%'" >/dev/null
	i=0
	until [ "$(pg_sql "$db" "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(600)%'")" = 0 ] || [ $i -ge 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	recorded=$(ids_pg "$db" 2>/dev/null)
	for i in 1 2 3 4 5; do
		has=$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname = 't$i'")
		case ",$recorded," in
		*",$i,"*) [ "$has" = 1 ] || fail "step $i recorded without its table" ;;
		*) [ "$has" = 0 ] || fail "step $i's table without its row" ;;
		esac
	done
	printf 'CREATE TABLE t4 (x int);\n' >sql/4.sql
	run up -d "$db"
	expect_rc 0 "up after kill -9: $(cat "$T/err")"
	[ "$(ids_pg "$db")" = 1,2,3,4,5 ] || fail "recorded: $(ids_pg "$db")"
}

tcase "a failing step in a group: the steps before it applied, itself absent" failing
tcase "a step's own SAVEPOINT cannot hide ladder's: nothing of it is kept" own_savepoint
tcase "a deferred constraint failing at the group's commit is pinned on its step" deferred
tcase "each step of a group starts from the connection's settings" resets
tcase "nothing applied before its commit; SIGINT commits the finished steps, exit 130" sigint
tcase "kill -9 mid-group: every step whole or absent, the next up completes" kill9
tdone
