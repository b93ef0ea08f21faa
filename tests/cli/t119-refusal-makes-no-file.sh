#!/bin/sh
# A write command that refuses before doing anything leaves no database
# file behind, not even an empty one.
. "$TESTLIB"

printf 'BEGIN;\nCREATE TABLE t (x);\nCOMMIT;\n' >tx.sql
printf 'CREATE TABLE t (x);\n' >ok.sql
printf 'VACUUM;\n' >vac.sql
manifest <<'M'
migrations:
  - {id: 1, name: tx, file: tx.sql}
M
run up -d a.db
expect_rc 1 "transaction control refused"
[ ! -e a.db ] || fail "a refused up made a.db"

cat >manifest.yaml <<'M'
migrations:
  - {id: 1, name: ok, file: ok.sql}
  - {id: 2, name: vac, file: vac.sql, transaction: false}
M
run baseline 999 -d b.db
expect_rc 2 "not a manifest id"
[ ! -e b.db ] || fail "a refused baseline made b.db"
run up --atomic -d c.db
expect_rc 1 "--atomic refuses transaction: false"
[ ! -e c.db ] || fail "a refused --atomic up made c.db"
run up --atomic --dry-run -d c.db
expect_rc 1 "--dry-run refuses what the run would refuse"
run up -d d.db
expect_rc 0 "and a run that writes makes the file"
[ -s d.db ] || fail "no d.db"
