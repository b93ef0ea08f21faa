#!/bin/sh
# The limits are SET LOCAL in each step's transaction: a step sees its own
# lock_timeout and statement_timeout (the entry's, else the manifest's;
# `0` is off); a step without any sees the session's own values (here the
# database's ALTER DATABASE ... SET), also after a step that set them; a
# statement_timeout that fires (57014) is not retried, whatever `retries:`.
. "$PGLIB"

db=$(pg_newdb t242) || exit 1
pg_sql "$db" "ALTER DATABASE t242 SET lock_timeout = '7s'" >/dev/null || fail "ALTER DATABASE"
manifest <<'M'
engine: postgresql
statement_timeout: 1min
migrations:
  - id: 1
    name: log
    file: sql/1.sql
  - id: 2
    name: own
    file: sql/2.sql
    lock_timeout: 250ms
    statement_timeout: 2s
  - id: 3
    name: off
    file: sql/3.sql
    lock_timeout: 0
    statement_timeout: 0
  - id: 4
    name: default
    file: sql/4.sql
M
mkdir -p sql
log="INSERT INTO seen SELECT %s, current_setting('lock_timeout'), current_setting('statement_timeout');\n"
printf "CREATE TABLE seen (id int, lt text, st text);\n$log" 1 >sql/1.sql
printf "$log" 2 >sql/2.sql
printf "$log" 3 >sql/3.sql
printf "$log" 4 >sql/4.sql
run up -d "$db"
expect_rc 0 "up"
got=$(pg_sql "$db" "SELECT string_agg(id || '=' || lt || '/' || st, ' ' ORDER BY id) FROM seen")
[ "$got" = "1=7s/1min 2=250ms/2s 3=0/0 4=7s/1min" ] || fail "the steps saw: $got"

# --atomic: the four steps share one transaction; a SET LOCAL of one step
# does not reach the next (the driver puts the session's value back).
db4=$(pg_newdb t242_d) || exit 1
pg_sql "$db4" "ALTER DATABASE t242_d SET lock_timeout = '7s'" >/dev/null || fail "ALTER DATABASE"
run up -d "$db4" --atomic
expect_rc 0 "up --atomic"
got=$(pg_sql "$db4" "SELECT string_agg(id || '=' || lt || '/' || st, ' ' ORDER BY id) FROM seen")
[ "$got" = "1=7s/1min 2=250ms/2s 3=0/0 4=7s/1min" ] || fail "the steps of one transaction saw: $got"

# Without any limit in the manifest, a step sees exactly the session's.
db2=$(pg_newdb t242_b) || exit 1
pg_sql "$db2" "ALTER DATABASE t242_b SET lock_timeout = '7s'" >/dev/null || fail "ALTER DATABASE"
manifest <<'M'
engine: postgresql
migrations:
  - id: 1
    name: log
    file: sql/1.sql
M
run up -d "$db2"
expect_rc 0 "up without limits"
got=$(pg_sql "$db2" "SELECT lt || '/' || st FROM seen")
[ "$got" = "7s/0" ] || fail "a step without limits saw: $got"

# statement_timeout fires: 57014, one attempt, no retry.
db3=$(pg_newdb t242_c) || exit 1
manifest <<'M'
engine: postgresql
migrations:
  - id: 1
    name: slow
    file: sql/slow.sql
    statement_timeout: 100ms
    retries: 3
M
printf 'CREATE TABLE slow (a int);\nSELECT pg_sleep(5);\n' >sql/slow.sql
run up -d "$db3"
expect_rc 1 "a step over its statement_timeout"
expect_err 'sql/slow.sql:2: error: canceling statement due to statement timeout.*SQLSTATE 57014'
expect_no_err 'retry'
expect_no_out 'retry'
[ "$(pg_sql "$db3" "SELECT count(*) FROM pg_class WHERE relname = 'slow'")" = 0 ] || fail "the slow step was kept"
exit 0
