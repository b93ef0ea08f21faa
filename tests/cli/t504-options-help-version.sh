#!/bin/sh
# --help (and -h) for ladder and for each command prints usage on stdout and
# exits 0; -V / --version print the version and exit 0.
. "$TESTLIB"

for cmd in up status check validate; do
	for h in --help -h; do
		run $cmd $h
		expect_rc 0 "$cmd $h"
		expect_out "^usage: .*ladder.*$cmd"
		[ ! -s err ] || fail "$cmd $h wrote to stderr"
	done
	run -m nowhere.yaml $cmd --help
	expect_rc 0 "$cmd --help needs no manifest"
done
run up --help
expect_out '--to'
expect_out '--dry-run'
expect_out '--allow-out-of-order'

for h in --help -h; do
	run $h
	expect_rc 0 "ladder $h"
	expect_out 'usage'
	for cmd in up status check validate; do
		expect_out "$cmd"
	done
done

for v in -V --version; do
	run $v
	expect_rc 0 "ladder $v"
	expect_out '[0-9]+\.[0-9]+'
done
