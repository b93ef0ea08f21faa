# import-lib.sh — what the import/adopt scripts (t95x, t96x) share, sourced
# after lib.sh. The real histories are read from ../shared/corpora next to
# the source tree (never copied into it); they are copied into the
# scratch folder, so the manifest import writes can sit above them.

CORPORA=$(cd "$(dirname "$0")/../../.." && pwd)/shared/corpora

# corpus NAME: copies NAME/source to ./migrations; fails when absent.
corpus() {
	[ -d "$CORPORA/$1/source" ] ||
		fail "the shared histories are absent: no $CORPORA/$1/source (issue 13; they live in ../shared/corpora beside the source tree)"
	cp -R "$CORPORA/$1/source" migrations || fail "cannot copy $1"
}

# shell_apply DB FILE...: applies each file with the plain sqlite3 shell,
# each inside BEGIN/COMMIT (the corpora's ground truth).
shell_apply() {
	db=$1
	shift
	for f in "$@"; do
		printf 'BEGIN;\n'
		cat "$f"
		printf '\n;\nCOMMIT;\n'
	done >apply.sql
	sqlite3 -bail "$db" <apply.sql >/dev/null || fail "sqlite3 could not apply the history"
}

# same_schema_as_shipped NAME DB: DB's schema is what the shipped
# ladder/manifest.yaml of NAME gives on a fresh database.
same_schema_as_shipped() {
	"$LADDER" -q -m "$CORPORA/$1/ladder/manifest.yaml" -d ref.db up >/dev/null 2>ref.err ||
		{ cat ref.err >&2; fail "the shipped manifest of $1 does not apply"; }
	"$LADDER" -m "$CORPORA/$1/ladder/manifest.yaml" -d ref.db schema >ref.schema || fail "schema of ref.db"
	"$LADDER" -m manifest.yaml -d "$2" schema >got.schema || fail "schema of $2"
	cmp -s ref.schema got.schema || { diff ref.schema got.schema | head -20 >&2; fail "schema differs from the shipped manifest's"; }
}

# import_validate_up_check NAME TOOL: the whole way, each step exit 0.
import_validate_up_check() {
	corpus "$1"
	run import --from "$2" migrations -o manifest.yaml
	expect_rc 0 "import --from $2"
	[ -s manifest.yaml ] || fail "no manifest written"
	run validate
	expect_rc 0 "validate the imported manifest"
	run up -d app.db
	expect_rc 0 "up with the imported manifest"
	run check -d app.db
	expect_rc 0 "check after up"
	expect_out '^compatible'
	same_schema_as_shipped "$1" app.db
}
