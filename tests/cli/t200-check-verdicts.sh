#!/bin/sh
# check's verdicts on stdout and exit codes, one case each: compatible (0),
# pending (1, exact ids), unknown applied (2), unknown and pending together
# (2 wins), changed applied file (2), pending ids below the highest applied
# one named as out of order, and incompatible winning over a pending file
# up would refuse.
. "$TESTLIB"

# unknown DB ID: records ID, which no manifest lists.
unknown() { sql "$1" "INSERT INTO schema_migrations (id, name, applied_at) VALUES ($2, 'future', '2030-01-01T00:00:00Z')" || fail sqlite3; }
one_line() { [ "$(wc -l <"$T/out")" -eq 1 ] || fail "check printed more than one line"; }

pending() {
	steps 1 2 3 4
	run up --to 2 -d pending.db
	expect_rc 0 "up --to 2"
	run check -d pending.db
	expect_rc 1 "pending 3 4"
	expect_out '^migrations needed: pending \[3 4\]'
	one_line
}
compatible() {
	steps 1 2
	run up -d compatible.db
	expect_rc 0 "up"
	run check -d compatible.db
	expect_rc 0 "all applied"
	expect_out '^compatible'
	one_line
}
unknown_applied() {
	steps 1 2
	run up -d unknown.db
	unknown unknown.db 99
	run check -d unknown.db
	expect_rc 2 "unknown applied"
	expect_out '^incompatible: unknown applied \[99\]'
}
unknown_and_pending() {
	steps 1 2
	run up -d both.db
	unknown both.db 99
	steps 1 2 3
	run check -d both.db
	expect_rc 2 "unknown and pending"
	expect_out '^incompatible: unknown applied \[99\]'
}
changed() {
	mkdir -p ch && printf 'CREATE TABLE a (x);\n' >ch/1.sql && printf 'CREATE TABLE b (x);\n' >ch/2.sql
	printf 'migrations:\n  - {id: 1, name: one, file: ch/1.sql}\n  - {id: 2, name: two, file: ch/2.sql}\n' >ch.yaml
	run -m ch.yaml up -d changed.db
	expect_rc 0 "up"
	printf 'CREATE TABLE b (x, y);\n' >ch/2.sql
	run -m ch.yaml check -d changed.db
	expect_rc 2 "changed applied file"
	expect_out '^incompatible: changed applied \[2\]'
}
out_of_order() {
	steps 1 3
	run up -d ooo.db
	expect_rc 0 "up 1 3"
	steps 1 2 3
	run check -d ooo.db
	expect_rc 1 "out-of-order pending"
	expect_out '^migrations needed: pending \[2\]'
	expect_out 'out of order.*2'
}
incompatible_beats_refused() {
	mkdir -p late && printf 'CREATE TABLE l (x);\n' >late/1.sql && printf 'COMMIT;\n' >late/2.sql
	printf 'migrations:\n  - {id: 1, name: one, file: late/1.sql}\n  - {id: 2, name: two, file: late/2.sql}\n' >late.yaml
	"$LADDER" -q -m late.yaml up -d late.db --to 1 2>/dev/null
	[ "$(ids late.db)" = 1 ] || fail "setup: step 1 not applied"
	unknown late.db 99
	run -m late.yaml check -d late.db
	expect_rc 2 "unknown id and a bad pending file"
	expect_out '^incompatible: unknown applied \[99\]'
}

tcase "pending steps: exit 1 with their ids" pending
tcase "all applied: compatible, exit 0" compatible
tcase "an unknown applied id: incompatible, exit 2" unknown_applied
tcase "unknown and pending together: incompatible wins" unknown_and_pending
tcase "a changed applied file: incompatible, exit 2" changed
tcase "a pending id below the highest applied: out of order" out_of_order
tcase "incompatible wins over a pending file up would refuse" incompatible_beats_refused
tdone
