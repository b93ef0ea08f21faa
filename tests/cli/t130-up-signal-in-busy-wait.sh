#!/bin/sh
# Another program (not a ladder) holds SQLite's write lock (BEGIN
# IMMEDIATE): Ctrl-C while up waits in SQLite's busy wait stops it with
# exit 130 and "interrupted" on stderr, nothing applied, not a false "the
# database stayed locked" timeout, and one error line, not two.
. "$TESTLIB"

steps 1
run up -d app.db
expect_rc 0 "the first step"
steps 1 2

hold_write_lock app.db
"$LADDER" up -d app.db --lock-timeout 120 >out 2>err &
pid=$!
wait_open $pid app.db || fail "ladder never opened the database"
sleep 0.5
kill -0 $pid 2>/dev/null || fail "ladder did not wait for the write lock: $(cat err)"
kill -INT $pid
reap $pid
release_lock
[ "$RC" -eq 130 ] || fail "SIGINT in SQLite's busy wait: exit $RC, not 130"
expect_err "interrupted"
# One line says so: the driver's, not run_step's again.
[ "$(grep -c interrupted err)" -eq 1 ] || fail "not one 'interrupted' line"
expect_no_err "stayed locked"
expect_no_err "another ladder's lock"
[ "$(ids app.db)" = 1 ] || fail "step 2 was recorded"
