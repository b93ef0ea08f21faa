#!/bin/sh
# Transaction control (BEGIN, COMMIT, END, ROLLBACK) in a transactional
# migration is refused before anything runs - not even earlier pending
# migrations - naming file and line; BEGIN/END inside a string, a comment, a
# trigger body, and ROLLBACK TO a savepoint are fine.
. "$TESTLIB"

mkdir sql
sqlite3 app.db "CREATE TABLE keep (x); INSERT INTO keep VALUES (1);" || fail "sqlite3"
for stmt in 'COMMIT;' 'BEGIN TRANSACTION;' 'END;' 'ROLLBACK;'; do
	printf 'CREATE TABLE t2 (x);\n\n%s\nINSERT INTO t2 VALUES (1);\n' "$stmt" >sql/2.sql
	steps 1 2
	before=$(snapshot)
	run up -d app.db
	expect_rc 1 "up with '$stmt' in a transactional file"
	expect_err "sql/2\\.sql:3(:[0-9]+)?: error: "
	expect_same "$before" "up refused '$stmt'"
	[ -z "$(sql app.db "SELECT name FROM sqlite_master WHERE name IN ('t1', 'schema_migrations')")" ] ||
		fail "'$stmt': migration 1 ran or bookkeeping created"
done

# Fresh database: nothing applied either.
rm app.db
printf 'CREATE TABLE t2 (x);\nCOMMIT;\n' >sql/2.sql
run up -d fresh.db
expect_rc 1 "up on a fresh db with COMMIT"
expect_err 'sql/2\.sql:2'
if [ -e fresh.db ]; then
	[ -z "$(sql fresh.db "SELECT name FROM sqlite_master WHERE name = 't1'")" ] ||
		fail "migration 1 ran although migration 2 has COMMIT"
fi

# Not transaction control.
cat >sql/2.sql <<'S'
CREATE TABLE t2 (x TEXT DEFAULT 'BEGIN');
-- BEGIN; COMMIT;
/* ROLLBACK;
   END; */
CREATE TABLE audit (what TEXT);
CREATE TRIGGER t2_ins AFTER INSERT ON t2 BEGIN
  INSERT INTO audit VALUES ('END');
END;
INSERT INTO t2 VALUES ('COMMIT; BEGIN;');
SAVEPOINT s1;
INSERT INTO t2 VALUES ('gone');
ROLLBACK TO s1;
RELEASE s1;
S
run up -d ok.db
expect_rc 0 "up with BEGIN/END in strings, comments, triggers"
[ "$(ids ok.db)" = "1,2" ] || fail "recorded: $(ids ok.db)"
[ "$(sql ok.db 'SELECT group_concat(x) FROM t2')" = "COMMIT; BEGIN;" ] || fail "t2 content: $(sql ok.db 'SELECT group_concat(x) FROM t2')"
[ "$(sql ok.db 'SELECT what FROM audit')" = "END" ] || fail "trigger did not fire"
