#!/bin/sh
# Usage errors: an unknown command, an unknown option, a missing or bad
# option value, a stray argument, no command - exit 2 (check: 3), a message
# on stderr, nothing on stdout.
. "$TESTLIB"

steps 1
run bogus
expect_rc 2 "unknown command"
expect_err 'bogus'
expect_empty_out
run
expect_rc 2 "no command"
for cmd in up status validate; do
	run $cmd --bogus
	expect_rc 2 "$cmd --bogus"
	expect_err '--bogus'
	expect_empty_out
	run --bogus $cmd
	expect_rc 2 "--bogus $cmd"
	run $cmd extra -d app.db
	expect_rc 2 "$cmd with a stray argument"
	run $cmd --format xml -d app.db
	expect_rc 2 "$cmd --format xml"
	run $cmd --color sometimes -d app.db
	expect_rc 2 "$cmd --color sometimes"
	run $cmd -d
	expect_rc 2 "$cmd -d without a value"
done
run up --to abc -d app.db
expect_rc 2 "up --to abc"
run up --to -d app.db
expect_rc 2 "up --to without a value"
run check --bogus
expect_rc 3 "check --bogus"
run --bogus check
expect_rc 3 "--bogus check"
[ ! -e app.db ] || fail "a usage error created the database"
