#!/bin/sh
# corpora.sh [CORPORA] — run real projects' SQLite migration histories
# (default ../shared/corpora, relative to the repository root) through
# ladder and compare with the sqlite3 shell applying the same files.
#
# For each history HIST/ladder/manifest.yaml:
#   1. `ladder validate` passes (warnings allowed);
#   2. `ladder up` applies every step in one run;
#   3. the sqlite3 shell applies the same files in the manifest's order,
#      each inside BEGIN/COMMIT (the ground truth);
#   4. the schema (`.schema` minus ladder's bookkeeping table) and every
#      table's row count match between 2 and 3;
#   5. `ladder up --to ID` once per step (N runs) gives a database whose
#      `.dump` (without the bookkeeping table) is byte-identical to 2's.
# The histories' files are read in place, never copied into the repository.
# Exits 1 when the folder is absent (saying so) or any history fails.
#   LADDER   the ladder binary (default build/ladder)
#   ONLY     a space-separated list of histories to run (default: all)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
corpora=${1:-$root/../shared/corpora}
ladder=${LADDER:-$root/build/ladder}
case $ladder in /*) ;; *) ladder=$PWD/$ladder ;; esac

if [ ! -d "$corpora" ]; then
	echo "corpora: '$corpora' is absent: the shared histories are needed (see its README)" >&2
	exit 1
fi
corpora=$(cd "$corpora" && pwd)
[ -x "$ladder" ] || { echo "corpora: no ladder binary at '$ladder'" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "corpora: the sqlite3 shell is needed" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ladder-corpora-XXXXXX")
trap 'rm -rf "$work"' EXIT

# without_ladder DB OUT: a copy of DB without ladder's bookkeeping table.
without_ladder() {
	cp "$1" "$2"
	sqlite3 -batch "$2" 'DROP TABLE IF EXISTS schema_migrations' || return 1
}

# counts DB: one line per table, "name count", sorted.
counts() {
	for t in $(sqlite3 -batch "$1" "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name"); do
		printf '%s %s\n' "$t" "$(sqlite3 -batch "$1" "SELECT count(*) FROM \"$t\"")"
	done
}

stamp="s/'[0-9]\{4\}-[0-9][0-9]-[0-9][0-9][ T][0-9][0-9]:[0-9][0-9]:[0-9][0-9]\(\.[0-9]*\)\{0,1\}Z\{0,1\}'/'STAMP'/g"

status=0
histories=${ONLY:-$(cd "$corpora" && for d in */; do [ -f "$d/ladder/manifest.yaml" ] && printf '%s ' "${d%/}"; done)}
[ -n "$histories" ] || { echo "corpora: no history under '$corpora'" >&2; exit 1; }
for h in $histories; do
	dir=$corpora/$h/ladder
	out=$work/$h
	mkdir -p "$out"
	failed=0
	bad() {
		echo "corpora: $h: $*" >&2
		status=1
		failed=1
	}
	if ! (cd "$dir" && "$ladder" validate >"$out/validate.out" 2>&1); then
		bad "validate failed:"
		tail -20 "$out/validate.out" >&2
		continue
	fi
	warnings=$(grep -c ': warning:' "$out/validate.out")

	# 2. ladder, one run.
	if ! (cd "$dir" && "$ladder" -q up -d "$out/one.db" >"$out/up.out" 2>&1); then
		bad "up failed:"
		tail -20 "$out/up.out" >&2
		continue
	fi

	# 3. the sqlite3 shell, each file in BEGIN/COMMIT, the manifest's order.
	files=$(sed -n 's/^ *file: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$dir/manifest.yaml")
	n=0
	shell_ok=1
	for f in $files; do
		n=$((n + 1))
		if ! { printf '.bail on\nBEGIN;\n'; cat "$dir/$f"; printf '\n;\nCOMMIT;\n'; } |
			sqlite3 -batch "$out/shell.db" >"$out/shell.out" 2>&1; then
			bad "the sqlite3 shell failed on $f:"
			tail -5 "$out/shell.out" >&2
			shell_ok=0
			break
		fi
	done
	[ "$shell_ok" -eq 1 ] || continue

	without_ladder "$out/one.db" "$out/one-bare.db" || { bad "cannot copy the database"; continue; }
	sqlite3 -batch "$out/one-bare.db" .schema >"$out/one.schema"
	sqlite3 -batch "$out/shell.db" .schema >"$out/shell.schema"
	if ! cmp -s "$out/one.schema" "$out/shell.schema"; then
		bad "schema differs from the sqlite3 shell's:"
		diff "$out/shell.schema" "$out/one.schema" | head -20 >&2
	fi
	counts "$out/one.db" >"$out/one.counts"
	counts "$out/shell.db" >"$out/shell.counts"
	if ! cmp -s "$out/one.counts" "$out/shell.counts"; then
		bad "row counts differ from the sqlite3 shell's:"
		diff "$out/shell.counts" "$out/one.counts" | head -20 >&2
	fi

	# 5. one step per run.
	ids=$(sed -n 's/^ *- *id: *\([0-9][0-9]*\) *$/\1/p' "$dir/manifest.yaml")
	split_ok=1
	for id in $ids; do
		if ! (cd "$dir" && "$ladder" -q up --to "$id" -d "$out/split.db" >"$out/split.out" 2>&1); then
			bad "up --to $id failed:"
			tail -5 "$out/split.out" >&2
			split_ok=0
			break
		fi
	done
	[ "$split_ok" -eq 1 ] || continue
	without_ladder "$out/split.db" "$out/split-bare.db" || { bad "cannot copy the database"; continue; }
	# Rows stamped with the time they were inserted (DEFAULT
	# datetime('now')) differ between two runs by nature: such stamps are
	# replaced by a placeholder; everything else must be byte-identical.
	sqlite3 -batch "$out/one-bare.db" .dump | sed "$stamp" >"$out/one.dump"
	sqlite3 -batch "$out/split-bare.db" .dump | sed "$stamp" >"$out/split.dump"
	if ! cmp -s "$out/one.dump" "$out/split.dump"; then
		bad "one run and one step per run give different dumps:"
		diff "$out/one.dump" "$out/split.dump" | head -20 >&2
	fi
	[ "$failed" -eq 0 ] || continue
	echo "corpora: $h: $n steps, $warnings warnings: validated, applied, matches the sqlite3 shell, split or not"
done
[ "$status" -eq 0 ] && echo "corpora: all histories match"
exit "$status"
