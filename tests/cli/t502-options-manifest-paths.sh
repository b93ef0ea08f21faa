#!/bin/sh
# -m beats LADDER_MANIFEST, which beats ./manifest.yaml; the manifest's
# `database:` and `file:` are relative to the manifest's directory, while -d
# and LADDER_DATABASE are relative to the current directory.
. "$TESTLIB"

mkdir -p sql proj/sql elsewhere
printf 'CREATE TABLE a (x);\n' >sql/a.sql
printf 'CREATE TABLE b (x);\n' >sql/b.sql
printf 'migrations:\n  - id: 1\n    name: from_a\n    file: sql/a.sql\n' >a.yaml
printf 'migrations:\n  - id: 2\n    name: from_b\n    file: sql/b.sql\n' >b.yaml
printf 'migrations:\n  - id: 3\n    name: from_default\n    file: sql/a.sql\n' >manifest.yaml

LADDER_MANIFEST=b.yaml run status -m a.yaml -d x.db
expect_rc 0 "-m with LADDER_MANIFEST"
expect_out 'from_a'
expect_no_out 'from_b'
LADDER_MANIFEST=b.yaml run status -d x.db
expect_out 'from_b'
expect_no_out 'from_default'
run status -d x.db
expect_out 'from_default'

# database: relative to the manifest's directory.
printf 'CREATE TABLE p (x);\n' >proj/sql/1.sql
printf 'database: p.db\nmigrations:\n  - id: 1\n    name: p\n    file: sql/1.sql\n' >proj/manifest.yaml
cd elsewhere || fail cd
run up -m ../proj/manifest.yaml
expect_rc 0 "up from another directory"
[ -f ../proj/p.db ] || fail "database: not relative to the manifest's directory"
[ ! -e p.db ] || fail "database: taken relative to the current directory"
[ "$(ids ../proj/p.db)" = 1 ] || fail "proj/p.db not migrated"

# -d relative to the current directory, not the manifest's.
run up -m ../proj/manifest.yaml -d here.db
expect_rc 0 "-d relative"
[ -f here.db ] || fail "-d not relative to the current directory"
[ ! -e ../proj/here.db ] || fail "-d taken relative to the manifest"
LADDER_DATABASE=env.db run up -m ../proj/manifest.yaml
[ -f env.db ] || fail "LADDER_DATABASE not relative to the current directory"
[ ! -e ../proj/env.db ] || fail "LADDER_DATABASE taken relative to the manifest"
cd .. || fail cd
run up -m proj/manifest.yaml
expect_rc 0 "up -m proj/manifest.yaml from the top"
[ ! -e p.db ] || fail "database: taken relative to the current directory"
LADDER_MANIFEST=proj/manifest.yaml run check
expect_rc 0 "LADDER_MANIFEST with a database: relative to it"

# database: sqlite://PATH is relative to the manifest's directory too.
mkdir -p proj/sql elsewhere
printf 'CREATE TABLE z (x);\n' >proj/sql/1.sql
printf 'database: sqlite://z.db\nmigrations:\n  - {id: 1, name: z, file: sql/1.sql}\n' >proj/manifest.yaml
(cd elsewhere && "$LADDER" -q -m ../proj/manifest.yaml up) || fail "up with sqlite:// database"
[ -s proj/z.db ] || fail "sqlite://z.db not beside the manifest"
[ ! -e elsewhere/z.db ] || fail "sqlite://z.db made in the current directory"
for spelling in 'SQLITE:up.db' 'sqlite3://x3.db'; do
	printf 'database: %s\nmigrations:\n  - {id: 1, name: z, file: sql/1.sql}\n' "$spelling" >proj/manifest.yaml
	(cd elsewhere && "$LADDER" -q -m ../proj/manifest.yaml up) || fail "up with database: $spelling"
done
[ -s proj/up.db ] && [ -s proj/x3.db ] || fail "SQLITE:/sqlite3:// not beside the manifest: $(ls proj elsewhere)"
[ ! -e elsewhere/up.db ] && [ ! -e elsewhere/x3.db ] && [ ! -e 'elsewhere/SQLITE:up.db' ] ||
	fail "a database made in the current directory: $(ls elsewhere)"
