#!/bin/sh
# A DROP TABLE refused (drop-referenced) in a `transaction: false` step ends
# the migration guard: ladder's own note of the attempt keeps its reason,
# and status shows that reason, not "the run died midway".
. "$TESTLIB"

mkdir sql
printf 'CREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (id INTEGER, p INTEGER REFERENCES p ON DELETE CASCADE);\nINSERT INTO p VALUES (1);\nINSERT INTO c VALUES (1, 1);\n' >sql/1.sql
printf 'CREATE TABLE x (a);\nDROP TABLE p;\n' >sql/2.sql
manifest <<'M'
migrations:
  - id: 1
    name: m1
    file: sql/1.sql
  - id: 2
    name: m2
    file: sql/2.sql
    transaction: false
M
run up -d app.db
expect_rc 1 "a refused DROP TABLE"
expect_err "DROP TABLE .p. with foreign keys enforced"
reason=$(sql app.db "SELECT reason FROM schema_migrations_attempts WHERE id = 2")
[ -n "$reason" ] || fail "the attempt's note lost its reason"
echo "$reason" | grep -q "DROP TABLE" || fail "the reason is '$reason'"
run status -d app.db
expect_no_out "died midway"
expect_no_err "died midway"
[ "$(sql app.db "SELECT count(*) FROM c")" = 1 ] || fail "the cascade fired"
