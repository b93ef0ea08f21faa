#!/bin/sh
# export writes the pending steps as one script the plain sqlite3 shell
# runs: after it, check says compatible; run again, it stops at the first
# step already present and changes nothing; on a partly migrated database
# only the rest is exported. export itself reads only.
. "$TESTLIB"

cp -r "$LADDER_SRC/sql" "$LADDER_SRC/manifest.yaml" .
run export
expect_rc 0 "export everything"
cp out all.sql
grep -q '^\.bail on' all.sql || fail "the script does not stop at the first error"
[ "$(grep -c '^BEGIN IMMEDIATE;' all.sql)" = 3 ] || fail "not one transaction per step"
sqlite3 -batch device.db <all.sql || fail "the sqlite3 shell could not run the script"
run check -d device.db
expect_rc 0 "compatible after the script"
[ "$(sql device.db "SELECT count(*) FROM schema_migrations WHERE checksum_algorithm = 'sha256-lf' AND length(checksum) = 64")" = 3 ] ||
	fail "rows lack checksums"

cp device.db device.before
sqlite3 -batch device.db <all.sql 2>err.txt && fail "a second run did not stop"
grep -q 'UNIQUE constraint failed' err.txt || fail "stopped for another reason: $(cat err.txt)"
cmp -s device.db device.before || fail "a second run changed the database"

run up -d part.db --to 1
cp part.db part.before
run export -d part.db
expect_rc 0 "export the rest"
cmp -s part.db part.before || fail "export wrote to the database"
cp out rest.sql
[ "$(grep -c '^BEGIN IMMEDIATE;' rest.sql)" = 2 ] || fail "exported more than the pending steps"
sqlite3 -batch part.db <rest.sql || fail "rest script failed"
run check -d part.db
expect_rc 0 "compatible after the rest"

# What up refuses, export refuses.
sql part.db "INSERT INTO schema_migrations (id, name, applied_at) VALUES (99, 'newer', '2030-01-01T00:00:00Z')"
run export -d part.db
expect_rc 1 "unknown id refused"
expect_err 'does not list: \[99\]'

# A last statement without its ';' (up runs it) still makes a script the
# shell runs.
printf 'CREATE TABLE a (x);\nCREATE TABLE a2 (x) -- no semicolon' >nosemi.sql
printf 'migrations:\n  - {id: 1, name: nosemi, file: nosemi.sql}\n' >nosemi.yaml
run -m nosemi.yaml export
expect_rc 0 "export with an unterminated last statement"
cp out nosemi.sql
sqlite3 -batch fresh.db <nosemi.sql || fail "the shell could not run it"
[ "$(sql fresh.db "SELECT count(*) FROM sqlite_schema WHERE name = 'a2'")" = 1 ] || fail "a2 missing"
