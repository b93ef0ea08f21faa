#!/bin/sh
# Smaller holes (issue 10, item 10):
# - a database path that is a dangling symlink: `check` cannot tell (3),
#   as `up` cannot open it (1), with the same message; never "pending";
# - an id recorded twice in the bookkeeping table (an adopted table with
#   no primary key) is named as a duplicate, not as an id "this manifest
#   does not list";
# - control bytes in names (from the manifest or recorded in the database)
#   and in failure notes reach no terminal raw: status, up -v, the
#   diagnostics show them as \xNN;
# - a 100 kB file name is not echoed whole (manifest.md: quoted values are
#   cut at 60 bytes).
. "$TESTLIB"

ESC=$(printf '\033')
BEL=$(printf '\007')
raw_control() { grep -q "[$ESC$BEL]" "$1"; }

dangling() {
	steps 1
	ln -s nowhere.db link.db
	run check -d link.db
	expect_rc 3 "check on a dangling symlink"
	expect_err "cannot open 'link.db': it is a symbolic link"
	expect_no_out "migrations needed"
	run up -d link.db
	expect_rc 1 "up on a dangling symlink"
	expect_err "cannot open 'link.db': it is a symbolic link"
	[ ! -e nowhere.db ] || fail "up made the symlink's target"
	run status -d link.db
	expect_rc 1 "status on a dangling symlink"
}

duplicates() {
	steps 1 2
	sql dup.db "CREATE TABLE schema_migrations (id, name, applied_at);
INSERT INTO schema_migrations VALUES (1, 'm1', '2020-01-01T00:00:00Z');
INSERT INTO schema_migrations VALUES (1, 'm1', '2020-01-01T00:00:00Z');"
	for cmd in check status up; do
		run $cmd -d dup.db
		[ "$RC" -ne 0 ] || fail "$cmd accepted a table with id 1 twice"
		expect_err "records id 1 more than once"
		expect_no_err "does not list"
	done
	run check -d dup.db
	expect_rc 3 "check"
	run --format json status -d dup.db
	jq_out 'any(.diagnostics[]; .code == "duplicate-applied")'
}

control_bytes() {
	mkdir -p sql
	printf 'CREATE TABLE a (x);\n' >sql/1.sql
	printf 'SELECT no_such_function();\n' >sql/2.sql
	cat >manifest.yaml <<'M'
migrations:
  - {id: 1, name: "one\e[2J\a", file: sql/1.sql}
  - {id: 2, name: "two\e]0;owned\a", file: sql/2.sql}
M
	run up -v -d c.db
	expect_rc 1 "up (step 2 fails)"
	! raw_control out || fail "up -v printed raw control bytes"
	! raw_control err || fail "up's diagnostics hold raw control bytes"
	expect_out 'one\\x1b\[2J\\x07'
	expect_err 'two\\x1b\]0;owned\\x07'
	sql c.db "INSERT INTO schema_migrations (id, name, applied_at) VALUES (7, 'seven' || char(27) || '[31m' || char(7), '2020' || char(27))"
	run status -d c.db
	! raw_control out || fail "status printed raw control bytes"
	expect_out 'seven\\x1b\[31m\\x07'
	expect_out '2020\\x1b'
	expect_out 'one\\x1b\[2J\\x07'
}

long_name() {
	name=$(python3 -c 'print("a" * 100000)')
	printf 'migrations:\n  - {id: 1, name: one, file: sql/%s.sql}\n' "$name" >manifest.yaml
	run validate
	expect_rc 1 "validate"
	expect_err "cannot open 'sql/a+\.\.\.'"
	[ "$(wc -c <"$T/err")" -lt 1000 ] || fail "the 100 kB name was echoed: $(wc -c <"$T/err") bytes of stderr"
}

tcase "a dangling-symlink database: check 3, up 1, one message" dangling
tcase "a duplicate recorded id is named a duplicate" duplicates
tcase "control bytes in names and notes are escaped in text output" control_bytes
tcase "a 100 kB file name is cut in messages" long_name
tdone
