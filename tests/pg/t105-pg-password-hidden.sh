#!/bin/sh
# The password in a URL never appears in any output: text or JSON, a
# success, a server error, a refused connection, status's "database".
. "$PGLIB"

db=$(pg_newdb t105_a) || exit 1
url=$(pg_url t105_a password)
pw=$LADDER_PG_PASSWORD
[ -n "$pw" ] && echo "$url" | grep -q "$pw" || fail "the password route has no password in it"
manifest <<'M'
engine: postgresql
migrations:
  - id: 1
    name: one
    file: sql/1.sql
  - id: 2
    name: bad
    file: sql/2.sql
M
mkdir -p sql
printf 'CREATE TABLE t1 (x int);\n' >sql/1.sql
printf 'SELECT nosuch;\n' >sql/2.sql

hidden() { ! grep -qF -- "$pw" "$T/out" "$T/err" || fail "$1: the password shows"; }
run up -d "$url"
expect_rc 1 "up with a failing step"
hidden "up"
run status -d "$url" --format json
expect_rc 0 "status json"
hidden "status json"
jq_out '.database == "postgresql://ladder_pw@127.0.0.1:'"$PGPORT"'/t105_a"'
run check -d "$url?password=$pw&connect_timeout=5" --format json
hidden "check, password as a parameter"
jq_out '.verdict == "migrations needed"'
bad="postgresql://ladder_pw:wrong$pw@127.0.0.1:$PGPORT/t105_a"
run status -d "$bad"
expect_rc 1 "a wrong password"
expect_err 'cannot connect'
hidden "a wrong password"
run up -d "postgresql://ladder_pw:$pw@127.0.0.1:$PGPORT/nosuchdb" --format json
expect_rc 1 "no such database"
hidden "no such database"
exit 0
