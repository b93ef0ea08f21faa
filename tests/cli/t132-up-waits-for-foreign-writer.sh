#!/bin/sh
# Another program (not a ladder) holds SQLite's write lock for about two
# seconds, then commits: up waits in SQLite's busy wait (it does not fail
# at once) and then applies, exit 0.
. "$TESTLIB"

steps 1
run up -d app.db
expect_rc 0 "the first step"
steps 1 2

hold_write_lock app.db 2
run up -d app.db
expect_rc 0 "up waits for the writer, then applies"
[ "$(ids app.db)" = 1,2 ] || fail "step 2 not recorded: $(ids app.db)"
wait "$HOLDER" || fail "the writer could not commit"
