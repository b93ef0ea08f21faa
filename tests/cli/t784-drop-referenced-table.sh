#!/bin/sh
# The table-rebuild trap: with foreign-key enforcement on, DROP TABLE of a
# table that others reference (ON DELETE CASCADE would empty them) is
# refused before any row is touched, naming file, line and the referencing
# tables, pointing to foreign_keys: off; in up, up --dry-run and validate
# --apply alike. With foreign_keys: off the rebuild keeps every row.
. "$TESTLIB"

mkdir sql
cat >sql/1.sql <<'S'
CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE kid (p INTEGER REFERENCES parent (id) ON DELETE CASCADE);
CREATE TABLE pet (p INTEGER REFERENCES parent (id) ON DELETE SET NULL);
CREATE TABLE alone (x);
INSERT INTO parent VALUES (1, 'a'), (2, 'b');
INSERT INTO kid VALUES (1), (2);
INSERT INTO pet VALUES (1);
S
cat >sql/2.sql <<'S'
CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT, extra TEXT);
INSERT INTO parent_new (id, name) SELECT id, name FROM parent;
DROP TABLE alone;
DROP TABLE parent;
ALTER TABLE parent_new RENAME TO parent;
S
steps 1
run up -d app.db
expect_rc 0 "step 1"
steps 1 2
cp app.db before.db

run up -d app.db
expect_rc 1 "dropping a referenced table"
expect_err "^sql/2\.sql:4(:[0-9]+)?: error: .*'parent'.*(kid.*pet|pet.*kid)"
expect_err 'foreign_keys: off'
[ "$(sql app.db 'SELECT count(*) FROM kid')" = 2 ] || fail "kid rows were deleted"
[ "$(sql app.db 'SELECT count(*) FROM pet WHERE p IS NOT NULL')" = 1 ] || fail "pet rows were nulled"
[ "$(ids app.db)" = 1 ] || fail "step 2 recorded"

run up --dry-run -d app.db
expect_rc 1 "up --dry-run"
expect_err "^sql/2\.sql:4(:[0-9]+)?: error: .*'parent'"

run validate --apply
expect_rc 1 "validate --apply"
expect_err "^sql/2\.sql:4(:[0-9]+)?: error: .*'parent'.*foreign_keys: off"

# DROP TABLE of a table nobody references, and the rebuild as a DBA marks it.
sed -i 's/^    file: sql\/2.sql$/&\n    foreign_keys: off/' manifest.yaml
run up -d app.db
expect_rc 0 "the rebuild with foreign_keys: off"
[ "$(sql app.db 'SELECT count(*) FROM kid')" = 2 ] || fail "kid rows lost in the marked rebuild"
[ "$(sql app.db 'SELECT count(*) FROM pet WHERE p IS NOT NULL')" = 1 ] || fail "pet rows nulled in the marked rebuild"
exit 0
