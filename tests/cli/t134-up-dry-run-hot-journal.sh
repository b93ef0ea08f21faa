#!/bin/sh
# up --dry-run is read-only: on a database a killed writer left with a hot
# journal it cannot roll the journal back, so it exits 1 with the
# needs-recovery diagnostic and leaves the database and the journal byte
# for byte as they were (the real `up` recovers; see t204).
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
# inside its transaction (as t204 does).
sqlite3 app.db "PRAGMA cache_size = 5;" "BEGIN;" "CREATE TABLE junk (x);" \
	"INSERT INTO junk WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 50000) SELECT randomblob(100) FROM c;" \
	'.system kill -9 $PPID' >/dev/null 2>&1
[ -s app.db-journal ] || fail "the setup left no hot journal"

sums=$(sha256sum app.db app.db-journal)
run up --dry-run -d app.db
expect_rc 1 "up --dry-run on a hot journal"
[ "$(sha256sum app.db app.db-journal)" = "$sums" ] || fail "up --dry-run changed the database or its journal"
run up --dry-run --format json -d app.db
expect_rc 1 "up --dry-run --format json on a hot journal"
jq_out 'any(.diagnostics[]; .code == "needs-recovery")'
[ "$(sha256sum app.db app.db-journal)" = "$sums" ] || fail "up --dry-run --format json changed the database or its journal"
