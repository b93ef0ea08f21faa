#!/bin/sh
# up --backup: when anything is pending, a snapshot is written first,
# passes integrity_check, and its path and SHA-256 are reported; a run
# killed midway is undone by copying the backup back. Never overwrites;
# nothing pending, no backup.
. "$TESTLIB"

cp -r "$LADDER_SRC/sql" "$LADDER_SRC/manifest.yaml" .
run up --to 1 -d app.db
sqlite3 app.db .dump >before.dump

printf 'CREATE TABLE big (n);\nINSERT INTO big WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3000000) SELECT n FROM c;\n' >sql/0004_big.sql
printf '  - {id: 4, name: big, file: sql/0004_big.sql}\n' >>manifest.yaml

"$LADDER" --format json up --backup=pre.db -d app.db >json.out 2>/dev/null &
pid=$!
# Kill once the steps run (their journal exists): the backup is done.
i=0
while [ ! -s app.db-journal ] && [ $i -lt 200 ]; do sleep 0.02; i=$((i + 1)); done
[ -s app.db-journal ] || fail "the run never started writing"
sleep 0.2
kill -9 $pid
wait $pid 2>/dev/null
[ -s pre.db ] || fail "no backup was written"
sqlite3 pre.db "PRAGMA integrity_check" | grep -qx ok || fail "backup integrity"
sqlite3 pre.db .dump | cmp -s - before.dump || fail "the backup is not the database as it was"

# The documented way back: copy the backup over the database (and drop a
# journal a killed run left).
cp pre.db app.db && rm -f app.db-journal
sqlite3 app.db .dump | cmp -s - before.dump || fail "restore did not give the database back"

# A run to the end reports the backup's path and hash.
rm -f sql/0004_big.sql && printf 'CREATE TABLE small (n);\n' >sql/0004_big.sql
run --format json up --backup=pre2.db -d app.db
expect_rc 0 "backup then apply"
jq_out '.backup.path == "pre2.db"'
[ "$(jq -r .backup.sha256 "$T/out")" = "$(sha256sum pre2.db | cut -d' ' -f1)" ] || fail "reported hash is not the file's"
sqlite3 pre2.db .dump | cmp -s - before.dump || fail "backup 2 is not the pre-upgrade state"

run up --backup=pre2.db -d app.db
expect_rc 0 "nothing pending, nothing backed up"
printf 'CREATE TABLE more (n);\n' >sql/0005_more.sql
printf '  - {id: 5, name: more, file: sql/0005_more.sql}\n' >>manifest.yaml
run up --backup=pre2.db -d app.db
expect_rc 1 "never over an existing file"
expect_err "already exists"
[ "$(sql app.db 'SELECT max(id) FROM schema_migrations')" = 4 ] || fail "applied without its backup"
run up --backup -d app.db
expect_rc 0 "the default path"
ls app.db.backup-* >/dev/null 2>&1 || fail "no default backup app.db.backup-*"
