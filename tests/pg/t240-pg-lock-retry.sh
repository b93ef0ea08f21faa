#!/bin/sh
# A step with `lock_timeout:` and `retries:` that meets a table another
# session holds (psql: BEGIN; LOCK TABLE; pg_sleep) times out (55P03), is
# rolled back, reported (`retry` line and note) and run again after a pause;
# once the other session lets go, it succeeds. With its retries spent it
# fails naming SQLSTATE 55P03 and the blocking session (pid, application
# name, state), and nothing of it is kept.
. "$PGLIB"

db=$(pg_newdb t240) || exit 1
manifest <<'M'
engine: postgresql
lock_timeout: 200ms
migrations:
  - id: 1
    name: table
    file: sql/1.sql
  - id: 2
    name: alter
    file: sql/2.sql
    retries: 8
  - id: 3
    name: again
    file: sql/3.sql
    lock_timeout: 100ms
    retries: 2
M
mkdir -p sql
printf 'CREATE TABLE t (a int);\n' >sql/1.sql
printf 'CREATE TABLE t2 (a int);\nALTER TABLE t ADD COLUMN b int;\n' >sql/2.sql
printf 'ALTER TABLE t ADD COLUMN c int;\n' >sql/3.sql
run up -d "$db" --to 1
expect_rc 0 "up --to 1"

# hold SECONDS APPNAME: a psql session that holds t in ACCESS SHARE mode
# for SECONDS (in the background, $holder), once it holds it.
hold() {
	PGAPPNAME=$2 "$LADDER_PG_BIN/psql" -X -q -d "$db" -c "BEGIN" \
		-c "LOCK TABLE t IN ACCESS SHARE MODE" -c "SELECT pg_sleep($1)" \
		-c "COMMIT" >/dev/null 2>&1 &
	holder=$!
	i=0
	until [ "$(pg_sql "$db" "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE l.relation = 't'::regclass AND l.granted AND a.application_name = '$2'")" = 1 ]; do
		i=$((i + 1))
		[ $i -lt 300 ] || fail "the holder never took the lock"
		sleep 0.1
	done
}

# 1. Held for 1.5 s: the first attempts time out after 200 ms; the pauses
# (100 ms doubling, with jitter) outlast the holder well before 8 retries.
hold 1.5 t240holder
run up -d "$db" --to 2
wait $holder
expect_rc 0 "up with a lock held for a while"
expect_out '^retry 2 alter: attempt 1 hit a lock timeout or deadlock and was rolled back; again in [0-9]+ ms'
expect_out '^applied 2 alter'
expect_err 'note: migration 2 .alter., attempt 1 of 9: .*lock timeout.*SQLSTATE 55P03.*rolled back, runs again in [0-9]+ ms'
expect_no_err 'error'
[ "$(pg_sql "$db" "SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'b'")" = 1 ] ||
	fail "column b is not there"
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname = 't2'")" = 1 ] ||
	fail "t2 (made before the blocked statement, in every attempt) is not there once"

# 2. Held for longer than three attempts: the step fails, names 55P03 and
# the holder; JSON lists each attempt as a `retry` note.
hold 60 t240blocker
hpid=$(pg_sql "$db" "SELECT pid FROM pg_stat_activity WHERE application_name = 't240blocker'")
run up -d "$db"
expect_rc 1 "up with retries spent"
expect_err "^sql/3.sql:1: error: canceling statement due to lock timeout; blocked by pid $hpid \\(application_name 't240blocker', state 'active', query started [0-9-]+ [0-9:.+]+: SELECT pg_sleep\\(60\\)\\) \\(SQLSTATE 55P03\\)"
expect_err "migration 3 'again' failed 3 times; its 2 retries are spent"
expect_err 'rolled back'
run up -d "$db" --format json
expect_rc 1 "up --format json with retries spent"
jq_out '[.diagnostics[] | select(.code == "retry" and .severity == "note" and .sqlstate == "55P03")] | length == 2'
jq_out '[.diagnostics[] | select(.code == "lock-timeout" and .sqlstate == "55P03" and (.message | test("blocked by pid")))] | length == 1'
jq_out '[.diagnostics[] | select(.code == "retries-spent")] | length == 1'
pg_sql "$db" "SELECT pg_terminate_backend($hpid)" >/dev/null
wait $holder
[ "$(pg_sql "$db" "SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'c'")" = 0 ] ||
	fail "column c is there after the failure"
[ "$(pg_sql "$db" "SELECT string_agg(id::text, ',' ORDER BY id) FROM schema_migrations")" = 1,2 ] ||
	fail "rows after the failure"
run up -d "$db"
expect_rc 0 "up once the holder is gone"
exit 0
