#!/bin/sh
# An application that embeds PostgreSQL migrations (`ladder embed` of a
# manifest with engine, schema, timeouts and a transaction: false step)
# migrates a real server with them: the engine is PostgreSQL's (a
# dollar-quoted body with semicolons is one statement, the database is not
# refused as another engine's), the bookkeeping lives in `schema:`, the
# step runs under the manifest's lock_timeout and its own
# statement_timeout, the CONCURRENTLY step runs outside a transaction, and
# the CLI then finds the database compatible with the files.
. "$PGLIB"
: "${EMBED_APP:?set EMBED_APP to the built tests/embed_app}"
: "${EMBED_MANIFEST:?set EMBED_MANIFEST to tests/fixtures/embed-pg/manifest.yaml}"

db=$(pg_newdb t290_embedded) || exit 1
pg_sql "$db" 'CREATE SCHEMA app' || fail "cannot make schema app"

CASE="the embedded steps apply"
"$EMBED_APP" "$db" >first.out 2>&1 || fail "first run: $(cat first.out)"
[ "$(grep -c '^migrated: ' first.out)" = 2 ] || fail "not both migrated: $(cat first.out)"
[ "$(pg_sql "$db" "SELECT string_agg(id::text, ',' ORDER BY id) FROM app.schema_migrations")" = "1,2" ] ||
	fail "rows in app.schema_migrations: $(pg_sql "$db" "SELECT id FROM app.schema_migrations")"
[ "$(pg_sql "$db" "SELECT to_regclass('public.schema_migrations') IS NULL")" = t ] ||
	fail "the bookkeeping table is not in the manifest's schema"

CASE="the step ran with the compiled-in timeouts"
[ "$(pg_sql "$db" "SELECT lock_timeout || '|' || statement_timeout FROM public.seen")" = "2s|5min" ] ||
	fail "settings inside the step: $(pg_sql "$db" "SELECT * FROM public.seen")"

CASE="the transaction: false step built its index, valid"
[ "$(pg_sql "$db" "SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.seen_lock'::regclass")" = t ] ||
	fail "no valid index seen_lock"

CASE="a second run does nothing"
"$EMBED_APP" "$db" >second.out 2>&1 || fail "second run: $(cat second.out)"
grep -q '^migrated: ' second.out && fail "second run migrated again"

CASE="the CLI finds the database compatible with the files"
run check -m "$EMBED_MANIFEST" -d "$db"
expect_rc 0 "embedded checksums are the files' checksums"
expect_out '^compatible'
exit 0
