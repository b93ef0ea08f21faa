#!/bin/sh
# After a writer was killed mid-transaction (a hot journal beside the
# file), read-only commands cannot roll it back: check exits 3 and status 1
# with a message saying what happened and what to do, and both leave the
# files byte-for-byte alone; the next `up` recovers and completes.
. "$TESTLIB"

migration 0001 one "CREATE TABLE a (x);"
migration 0002 two "CREATE TABLE b (x);"
manifest <<'M'
migrations:
  - {id: 1, name: one, file: sql/0001_one.sql}
  - {id: 2, name: two, file: sql/0002_two.sql}
M
run up -d app.db --to 1
expect_rc 0 "first step"

# A writer that spills its cache into the file, then dies by kill -9
# inside its transaction (system() runs sh, whose parent is sqlite3).
sqlite3 app.db "PRAGMA cache_size = 5;" "BEGIN;" "CREATE TABLE junk (x);" \
	"INSERT INTO junk WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 50000) SELECT randomblob(100) FROM c;" \
	'.system kill -9 $PPID' >/dev/null 2>&1
[ -s app.db-journal ] || fail "the setup left no hot journal"

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
