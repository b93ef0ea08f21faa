#!/bin/sh
# The same signal twice (timeout(1) and service managers send SIGTERM to
# the process and again to its process group): the first interrupts the
# work, the second, landing after the command has finished and written its
# output, ends ladder at once with the first signal's code, never by the
# signal itself: check still exits 3, up 143, and the output is whole.
# tests/faults/prepare_signal.c raises the first as SQLite prepares a
# marked statement and the second as the database is closed.
. "$TESTLIB"
: "${LDR_PREPARE_SIGNAL:?set LDR_PREPARE_SIGNAL (tests/CMakeLists.txt does)}"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

migration 0001 one "CREATE TABLE a (x);"
migration 0002 two "CREATE TABLE b (x); SELECT 'marked';"
manifest <<'M'
migrations:
  - {id: 1, name: one, file: sql/0001_one.sql}
  - {id: 2, name: two, file: sql/0002_two.sql}
M

# twice ARGS...: ladder ARGS with SIGTERM at the marked statement and
# again at close; $RC its exit code.
twice() {
	LDR_SIGNAL=15 LDR_SIGNAL_AT="${AT:-marked}" LDR_SIGNAL_AGAIN=1 \
		LD_PRELOAD=$LDR_PREPARE_SIGNAL timeout -s KILL 60 "$LADDER" "$@" >out 2>err
	RC=$?
}

CASE="up: 143 from the first signal, the step rolled back, JSON whole"
twice -d app.db --format json up
expect_rc 143 "up"
[ "$(ids app.db)" = 1 ] || fail "recorded: $(ids app.db)"
jq -e '.exit_code == 143' out >/dev/null || fail "JSON not whole: $(cat out)"

CASE="check: its own 3"
AT=schema_migrations twice -d app.db check
expect_rc 3 "check"
exit 0
