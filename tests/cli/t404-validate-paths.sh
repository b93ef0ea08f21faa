#!/bin/sh
# A migration file must stay inside the manifest's directory: an absolute
# path, a ../ escape and a symlink pointing outside are refused (at the
# entry's line); a symlink staying inside and a sub/../ path are fine.
. "$TESTLIB"

mkdir -p proj/sql outside
printf 'CREATE TABLE o (x);\n' >outside/o.sql
printf 'CREATE TABLE a (x);\n' >proj/sql/1.sql
ln -s ../../outside/o.sql proj/sql/link.sql
ln -s 1.sql proj/sql/inlink.sql
cat >proj/manifest.yaml <<M
migrations:
  - id: 1
    name: abs
    file: $T/outside/o.sql
  - id: 2
    name: dotdot
    file: ../outside/o.sql
  - id: 3
    name: link
    file: sql/link.sql
  - id: 4
    name: inlink
    file: sql/inlink.sql
  - id: 5
    name: sub
    file: sql/../sql/1.sql
M
run validate -m proj/manifest.yaml
expect_rc 1 "paths escaping the manifest's directory"
expect_err '^proj/manifest\.yaml:4:[0-9]+: error: .*absolute'
expect_err '^proj/manifest\.yaml:7:[0-9]+: error: '
expect_err '^proj/manifest\.yaml:10:[0-9]+: error: '
expect_no_err ':1[36]:[0-9]+: error'
[ "$(grep -c ': error: ' err)" -eq 3 ] || fail "expected exactly 3 errors"

# up refuses the same manifest before touching anything.
before=$(snapshot)
run up -m proj/manifest.yaml -d proj/app.db
expect_rc 1 "up with escaping paths"
expect_same "$before" "up with escaping paths"

# A down file is held to the same rule.
cat >proj/manifest.yaml <<M
migrations:
  - id: 1
    name: one
    file: sql/1.sql
    down: ../outside/o.sql
M
run validate -m proj/manifest.yaml
expect_rc 1 "down file escaping"
expect_err '^proj/manifest\.yaml:5:[0-9]+: error: '
