#!/bin/sh
# up --atomic refuses to mix a `foreign_keys: off` step with steps that
# enforce foreign keys (it would turn enforcement off for all of them, so
# an earlier step's ON DELETE CASCADE would not fire); plain up applies
# the same history. Only `off` steps together may run atomically.
. "$TESTLIB"

mkdir sql
printf 'CREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (id INTEGER, p INTEGER REFERENCES p ON DELETE CASCADE);\nINSERT INTO p VALUES (1);\nINSERT INTO c VALUES (1, 1);\n' >sql/1.sql
printf 'DELETE FROM p;\n' >sql/2.sql
printf 'CREATE TABLE q (a);\n' >sql/3.sql
manifest <<'M'
migrations:
  - id: 1
    name: m1
    file: sql/1.sql
  - id: 2
    name: m2
    file: sql/2.sql
  - id: 3
    name: m3
    file: sql/3.sql
    foreign_keys: off
M

mixed() {
	before=$(snapshot)
	run up --atomic -d app.db
	expect_rc 1 "--atomic with a foreign_keys: off step among others"
	expect_err "sql/3.sql: error: migration 3 'm3' has 'foreign_keys: off'.*--atomic cannot mix it"
	expect_same "$before" "a refused --atomic"
	run up --atomic --dry-run -d app.db
	expect_rc 1 "--atomic --dry-run with the same mix"
}
tcase "--atomic refuses a foreign_keys: off step among enforcing ones" mixed

plain() {
	run up -d app.db
	expect_rc 0 "plain up"
	[ "$(sql app.db "SELECT count(*) FROM c")" = 0 ] || fail "the cascade did not fire"
}
tcase "plain up applies the same history" plain

alone() {
	rm -f b.db
	run up --to 2 -d b.db
	expect_rc 0 "up --to 2"
	run up --atomic -d b.db
	expect_rc 0 "--atomic with only the foreign_keys: off step pending"
	expect_out "applied 3 m3"
}
tcase "--atomic runs foreign_keys: off steps on their own" alone
tdone
