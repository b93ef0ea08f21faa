#!/bin/sh
# SIGINT (or SIGTERM) while a step waits to run again after a lock timeout
# ends the pause at once: the step stays rolled back, ladder exits 130
# (143), and nothing of the step nor any advisory lock is left.
. "$PGLIB"

one() { # SIGNAL EXIT
	name=t241_$(echo "$1" | tr A-Z a-z)
	db=$(pg_newdb "$name") || exit 1
	rm -rf sql
	manifest <<'M'
engine: postgresql
migrations:
  - id: 1
    name: table
    file: sql/1.sql
  - id: 2
    name: alter
    file: sql/2.sql
    lock_timeout: 50ms
    retries: 10
M
	mkdir -p sql
	printf 'CREATE TABLE t (a int);\n' >sql/1.sql
	printf 'ALTER TABLE t ADD COLUMN b int;\n' >sql/2.sql
	run up -d "$db" --to 1
	expect_rc 0 "up --to 1"
	PGAPPNAME=t241holder "$LADDER_PG_BIN/psql" -X -q -d "$db" -c "BEGIN" \
		-c "LOCK TABLE t IN ACCESS SHARE MODE" -c "SELECT pg_sleep(60)" \
		-c "COMMIT" >/dev/null 2>&1 &
	holder=$!
	i=0
	until [ "$(pg_sql "$db" "SELECT count(*) FROM pg_locks WHERE relation = 't'::regclass AND granted")" = 1 ]; do
		i=$((i + 1))
		[ $i -lt 300 ] || fail "the holder never took the lock"
		sleep 0.1
	done
	"$LADDER" up -d "$db" >"$T/out" 2>"$T/err" &
	pid=$!
	# After attempt 5 the pause is 800-1600 ms: the signal lands in it.
	i=0
	until grep -q 'attempt 5 hit' "$T/out"; do
		i=$((i + 1))
		[ $i -lt 600 ] || { kill -9 $pid; fail "no fifth attempt"; }
		sleep 0.05
	done
	kill -"$1" $pid
	timeout 30 sh -c "while kill -0 $pid 2>/dev/null; do sleep 0.05; done" ||
		{ kill -9 $pid; fail "ladder did not stop after SIG$1"; }
	wait $pid
	RC=$?
	expect_rc "$2" "SIG$1 during the pause before a retry"
	expect_err "interrupted while applying migration 2 'alter'"
	expect_no_out 'attempt 6'
	pg_sql "$db" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 't241holder'" >/dev/null
	wait $holder
	[ "$(pg_sql "$db" "SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'b'")" = 0 ] ||
		fail "SIG$1: the step was kept"
	[ "$(pg_sql "$db" "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = '$name'")" = 0 ] ||
		fail "SIG$1: an advisory lock is left"
	run up -d "$db"
	expect_rc 0 "up after SIG$1"
}
one INT 130
one TERM 143
exit 0
