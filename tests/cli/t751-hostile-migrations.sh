#!/bin/sh
# Migrations that attack ladder's own bookkeeping (issue 10, items 4-6):
# - `PRAGMA journal_mode = OFF` (or MEMORY) would make a later rollback
#   impossible: validate and up refuse it, nothing is applied, and no
#   rollback is ever claimed that did not happen;
# - a TEMP TABLE named like the bookkeeping table does not shadow it: every
#   statement ladder runs on its own tables names main.;
# - a migration that writes ladder's tables (rows, a trigger, DROP, ALTER)
#   is refused by the authorizer, named by file:line, code
#   bookkeeping-write; the steps before it stay recorded and the next up
#   (with the step fixed) completes.
. "$TESTLIB"

journal_off() {
	for mode in OFF memory; do
		rm -rf sql app.db
		migration 1 one "CREATE TABLE a (x); INSERT INTO a VALUES (0);"
		migration 2 two "PRAGMA journal_mode = $mode;
UPDATE a SET x = 1;"
		migration 3 three "UPDATE a SET x = 2;
SELECT no_such_function();"
		manifest <<M
migrations:
  - {id: 1, name: one, file: sql/1_one.sql}
  - {id: 2, name: two, file: sql/2_two.sql, transaction: false}
  - {id: 3, name: three, file: sql/3_three.sql}
M
		run validate
		expect_rc 1 "validate with journal_mode = $mode"
		expect_err "sql/2_two.sql:1:.*journal_mode = $(echo $mode | tr a-z A-Z)'.*could not be rolled back"
		run up -d app.db
		expect_rc 1 "up with journal_mode = $mode"
		expect_err "journal_mode"
		expect_no_err "was rolled back"
		[ ! -e app.db ] || [ -z "$(ids app.db 2>/dev/null)" ] || fail "something was applied"
	done
}

temp_shadow() {
	migration 1 one "CREATE TEMP TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL, checksum TEXT, checksum_algorithm TEXT, ladder_version TEXT, duration_ms INTEGER);
CREATE TEMP TABLE schema_migrations_attempts (id INTEGER PRIMARY KEY, name TEXT, started_at TEXT, reason TEXT);
CREATE TABLE a (x);"
	migration 2 two "CREATE TABLE b (x);"
	migration 3 three "CREATE TABLE c (x);"
	printf 'migrations:\n' >manifest.yaml
	for i in 1_one 2_two 3_three; do
		printf '  - {id: %s, name: %s, file: sql/%s.sql}\n' "${i%%_*}" "${i#*_}" "$i" >>manifest.yaml
	done
	run up -d app.db
	expect_rc 0 "up"
	expect_out "applied 3 migrations"
	[ "$(ids app.db)" = 1,2,3 ] || fail "recorded: $(ids app.db), want 1,2,3"
	run up -d app.db
	expect_rc 0 "up again"
	expect_out "nothing to apply"
}

# hostile SQL [TRANSACTION]: step 2 holds SQL; up refuses it at its line 2.
hostile() {
	rm -rf sql app.db
	migration 1 one "CREATE TABLE a (x);"
	migration 2 two "CREATE TABLE b (x);
$1"
	manifest <<M
migrations:
  - {id: 1, name: one, file: sql/1_one.sql}
  - {id: 2, name: two, file: sql/2_two.sql, transaction: ${2:-true}}
M
	run up -d app.db
	expect_rc 1 "up with: $1"
	expect_err "sql/2_two.sql:2:.*error: .*'schema_migrations(_attempts)?', ladder's own bookkeeping"
	[ "$(ids app.db)" = 1 ] || fail "recorded: $(ids app.db), want 1"
	[ "$(sql app.db 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
	rm app.db
	run up -d app.db --format json
	expect_rc 1 "up --format json with: $1"
	jq_out 'any(.diagnostics[]; .code == "bookkeeping-write" and .line == 2)'
	# A transaction: false step that stopped is `failed` until repaired.
	[ "${2:-true}" = true ] || return 0
	migration 2 two "CREATE TABLE b (x);"
	run up -d app.db
	expect_rc 0 "up once step 2 is fixed"
	[ "$(ids app.db)" = 1,2 ] || fail "recorded: $(ids app.db), want 1,2"
}
delete_rows() { hostile "DELETE FROM schema_migrations;"; }
delete_rows_plain() { hostile "DELETE FROM schema_migrations;" false; }
update_rows() { hostile "UPDATE schema_migrations SET name = 'x';"; }
insert_row() { hostile "INSERT INTO schema_migrations (id, name, applied_at) VALUES (99, 'x', 'y');"; }
trigger() { hostile "CREATE TRIGGER t AFTER INSERT ON schema_migrations BEGIN DELETE FROM schema_migrations; END;"; }
drop_table() { hostile "DROP TABLE schema_migrations;" false; }
drop_attempts() { hostile "DROP TABLE schema_migrations_attempts;" false; }
alter_table() { hostile "ALTER TABLE schema_migrations RENAME TO old;"; }

tcase "journal_mode OFF or MEMORY is refused, nothing applied" journal_off
tcase "a TEMP schema_migrations does not shadow the real one" temp_shadow
tcase "DELETE FROM the bookkeeping table is refused" delete_rows
tcase "DELETE FROM it in a transaction: false step is refused" delete_rows_plain
tcase "UPDATE of the bookkeeping table is refused" update_rows
tcase "INSERT into the bookkeeping table is refused" insert_row
tcase "a trigger on the bookkeeping table is refused" trigger
tcase "DROP TABLE of the bookkeeping table is refused" drop_table
tcase "DROP TABLE of the attempts table is refused" drop_attempts
tcase "ALTER TABLE of the bookkeeping table is refused" alter_table
tdone
