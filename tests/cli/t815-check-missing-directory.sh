#!/bin/sh
# A database whose directory does not exist (issue 14, item 3): no file
# can be made there, so it is not a fresh install. check says it cannot
# tell (3), never "migrations needed" (1) for an up that then fails
# there; status and up fail naming the directory; a missing file in an
# existing directory is still a fresh install.
. "$TESTLIB"

steps 1 2
CASE="check: exit 3, not 1"
run -d nowhere/app.db check
expect_rc 3
expect_empty_out
expect_err "cannot open 'nowhere/app.db': its directory 'nowhere' does not exist"
run --format json -d nowhere/app.db check
expect_rc 3
jq_out '.diagnostics[0].code == "database"'
CASE="status and up fail there too, and make nothing"
run -d nowhere/app.db status
expect_rc 1
expect_err "its directory 'nowhere' does not exist"
run -d nowhere/app.db up
expect_rc 1
expect_err "its directory 'nowhere' does not exist"
[ ! -e nowhere ] || fail "up made the directory"
CASE="a file where the directory should be"
echo x >afile
run -d afile/app.db check
expect_rc 3
CASE="a missing file in an existing directory is a fresh install"
mkdir there
run -d there/app.db check
expect_rc 1
expect_out "^migrations needed"
run -d there/app.db up
expect_rc 0
run -d there/app.db check
expect_rc 0
exit 0
