#!/bin/sh
# up applies every pending migration, records each with a checksum, and a
# second up does nothing.
. "$TESTLIB"

migration 0001 one "CREATE TABLE a (x INTEGER);"
migration 0002 two "CREATE TABLE b (y TEXT);
INSERT INTO b VALUES ('hello');"
manifest <<'M'
migrations:
  - id: 1
    name: one
    file: sql/0001_one.sql
  - id: 2
    name: two
    file: sql/0002_two.sql
M

run up -d app.db
expect_rc 0 "first up"
expect_out '^applied 1 one'
expect_out '^applied 2 two'
[ "$(sql app.db 'SELECT y FROM b')" = hello ] || fail "migration 2 did not run"
[ "$(sql app.db 'SELECT group_concat(id) FROM schema_migrations')" = "1,2" ] ||
	fail "rows not recorded"
want=$(sha256sum sql/0002_two.sql | cut -d' ' -f1)
[ "$(sql app.db 'SELECT checksum FROM schema_migrations WHERE id = 2')" = "$want" ] ||
	fail "checksum is not the file's SHA-256"
sql app.db "SELECT applied_at FROM schema_migrations" |
	grep -Evq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' &&
	fail "applied_at is not RFC 3339 UTC"

run up -d app.db
expect_rc 0 "second up"
expect_out 'nothing to apply'
