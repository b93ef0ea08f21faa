#!/bin/sh
# Every step starts from the same connection state: a setting one step
# makes on the connection (legacy_alter_table, case_sensitive_like,
# recursive_triggers, max_page_count) and the TEMP objects it creates (a table shadowing a
# main one, a trigger on a main table) do not reach the next step. Applying
# 1..N in one run and in N runs gives byte-identical dumps, and the view a
# later RENAME must rewrite is rewritten.
. "$TESTLIB"

mkdir sql
cat >sql/1.sql <<'S'
CREATE TABLE a (x);
CREATE VIEW v AS SELECT x FROM a;
CREATE TABLE scratch (x);
CREATE TABLE log (what);
CREATE TABLE likes (r);
CREATE TABLE tr (n);
S
cat >sql/2.sql <<'S'
PRAGMA legacy_alter_table = ON;
PRAGMA case_sensitive_like = ON;
PRAGMA recursive_triggers = ON;
PRAGMA max_page_count = 1;
CREATE TEMP TABLE scratch (x);
CREATE TEMP TRIGGER spy AFTER INSERT ON main.a BEGIN INSERT INTO log VALUES ('spied'); END;
CREATE TEMP VIEW tv AS SELECT 1;
S
cat >sql/3.sql <<'S'
ALTER TABLE a RENAME TO b;
INSERT INTO b VALUES (1);
INSERT INTO scratch VALUES (42);
INSERT INTO likes SELECT 'A' LIKE 'a';
CREATE TRIGGER again AFTER INSERT ON tr WHEN new.n < 3 BEGIN INSERT INTO tr VALUES (new.n + 1); END;
INSERT INTO tr VALUES (1);
CREATE TABLE big AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 2000) SELECT n, printf('%.100c', 'x') AS pad FROM c;
S
steps 1 2 3

run up -d one.db
expect_rc 0 "one run"
for i in 1 2 3; do
	run up --to "$i" -d split.db
	expect_rc 0 "up --to $i"
done

dump() {
	cp "$1" "$1.bare"
	sql "$1.bare" 'DROP TABLE schema_migrations'
	sqlite3 -batch "$1.bare" .dump
}
dump one.db >one.dump
dump split.db >split.dump
cmp -s one.dump split.dump || {
	diff one.dump split.dump >&2
	fail "one run and three runs give different dumps"
}
# What a fresh connection gives, in both.
sql one.db 'SELECT sql FROM sqlite_schema WHERE name = '"'v'" | grep -q 'FROM "b"' ||
	fail "the view was not rewritten by the rename: $(sql one.db "SELECT sql FROM sqlite_schema WHERE name = 'v'")"
[ "$(sql one.db 'SELECT count(*) FROM log')" = 0 ] || fail "a TEMP trigger of step 2 fired in step 3"
[ "$(sql one.db 'SELECT group_concat(x) FROM scratch')" = 42 ] || fail "step 3 wrote into step 2's TEMP table"
[ "$(sql one.db 'SELECT r FROM likes')" = 1 ] || fail "case_sensitive_like leaked into step 3"
[ "$(sql one.db 'SELECT count(*) FROM tr')" = 2 ] || fail "recursive_triggers leaked into step 3"
exit 0
