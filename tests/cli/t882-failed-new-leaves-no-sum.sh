#!/bin/sh
# A failed `new` or `init` leaves nothing behind, the sum file included
# (exit-codes.md: nothing is changed on failure).
. "$TESTLIB"

new_fails() {
	mkdir p && cd p || fail "mkdir"
	printf 'migrations:\n  - id: 1\n    name: a\n    file: sql/0001_a.sql\n' >manifest.yaml
	mkdir sql && echo 'CREATE TABLE a (x);' >sql/0001_a.sql
	echo 'taken' >sql/0002_b.sql
	before=$(snapshot)
	run new b
	expect_rc 1 "new over an existing file"
	[ ! -e manifest.sum ] || fail "a failed new left manifest.sum"
	expect_same "$before" "a failed new"
	run new c
	expect_rc 0 "new c"
	[ -s manifest.sum ] || fail "a new that worked wrote no manifest.sum"
}
tcase "a failed new leaves no sum file" new_fails

init_fails() {
	mkdir q && cd q || fail "mkdir"
	mkdir sql && echo 'taken' >sql/0001_first.sql
	before=$(snapshot)
	run init
	expect_rc 1 "init over an existing first file"
	[ ! -e manifest.sum ] || fail "a failed init left manifest.sum"
	[ ! -e manifest.yaml ] || fail "a failed init left manifest.yaml"
	expect_same "$before" "a failed init"
}
tcase "a failed init leaves no sum file" init_fails
tdone
