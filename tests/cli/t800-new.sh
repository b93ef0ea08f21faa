#!/bin/sh
# new NAME: the next id, a SQL file holding only a comment header in the
# folder the previous entries use, and an entry appended to the manifest
# with every other byte of it kept; validate flags the file until it holds
# a statement; nothing is ever overwritten.
. "$TESTLIB"

mkdir -p db/changes
printf 'CREATE TABLE a (x);\n' >db/changes/0001_a.sql
printf 'CREATE TABLE b (x);\n' >db/changes/0010_b.sql
cat >manifest.yaml <<'M'
# the schema of the shop   (a comment at the top)
table: schema_migrations
migrations:
  - id: 1            # the first
    name: a
    file: db/changes/0001_a.sql
  # a comment between entries
  - id: 10
    name: b
    file: db/changes/0010_b.sql   # trailing comment
# a comment after the list
M
cp manifest.yaml before.yaml

run new add_users
expect_rc 0 "new"
expect_out 'db/changes/0011_add_users\.sql'
[ -f db/changes/0011_add_users.sql ] || fail "no file in the entries' folder"
grep -Ev '^--' db/changes/0011_add_users.sql | grep -q . &&
	fail "the new file holds more than comments"
# Only lines were added, right after the last entry.
diff before.yaml manifest.yaml | grep '^[<]' && fail "a line of the manifest changed"
[ "$(diff before.yaml manifest.yaml | grep -c '^>')" = 3 ] || fail "expected 3 added lines"
sed -n '11,13p' manifest.yaml | grep -q 'id: 11' || fail "entry not after the last one"
tail -n 1 manifest.yaml | grep -q 'a comment after the list' || fail "trailing comment moved"

run validate
expect_rc 0 "validate warns of the empty new file"
expect_err '^db/changes/0011_add_users\.sql:1: warning: .*no SQL statement'
run validate --strict
expect_rc 1 "validate --strict fails on the empty new file"
expect_err '^db/changes/0011_add_users\.sql:1: (warning|error): .*no SQL statement'
printf 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n' >>db/changes/0011_add_users.sql
run validate
expect_rc 0 "valid once written"
run up -d app.db
expect_rc 0 "the new step applies"

# Never overwrites: the next file already exists.
printf 'keep me\n' >db/changes/0012_orders.sql
cp manifest.yaml before.yaml
run new orders
expect_rc 1 "refuses to overwrite"
expect_err 'File exists'
[ "$(cat db/changes/0012_orders.sql)" = "keep me" ] || fail "overwrote a file"
cmp -s before.yaml manifest.yaml || fail "manifest changed on refusal"

run new "bad name"
expect_rc 2 "bad name"
run new
expect_rc 2 "no name"

# An empty flow list, and the default folder.
printf 'migrations: []  # none yet\n' >empty.yaml
run -m empty.yaml new first
expect_rc 0 "new in an empty manifest"
[ -f sql/0001_first.sql ] || fail "default folder sql/ not used"
run -m empty.yaml validate --format json
jq_out '.diagnostics | map(.code) == ["sql-empty"]'
jq_out '.migrations[0].id == 1 and .migrations[0].name == "first"'

run -m missing.yaml new x
expect_rc 1 "no manifest"

# A folder name YAML would misread is written quoted.
mkdir -p "q #1"
printf 'SELECT 1;\n' >"q #1/a.sql"
printf 'migrations:\n  - {id: 1, name: a, file: "q #1/a.sql"}\n' >q.yaml
run -m q.yaml new y
expect_rc 0 "new beside a folder with '#'"
printf 'SELECT 2;\n' >>"q #1/0002_y.sql"
run -m q.yaml validate
expect_rc 0 "the quoted path reads back"
