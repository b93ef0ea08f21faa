#!/bin/sh
# `up --backup` on PostgreSQL writes a custom-format pg_dump archive before
# the steps, verified (pg_restore --list reads it), showing the database as
# the plan saw it: restored, it holds the applied steps and none of the
# pending ones. An existing file is never written over.
. "$PGLIB"

pgsteps() {
	mkdir -p sql
	printf 'engine: postgresql\nmigrations:\n' >manifest.yaml
	for i in "$@"; do
		[ -f "sql/$i.sql" ] || printf 'CREATE TABLE t%s (x int);\nINSERT INTO t%s VALUES (%s);\n' "$i" "$i" "$i" >"sql/$i.sql"
		printf '  - id: %s\n    name: m%s\n    file: sql/%s.sql\n' "$i" "$i" "$i" >>manifest.yaml
	done
}

case_verified_dump() {
	db=$(pg_newdb t154_a) || exit 1
	pgsteps 1
	run up -d "$db"
	expect_rc 0 "first up"
	pgsteps 1 2
	run up -d "$db" --backup=before.dump
	expect_rc 0 "up --backup"
	[ -s before.dump ] || fail "no backup written"
	"$LADDER_PG_BIN/pg_restore" --list before.dump >toc || fail "pg_restore cannot read the backup"
	grep -q 'TABLE DATA public t1 ' toc || fail "the backup lacks t1's data"
	! grep -q ' t2 ' toc || fail "the backup holds t2, which the plan had pending"
	expect_out "sha256 $(sha256sum before.dump | cut -d" " -f1)"
	restored=$(pg_newdb t154_r) || exit 1
	"$LADDER_PG_BIN/pg_restore" -d "$restored" before.dump || fail "the backup does not restore"
	[ "$(pg_sql "$restored" "SELECT string_agg(id::text, ',' ORDER BY id) FROM schema_migrations")" = 1 ] ||
		fail "the restored rows are not those the plan saw"
	[ "$(pg_sql "$restored" "SELECT x FROM t1")" = 1 ] || fail "t1's row was not restored"
}

case_existing_file() {
	db=$(pg_newdb t154_b) || exit 1
	pgsteps 1
	echo keep >taken.dump
	run up -d "$db" --backup=taken.dump
	[ "$RC" -ne 0 ] || fail "up --backup wrote over a file"
	expect_err 'already exists'
	[ "$(cat taken.dump)" = keep ] || fail "the existing file changed"
	[ "$(pg_sql "$db" "SELECT to_regclass('t1') IS NULL")" = t ] || fail "a step ran after the backup failed"
}

tcase "up --backup writes a verified dump of the plan's snapshot" case_verified_dump
tcase "up --backup never writes over a file" case_existing_file
tdone
