#!/bin/sh
# A write command that refuses before doing anything leaves no database
# file behind, not even an empty one; a run that writes makes it.
. "$TESTLIB"

printf 'BEGIN;\nCREATE TABLE t (x);\nCOMMIT;\n' >tx.sql
printf 'CREATE TABLE t (x);\n' >ok.sql
printf 'VACUUM;\n' >vac.sql
printf 'migrations:\n  - {id: 1, name: tx, file: tx.sql}\n' >tx.yaml
cat >manifest.yaml <<'M'
migrations:
  - {id: 1, name: ok, file: ok.sql}
  - {id: 2, name: vac, file: vac.sql, transaction: false}
M

refused_up() {
	run -m tx.yaml up -d a.db
	expect_rc 1 "transaction control refused"
	[ ! -e a.db ] || fail "a refused up made a.db"
}
refused_baseline() {
	run baseline 999 -d b.db
	expect_rc 2 "not a manifest id"
	[ ! -e b.db ] || fail "a refused baseline made b.db"
}
refused_atomic() {
	run up --atomic -d c.db
	expect_rc 1 "--atomic refuses transaction: false"
	[ ! -e c.db ] || fail "a refused --atomic up made c.db"
}
refused_atomic_dry_run() {
	run up --atomic --dry-run -d c.db
	expect_rc 1 "--dry-run refuses what the run would refuse"
	[ ! -e c.db ] || fail "a refused --atomic --dry-run up made c.db"
}
writes() {
	run up -d d.db
	expect_rc 0 "a run that writes"
	[ -s d.db ] || fail "no d.db"
}
failed_first_step() {
	printf 'CREATE TABLE t (x);\nINSERT INTO nowhere VALUES (1);\n' >bad.sql
	printf 'migrations:\n  - {id: 1, name: bad, file: bad.sql}\n' >bad.yaml
	run -m bad.yaml up -d e.db
	expect_rc 1 "the first step fails"
	[ ! -e e.db ] || fail "a failed first step left e.db ($(wc -c <e.db) bytes)"
}
repair_missing() {
	run repair -d none.db
	expect_rc 0 "nothing to repair"
	[ ! -e none.db ] || fail "repair made none.db"
}

tcase "up refusing transaction control makes no file" refused_up
tcase "baseline refusing an id makes no file" refused_baseline
tcase "up --atomic refusing transaction: false makes no file" refused_atomic
tcase "up --atomic --dry-run refuses what the run would" refused_atomic_dry_run
tcase "a run that writes makes the file" writes
tcase "a failed first step leaves no file" failed_first_step
tcase "repair on a missing database makes none" repair_missing
tdone
