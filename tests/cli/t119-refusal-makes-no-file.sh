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

# A first step that fails leaves no empty file behind either.
printf 'CREATE TABLE t (x);\nINSERT INTO nowhere VALUES (1);\n' >bad.sql
printf 'migrations:\n  - {id: 1, name: bad, file: bad.sql}\n' >bad.yaml
run -m bad.yaml up -d e.db
expect_rc 1 "the first step fails"
[ ! -e e.db ] || fail "a failed first step left e.db ($(wc -c <e.db) bytes)"

# check does not promise "migrations needed" for a pending file up would
# refuse: it cannot tell (exit 3) and says why.
run up -d f.db
printf 'COMMIT;\n' >late.sql
printf '  - {id: 3, name: late, file: late.sql}\n' >>manifest.yaml
run check -d f.db
expect_rc 3 "a pending file up would refuse"
expect_err "late\.sql:1:1: error: transaction control"

# repair on a database that does not exist repairs nothing and makes none.
run repair -d none.db
expect_rc 0 "nothing to repair"
[ ! -e none.db ] || fail "repair made none.db"
