#!/bin/sh
# status prints one row per migration with id, name, state and applied_at;
# applied, pending, changed and unknown all appear in one scenario, and
# status exits 0 whatever the states.
. "$TESTLIB"

steps 1 2 3
run up --to 2 -d app.db
expect_rc 0 "up --to 2"
at1=$(sql app.db 'SELECT applied_at FROM schema_migrations WHERE id = 1')
sqlite3 app.db "INSERT INTO schema_migrations (id, name, applied_at) VALUES (99, 'future', '2030-01-02T03:04:05Z')" || fail sqlite3
printf 'CREATE TABLE t2 (x, y);\n' >sql/2.sql   # 2 is now changed

run status -d app.db
expect_rc 0 "status with every state"
grep -Eq "^ *1 +m1 +applied +$at1( |\$)" out || fail "row 1 not 'id name applied applied_at'"
grep -Eq "^ *2 +m2 +changed +[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z( |\$)" out || fail "row 2 not changed with applied_at"
expect_out '^ *3 +m3 +pending( |$)'
expect_out '^ *99 +future +unknown +2030-01-02T03:04:05Z( |$)'
for row in 1:m1 2:m2 3:m3 99:future; do
	[ "$(grep -Ec "^ *${row%:*} +${row#*:} " out)" -eq 1 ] || fail "not exactly one row for ${row%:*}"
done

# Every migration pending: still 0.
run status -d fresh.db
expect_rc 0 "status on a fresh database"
expect_out '^ *1 +m1 +pending'
expect_out '^ *3 +m3 +pending'

# Every migration applied: still 0.
steps 1 3
run up -d all.db
expect_rc 0 "up"
run status -d all.db
expect_rc 0 "status with everything applied"
expect_out '^ *1 +m1 +applied'
expect_out '^ *3 +m3 +applied'
