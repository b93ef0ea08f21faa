#!/bin/sh
# The manifest's rules for lock_timeout, statement_timeout and retries
# (no server needed): durations with units, ranges, types; refused on
# SQLite and on a `transaction: false` step, each at its line and column.
. "$PGLIB"

mkdir -p sql
printf 'CREATE TABLE t (a int);\n' >sql/1.sql
entry='  - id: 1
    name: one
    file: sql/1.sql'

good() { # MANIFEST-TEXT
	printf '%s\n' "$1" >manifest.yaml
	run validate
	expect_rc 0 "valid: $1"
}
bad() { # MANIFEST-TEXT PATTERN
	printf '%s\n' "$1" >manifest.yaml
	run validate
	expect_rc 1 "invalid: $1"
	expect_err "$2"
}

good "engine: postgresql
lock_timeout: 5s
statement_timeout: 10min
retries: 3
migrations:
$entry
    lock_timeout: 500ms
    statement_timeout: 1h
    retries: 0"
good "engine: postgresql
migrations:
$entry
    lock_timeout: 250
    statement_timeout: 0"
bad "engine: postgresql
migrations:
$entry
    lock_timeout: 5 s" "manifest.yaml:6:19: error: 'lock_timeout' must be a duration \\(500ms, 5s, 1min, 1h; a plain number is milliseconds; 0 is off\\), not '5 s'"
bad "engine: postgresql
migrations:
$entry
    statement_timeout: 2d" "manifest.yaml:6:24: error: 'statement_timeout' must be a duration"
bad "engine: postgresql
lock_timeout: 25h
migrations:
$entry" "manifest.yaml:2:15: error: 'lock_timeout: 25h' is longer than a day"
bad "engine: postgresql
lock_timeout: 99999999999999999999
migrations:
$entry" "manifest.yaml:2:15: error: 'lock_timeout: 9+' is longer than a day"
bad "engine: postgresql
lock_timeout: [1]
migrations:
$entry" "manifest.yaml:2:15: error: 'lock_timeout' must be a duration .* not a sequence"
bad "engine: postgresql
retries: 11
migrations:
$entry" "manifest.yaml:2:10: error: 'retries' must be a whole number from 0 to 10, not '11'"
bad "engine: postgresql
migrations:
$entry
    retries: -1" "manifest.yaml:6:14: error: 'retries' must be a whole number from 0 to 10, not '-1'"
bad "engine: postgresql
migrations:
$entry
    retries: \"2\"" "'retries' must be a whole number"
bad "engine: postgresql
migrations:
$entry
    transaction: false
    lock_timeout: 1s" "manifest.yaml:7:19: error: 'lock_timeout' lives in ladder's transaction \\(SET LOCAL\\), and this step runs without one \\('transaction: false'\\)"
bad "lock_timeout: 1s
migrations:
$entry" "manifest.yaml:1:15: error: 'lock_timeout' is PostgreSQL's .*SQLite has none: remove it, or set 'engine: postgresql'"
bad "engine: sqlite
migrations:
$entry
    retries: 2" "manifest.yaml:6:14: error: 'retries' is PostgreSQL's"
# A manifest-level default does not reach a `transaction: false` step.
good "engine: postgresql
lock_timeout: 1s
retries: 2
migrations:
$entry
    transaction: false"
exit 0
