#!/bin/sh
# An existing bookkeeping table with only (id, name, applied_at) is adopted:
# its rows count as applied, read-only commands leave it untouched, and up
# applies only the rest.
. "$TESTLIB"

steps 1 2 3
sqlite3 app.db "CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
INSERT INTO schema_migrations VALUES (1, 'm1', '2020-01-02T03:04:05Z'), (2, 'm2', '2020-01-02T03:04:06Z');
CREATE TABLE t1 (x); CREATE TABLE t2 (x);" || fail "sqlite3"

before=$(snapshot)
run status -d app.db
expect_rc 0 "status on an adopted table"
expect_out '^ *1 .*applied'
expect_out '^ *2 .*applied'
expect_out '^ *3 .*pending'
run check -d app.db
expect_rc 1 "check on an adopted table"
expect_out '^migrations needed: pending \[3\]'
expect_same "$before" "read-only commands on an adopted table"

run up -d app.db
expect_rc 0 "up on an adopted table"
[ "$(ids app.db)" = "1,2,3" ] || fail "recorded: $(ids app.db)"
[ "$(sql app.db "SELECT count(*) FROM sqlite_master WHERE name = 't3'")" = 1 ] || fail "3 not applied"
[ "$(sql app.db 'SELECT applied_at FROM schema_migrations WHERE id = 1')" = "2020-01-02T03:04:05Z" ] ||
	fail "adopted row rewritten"
run check -d app.db
expect_rc 0 "check after up"
