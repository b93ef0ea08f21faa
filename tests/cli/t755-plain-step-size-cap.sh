#!/bin/sh
# A `transaction: false` step's file is read whole before it runs, so it
# may hold at most 16 MiB (issue 10: run exactly the bytes that were
# checked). One past the cap is refused by validate and by up before any
# step runs, at the manifest entry, with the reason; nothing is recorded
# and no step is left failed. The same file in a transactional step,
# which streams, is fine.
. "$TESTLIB"

migration 0001 first "CREATE TABLE a (x);"
# 17,000 comment lines of 994 bytes and one statement: 16,898,010 bytes,
# past 16 MiB (16,777,216), and quick to scan.
yes -- "-- $(printf '%0990d' 0)" | head -n 17000 >sql/0002_big.sql
echo 'SELECT 1;' >>sql/0002_big.sql
[ "$(wc -c <sql/0002_big.sql)" -gt 16777216 ] || fail "the big file is not past 16 MiB"
manifest <<'M'
migrations:
  - {id: 1, name: first, file: sql/0001_first.sql}
  - {id: 2, name: big, file: sql/0002_big.sql, transaction: false}
M

CASE="validate refuses the plain step past the cap, at its entry"
run validate
expect_rc 1 "validate"
expect_err 'manifest\.yaml:3:[0-9]+: error: .*0002_big\.sql.* is larger than 16 MiB, the most a step with .transaction: false. may hold'

CASE="up refuses it before any step runs"
run up -d app.db
expect_rc 1 "up"
expect_err 'is larger than 16 MiB'
# A fresh database that got no commit is removed whole (issue 10).
[ ! -e app.db ] || fail "up left a database behind: $(ls -l app.db*)"
run up -d app.db --dry-run
expect_rc 1 "up --dry-run"
expect_err 'is larger than 16 MiB'
run status -d app.db
expect_out '^ *2 +big +pending'

CASE="a transactional step of the same size is fine"
manifest <<'M'
migrations:
  - {id: 1, name: first, file: sql/0001_first.sql}
  - {id: 2, name: big, file: sql/0002_big.sql}
M
run validate
expect_rc 0 "validate of a transactional step past 16 MiB"
exit 0
