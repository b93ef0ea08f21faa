#!/bin/sh
# `transaction: false` runs a file outside a transaction, so VACUUM works
# and its row is recorded; the same file in a transactional migration is
# refused.
. "$TESTLIB"

mkdir sql
printf 'CREATE TABLE a (x);\n' >sql/1.sql
printf 'VACUUM;\n' >sql/2.sql
manifest <<'M'
migrations:
  - id: 1
    name: one
    file: sql/1.sql
  - id: 2
    name: vacuum
    file: sql/2.sql
    transaction: false
M
run up -d app.db
expect_rc 0 "VACUUM with transaction: false"
[ "$(ids app.db)" = "1,2" ] || fail "recorded: $(ids app.db)"
want=$(sha256sum sql/2.sql | cut -d' ' -f1)
[ "$(sql app.db 'SELECT checksum FROM schema_migrations WHERE id = 2')" = "$want" ] || fail "checksum of 2"

sed -i '/transaction: false/d' manifest.yaml
run up -d other.db
expect_rc 1 "VACUUM in a transactional migration"
expect_err 'sql/2\.sql'
