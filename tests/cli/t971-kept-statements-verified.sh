#!/bin/sh
# A transactional step runs the statements its check read and kept in
# memory (issue 12: a pending file is read and lexed once before it runs,
# not again), and only once its file, opened again through path.c, is
# still the file the check read: the same identity (inode, size, times),
# or else the same checksum. So, while `up` or `down` waits for another
# program's write lock at step 1 (`-v` printed "applying 1"):
# - the file touched, or rewritten with the very same bytes: it runs;
# - edited to other SQL of the very same size: refused, nothing of it
#   runs or is recorded (`changed while ladder was applying it`);
# - the same for a down file;
# - a file too big to keep (over 24 MiB of statements) is read again as
#   it runs, and an edit is refused the same way.
# (t750 covers symlinks, FIFOs and edits that change the size.)
. "$TESTLIB"

mkdir p
cd p || exit 1

# project [BIG]: sql/1.sql (CREATE TABLE t1), its down sql/1.down.sql, in
# a transactional step; with BIG, sql/1.sql also inserts a 26 MB string.
# The files' modification times are set in the past, so an edit made in
# the same clock tick as their writing still shows.
project() {
	rm -rf sql app.db app.db-journal
	mkdir sql
	printf 'CREATE TABLE t1 (x);\n' >sql/1.sql
	if [ -n "${1:-}" ]; then
		{
			printf "INSERT INTO t1 VALUES ('"
			head -c 26000000 /dev/zero | tr '\0' a
			printf "');\n"
		} >>sql/1.sql
	fi
	printf 'DROP TABLE t1;\n' >sql/1.down.sql
	touch -d '2001-01-01 00:00:00' sql/1.sql sql/1.down.sql
	cat >manifest.yaml <<EOF2
migrations:
  - id: 1
    name: one
    file: sql/1.sql
    down: sql/1.down.sql
EOF2
	sql app.db "CREATE TABLE keep (x);
CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
  applied_at TEXT NOT NULL)"
}

# during CMD VERB ACTION: as in t750.
during() {
	hold_write_lock app.db
	"$LADDER" "$1" -v -d app.db >"$T/out" 2>"$T/err" &
	pid=$!
	i=0
	while ! grep -q "^$2 1 " "$T/out" && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q "^$2 1 " "$T/out" || fail "ladder never reached step 1"
	$3
	release_lock
	reap $pid 60
}

touched() { touch "$F"; }
same_bytes() { cp "$F" "$T/copy" && rm "$F" && cp "$T/copy" "$F"; }
# other SQL, the same size (t1 -> ev, DROP -> DROP)
same_size() {
	sed 's/t1/ev/' "$F" >"$T/edit" && cat "$T/edit" >"$F"
	touch -d '2001-01-01 00:00:00' "$F"
}

has() { [ -n "$(sql app.db "SELECT name FROM sqlite_master WHERE name = '$1'")" ]; }

up_runs() {
	project
	F=sql/1.sql
	during up applying "$1"
	expect_rc 0 "up with sql/1.sql $1"
	has t1 || fail "step 1 did not run"
	[ "$(ids app.db)" = 1 ] || fail "step 1 not recorded"
	run status -d app.db
	expect_rc 0 "status after up"
	expect_out "^1 applied, 0 pending"
}
up_refused() {
	project ${1:-}
	F=sql/1.sql
	during up applying same_size
	expect_rc 1 "up with sql/1.sql edited, same size"
	expect_err "sql/1\.sql' changed while ladder was applying it"
	! has t1 || fail "the checked statements ran"
	! has ev || fail "the edited statements ran"
	[ -z "$(ids app.db)" ] || fail "step 1 recorded"
}
down_refused() {
	project
	run up -d app.db
	expect_rc 0 "up"
	F=sql/1.down.sql
	during down reverting same_size
	expect_rc 1 "down with sql/1.down.sql edited, same size"
	expect_err "sql/1\.down\.sql' changed while ladder was applying it"
	has t1 || fail "the down step ran"
	[ "$(ids app.db)" = 1 ] || fail "step 1 no longer recorded"
}
big_runs() {
	project big
	F=sql/1.sql
	during up applying true
	expect_rc 0 "up of a 26 MB step"
	[ "$(sql app.db 'SELECT length(x) FROM t1')" = 26000000 ] || fail "the row is not whole"
}

up_touched() { up_runs touched; }
up_same_bytes() { up_runs same_bytes; }
up_refused_big() { up_refused big; }

tcase "up: a step touched during the run runs" up_touched
tcase "up: a step rewritten with the same bytes runs" up_same_bytes
tcase "up: a step edited to other SQL of the same size is refused" up_refused
tcase "down: a down file edited to other SQL of the same size is refused" down_refused
tcase "up: a step too big to keep applies" big_runs
tcase "up: a step too big to keep, edited to the same size, is refused" up_refused_big
tdone
