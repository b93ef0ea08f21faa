#!/bin/sh
# kill -9 inside a `transaction: false` step: the step is not recorded and
# stays visible as failed ("the run died midway"); check says incompatible
# (exit 2); up refuses until `repair` clears the note.
. "$TESTLIB"

migration 0001 one "CREATE TABLE a (x);"
migration 0002 slow "CREATE TABLE b (x);
INSERT INTO b WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5000000) SELECT n FROM c;"
manifest <<'M'
migrations:
  - {id: 1, name: one, file: sql/0001_one.sql}
  - {id: 2, name: slow, file: sql/0002_slow.sql, transaction: false}
M
"$LADDER" -q up -d app.db &
pid=$!
# Kill once step 2 is writing.
i=0
while [ "$(sql app.db "SELECT count(*) FROM sqlite_schema WHERE name = 'b'" 2>/dev/null)" != 1 ] && [ $i -lt 200 ]; do
	sleep 0.02
	i=$((i + 1))
done
sleep 0.2
kill -9 $pid
wait $pid 2>/dev/null
# A read-write open rolls back the statement that was running.
sql app.db "PRAGMA integrity_check" | grep -qx ok || fail "integrity"

run status -d app.db
expect_rc 0 status
expect_out '^ *2 +slow +failed .*the run died midway'
run check -d app.db
expect_rc 2 "check after the kill"
expect_out '^incompatible: failed midway .*\[2\]'
run up -d app.db
expect_rc 1 "up refuses"
expect_err "ladder repair"
run repair -d app.db
expect_rc 0 repair
run up -d app.db
expect_rc 1 "b exists: the half-done step must be mended by hand"
sql app.db "DROP TABLE b"
run repair -d app.db
run up -d app.db
expect_rc 0 "mended, then applied"
