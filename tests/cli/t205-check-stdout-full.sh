#!/bin/sh
# check that cannot write its verdict (stdout full) exits 3, whatever the
# verdict would have been: a deploy script must not read 0 or 1 from a
# line nobody saw.
. "$TESTLIB"

migration 0001 one "CREATE TABLE a (x);"
manifest <<'M'
migrations:
  - {id: 1, name: one, file: sql/0001_one.sql}
M
"$LADDER" check -d app.db >/dev/full 2>err
rc=$?
[ $rc -eq 3 ] || fail "pending, stdout full: exit $rc, not 3"
grep -q 'cannot write the output' err || fail "no message: $(cat err)"

run up -d app.db
expect_rc 0 up
"$LADDER" check -d app.db >/dev/full 2>err
rc=$?
[ $rc -eq 3 ] || fail "compatible, stdout full: exit $rc, not 3"
"$LADDER" --format json check -d app.db >/dev/full 2>err
rc=$?
[ $rc -eq 3 ] || fail "json, stdout full: exit $rc, not 3"
# Other commands: 1.
"$LADDER" status -d app.db >/dev/full 2>err
rc=$?
[ $rc -eq 1 ] || fail "status, stdout full: exit $rc, not 1"
