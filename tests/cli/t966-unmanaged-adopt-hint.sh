#!/bin/sh
# A database with tables of its own and no bookkeeping table is not a
# fresh install; when one of those tables is another tool's bookkeeping
# (sqlx's _sqlx_migrations here, named though 'Accounts' sorts first),
# the message says how to adopt it
# (import, then adopt) rather than only baseline; otherwise it names one
# of the tables and points to baseline.
. "$TESTLIB"

migration 0001 one "CREATE TABLE a (x);"
manifest <<'M'
migrations:
  - {id: 1, name: one, file: sql/0001_one.sql}
M

CASE="another tool's table: the adopt hint"
sqlite3 app.db "CREATE TABLE Accounts (id INTEGER); CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on TEXT NOT NULL, success BOOLEAN NOT NULL, checksum BLOB NOT NULL, execution_time BIGINT NOT NULL);"
run up -d app.db
expect_rc 1 "up on an sqlx database"
expect_err "such as '_sqlx_migrations', sqlx's bookkeeping.*'ladder import --from sqlx --engine sqlite DIR'.*'ladder adopt --from sqlx'"
run check -d app.db
expect_rc 3 "check on an sqlx database"
expect_err "ladder adopt --from sqlx"
run status -d app.db
expect_rc 0 "status"
expect_err "warning: .*ladder adopt --from sqlx"

CASE="goose keeps up and down in one file: the hint says --split"
rm -f app.db
sqlite3 app.db "CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY, version_id INTEGER NOT NULL, is_applied INTEGER NOT NULL, tstamp TEXT); CREATE TABLE users (id INTEGER);"
run check -d app.db
expect_rc 3 "check on a goose database"
expect_err "'ladder import --from goose --engine sqlite --split NEWDIR DIR'"

CASE="an application's own tables: baseline, naming one"
rm -f app.db
sqlite3 app.db "CREATE TABLE users (id INTEGER); CREATE TABLE orders (id INTEGER);"
run up -d app.db
expect_rc 1 "up on an application's database"
expect_err "has tables of its own \\(such as 'orders'\\).*ladder baseline ID"
expect_no_err "adopt"
exit 0
