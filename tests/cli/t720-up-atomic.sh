#!/bin/sh
# up --atomic: all pending steps in one transaction. A failure in the last
# step, or a kill -9 midway, leaves the database as it was before (same
# .dump); success applies all; a transaction: false step is refused.
. "$TESTLIB"

cp -r "$LADDER_SRC/sql" "$LADDER_SRC/manifest.yaml" .
run up --to 1 -d app.db
expect_rc 0 "the first step"
sqlite3 app.db .dump >before.dump

printf 'CREATE TABLE x (a);\nINSERT INTO x VALUES (1);\nINSERT INTO nowhere VALUES (1);\n' >sql/0004_bad.sql
printf '  - {id: 4, name: bad, file: sql/0004_bad.sql}\n' >>manifest.yaml
run up --atomic -d app.db
expect_rc 1 "the last step fails"
expect_err 'sql/0004_bad\.sql:3: error: no such table: nowhere'
expect_err 'all 3 steps were rolled back'
sqlite3 app.db .dump | cmp -s - before.dump || fail "steps 2 and 3 stayed after the failure"

# A kill -9 midway: long steps, killed in the second of them.
printf 'CREATE TABLE x (a);\nINSERT INTO x WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3000000) SELECT n FROM c;\n' >sql/0004_bad.sql
"$LADDER" -q up --atomic -d app.db &
pid=$!
# Kill once the transaction is writing (its journal exists).
i=0
while [ ! -s app.db-journal ] && [ $i -lt 200 ]; do sleep 0.02; i=$((i + 1)); done
[ -s app.db-journal ] || fail "the run never started writing"
sleep 0.2
kill -9 $pid
wait $pid 2>/dev/null
# The journal is rolled back by the next read-write open.
sqlite3 app.db "PRAGMA integrity_check" | grep -qx ok || fail "integrity after the kill"
sqlite3 app.db .dump | cmp -s - before.dump || fail "a killed --atomic run left steps behind"

run up --atomic -d app.db
expect_rc 0 "all at once"
[ "$(sql app.db 'SELECT group_concat(id) FROM schema_migrations')" = "1,2,3,4" ] || fail "not all applied"

printf 'VACUUM;\n' >sql/0005_vacuum.sql
printf '  - {id: 5, name: vacuum, file: sql/0005_vacuum.sql, transaction: false}\n' >>manifest.yaml
cp app.db app.before
run up --atomic -d app.db
expect_rc 1 "transaction: false refused"
expect_err "cannot include it"
cmp -s app.db app.before || fail "a refused --atomic run changed the database"
