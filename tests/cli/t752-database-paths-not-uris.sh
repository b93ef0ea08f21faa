#!/bin/sh
# `sqlite:PATH` and a plain path name a file (issue 10, item 7): never a
# SQLite URI, never a private in-memory database. `file:...?mode=memory`
# keeps what it applied, in the file named so; `?nolock=1` turns no
# locking off (it is part of the name); a file named `:memory:` in the
# current folder is that file; a backup of such a database is a file too.
. "$TESTLIB"

steps 1 2

# applied_in TARGET FILE: up on TARGET records 1,2 in the file FILE, and
# nothing else appears but FILE (and, briefly, its journal).
applied_in() {
	rm -f "./$2"
	run up -d "$1"
	expect_rc 0 "up -d $1"
	expect_out "applied 2 migrations"
	[ -f "$2" ] || fail "no file '$2' was written"
	[ "$(ids "./$2")" = 1,2 ] || fail "'$2' does not record 1,2"
	run up -d "$1"
	expect_rc 0 "up -d $1 again"
	expect_out "nothing to apply"
	run status -d "$1"
	expect_rc 0 "status -d $1"
	expect_out "2 applied"
	[ ! -e app.db ] || fail "app.db was written: the name was read as a URI"
}
mode_memory() { applied_in 'sqlite:file:app.db?mode=memory' 'file:app.db?mode=memory'; }
sqlite3_mode_memory() { applied_in 'sqlite3:file:app.db?mode=memory' 'file:app.db?mode=memory'; }
nolock() { applied_in 'sqlite:file:app.db?nolock=1' 'file:app.db?nolock=1'; }
# (a bare `file:...` is a scheme ladder does not speak, and says so)
bare_file() {
	run up -d 'file:app.db?mode=memory'
	expect_rc 1 "up -d file:..."
	expect_err "unsupported database"
}
memory_name() { applied_in ':memory:' ':memory:'; }
sqlite_memory_name() { applied_in 'sqlite::memory:' ':memory:'; }
backup() {
	run up -d 'sqlite:file:b.db?mode=memory'
	steps 1 2 3
	run up -d 'sqlite:file:b.db?mode=memory' --backup
	expect_rc 0 "up --backup"
	f=$(ls | grep '^file:b\.db?mode=memory\.backup-') || fail "no backup file named after the database"
	[ "$(ids "./$f")" = 1,2 ] || fail "the backup does not hold 1,2"
}

tcase "sqlite:file:...?mode=memory is a file named so" mode_memory
tcase "sqlite3:file:...?mode=memory is a file named so" sqlite3_mode_memory
tcase "a bare file:... is refused as a scheme" bare_file
tcase "?nolock=1 is part of the name, not an option" nolock
tcase "-d :memory: is the file ./:memory:" memory_name
tcase "-d sqlite::memory: is the file ./:memory:" sqlite_memory_name
tcase "a backup of file:... is a file named after it" backup
tdone
