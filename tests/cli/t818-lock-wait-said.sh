#!/bin/sh
# Nothing looks hung (issue 14, item 7): a write command waiting for
# another runner's lock says so at once on stderr, naming the holder's
# pid; status and check never wait on a runner's lock.
. "$TESTLIB"

steps 1 2
run -d app.db up --to 1
expect_rc 0
hold_runner_lock .

CASE="up says at once whose lock it waits for"
"$LADDER" -d app.db up >"$T/out2" 2>"$T/err2" &
pid=$!
wait_for "$T/err2" 300 || fail "up said nothing while it waited"
grep -qx "ladder: waiting for the runner lock held by pid $HOLDER (up to 60 s)..." "$T/err2" ||
	fail "stderr: $(cat "$T/err2")"
[ "$(ids app.db)" = 1 ] || fail "up applied while the lock was held"

CASE="status and check do not wait on the runner lock"
run -d app.db --lock-timeout 0 status
expect_rc 0
expect_out "^ 2  m2 +pending"
expect_no_err "waiting"
run -d app.db --lock-timeout 0 check
expect_rc 1
expect_out "^migrations needed: pending \[2\]"
expect_no_err "waiting"

CASE="the waiting up goes on once the lock is free"
release_lock
reap "$pid" 60
expect_rc 0
[ "$(ids app.db)" = 1,2 ] || fail "up did not apply after the wait"

CASE="--quiet and --format json say nothing"
hold_runner_lock .
run -d app.db --lock-timeout 0 -q up
expect_rc 1
expect_no_err "waiting"
run -d app.db --lock-timeout 0 --format json up
expect_rc 1
expect_no_err "waiting"
CASE="--lock-timeout in the message"
run -d app.db --lock-timeout 0 up
expect_rc 1
expect_err "^ladder: waiting for the runner lock held by pid $HOLDER \(up to 0 s\)\.\.\.$"
expect_err "lock-timeout|gave up"
release_lock
exit 0
