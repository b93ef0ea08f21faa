#!/bin/sh
# check exits 3 when it cannot tell: unreadable or missing manifest, invalid
# manifest, bad usage, an unsupported scheme, no database at all.
. "$TESTLIB"

steps 1
run up -d app.db
expect_rc 0 "up"

run check -d app.db -m missing.yaml
expect_rc 3 "missing manifest"
expect_err 'missing\.yaml'

printf 'migrations: [\n' >broken.yaml
run check -d app.db -m broken.yaml
expect_rc 3 "unparsable manifest"
expect_err 'broken\.yaml:[0-9]+'

mkdir dir.yaml
run check -d app.db -m dir.yaml
expect_rc 3 "manifest is a directory"

run check --bogus -d app.db
expect_rc 3 "check --bogus"
run check -d app.db extra
expect_rc 3 "check with an extra argument"
run check -d
expect_rc 3 "check -d without a value"
run check -d app.db --format xml
expect_rc 3 "check --format xml"

run check -d mysql://x/y
expect_rc 3 "unsupported scheme"
expect_err 'unsupported'

run check
expect_rc 3 "no database at all"
expect_err 'database'
