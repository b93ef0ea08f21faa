#!/bin/sh
# A manifest of more files than the process may hold open at once: every
# file is closed once it is hashed or scanned, so loading 300 entries
# under `ulimit -n 64` works for up, status, check and validate (a
# descriptor kept per file made the load fail with "Too many open files"
# after about 55 files).
. "$TESTLIB"

ids=$(seq 1 300)
# shellcheck disable=SC2086
steps $ids

# limited CMD...: ladder under a limit of 64 open descriptors.
limited() {
	(
		ulimit -n 64 || exit 99
		run "$@"
		exit "$RC"
	)
	RC=$?
	[ "$RC" -ne 99 ] || fail "cannot set ulimit -n"
}

up_all() {
	limited up -d app.db
	expect_rc 0 "up of 300 steps under ulimit -n 64"
	expect_no_err "Too many open files"
	[ "$(sql app.db 'SELECT count(*) FROM schema_migrations')" = 300 ] ||
		fail "not all 300 recorded"
}
noop_all() {
	run up -d app.db
	expect_rc 0 "first up"
	limited up -d app.db
	expect_rc 0 "no-op up under ulimit -n 64"
	limited status -d app.db
	expect_rc 0 "status under ulimit -n 64"
	expect_no_err "Too many open files"
	limited check -d app.db
	expect_rc 0 "check under ulimit -n 64"
	limited validate
	expect_rc 0 "validate under ulimit -n 64"
}

tcase "up applies 300 files under ulimit -n 64" up_all
tcase "no-op up, status, check and validate of 300 files under ulimit -n 64" noop_all
tdone
