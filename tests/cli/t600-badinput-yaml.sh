#!/bin/sh
# Malformed YAML (bad indentation, an unclosed flow, a tab, a second
# document, an empty file, a duplicate key, an anchor): up, status and
# validate exit 1 (check 3) naming manifest:LINE, never crash, and the
# database from an earlier successful up stays byte-for-byte the same.
. "$TESTLIB"

steps 1
run up -d app.db
expect_rc 0 "first up"
before=$(snapshot)

# try LINE TEXT: the manifest TEXT must be refused with an error at LINE.
try() {
	printf '%b' "$2" >bad.yaml
	for cmd in up status validate check "up --dry-run"; do
		run $cmd -m bad.yaml -d app.db
		case $cmd in check) expect_rc 3 "$cmd on: $2" ;; *) expect_rc 1 "$cmd on: $2" ;; esac
		expect_err "^bad\\.yaml:$1(:[0-9]+)?: error: "
	done
	rm bad.yaml
	expect_same "$before" "bad manifest: $2"
}
try 4 'migrations:\n  - id: 1\n    name: one\n   file: sql/1.sql\n'
try 2 'migrations: [\n'
try 1 '\tmigrations: []\n'
try 5 'migrations:\n  - id: 1\n    name: m1\n    file: sql/1.sql\n---\nmigrations: []\n'
try 1 ''
try 4 'migrations:\n  - id: 1\n    name: m1\n    name: again\n    file: sql/1.sql\n'
try 2 'migrations: []\nmigrations: []\n'
try 2 'migrations:\n  - &a\n    id: 1\n    name: m1\n    file: sql/1.sql\n'
try 1 'migrations: !!seq []\n'
try 5 'migrations:\n  - id: 1\n    name: m1\n    file: sql/1.sql\n  - *nothing\n'
try 1 '- just\n- a list\n'
