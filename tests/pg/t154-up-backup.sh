#!/bin/sh
# `up --backup` on PostgreSQL writes a custom-format pg_dump archive before
# the steps, verified (pg_restore --list reads it), showing the database as
# the plan saw it: restored, it holds the applied steps and none of the
# pending ones, nor a row written after the plan was read. An existing file
# is never written over; pg_dump never sees the password in its arguments;
# without pg_dump nothing runs.
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

# wrap_pg_dump [DB]: a pg_dump on PATH that records its arguments and
# whether it got a password, writes a row into t1 of DB (after ladder read
# its plan) when DB is given, then runs the real one.
wrap_pg_dump() {
	mkdir -p bin
	cat >bin/pg_dump <<SH
#!/bin/sh
printf '%s\n' "\$@" >"$PWD/pg_dump.args"
[ -n "\${PGPASSWORD:-}" ] && echo yes >"$PWD/pg_dump.pw"
[ -z "$1" ] || "$LADDER_PG_BIN/psql" -X -q -d "$1" -c "INSERT INTO t1 VALUES (99)" || exit 1
exec "$LADDER_PG_BIN/pg_dump" "\$@"
SH
	chmod +x bin/pg_dump
}

case_plan_snapshot() {
	db=$(pg_newdb t154_c) || exit 1
	pgsteps 1
	run up -d "$db"
	expect_rc 0 "first up"
	pgsteps 1 2
	wrap_pg_dump "$db"
	PATH="$PWD/bin:$PATH" run up -d "$db" --backup=snap.dump
	expect_rc 0 "up --backup"
	[ "$(pg_sql "$db" "SELECT count(*) FROM t1 WHERE x = 99")" = 1 ] || fail "the wrapper did not write"
	"$LADDER_PG_BIN/pg_restore" -a -t t1 -f - snap.dump >t1.rows || fail "cannot read the backup"
	grep -q '^1$' t1.rows || fail "the backup lacks t1's row"
	! grep -q '^99$' t1.rows || fail "the backup holds a row written after the plan was read"
}

case_password_not_in_argv() {
	pg_newdb t154_d >/dev/null || exit 1
	db=$(pg_url t154_d password)
	pgsteps 1
	wrap_pg_dump ""
	PATH="$PWD/bin:$PATH" run up -d "$db" --backup=pw.dump
	expect_rc 0 "up --backup with a password"
	[ -s pg_dump.args ] || fail "the wrapper was not run"
	! grep -qF "$LADDER_PG_PASSWORD" pg_dump.args || fail "the password is on pg_dump's command line"
	[ "$(cat pg_dump.pw 2>/dev/null)" = yes ] || fail "pg_dump got no password"
	expect_no_out "$LADDER_PG_PASSWORD"
	expect_no_err "$LADDER_PG_PASSWORD"
}

case_no_pg_dump() {
	db=$(pg_newdb t154_e) || exit 1
	pgsteps 1
	mkdir -p empty
	PATH="$PWD/empty" run up -d "$db" --backup=none.dump
	[ "$RC" -ne 0 ] || fail "up --backup succeeded without pg_dump"
	expect_err "pg_dump"
	[ ! -e none.dump ] || fail "a backup file was left behind"
	[ "$(pg_sql "$db" "SELECT to_regclass('t1') IS NULL")" = t ] || fail "a step ran without its backup"
}

tcase "up --backup writes a verified dump of the plan's snapshot" case_verified_dump
tcase "up --backup never writes over a file" case_existing_file
tcase "the dump reads the snapshot the plan was read in" case_plan_snapshot
tcase "pg_dump gets the password in its environment, not its arguments" case_password_not_in_argv
tcase "without pg_dump, up --backup fails, leaves no file and runs nothing" case_no_pg_dump
tdone
