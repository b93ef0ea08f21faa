#!/bin/sh
# status, schema and export waiting on a database another program holds
# locked stop on a signal with 128 + it (143 for SIGTERM, 130 for SIGINT),
# not 1; check keeps its own 3.
. "$TESTLIB"

migration 0001 one "CREATE TABLE a (x);"
manifest <<'M'
migrations:
  - {id: 1, name: one, file: sql/0001_one.sql}
M
run up -d app.db
expect_rc 0 up

# stop SIG EXPECTED ARGS...: while another program holds the database's
# exclusive lock, starts ladder, signals it while it waits, and checks the
# exit code.
stop() {
	sig=$1 want=$2
	shift 2
	sqlite3 app.db "BEGIN EXCLUSIVE;" ".system sleep 5" "COMMIT;" &
	holder=$!
	sleep 0.4
	timeout 60 "$LADDER" "$@" -d app.db >sig.out 2>sig.err &
	pid=$!
	sleep 0.6
	kill -0 $pid 2>/dev/null || fail "ladder $* did not wait: $(cat sig.err)"
	kill -"$sig" $pid
	wait $pid
	rc=$?
	kill $holder 2>/dev/null
	wait $holder 2>/dev/null
	[ $rc -eq "$want" ] ||
		fail "ladder $*: SIG$sig while waiting gave exit $rc, not $want ($(cat sig.err))"
}

stop TERM 143 status
stop INT 130 status
stop TERM 143 --format json status
grep -q '"exit_code": 143' sig.out || fail "status json: $(cat sig.out)"
stop TERM 143 schema
stop TERM 143 export
stop TERM 3 check
