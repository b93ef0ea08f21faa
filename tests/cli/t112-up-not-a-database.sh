#!/bin/sh
# A database path that names a text file: up, status and check fail with a
# clear message (not a database) and leave the file unchanged.
. "$TESTLIB"

steps 1
printf 'this is not a database, it is a text file\n' >notes.txt
before=$(snapshot)
for cmd in up status check; do
	run $cmd -d notes.txt
	case $cmd in check) expect_rc 3 "$cmd on a text file" ;; *) expect_rc 1 "$cmd on a text file" ;; esac
	expect_err 'notes\.txt'
	grep -iq 'not a.*database' err || fail "$cmd: no 'not a database' message"
	expect_same "$before" "$cmd on a text file"
done
