#!/bin/sh
# new rewrites the manifest with the mode it had: a manifest kept private
# (0600) does not become world-readable, whatever the umask.
. "$TESTLIB"

printf 'migrations: []\n' >manifest.yaml
chmod 0600 manifest.yaml
umask 022
run new first
expect_rc 0 "new"
[ "$(stat -c %a manifest.yaml)" = 600 ] ||
	fail "manifest mode is $(stat -c %a manifest.yaml), not 600"

# And a wider mode than the umask allows is kept as well.
chmod 0664 manifest.yaml
run new second
expect_rc 0 "new"
[ "$(stat -c %a manifest.yaml)" = 664 ] ||
	fail "manifest mode is $(stat -c %a manifest.yaml), not 664"
