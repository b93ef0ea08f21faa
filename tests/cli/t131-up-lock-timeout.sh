#!/bin/sh
# With another ladder holding the runner lock, up --lock-timeout 1 gives up
# after about a second with exit 1 and a message naming the wait; once the
# lock is free the same up applies.
. "$TESTLIB"

steps 1
mkdir db

gives_up() {
	hold_runner_lock db
	run up -d db/app.db --lock-timeout 1
	release_lock
	expect_rc 1 "gives up after the timeout"
	expect_err "another ladder holds the lock.*gave up after 1000 ms"
	[ ! -s db/app.db ] || [ -z "$(ids db/app.db)" ] || fail "applied while the lock was held"
}
applies_when_free() {
	hold_runner_lock db
	release_lock
	run up -d db/app.db --lock-timeout 1
	expect_rc 0 "applies once the lock is free"
	[ "$(ids db/app.db)" = 1 ] || fail "step 1 not recorded"
}
tcase "up --lock-timeout gives up with a message" gives_up
tcase "up applies once the lock is free" applies_when_free
tdone
