#!/bin/sh
# validate accepts a valid manifest (comments, gaps in ids, leading zeros,
# transaction: false, an empty migrations list) with exit 0, and the
# repository's own example manifest too.
. "$TESTLIB"

mkdir sql
printf 'CREATE TABLE a (x);\n' >sql/1.sql
printf '/* header */\nVACUUM;\n' >sql/2.sql
manifest <<'M'
# a comment
table: my_migrations   # another
migrations:
  - id: 1
    name: one
    file: sql/1.sql
  - id: 0010      # ten
    name: vacuum
    file: sql/2.sql
    transaction: false
M
run validate
expect_rc 0 "valid manifest"

printf 'migrations: []\n' >empty.yaml
run validate -m empty.yaml
expect_rc 0 "empty migrations list"

run validate -m "$LADDER_SRC/manifest.yaml"
expect_rc 0 "the repository's example manifest"

run validate --format json
expect_rc 0 "valid, json"
jq_out '.diagnostics | length == 0'
jq_out '[.migrations[].id] == [1, 10]'
