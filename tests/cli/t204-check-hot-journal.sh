#!/bin/sh
# After a writer was killed mid-transaction (a hot journal beside the
# file), read-only commands cannot roll it back: check exits 3 and status 1
# with a message saying what happened and what to do, and both leave the
# files byte-for-byte alone; the next `up` recovers and completes.
. "$TESTLIB"

# Steps 1 and 2, step 1 applied, then a writer killed inside its
# transaction: app.db with a hot journal (lib.sh).
hot_journal_after_step_1

before=$(snapshot)
run check -d app.db
expect_rc 3 "check cannot tell"
expect_err "app\.db: error: .*cut off.*ladder up"
run status -d app.db
expect_rc 1 "status cannot read"
expect_err "cut off"
[ "$(snapshot)" = "$before" ] || fail "a read-only command touched the files"

run up -d app.db
expect_rc 0 "up recovers and applies"
[ ! -s app.db-journal ] || fail "journal still there"
[ "$(sql app.db "SELECT count(*) FROM sqlite_schema WHERE name = 'junk'")" = 0 ] ||
	fail "the killed writer's table survived"
run check -d app.db
expect_rc 0 "compatible after recovery"
