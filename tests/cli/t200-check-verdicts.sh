#!/bin/sh
# check's verdicts on stdout and exit codes: compatible (0), pending (1,
# exact ids), unknown applied (2), unknown and pending together (2 wins),
# changed applied file (2), and pending ids below the highest applied one
# named as out of order.
. "$TESTLIB"

steps 1 2 3 4
run up --to 2 -d app.db
expect_rc 0 "up --to 2"

run check -d app.db
expect_rc 1 "pending 3 4"
expect_out '^migrations needed: pending \[3 4\]'
[ "$(wc -l <out)" -eq 1 ] || fail "check printed more than one line"

run up -d app.db
expect_rc 0 "up"
run check -d app.db
expect_rc 0 "all applied"
expect_out '^compatible'
[ "$(wc -l <out)" -eq 1 ] || fail "check printed more than one line"

# Unknown applied id 99.
sqlite3 app.db "INSERT INTO schema_migrations (id, name, applied_at) VALUES (99, 'future', '2030-01-01T00:00:00Z')" || fail sqlite3
run check -d app.db
expect_rc 2 "unknown applied"
expect_out '^incompatible: unknown applied \[99\]'

# Unknown and pending: incompatible wins.
steps 1 2 3 4 5
run check -d app.db
expect_rc 2 "unknown and pending"
expect_out '^incompatible: unknown applied \[99\]'

# Changed applied file.
sqlite3 app.db "DELETE FROM schema_migrations WHERE id = 99" || fail sqlite3
steps 1 2 3 4
printf 'CREATE TABLE t2 (x, y);\n' >sql/2.sql
run check -d app.db
expect_rc 2 "changed applied file"
expect_out '^incompatible: changed applied \[2\]'

# Out of order: 1 and 3 applied, 2 pending.
rm sql/2.sql
steps 1 3
run up -d ooo.db
expect_rc 0 "up 1 3"
steps 1 2 3
run check -d ooo.db
expect_rc 1 "out-of-order pending"
expect_out '^migrations needed: pending \[2\]'
expect_out 'out of order.*2'

# Incompatible wins even when a pending file is one up would refuse.
mkdir -p late && printf 'CREATE TABLE l (x);\n' >late/1.sql && printf 'COMMIT;\n' >late/2.sql
printf 'migrations:\n  - {id: 1, name: one, file: late/1.sql}\n  - {id: 2, name: two, file: late/2.sql}\n' >late.yaml
"$LADDER" -q -m late.yaml up -d late.db --to 1 2>/dev/null
sql late.db "INSERT INTO schema_migrations (id, name, applied_at) VALUES (99, 'newer', '2030-01-01T00:00:00Z')"
run -m late.yaml check -d late.db
expect_rc 2 "unknown id and a bad pending file"
expect_out '^incompatible: unknown applied \[99\]'
