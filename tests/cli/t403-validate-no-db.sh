#!/bin/sh
# validate opens no database: with -d naming a missing path in a missing
# directory, with LADDER_DATABASE, and with `database:` in the manifest, no
# file or directory is created and existing databases are untouched.
. "$TESTLIB"

steps 1
before=$(snapshot)
run validate -d nonexistent/dir/x.db
expect_rc 0 "validate -d nonexistent/dir/x.db"
expect_same "$before" "validate -d"
[ ! -e nonexistent ] || fail "validate created a directory"

printf 'database: app.db\n' >m2.yaml
cat manifest.yaml >>m2.yaml
before=$(snapshot)
run validate -m m2.yaml
expect_rc 0 "validate with database: in the manifest"
expect_same "$before" "validate with database:"
[ ! -e app.db ] || fail "validate created the manifest's database"

LADDER_DATABASE=env.db run validate
expect_rc 0 "validate with LADDER_DATABASE"
expect_same "$before" "validate with LADDER_DATABASE"

# Even an unsupported scheme or a text file is never opened.
printf 'text\n' >notes.txt
before=$(snapshot)
run validate -d notes.txt
expect_rc 0 "validate -d a text file"
expect_same "$before" "validate -d a text file"
