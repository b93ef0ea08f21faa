#!/bin/sh
# A connection lost mid-step (the server ends ladder's backend) is
# reported for what it is (`connection-lost`, exit 1); nothing of the
# step stays, and the next up completes.
. "$PGLIB"

db=$(pg_newdb t109_a) || exit 1
manifest <<'M'
engine: postgresql
migrations:
  - id: 1
    name: slow
    file: sql/1.sql
M
mkdir -p sql
printf 'CREATE TABLE t (x int);\nSELECT pg_sleep(30);\n' >sql/1.sql
"$LADDER" up -d "$db" --format json >"$T/out" 2>"$T/err" &
pid=$!
i=0
until [ "$(pg_sql "$db" "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' AND state = 'active'")" = 1 ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || { kill -9 $pid; fail "the statement never started"; }
	sleep 0.1
done
pg_sql "$db" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%'" >/dev/null
timeout 30 sh -c "while kill -0 $pid 2>/dev/null; do sleep 0.1; done" || { kill -9 $pid; fail "ladder hangs"; }
wait $pid
RC=$?
expect_rc 1 "up whose connection was lost"
jq_out '[.diagnostics[] | select(.code == "connection-lost")] | length >= 1'
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname = 't'")" = 0 ] || fail "the step stayed"
printf 'CREATE TABLE t (x int);\n' >sql/1.sql
run up -d "$db"
expect_rc 0 "the next up"
[ "$(pg_sql "$db" "SELECT string_agg(id::text, ',') FROM schema_migrations")" = 1 ] || fail "no row"
exit 0
