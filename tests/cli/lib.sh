# lib.sh — what the CLI test scripts share. Sourced by every tNNN-*.sh.
#
# Each script runs the real `ladder` binary ($LADDER) against real SQLite
# files in a scratch folder, and fails (exit 1) on the first broken
# expectation, saying which and showing the command's output.
set -u

: "${LADDER:?set LADDER to the ladder binary}"
: "${LADDER_SRC:?set LADDER_SRC to the source tree}"
unset LADDER_DATABASE LADDER_MANIFEST NO_COLOR

T=$(mktemp -d "${TMPDIR:-/tmp}/ladder-cli-XXXXXX")
HOLDER=
# A lock holder left by a failed test (see hold_write_lock) is ended too.
trap '[ -z "$HOLDER" ] || kill "$HOLDER" 2>/dev/null; rm -rf "$T"' EXIT
cd "$T" || exit 1

CASE=
fail() {
	echo "FAIL${CASE:+ [$CASE]}: $*" >&2
	[ -f "$T/out" ] && { echo "--- stdout" >&2; cat "$T/out" >&2; }
	[ -f "$T/err" ] && { echo "--- stderr" >&2; cat "$T/err" >&2; }
	exit 1
}

# run CMD...: runs ladder with the arguments; stdout in $T/out, stderr in
# $T/err, exit status in $RC. Never fails by itself.
run() {
	"$LADDER" "$@" >"$T/out" 2>"$T/err"
	RC=$?
	# A crash (killed by a signal) is never an acceptable answer to input.
	[ "$RC" -lt 128 ] || fail "ladder $* crashed (exit $RC)"
	# Under sanitizers (.ci/run) or valgrind, a report exits 86.
	[ "$RC" -ne 86 ] || fail "ladder $* drew a sanitizer or valgrind report"
}

expect_rc() { [ "$RC" -eq "$1" ] || fail "expected exit $1, got $RC: ${2:-}"; }
# expect_out / expect_err PATTERN: a grep -E pattern the output must match.
expect_out() { grep -Eq -- "$1" "$T/out" || fail "stdout lacks /$1/"; }
expect_err() { grep -Eq -- "$1" "$T/err" || fail "stderr lacks /$1/"; }
expect_no_out() { ! grep -Eq -- "$1" "$T/out" || fail "stdout has /$1/"; }
expect_no_err() { ! grep -Eq -- "$1" "$T/err" || fail "stderr has /$1/"; }
expect_empty_out() { [ ! -s "$T/out" ] || fail "stdout is not empty"; }

# sql DB QUERY: the query's result through the sqlite3 shell.
sql() { sqlite3 -batch "$1" "$2"; }

# A fingerprint of every file in the scratch folder (names and bytes), to
# prove a command wrote nothing.
# (./out and ./err, which `run` rewrites, are left out.)
snapshot() { (find . -path ./out -prune -o -path ./err -prune -o -type f -print | sort | xargs -r sha256sum; find . ! -path ./out ! -path ./err | sort) | sha256sum; }

# jq_out FILTER: runs jq on stdout (which must be one JSON document).
jq_out() { jq -e "$1" "$T/out" >/dev/null || fail "JSON stdout fails jq '$1'"; }

# migration N NAME SQL: writes sql/N_NAME.sql with SQL.
migration() {
	mkdir -p sql
	printf '%s\n' "$3" >"sql/$1_$2.sql"
}

# manifest: writes manifest.yaml from stdin.
manifest() { cat >manifest.yaml; }

# steps ID...: a manifest listing each ID (name mID, file sql/ID.sql) in the
# order given; a missing sql/ID.sql is written as `CREATE TABLE tID (x);`
# (so running a step twice would fail loudly).
steps() {
	mkdir -p sql
	echo "migrations:" >manifest.yaml
	for i in "$@"; do
		[ -f "sql/$i.sql" ] || printf 'CREATE TABLE t%s (x);\n' "$i" >"sql/$i.sql"
		printf '  - id: %s\n    name: m%s\n    file: sql/%s.sql\n' "$i" "$i" "$i" >>manifest.yaml
	done
}

# ids DB [TABLE]: the recorded ids, comma-separated in id order.
ids() { sql "$1" "SELECT group_concat(id) FROM (SELECT id FROM ${2:-schema_migrations} ORDER BY id)"; }

# expect_same SNAPSHOT WHAT: no file in the scratch folder changed, appeared
# or vanished since SNAPSHOT was taken with `snapshot`.
expect_same() { [ "$(snapshot)" = "$1" ] || fail "$2: files changed (snapshot differs)"; }

# has_esc FILE: true if FILE holds an ESC byte (a colour sequence).
has_esc() { grep -q "$(printf '\033')" "$1"; }

# Named cases, after git's test_expect_success: one script proves several
# closely related behaviours and reports each by name.
#
#   case_one() { run up -d a.db; expect_rc 0 "up"; }
#   tcase "up applies on a fresh file" case_one
#   ...
#   tdone
#
# tcase NAME FUNCTION runs FUNCTION in a subshell (files it writes stay,
# shell variables it sets do not); a `fail` ends only that case, which is
# reported as "not ok N - NAME" with the reason, and the cases after it
# still run. tdone exits 1 if any case failed.
CASES=0 CASES_FAILED=
tcase() {
	CASES=$((CASES + 1))
	if (
		CASE=$1
		trap '[ -z "$HOLDER" ] || kill "$HOLDER" 2>/dev/null' EXIT
		"$2"
	); then
		echo "ok $CASES - $1"
	else
		echo "not ok $CASES - $1"
		CASES_FAILED="$CASES_FAILED
  $1"
	fi
	rm -f "$T/out" "$T/err"
}
tdone() {
	[ -z "$CASES_FAILED" ] && return 0
	echo "FAILED cases:$CASES_FAILED" >&2
	exit 1
}

# wait_for FILE [TENTHS]: waits until FILE exists and is not empty (at most
# TENTHS tenths of a second, default 300); false if it never appears. The
# evidence that a step is running before a test signals it.
wait_for() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt "${2:-300}" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$1" ]
}

# hold_write_lock DB: another program (python3's sqlite3, not a ladder)
# holds SQLite's write lock on DB (BEGIN IMMEDIATE) until `release_lock`
# (or its parent shell ends); with SECONDS as second argument, for that long
# and then it commits. The holder is one process, not a parent with a child
# inheriting the lock, so killing it frees the lock. Sets $HOLDER.
hold_write_lock() {
	rm -f "$T/held"
	python3 -c '
import sqlite3, sys, time, os
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").write("held")
end = time.time() + float(sys.argv[3])
ppid = os.getppid()
while time.time() < end and os.getppid() == ppid:
    time.sleep(0.05)
c.execute("COMMIT")
' "$1" "$T/held" "${2:-600}" </dev/null >/dev/null 2>&1 &
	HOLDER=$!
	wait_for "$T/held" || fail "the lock holder never took the lock"
}
release_lock() {
	kill "$HOLDER" 2>/dev/null
	wait "$HOLDER" 2>/dev/null
	HOLDER=
}

# hold_runner_lock DIR: another ladder's runner lock (flock on the
# database's folder), held by one process: `flock -F` runs sleep without
# forking, so killing $HOLDER frees the lock. release_lock ends it.
hold_runner_lock() {
	flock -F "$1" sleep 120 </dev/null >/dev/null 2>&1 &
	HOLDER=$!
	i=0
	while flock -n "$1" true && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	! flock -n "$1" true || fail "the runner lock holder never took the lock"
}

# wait_open PID FILE: waits until process PID has FILE open (evidence that
# it reached the database, or its folder for the runner lock); false if it
# never does (or exited).
wait_open() {
	wo_path=$(readlink -f "$2")
	i=0
	while [ $i -lt 1500 ]; do
		for wo_fd in /proc/"$1"/fd/*; do
			[ "$(readlink "$wo_fd" 2>/dev/null)" = "$wo_path" ] && return 0
		done
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.02
		i=$((i + 1))
	done
	return 1
}

# reap PID [SECONDS]: waits for a background ladder and puts its exit status
# in $RC. A hang guard, not a timing assertion: after SECONDS (default 30)
# it is killed with SIGKILL, so RC is 137.
reap() {
	(
		sleep "${2:-30}"
		kill -9 "$1"
	) </dev/null >/dev/null 2>&1 &
	reap_guard=$!
	wait "$1"
	RC=$?
	kill "$reap_guard" 2>/dev/null
	wait "$reap_guard" 2>/dev/null
	[ "$RC" -ne 137 ] || fail "ladder (pid $1) hung: killed by the guard after ${2:-30} s"
}

# hot_journal_after_step_1: a manifest of two steps (tables a, b), step 1
# applied to app.db, then a sqlite3 writer that spills its cache into the
# file and dies by kill -9 inside its transaction (system() runs sh, whose
# parent is sqlite3): app.db is left with a hot journal.
hot_journal_after_step_1() {
	migration 0001 one "CREATE TABLE a (x);"
	migration 0002 two "CREATE TABLE b (x);"
	manifest <<'M'
migrations:
  - {id: 1, name: one, file: sql/0001_one.sql}
  - {id: 2, name: two, file: sql/0002_two.sql}
M
	run up -d app.db --to 1
	expect_rc 0 "first step"
	sqlite3 app.db "PRAGMA cache_size = 5;" "BEGIN;" "CREATE TABLE junk (x);" \
		"INSERT INTO junk WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 50000) SELECT randomblob(100) FROM c;" \
		'.system kill -9 $PPID' >/dev/null 2>&1
	[ -s app.db-journal ] || fail "the setup left no hot journal"
}
