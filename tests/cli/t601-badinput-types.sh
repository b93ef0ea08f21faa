#!/bin/sh
# Values of the wrong YAML type or range - `migrations: 5`, `id: [1]`, a
# quoted id, a mapping name, `transaction: yes`, a bad table name, unknown
# top-level keys - are each reported at their line, exit 1, never a crash,
# the database untouched.
. "$TESTLIB"

steps 1
run up -d app.db
expect_rc 0 "first up"
before=$(snapshot)

try() {
	printf '%b' "$2" >bad.yaml
	for cmd in up status validate; do
		run $cmd -m bad.yaml -d app.db
		expect_rc 1 "$cmd on: $2"
		expect_err "^bad\\.yaml:$1(:[0-9]+)?: error: "
	done
	run check -m bad.yaml -d app.db
	expect_rc 3 "check on: $2"
	rm bad.yaml
	expect_same "$before" "bad manifest: $2"
}
E='  - id: 1\n    name: m1\n    file: sql/1.sql\n'
try 1 'migrations: 5\n'
try 1 'migrations: {}\n'
try 2 'migrations:\n  - id: [1]\n    name: m1\n    file: sql/1.sql\n'
try 2 'migrations:\n  - id: "1"\n    name: m1\n    file: sql/1.sql\n'
try 3 'migrations:\n  - id: 1\n    name: {a: b}\n    file: sql/1.sql\n'
try 3 'migrations:\n  - id: 1\n    name: ""\n    file: sql/1.sql\n'
try 4 'migrations:\n  - id: 1\n    name: m1\n    file: [sql/1.sql]\n'
try 5 "migrations:\n${E}    transaction: yes\n"
try 5 "migrations:\n${E}    transaction: 1\n"
try 1 "table: 1bad-name\nmigrations:\n$E"
try 1 "tabel: x\nmigrations:\n$E"
try 2 'migrations:\n  - 5\n'
try 1 'name: m1\n'

# The yes/no hint.
printf "migrations:\n${E}    transaction: no\n" >bad.yaml
run validate -m bad.yaml
expect_rc 1 "transaction: no"
expect_err "bad\\.yaml:5:[0-9]+: error: .*(true|false)"
