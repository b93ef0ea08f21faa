#!/bin/sh
# Edited history caught without a database (issue 14, item 9): `new`
# seals the migrations before the one it adds in manifest.sum, never
# rewriting a line; validate fails on a sealed migration edited or
# removed; docs/recipes.md's CI script, cut out between its markers and
# run as printed, fails a pull request that edits a released migration,
# even one that edits the sum to match, and passes one that adds a
# migration.
. "$TESTLIB"
mkdir bin && ln -s "$LADDER" bin/ladder
PATH="$T/bin:$PATH"
export PATH
doc="$LADDER_SRC/docs/recipes.md"
sed -n '/^<!-- sum-ci.sh: begin/,/^<!-- sum-ci.sh: end/p' "$doc" | sed '1,2d;$d' | sed '$d' >ci.sh
grep -q 'ladder validate' ci.sh || fail "no CI script between the markers in $doc"

mkdir repo && cd repo
CASE="new seals the migrations before the one it adds"
run init
expect_rc 0
[ -f manifest.sum ] || fail "init made no manifest.sum"
grep -q '^[0-9]' manifest.sum && fail "init sealed the migration being written"
printf 'CREATE TABLE a (x);\n' >>sql/0001_first.sql
run new second
expect_rc 0
sum1=$(sha256sum sql/0001_first.sql | cut -d' ' -f1)
grep -qx "1 $sum1 sql/0001_first.sql" manifest.sum || fail "migration 1 not sealed: $(cat manifest.sum)"
grep -q '^2 ' manifest.sum && fail "the new migration was sealed"
printf 'CREATE TABLE b (x);\n' >>sql/0002_second.sql
run validate
expect_rc 0

CASE="validate fails on an edited sealed migration"
cp sql/0001_first.sql keep.sql
printf 'CREATE TABLE a2 (x);\n' >>sql/0001_first.sql
run validate
expect_rc 1
expect_err "^sql/0001_first.sql: error: migration 1 'first' is sealed in the sum file \(checksum ${sum1%"${sum1#????????????}"}\), but the file now has"
run --format json validate
jq_out '[.diagnostics[] | select(.code == "sum") | .migration] == [1]'
CASE="new never reseals an edited migration"
run new third
expect_rc 0
grep -qx "1 $sum1 sql/0001_first.sql" manifest.sum || fail "new rewrote the sealed line"
run validate
expect_rc 1
mv keep.sql sql/0001_first.sql
printf 'CREATE TABLE c (x);\n' >>sql/0003_third.sql
run validate
expect_rc 0

CASE="validate fails on a removed sealed migration"
cp manifest.yaml keep.yaml
sed -i '/id: 1$/,/file: sql\/0001_first.sql/d' manifest.yaml
run validate
expect_rc 1
expect_err "^manifest.sum:3: error: migration 1 is sealed in the sum file, but the manifest no longer lists it"
mv keep.yaml manifest.yaml

CASE="the CI recipe: a pull request adding a migration passes"
git init -q -b main . && git add -A && git -c user.name=t -c user.email=t@t commit -qm base
git checkout -q -b add
run new fourth
printf 'CREATE TABLE d (x);\n' >>sql/0004_fourth.sql
sh ../ci.sh main >"$T/out" 2>"$T/err" || fail "the CI script refused an added migration"
git checkout -q -f main && git clean -qfd

CASE="the CI recipe: a pull request editing a released migration fails"
git checkout -q -b edit
printf 'CREATE TABLE a3 (x);\n' >>sql/0001_first.sql
sh ../ci.sh main >"$T/out" 2>"$T/err" && fail "the CI script passed an edited migration"
expect_err "is sealed in the sum file"
CASE="the CI recipe: ... even with the sum edited to match"
sed -i "s/^1 [0-9a-f]* /1 $(sha256sum sql/0001_first.sql | cut -d' ' -f1) /" manifest.sum
run validate
expect_rc 0
sh ../ci.sh main >"$T/out" 2>"$T/err" && fail "the CI script passed an edited migration and sum"
expect_err "manifest.sum: a sealed migration was changed or removed"
exit 0
