#!/bin/sh
# On a terminal, a run longer than a second shows a progress line (step i
# of N, name, elapsed) on stderr, cleared before each result line; off a
# terminal, under -q or --format json, nothing decorative is printed.
#
# The run is made long by construction, not by machine speed: another
# program holds SQLite's write lock for three seconds when it starts, so
# ladder waits in SQLite's busy wait first.
. "$TESTLIB"

steps 1 2 3
run up -d tty.db --to 1
expect_rc 0 "the first step"
run up -d plain.db --to 1
expect_rc 0 "the first step (plain)"
sed -i 's/name: m2/name: two/; s/name: m3/name: three/' manifest.yaml

hold_write_lock tty.db 3
script -qec "'$LADDER' up -d tty.db" /dev/null >tty.out 2>&1 || fail "up on a terminal failed: $(cat -v tty.out)"
wait "$HOLDER" || fail "the lock holder could not commit"
grep -q '\[2/2\] applying 3 three' tty.out || fail "no progress line on a terminal: $(cat -v tty.out)"
grep -q 'applied.* 3 three' tty.out || fail "no result line"

hold_write_lock plain.db 3
run up -d plain.db
expect_rc 0 "up off a terminal"
wait "$HOLDER" || fail "the lock holder could not commit"
if grep -q "$(printf '\033')" "$T/out" "$T/err"; then fail "escape bytes off a terminal"; fi
expect_no_err '\[[0-9]+/[0-9]+\]'
