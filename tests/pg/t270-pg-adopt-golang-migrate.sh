#!/bin/sh
# golang-migrate on PostgreSQL: its schema_migrations(version bigint,
# dirty boolean) holds one row, the current version. adopt records every
# step up to it in ladder's own table (ladder_migrations: the name
# clash), in one transaction; check then says what is pending and up
# applies the rest. A dirty row is refused and nothing is written. The
# tool's table is kept, and `up` never mistakes it for ladder's.
. "$PGLIB"

mkdir migrations
for i in 1 2 3; do
	echo "CREATE TABLE t$i (x int);" >migrations/${i}_t$i.up.sql
	echo "DROP TABLE t$i;" >migrations/${i}_t$i.down.sql
done
run import --from golang-migrate --engine postgresql migrations -o manifest.yaml
expect_rc 0 "import"
grep -q '^engine: postgresql$' manifest.yaml || fail "import wrote no engine line"
grep -q '^table: ladder_migrations' manifest.yaml || fail "import did not name ladder's own table"

db=$(pg_newdb t270) || exit 1
# As golang-migrate's postgres driver writes it (a migration failed
# midway through version 2: dirty).
pg_sql "$db" "CREATE TABLE t1 (x int); CREATE TABLE t2 (x int);
CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO schema_migrations VALUES (2, true)" >/dev/null || fail "cannot make golang-migrate's table"

run adopt --from golang-migrate -d "$db"
expect_rc 1 "adopt of a dirty database"
expect_err 'dirty at version 2'
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname LIKE 'ladder_migrations%'")" = 0 ] ||
	fail "a refused adopt left ladder's table"

pg_sql "$db" "UPDATE schema_migrations SET dirty = false" >/dev/null || fail "cannot clear the flag"
run adopt --from golang-migrate -d "$db"
expect_rc 0 "adopt once clean"
expect_out 'adopted 2 migrations from golang-migrate \(its table kept\)'
[ "$(pg_sql "$db" "SELECT string_agg(id || ':' || name || ':' || ladder_version || ':' || (checksum IS NOT NULL), ',' ORDER BY id) FROM public.ladder_migrations")" = \
	"1:1_t1:0.1.0 adopted from golang-migrate:true,2:2_t2:0.1.0 adopted from golang-migrate:true" ] ||
	fail "rows: $(pg_sql "$db" "TABLE public.ladder_migrations")"
[ "$(pg_sql "$db" "SELECT version || ':' || dirty FROM schema_migrations")" = "2:false" ] || fail "the tool's table changed"

run check -d "$db"
expect_rc 1 "check: one step pending"
expect_out 'pending \[3\]'
run up -d "$db"
expect_rc 0 "up applies the rest"
[ "$(pg_sql "$db" "SELECT string_agg(id::text, ',' ORDER BY id) FROM ladder_migrations")" = 1,2,3 ] ||
	fail "rows after up"
[ "$(pg_sql "$db" "SELECT count(*) FROM pg_class WHERE relname = 't3'")" = 1 ] || fail "t3 was not made"
run check -d "$db"
expect_rc 0 "check after up"

# A second adopt finds ladder's rows and refuses.
run adopt --from golang-migrate -d "$db"
expect_rc 1 "a second adopt"
expect_err 'already records 3 migrations'

# The manifest may not name golang-migrate's table as ladder's.
sed 's/^table: ladder_migrations/table: schema_migrations/' manifest.yaml >clash.yaml
db2=$(pg_newdb t270_clash) || exit 1
pg_sql "$db2" "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO schema_migrations VALUES (1, false)" >/dev/null || fail "cannot make golang-migrate's table"
run adopt --from golang-migrate -m clash.yaml -d "$db2"
expect_rc 1 "adopt with the manifest naming the tool's table"
expect_err "the manifest's table 'schema_migrations' is golang-migrate's own"
[ "$(pg_sql "$db2" "SELECT count(*) FROM schema_migrations")" = 1 ] || fail "the tool's table changed"
exit 0
