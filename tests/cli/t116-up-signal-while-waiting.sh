#!/bin/sh
# A runner waiting for another ladder's runner lock stops at once on a
# signal, with 128 + it and "interrupted while waiting" on stderr, nothing
# done: up on SIGTERM, baseline and repair on SIGINT. (SQLite's own busy
# wait, the lock timeout and a lock freed meanwhile have their own scripts:
# t130, t131, t132.)
. "$TESTLIB"

migration 0001 one "CREATE TABLE a (x);"
manifest <<'M'
migrations:
  - {id: 1, name: one, file: sql/0001_one.sql}
M
mkdir db
run up -d db/app.db
expect_rc 0 "the first step"
migration 0002 two "CREATE TABLE b (x);"
printf '  - {id: 2, name: two, file: sql/0002_two.sql}\n' >>manifest.yaml

# interrupt SIG WANT CMD...: runs ladder CMD while another ladder holds the
# runner lock, sends SIG once ladder waits on the folder, expects WANT.
interrupt() {
	sig=$1 want=$2
	shift 2
	before=$(snapshot)
	hold_runner_lock db
	"$LADDER" -q "$@" -d db/app.db >out 2>err &
	pid=$!
	wait_open $pid db || fail "ladder $* never opened the database's folder"
	sleep 0.3
	kill -0 $pid 2>/dev/null || fail "ladder $* did not wait for the lock"
	kill -"$sig" $pid
	reap $pid
	release_lock
	[ "$RC" -eq "$want" ] || fail "SIG$sig while waiting: exit $RC, not $want"
	expect_err "interrupted while waiting for another ladder's lock"
	expect_same "$before" "ladder $* while the lock was held"
}

up_term() { interrupt TERM 143 up; }
baseline_int() { interrupt INT 130 baseline 1; }
repair_int() { interrupt INT 130 repair; }
tcase "SIGTERM stops up waiting for the runner lock" up_term
tcase "SIGINT stops baseline waiting for the runner lock" baseline_int
tcase "SIGINT stops repair waiting for the runner lock" repair_int
tdone
