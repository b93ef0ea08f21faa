#!/bin/sh
# Ctrl-C during a file of millions of tiny statements: ladder stops at the
# next statement with exit 130 and the step rolled back, far from the end of
# the file. An interrupt that lands between statements (where most of the
# time goes with tiny ones) must not be lost until the file runs out.
#
# No clock: `-v` prints each statement before it runs, so the last line
# printed shows how far the run got; running on to the file's end prints
# its last line (or meets the hang guard).
. "$TESTLIB"

n=5000000
mkdir sql
printf 'CREATE TABLE t (x);\n' >sql/1.sql
{
	echo 'INSERT INTO t VALUES (1);'
	yes 'SELECT 1;' | head -n $((n - 1))
} >sql/2.sql
manifest <<'M'
migrations:
  - {id: 1, name: one, file: sql/1.sql}
  - {id: 2, name: many, file: sql/2.sql}
M
run up -d app.db --to 1
expect_rc 0 "the first step"

"$LADDER" -v up -d app.db >v.out 2>err &
pid=$!
# Evidence the step runs its statements: its journal exists.
wait_for app.db-journal 600 || fail "the step never started (no journal)"
sleep 1
kill -INT $pid
reap $pid 60
[ "$RC" -eq 130 ] || fail "SIGINT among tiny statements: exit $RC, not 130"
expect_err "interrupted"
# (the statements go to v.out, not out, so a failure does not print them)
grep -q 'sql/2\.sql:1: INSERT' v.out || fail "no statement of step 2 ran"
! grep -q "sql/2\\.sql:$n: " v.out || fail "ran on to the last statement of the file"
last=$(grep -o 'sql/2\.sql:[0-9]*:' v.out | tail -n 1 | tr -dc 0-9)
[ "$last" -lt $((n / 2)) ] || fail "ran on to statement $last of $n after the signal"
[ "$(ids app.db)" = 1 ] || fail "step 2 was recorded"
