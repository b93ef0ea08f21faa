#!/bin/sh
# Database precedence: -d beats LADDER_DATABASE beats the manifest's
# `database:` - each level proved by the file that gets written; a relative
# -d / LADDER_DATABASE is relative to the current directory, sqlite:PATH is
# accepted.
. "$TESTLIB"

mkdir sql
printf 'CREATE TABLE a (x);\n' >sql/1.sql
printf 'database: manifest.db\nmigrations:\n  - id: 1\n    name: one\n    file: sql/1.sql\n' >manifest.yaml

LADDER_DATABASE=env.db run up -d cli.db
expect_rc 0 "-d with LADDER_DATABASE and database:"
[ -f cli.db ] || fail "-d was not used"
[ ! -e env.db ] && [ ! -e manifest.db ] || fail "-d did not win"
[ "$(ids cli.db)" = 1 ] || fail "cli.db not migrated"

LADDER_DATABASE=env.db run up
expect_rc 0 "LADDER_DATABASE with database:"
[ -f env.db ] || fail "LADDER_DATABASE was not used"
[ ! -e manifest.db ] || fail "LADDER_DATABASE did not beat database:"
[ "$(ids env.db)" = 1 ] || fail "env.db not migrated"

run up
expect_rc 0 "database: only"
[ "$(ids manifest.db)" = 1 ] || fail "manifest's database not used"

# The same for the read-only commands: each reads the file of its level.
rm cli.db env.db
run status -d cli.db
expect_out '^ *1 +one +pending'
LADDER_DATABASE=env.db run status
expect_out '^ *1 +one +pending'
run status
expect_out '^ *1 +one +applied'
LADDER_DATABASE=env.db run check
expect_rc 1 "check reads LADDER_DATABASE"
LADDER_DATABASE=env.db run check -d manifest.db
expect_rc 0 "check -d beats LADDER_DATABASE"

# sqlite:PATH, relative to the current directory.
mkdir sub
run up -d sqlite:sub/s.db
expect_rc 0 "sqlite:PATH"
[ "$(ids sub/s.db)" = 1 ] || fail "sqlite:sub/s.db not written"
[ ! -e sqlite:sub ] || fail "sqlite: taken as part of the file name"
LADDER_DATABASE=sqlite:sub/e.db run up
expect_rc 0 "LADDER_DATABASE=sqlite:PATH"
[ "$(ids sub/e.db)" = 1 ] || fail "LADDER_DATABASE=sqlite:sub/e.db not written"
