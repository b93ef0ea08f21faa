#!/bin/sh
# check on a missing database file is a fresh install: exit 1 with every id
# pending, and no file (database, -journal, -wal) is created - also when the
# database's directory does not exist.
. "$TESTLIB"

steps 1 2 10
before=$(snapshot)
ls -a >ls.before
run check -d app.db
expect_rc 1 "check on a missing database"
expect_out '^migrations needed: pending \[1 2 10\]'
ls -a >ls.after
# Compare the listings minus the ls files and run's out/err.
grep -Ev '^(ls\..*|out|err)$' ls.before >a
grep -Ev '^(ls\..*|out|err)$' ls.after >b
cmp -s a b || fail "check created files: $(diff a b)"
rm ls.before ls.after a b
expect_same "$before" "check on a missing database"

run check -d sqlite:app.db
expect_rc 1 "check on a missing sqlite: database"
expect_same "$before" "check on a missing sqlite: database"

run check -d nodir/sub/app.db
# up could make no file there: not a fresh install (t815)
expect_rc 3 "check on a missing database in a missing directory"
expect_same "$before" "check in a missing directory"
[ ! -e nodir ] || fail "check created the directory"
