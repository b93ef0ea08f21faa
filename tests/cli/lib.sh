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
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

fail() {
	echo "FAIL: $*" >&2
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
