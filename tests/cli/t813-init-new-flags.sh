#!/bin/sh
# Starting a project (issue 14, item 4): `init` writes a block-style
# manifest, sql/ and a first migration, and says what to run next, never
# over an existing manifest and leaving nothing behind when it fails; `new`
# without a manifest points at `init`; `new` into an empty
# `migrations: []` writes block entries; --timestamp, --down,
# --no-transaction and --foreign-keys-off.
. "$TESTLIB"

CASE="new without a manifest points at init"
run new first
expect_rc 1
expect_err "cannot open 'manifest.yaml': No such file or directory; 'ladder init' starts a project"
[ ! -e sql ] || fail "new made sql/ without a manifest"

CASE="init: manifest, sql/, a first migration, what next"
run -d data/app.db init
expect_rc 0
expect_out "created manifest.yaml \(database data/app.db\) and sql/0001_first.sql"
expect_out "ladder validate"
expect_out "ladder up"
[ -f sql/0001_first.sql ] || fail "no sql/0001_first.sql"
grep -q '^database: "data/app.db"$' manifest.yaml || fail "database not in the manifest"
grep -q '^  - id: 1$' manifest.yaml || fail "the entry is not in block style"
grep -q '^migrations: *\[' manifest.yaml && fail "the manifest kept a flow sequence"
# The first migration is still empty: a warning, a failure under --strict.
run validate
expect_rc 0
expect_err "warning: .*holds no SQL statement"
run validate --strict
expect_rc 1
printf 'CREATE TABLE a (x);\n' >>sql/0001_first.sql
mkdir data
run up
expect_rc 0
[ "$(ids data/app.db)" = 1 ] || fail "up did not apply the first migration"

CASE="init never over an existing manifest"
cp manifest.yaml before
run init
expect_rc 1
expect_err "cannot create 'manifest.yaml': File exists"
cmp -s before manifest.yaml || fail "init changed the manifest"

CASE="init leaves nothing when the first file exists"
mkdir other && cd other && mkdir sql && echo keep >sql/0001_first.sql
run init
expect_rc 1
[ ! -e manifest.yaml ] || fail "init left a manifest behind"
[ "$(cat sql/0001_first.sql)" = keep ] || fail "init overwrote a file"
cd ..

CASE="new into an empty migrations: [] writes block entries"
mkdir empty && cd empty
printf 'table: t   # ours\nmigrations: []   # none yet\n' >manifest.yaml
run new --down a
expect_rc 0
run new b
expect_rc 0
cat >want <<'W'
table: t   # ours
migrations:
  - id: 1
    name: a
    file: sql/0001_a.sql
    down: sql/0001_a.down.sql   # none yet
  - id: 2
    name: b
    file: sql/0002_b.sql
W
diff want manifest.yaml >/dev/null || fail "manifest: $(diff want manifest.yaml)"
[ -f sql/0001_a.down.sql ] || fail "--down made no revert file"
grep -q "reverts migration 1 'a'" sql/0001_a.down.sql || fail "the down file's header"
cd ..

CASE="--no-transaction, --foreign-keys-off, in block and flow manifests"
run new --no-transaction --down big
expect_rc 0
run new --foreign-keys-off rebuild
expect_rc 0
grep -A4 'name: big' manifest.yaml | grep -q '^    transaction: false$' || fail "no transaction: false"
grep -A4 'name: big' manifest.yaml | grep -q '^    down: sql/0002_big.down.sql$' || fail "no down"
grep -A3 'name: rebuild' manifest.yaml | grep -q '^    foreign_keys: off$' || fail "no foreign_keys: off"
mkdir flow && cd flow
printf 'migrations: [{id: 1, name: a, file: a.sql}]\n' >manifest.yaml
printf 'CREATE TABLE a (x);\n' >a.sql
run new --no-transaction --down --foreign-keys-off c
expect_rc 0
grep -q '{id: 2, name: c, file: 0002_c.sql, down: 0002_c.down.sql, transaction: false, foreign_keys: off}' manifest.yaml ||
	fail "flow entry: $(cat manifest.yaml)"
printf 'CREATE TABLE c (x);\n' >>0002_c.sql
printf 'DROP TABLE c;\n' >>0002_c.down.sql
run validate
expect_rc 0
cd ..

CASE="--timestamp: the UTC time as the id, never below the highest"
before=$(date -u +%Y%m%d%H%M%S)
run new --timestamp stamped
expect_rc 0
after=$(date -u +%Y%m%d%H%M%S)
id=$(sed -n 's/^created .* (migration \([0-9]*\)).*/\1/p' "$T/out")
[ "$id" -ge "$before" ] && [ "$id" -le "$after" ] || fail "timestamp id $id not in $before..$after"
[ -f "sql/${id}_stamped.sql" ] || fail "no sql/${id}_stamped.sql"
run new --timestamp again
expect_rc 0
id2=$(sed -n 's/^created .* (migration \([0-9]*\)).*/\1/p' "$T/out")
[ "$id2" -gt "$id" ] || fail "a second --timestamp id $id2 is not above $id"
exit 0
