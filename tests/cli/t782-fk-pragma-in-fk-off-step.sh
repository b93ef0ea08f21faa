#!/bin/sh
# drizzle-kit writes PRAGMA foreign_keys=OFF ... ON around a table rebuild.
# In a `foreign_keys: off` step those two lines mean what the entry already
# does: accepted, with a note (code pragma-foreign-keys-kept), never an
# error; enforcement is back on after the step. Without the entry they stay
# an error that points to it.
. "$TESTLIB"

mkdir sql
cat >sql/1.sql <<'S'
CREATE TABLE p (id INTEGER PRIMARY KEY);
CREATE TABLE c (p INTEGER REFERENCES p (id) ON DELETE CASCADE);
INSERT INTO p VALUES (1);
INSERT INTO c VALUES (1);
S
cat >sql/2.sql <<'S'
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE __new_p (id INTEGER PRIMARY KEY, label TEXT);
INSERT INTO __new_p (id) SELECT id FROM p;
DROP TABLE p;
ALTER TABLE __new_p RENAME TO p;
PRAGMA foreign_keys=ON;
S
printf 'INSERT INTO c VALUES (99);\n' >sql/3.sql
manifest <<'M'
migrations:
  - id: 1
    name: one
    file: sql/1.sql
  - id: 2
    name: rebuild
    file: sql/2.sql
    foreign_keys: off
M
run validate
expect_rc 0 "the PRAGMA lines in a foreign_keys: off step"
expect_err '^sql/2\.sql:1:1: note: .*foreign_keys'
expect_err '^sql/2\.sql:6:1: note: .*foreign_keys'
expect_no_err 'error:'
run --format json validate
jq_out '[.diagnostics[] | select(.code == "pragma-foreign-keys-kept" and .severity == "note")] | length == 2'

run up -d app.db
expect_rc 0 "up applies the rebuild"
[ "$(sql app.db 'SELECT count(*) FROM c')" = 1 ] || fail "the child row was lost"

# Enforcement is back on for the next step.
cat >>manifest.yaml <<'M'
  - id: 3
    name: orphan
    file: sql/3.sql
M
run up -d app.db
expect_rc 1 "an orphan row after the rebuild step"
expect_err 'FOREIGN KEY'

# Without the entry: still an error, pointing to foreign_keys: off.
sed -i '/foreign_keys: off/d' manifest.yaml
run validate
expect_rc 1 "without foreign_keys: off"
expect_err "^sql/2\.sql:1:1: error: .*foreign_keys: off"
exit 0
