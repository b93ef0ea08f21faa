#!/bin/sh
# check does not promise "migrations needed" for a pending file up would
# refuse: it cannot tell (exit 3) and says why, by FILE:LINE:COLUMN.
. "$TESTLIB"

printf 'CREATE TABLE t (x);\n' >ok.sql
printf 'COMMIT;\n' >late.sql
printf 'migrations:\n  - {id: 1, name: ok, file: ok.sql}\n' >manifest.yaml
run up -d f.db
expect_rc 0 "the first step"
printf '  - {id: 3, name: late, file: late.sql}\n' >>manifest.yaml
run check -d f.db
expect_rc 3 "a pending file up would refuse"
expect_err "late\.sql:1:1: error: transaction control"
expect_empty_out
