#!/bin/sh
# A runner waiting for another's lock: SIGTERM stops the wait at once (exit
# 143) with nothing done; with a short --lock-timeout it gives up with a
# clear message (exit 1); once the lock is free it applies.
. "$TESTLIB"

migration 0001 one "CREATE TABLE a (x);"
manifest <<'M'
migrations:
  - {id: 1, name: one, file: sql/0001_one.sql}
M
mkdir db
# Another ladder holds the runner lock: flock(1) on the directory.
flock db sleep 10 &
holder=$!
sleep 0.2

"$LADDER" -q up -d db/app.db 2>wait.err &
pid=$!
sleep 0.5
kill -0 $pid 2>/dev/null || fail "the runner did not wait for the lock"
start=$(date +%s%N)
kill -TERM $pid
wait $pid
rc=$?
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ $rc -eq 143 ] || fail "SIGTERM while waiting: exit $rc, not 143"
[ $took_ms -lt 1000 ] || fail "took ${took_ms} ms to stop waiting"
[ "$(sql db/app.db "SELECT count(*) FROM sqlite_schema WHERE name = 'a'")" = 0 ] ||
	fail "applied while the lock was held"

run up -d db/app.db --lock-timeout 1
expect_rc 1 "gives up after the timeout"
expect_err "another ladder holds the lock.*gave up after 1000 ms"

kill $holder
wait $holder 2>/dev/null
run up -d db/app.db
expect_rc 0 "applies once the lock is free"

# baseline and repair stop waiting on a signal too, with 128 + it.
flock db sleep 10 &
holder=$!
sleep 0.2
for cmd in "baseline 1" repair; do
	"$LADDER" -q $cmd -d db/app.db 2>wait.err &
	pid=$!
	sleep 0.4
	kill -INT $pid
	wait $pid
	rc=$?
	[ $rc -eq 130 ] || fail "$cmd: SIGINT while waiting gave exit $rc, not 130"
	grep -q "interrupted while waiting" wait.err || fail "$cmd said nothing"
done
kill $holder
wait $holder 2>/dev/null || true

# Another program (not a ladder) holds SQLite's write lock: Ctrl-C stops
# the wait at once too.
sqlite3 db/app.db "BEGIN IMMEDIATE;" ".system sleep 8" "COMMIT;" &
holder=$!
sleep 0.5
printf 'CREATE TABLE b (x);\n' >sql/0002_two.sql
printf '  - {id: 2, name: two, file: sql/0002_two.sql}\n' >>manifest.yaml
"$LADDER" -q up -d db/app.db 2>busy.err &
pid=$!
sleep 0.7
start=$(date +%s%N)
kill -INT $pid
wait $pid
rc=$?
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ $rc -eq 130 ] || fail "SIGINT in SQLite's busy wait: exit $rc ($(cat busy.err))"
[ $took_ms -lt 1000 ] || fail "took ${took_ms} ms to stop SQLite's busy wait"
kill $holder 2>/dev/null
wait $holder 2>/dev/null || true
