#!/bin/sh
# SIGINT during a long statement (pg_sleep) cancels it on the server
# (PQcancel), rolls the step back and exits 130; no advisory lock and no
# backend still running the statement is left behind. SIGTERM: 143.
. "$PGLIB"

one() { # SIGNAL EXIT
	db=$(pg_newdb "t101_$(echo "$1" | tr A-Z a-z)") || exit 1
	rm -rf sql
	manifest <<'M'
engine: postgresql
migrations:
  - id: 1
    name: slow
    file: sql/1.sql
M
	mkdir -p sql
	printf 'CREATE TABLE slow (x int);\nSELECT pg_sleep(60);\n' >sql/1.sql
	"$LADDER" up -d "$db" >"$T/out" 2>"$T/err" &
	pid=$!
	i=0
	until [ "$(pg_sql "$db" "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%' AND state = 'active'")" = 1 ]; do
		i=$((i + 1))
		[ $i -lt 300 ] || { kill -9 $pid; fail "the statement never started"; }
		sleep 0.1
	done
	kill -"$1" $pid
	timeout 30 sh -c "while kill -0 $pid 2>/dev/null; do sleep 0.1; done" ||
		{ kill -9 $pid; fail "ladder did not stop after SIG$1"; }
	wait $pid
	RC=$?
	expect_rc "$2" "SIG$1 during pg_sleep"
	expect_err 'interrupted'
	[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname = 'slow'")" = 0 ] ||
		fail "SIG$1: the step was not rolled back"
	[ "$(pg_sql "$db" "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = 't101_$(echo "$1" | tr A-Z a-z)'")" = 0 ] ||
		fail "SIG$1: an advisory lock is left"
	[ "$(pg_sql "$db" "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%'")" = 0 ] ||
		fail "SIG$1: the statement still runs on the server"
	run up -d "$db" --lock-timeout 1000 --dry-run
	expect_rc 0 "a dry run after SIG$1"
}
one INT 130
one TERM 143
exit 0
