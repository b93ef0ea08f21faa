#!/bin/sh
# A migration file changed under a running up or down (issue 10, items 2
# and 3). ladder waits for another program's write lock at step 1 (the
# evidence it is running: `-v` has printed "applying 1"); meanwhile the
# file is swapped, then the lock is freed. Each file is opened at run time
# through the same contained, checked open as at load time, and runs only
# as the bytes that were checked:
# - swapped for a symlink to a file outside the project (even one with the
#   very same bytes): refused, nothing of it runs;
# - swapped for a FIFO: refused at once, never hangs;
# - a `transaction: false` step edited: refused before any statement of it
#   runs, and no attempt note is left.
# The same for down.
. "$TESTLIB"

mkdir p
cd p || exit 1
OUT=$T/outside.sql

# project TX: sql/1.sql (CREATE TABLE t1) with down sql/1.down.sql, in a
# step with `transaction: TX`; an app.db holding table keep and an empty
# bookkeeping table (a database with tables of its own and none would be
# refused as unmanaged before any step runs).
project() {
	rm -rf sql app.db app.db-journal
	mkdir sql
	printf 'CREATE TABLE t1 (x);\n' >sql/1.sql
	printf 'DROP TABLE t1;\n' >sql/1.down.sql
	cat >manifest.yaml <<EOF
migrations:
  - id: 1
    name: one
    file: sql/1.sql
    down: sql/1.down.sql
    transaction: $1
EOF
	sql app.db "CREATE TABLE keep (x);
CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
  applied_at TEXT NOT NULL)"
}

# during CMD VERB ACTION: runs `ladder CMD -v -d app.db` while another
# program holds the write lock; once ladder says "VERB 1", runs the shell
# function ACTION, frees the lock and reaps ladder (hang guard 30 s).
during() {
	hold_write_lock app.db
	"$LADDER" "$1" -v -d app.db >"$T/out" 2>"$T/err" &
	pid=$!
	i=0
	while ! grep -q "^$2 1 " "$T/out" && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q "^$2 1 " "$T/out" || fail "ladder never reached step 1"
	$3
	release_lock
	reap $pid 30
}

to_symlink_same() { cp "$F" "$OUT" && rm "$F" && ln -s "$OUT" "$F"; }
to_symlink_evil() { printf 'CREATE TABLE evil (x);\n' >"$OUT" && rm "$F" && ln -s "$OUT" "$F"; }
to_fifo() { rm "$F" && mkfifo "$F"; }
edit() { printf 'CREATE TABLE evil (x);\n' >>"$F"; }

no_evil() {
	[ -z "$(sql app.db "SELECT name FROM sqlite_master WHERE name = 'evil'")" ] || fail "the swapped-in SQL ran"
	[ "$(sql app.db 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
}
has_t1() { [ -n "$(sql app.db "SELECT name FROM sqlite_master WHERE name = 't1'")" ]; }

# up: step 1 refused; nothing of it (nor any row) is kept.
up_refused() {
	tx=$1 action=$2 want=$3
	project "$tx"
	F=sql/1.sql
	during up applying "$action"
	expect_rc 1 "up with sql/1.sql swapped ($action, transaction: $tx)"
	expect_err "$want"
	# A transactional step hashes as it runs (and is rolled back): only
	# there may an edit's statements be shown.
	[ "$tx$action" = trueedit ] || expect_no_out "evil"
	no_evil
	! has_t1 || fail "step 1 ran"
	[ -z "$(ids app.db 2>/dev/null)" ] || fail "step 1 recorded"
	# no attempt note either: status counts no failed step
	rm -f "$F" && printf 'CREATE TABLE t1 (x);\n' >"$F"
	run status -d app.db
	expect_out " 1 pending, .* 0 failed"
}
# down: the revert refused; the step stays applied.
down_refused() {
	tx=$1 action=$2 want=$3
	project "$tx"
	run up -d app.db
	expect_rc 0 "up"
	F=sql/1.down.sql
	during down reverting "$action"
	expect_rc 1 "down with sql/1.down.sql swapped ($action, transaction: $tx)"
	expect_err "$want"
	no_evil
	has_t1 || fail "the down step ran"
	[ "$(ids app.db)" = 1 ] || fail "step 1 no longer recorded"
}

up_symlink_same_tx() { up_refused true to_symlink_same "resolves outside"; }
up_symlink_evil_tx() { up_refused true to_symlink_evil "resolves outside"; }
up_symlink_same_plain() { up_refused false to_symlink_same "resolves outside"; }
up_symlink_evil_plain() { up_refused false to_symlink_evil "resolves outside"; }
up_fifo_tx() { up_refused true to_fifo "not a regular file"; }
up_fifo_plain() { up_refused false to_fifo "not a regular file"; }
up_edit_plain() { up_refused false edit "changed since ladder checked it; nothing of it was run"; }
up_edit_tx() { up_refused true edit "changed while ladder was applying it"; }
down_symlink_same_tx() { down_refused true to_symlink_same "resolves outside"; }
down_symlink_evil_plain() { down_refused false to_symlink_evil "resolves outside"; }
down_fifo_tx() { down_refused true to_fifo "not a regular file"; }
down_fifo_plain() { down_refused false to_fifo "not a regular file"; }
down_edit_plain() { down_refused false edit "changed since ladder checked it; nothing of it was run"; }
down_edit_tx() { down_refused true edit "changed while ladder was applying it"; }

# Not swapped: the same runs apply and revert (the harness itself works).
untouched() {
	project false
	F=sql/1.sql
	during up applying true
	expect_rc 0 "up, nothing swapped"
	has_t1 || fail "step 1 did not run"
	during down reverting true
	expect_rc 0 "down, nothing swapped"
	! has_t1 || fail "the down step did not run"
}

tcase "up: a step swapped for a symlink outside (same bytes) is refused" up_symlink_same_tx
tcase "up: a step swapped for a symlink outside (other SQL) is refused" up_symlink_evil_tx
tcase "up: a plain step swapped for a symlink outside (same bytes) is refused" up_symlink_same_plain
tcase "up: a plain step swapped for a symlink outside (other SQL) is refused" up_symlink_evil_plain
tcase "up: a step swapped for a FIFO is refused, no hang" up_fifo_tx
tcase "up: a plain step swapped for a FIFO is refused, no hang" up_fifo_plain
tcase "up: a plain step edited during the run: nothing of it runs" up_edit_plain
tcase "up: a transactional step edited during the run is rolled back" up_edit_tx
tcase "down: a down file swapped for a symlink outside is refused" down_symlink_same_tx
tcase "down: a plain down file swapped for a symlink outside is refused" down_symlink_evil_plain
tcase "down: a down file swapped for a FIFO is refused, no hang" down_fifo_tx
tcase "down: a plain down file swapped for a FIFO is refused, no hang" down_fifo_plain
tcase "down: a plain down file edited during the run: nothing of it runs" down_edit_plain
tcase "down: a down file edited during the run is rolled back" down_edit_tx
tcase "untouched files apply and revert under the same harness" untouched
tdone
