#!/bin/sh
# karakeep's history applied the way drizzle-kit's migrator does it (in
# journal order, __drizzle_migrations holding each file's SHA-256 and the
# journal's `when`) is adopted, matched by hash; check says compatible.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/import-lib.sh"

corpus karakeep
run import --from drizzle-kit migrations -o manifest.yaml
expect_rc 0 "import"
tags=$(jq -r '.entries[].tag' migrations/meta/_journal.json) || fail "jq"
files=
for t in $tags; do files="$files migrations/$t.sql"; done
# shellcheck disable=SC2086
shell_apply app.db $files
{
	echo 'CREATE TABLE "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric);'
	jq -r '.entries[] | "\(.tag) \(.when)"' migrations/meta/_journal.json |
		while read -r t w; do
			h=$(sha256sum "migrations/$t.sql" | cut -c1-64)
			echo "INSERT INTO \"__drizzle_migrations\" (hash, created_at) VALUES ('$h', $w);"
		done
} | sqlite3 app.db || fail "sqlite3"
run adopt --from drizzle-kit -d app.db
expect_rc 0 "adopt"
[ "$(sql app.db 'SELECT count(*) FROM schema_migrations')" = 94 ] || fail "rows"
run check -d app.db
expect_rc 0 "check after adopt"
expect_out '^compatible'
