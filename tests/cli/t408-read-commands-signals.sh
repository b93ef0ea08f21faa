#!/bin/sh
# A signal stops the read commands with 128 + it, as it stops up: schema
# --apply and validate --apply while the chain runs in memory exit 143 on
# SIGTERM and 130 on SIGINT, not 1; check keeps its own 3 ("could not
# tell"), which is its whole contract.
. "$TESTLIB"

# A step that runs for many seconds: the signal lands while it runs.
migration 0001 slow "CREATE TABLE t AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) SELECT x FROM c;"
manifest <<'M'
migrations:
  - {id: 1, name: slow, file: sql/0001_slow.sql}
M

# stop SIG EXPECTED ARGS...: starts ladder, signals it once it runs, and
# checks the exit code.
stop() {
	sig=$1 want=$2
	shift 2
	timeout 60 "$LADDER" "$@" >sig.out 2>sig.err &
	pid=$!
	sleep 0.7
	kill -0 $pid 2>/dev/null || fail "ladder $* ended before the signal"
	kill -"$sig" $pid
	wait $pid
	rc=$?
	[ $rc -eq "$want" ] ||
		fail "ladder $*: SIG$sig gave exit $rc, not $want ($(cat sig.err))"
}

stop TERM 143 schema --apply
stop INT 130 schema --apply
stop TERM 143 --format json schema --apply
grep -q '"exit_code": 143' sig.out || fail "schema json: $(cat sig.out)"
stop TERM 143 validate --apply
stop INT 130 validate --apply
