#!/bin/sh
# new through a manifest that is a symlink (a shared config folder, a
# dotfiles checkout): the link stays a link to the same target, and the
# target file is the one that gains the entry.
. "$TESTLIB"

mkdir -p shared/sql
printf 'CREATE TABLE a (x);\n' >shared/sql/0001_a.sql
cat >shared/manifest.yaml <<'M'
migrations:
  - id: 1
    name: a
    file: sql/0001_a.sql
M
mkdir app
ln -s ../shared/manifest.yaml app/manifest.yaml

run -m app/manifest.yaml new b
expect_rc 0 "new through a symlink"
[ -L app/manifest.yaml ] || fail "the manifest symlink became a plain file"
[ "$(readlink app/manifest.yaml)" = ../shared/manifest.yaml ] ||
	fail "the symlink points elsewhere: $(readlink app/manifest.yaml)"
grep -q 'id: 2' shared/manifest.yaml || fail "the target lacks the new entry"
[ ! -e shared/manifest.yaml.ladder-new ] || fail "temporary file left behind"
[ ! -e app/manifest.yaml.ladder-new ] || fail "temporary file left behind"
# Paths stay relative to the manifest as named, as for every command.
[ -f app/sql/0002_b.sql ] || fail "no SQL file beside the named manifest"
