#!/bin/sh
# A signal that comes before the database is open (here: while libpq
# waits on a server that accepted the connection and never answers) ends
# ladder at once with nothing written: check with its own 3 (its codes
# are its whole contract), other commands by the signal (130 / 143).
. "$TESTLIB"
command -v python3 >/dev/null || fail "python3 is needed"

# A listener that accepts and then says nothing; it writes its port to
# `port` and a line to `accepted` for each connection.
cat >mute.py <<'PY'
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open("port.tmp", "w").write(str(s.getsockname()[1]))
import os
os.rename("port.tmp", "port")
held = []
while True:
    c, _ = s.accept()
    held.append(c)
    with open("accepted", "a") as f:
        f.write("1\n")
PY
python3 mute.py &
mute=$!
trap 'kill $mute 2>/dev/null' EXIT
i=0
while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s port ] || fail "the listener did not start"
url="postgresql://nobody@127.0.0.1:$(cat port)/x?connect_timeout=60"

migration 0001 one "CREATE TABLE a (x int);"
manifest <<'M'
engine: postgresql
migrations:
  - {id: 1, name: one, file: sql/0001_one.sql}
M

# signal SIG WANT ARGS...: runs ladder ARGS against the listener, waits
# until it has connected, signals it, and checks the exit code.
signal() {
	sig=$1 want=$2
	shift 2
	before=$(cat accepted 2>/dev/null | wc -l)
	"$LADDER" "$@" -d "$url" >sig.out 2>sig.err &
	pid=$!
	i=0
	while [ "$(cat accepted 2>/dev/null | wc -l)" -le "$before" ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -0 $pid 2>/dev/null || fail "ladder $* did not wait: $(cat sig.err)"
	kill -"$sig" $pid
	(sleep 30; kill -KILL $pid) >/dev/null 2>&1 &
	guard=$!
	wait $pid
	rc=$?
	kill $guard 2>/dev/null
	[ $rc -eq "$want" ] || fail "ladder $*: SIG$sig while connecting gave exit $rc, not $want ($(cat sig.err))"
}

CASE="check exits 3"
signal TERM 3 check
signal INT 3 check
CASE="other commands end by the signal"
signal TERM 143 status
signal INT 130 up
exit 0
