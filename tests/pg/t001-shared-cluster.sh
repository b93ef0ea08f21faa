#!/bin/sh
# The shared cluster of the ctest fixture: pg_newdb gives each test a fresh
# database (made again empty), reachable by socket, TCP, the password role,
# the hot standby and PgBouncer, which start on demand.
. "$PGLIB"

db=$(pg_newdb t001_a) || exit 1
[ "$db" = "$LADDER_PG_URL/t001_a" ] || fail "pg_newdb printed '$db'"
pg_sql "$db" 'CREATE TABLE leftover (x int)' || fail "cannot write in the new database"
db=$(pg_newdb t001_a) || exit 1
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname = 'leftover'")" = 0 ] ||
	fail "pg_newdb kept an older database's table"
[ "$(pg_sql "$(pg_url t001_a password)" 'SELECT current_user')" = ladder_pw ] || fail "no password route"
[ "$(pg_sql "$(pg_url t001_a tcp)" 'SELECT current_database()')" = t001_a ] || fail "no TCP route"
(pg_newdb 'T001;drop') >/dev/null 2>&1 && fail "pg_newdb took a name that needs quoting"

pg_sql "$db" 'CREATE TABLE seen AS SELECT 7 AS x' || fail "cannot write"
pg_standby
pg_wait_replay
[ "$(pg_sql "$(pg_url t001_a standby)" 'SELECT x FROM seen')" = 7 ] || fail "the standby lacks the new database"
[ "$(pg_sql "$(pg_url t001_a standby)" 'SELECT pg_is_in_recovery()')" = t ] || fail "the standby is not in recovery"
pg_bouncer
[ "$(pg_sql "$(pg_url t001_a pgbouncer)" 'SELECT x FROM seen')" = 7 ] || fail "no query through pgbouncer"
exit 0
