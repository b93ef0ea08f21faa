#!/bin/sh
# No escape bytes with --color never, with NO_COLOR, or when output is not a
# terminal; --color always (and a terminal, via script(1)) do colour, so the
# check can tell.
. "$TESTLIB"

steps 1 2
run up --to 1 -d app.db
printf 'x' >>sql/1.sql   # changed: status/up use colour for it

run --color always status -d app.db
has_esc out || fail "--color always gave no escape bytes (the check cannot tell)"

for cmd in status "up" check "validate -m nope.yaml"; do
	run $cmd -d app.db
	has_esc out && fail "$cmd, not a terminal: escape bytes on stdout"
	has_esc err && fail "$cmd, not a terminal: escape bytes on stderr"
	run --color never $cmd -d app.db
	has_esc out && fail "$cmd --color never: escape bytes on stdout"
	has_esc err && fail "$cmd --color never: escape bytes on stderr"
	NO_COLOR=1 run $cmd -d app.db
	has_esc out && fail "$cmd NO_COLOR: escape bytes on stdout"
	has_esc err && fail "$cmd NO_COLOR: escape bytes on stderr"
	run --format json $cmd -d app.db
	has_esc out && fail "$cmd --format json: escape bytes"
done

# On a terminal: colour by default, none with --color never, NO_COLOR or
# TERM=dumb. TERM is set here, not inherited: a CI runner or a chroot may
# run the suite with TERM=dumb or none.
command -v script >/dev/null || fail "script(1) is needed to give ladder a terminal"
export TERM=xterm
script -qec "'$LADDER' status -d app.db" /dev/null >out 2>&1
has_esc out || fail "status on a terminal: no colour (the terminal checks cannot tell)"
script -qec "'$LADDER' --color never status -d app.db" /dev/null >out 2>&1
has_esc out && fail "--color never on a terminal: escape bytes"
NO_COLOR=1 script -qec "'$LADDER' status -d app.db" /dev/null >out 2>&1
has_esc out && fail "NO_COLOR on a terminal: escape bytes"
TERM=dumb script -qec "'$LADDER' status -d app.db" /dev/null >out 2>&1
has_esc out && fail "TERM=dumb on a terminal: escape bytes"
exit 0
