#!/bin/sh
# An unsupported URL scheme is a clear "unsupported database" error (exit 1
# for up and status, 3 for check), and no database at all is a clear error
# (exit 1, check 3); nothing is created.
. "$TESTLIB"

steps 1
before=$(snapshot)
for url in oracle://x/y mysql://u@h/db; do
	for cmd in up status "up --dry-run"; do
		run $cmd -d "$url"
		expect_rc 1 "$cmd -d $url"
		grep -iq 'unsupported' err || fail "$cmd -d $url: no 'unsupported' message"
		expect_err "$url"
	done
	run check -d "$url"
	expect_rc 3 "check -d $url"
	grep -iq 'unsupported' err || fail "check -d $url: no 'unsupported' message"
	LADDER_DATABASE=$url run up
	expect_rc 1 "LADDER_DATABASE=$url up"
done
expect_same "$before" "unsupported schemes"

for cmd in up status; do
	run $cmd
	expect_rc 1 "$cmd with no database"
	grep -iq 'no database' err || fail "$cmd: no clear 'no database' message"
done
run check
expect_rc 3 "check with no database"
grep -iq 'no database' err || fail "check: no clear 'no database' message"
expect_same "$before" "no database at all"
