#!/bin/sh
# A step chosen by the server to break a deadlock (40P01) is rolled back
# and, with `retries:`, run again; it then succeeds. Without retries it
# fails naming SQLSTATE 40P01.
. "$PGLIB"

# deadlock DB: a psql session that locks b, waits until ladder (holding a)
# waits for b, then asks for a: the server (deadlock_timeout, 1 s) cancels
# ladder's statement, the waiter that checks first. The session then holds
# both for 0.3 s and commits.
deadlock() {
	{
		echo "BEGIN; LOCK TABLE b;"
		i=0
		until [ "$(pg_sql "$1" "SELECT count(*) FROM pg_locks WHERE relation = 'b'::regclass AND NOT granted")" = 1 ]; do
			i=$((i + 1))
			[ $i -lt 300 ] || break
			sleep 0.05
		done
		echo "LOCK TABLE a; SELECT pg_sleep(0.3); COMMIT;"
	} | PGAPPNAME=t244holder "$LADDER_PG_BIN/psql" -X -q -d "$1" >/dev/null 2>&1 &
	holder=$!
	i=0
	until [ "$(pg_sql "$1" "SELECT count(*) FROM pg_locks WHERE relation = 'b'::regclass AND granted")" = 1 ]; do
		i=$((i + 1))
		[ $i -lt 300 ] || fail "the holder never took b"
		sleep 0.05
	done
}

one() { # NAME RETRIES
	db=$(pg_newdb "$1") || exit 1
	rm -rf sql
	manifest <<M
engine: postgresql
migrations:
  - id: 1
    name: tables
    file: sql/1.sql
  - id: 2
    name: both
    file: sql/2.sql
    retries: $2
M
	mkdir -p sql
	printf 'CREATE TABLE a (x int);\nCREATE TABLE b (x int);\n' >sql/1.sql
	printf 'LOCK TABLE a;\nLOCK TABLE b;\nALTER TABLE a ADD COLUMN y int;\n' >sql/2.sql
	run up -d "$db" --to 1
	expect_rc 0 "up --to 1"
	deadlock "$db"
	run up -d "$db"
	wait $holder
}

one t244_a 3
expect_rc 0 "up through a deadlock with retries"
expect_out '^retry 2 both: attempt 1 hit a lock timeout or deadlock'
expect_err "sql/2.sql:2: note: migration 2 'both', attempt 1 of 4: deadlock detected.*SQLSTATE 40P01"
expect_out '^applied 2 both'
[ "$(pg_sql "$db" "SELECT count(*) FROM information_schema.columns WHERE table_name = 'a' AND column_name = 'y'")" = 1 ] ||
	fail "column y is not there"

one t244_b 0
expect_rc 1 "up through a deadlock without retries"
expect_err 'sql/2.sql:2: error: deadlock detected.*SQLSTATE 40P01'
expect_no_out 'retry'
exit 0
