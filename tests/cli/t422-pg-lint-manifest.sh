#!/bin/sh
# The linter's manifest side: `lint: {allow: [...]}` silences one rule for
# one migration (validate -v lists it), unknown codes and misplaced keys
# are errors, --strict fails on lint warnings; `postgresql:` is checked;
# statements that cannot run in a transaction are refused from the tree.
. "$TESTLIB"

proj() { # proj "ENTRY-EXTRA" [TOP-EXTRA]: step 1 creates t, step 2 drops it
	printf 'engine: postgresql\n%s\nmigrations:\n  - {id: 1, name: a, file: 1.sql}\n  - {id: 2, name: b, file: 2.sql%s}\n' "${2:-}" "$1" >manifest.yaml
	echo "CREATE TABLE t (a int);" >1.sql
	echo "SET LOCAL lock_timeout = '1s'; DROP TABLE t;" >2.sql
}

allow() {
	proj ", lint: {allow: [lint-drop]}"
	run validate
	expect_rc 0 "valid"
	expect_no_err 'warning|lint-drop'
	run validate -v
	expect_err '^2\.sql:1:[0-9]+: note: lint-drop silenced by this migration'
	proj ""
	run validate
	expect_rc 0 "a warning alone is valid"
	expect_err '^2\.sql:1:[0-9]+: warning: .*\[lint-drop\]'
	run validate --strict
	expect_rc 1 "--strict fails on a lint warning"
}
unknown() {
	proj ", lint: {allow: [lint-dorp]}"
	run validate
	expect_rc 1 "unknown code"
	expect_err "manifest\.yaml:5:[0-9]+: error: unknown lint rule 'lint-dorp'"
}
sqlite_lint() {
	printf 'migrations:\n  - {id: 1, name: a, file: 1.sql, lint: {allow: [lint-drop]}}\n' >manifest.yaml
	echo "SELECT 1;" >1.sql
	run validate
	expect_rc 1 "lint on SQLite"
	expect_err "error: 'lint' is the PostgreSQL linter's"
}
target_key() {
	proj "" "postgresql: sixteen"
	run validate
	expect_rc 1 "postgresql: not a number"
	expect_err "'postgresql' must be the target server's major version"
	printf 'postgresql: 16\nmigrations: []\n' >manifest.yaml
	run validate
	expect_rc 1 "postgresql: on SQLite"
	expect_err "error: 'postgresql' is the target PostgreSQL version"
}
add_value() {
	printf 'engine: postgresql\npostgresql: %s\nmigrations:\n  - {id: 1, name: a, file: 1.sql}\n' 11 >manifest.yaml
	echo "ALTER TYPE mood ADD VALUE 'x';" >1.sql
	run validate
	expect_rc 1 "ADD VALUE in a transaction before 12"
	expect_err "^1\.sql:1:1: error: 'ALTER TYPE \.\.\. ADD VALUE' cannot run inside a transaction block before PostgreSQL 12.*transaction: false"
	sed -i 's/postgresql: 11/postgresql: 12/' manifest.yaml
	run validate
	expect_rc 0 "fine from 12"
}
no_tx() {
	for s in "CREATE INDEX CONCURRENTLY i ON t (a)" "DROP INDEX CONCURRENTLY i" \
		"REINDEX TABLE CONCURRENTLY t" "REINDEX (CONCURRENTLY) INDEX i" "VACUUM t" \
		"VACUUM (ANALYZE) t" "CREATE DATABASE d" "DROP DATABASE d" \
		"CREATE TABLESPACE s LOCATION '/x'" "DROP TABLESPACE s" \
		"ALTER SYSTEM SET work_mem = '1MB'" "COMMIT" "BEGIN" "START TRANSACTION" \
		"PREPARE TRANSACTION 'x'"; do
		printf 'engine: postgresql\nmigrations:\n  - {id: 1, name: a, file: 1.sql}\n' >manifest.yaml
		printf 'SELECT 1;\n%s;\n' "$s" >1.sql
		run validate
		expect_rc 1 "$s refused"
		expect_err "^1\.sql:2:1: error: .*(set 'transaction: false'|transaction control)"
	done
	for s in "CREATE INDEX i ON t (a)" "ANALYZE t" "SAVEPOINT a" "ROLLBACK TO SAVEPOINT a" \
		"SELECT 'VACUUM'" 'CREATE TABLE "concurrently" (a int)'; do
		printf 'engine: postgresql\nmigrations:\n  - {id: 1, name: a, file: 1.sql}\n' >manifest.yaml
		printf '%s;\n' "$s" >1.sql
		run validate
		expect_rc 0 "$s allowed"
		expect_no_err error
	done
}
tcase "lint: allow silences one rule; -v shows it; --strict" allow
tcase "an unknown rule code is an error" unknown
tcase "lint on SQLite is refused" sqlite_lint
tcase "postgresql: is checked" target_key
tcase "ALTER TYPE ... ADD VALUE by the target version" add_value
tcase "no-transaction statements from the parse tree" no_tx
tdone
