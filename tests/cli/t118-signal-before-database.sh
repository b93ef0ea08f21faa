#!/bin/sh
# A signal while ladder still reads the manifest and its files (nothing
# opened, nothing written) ends it at once with 128 + the signal, instead
# of being lost and the run going on to apply.
. "$TESTLIB"

mkdir sql
# Big enough that reading it takes a while; the signal is sent once ladder
# has it open (evidence it is reading), not after a guessed delay.
yes 'INSERT INTO t VALUES (1);' | head -c 200000000 >sql/2.sql
printf 'CREATE TABLE t (x);\n' >sql/1.sql
manifest <<'M'
migrations:
  - {id: 1, name: one, file: sql/1.sql}
  - {id: 2, name: big, file: sql/2.sql}
M
for sig in INT TERM; do
	"$LADDER" -q validate &
	pid=$!
	wait_open $pid sql/2.sql || fail "validate never opened sql/2.sql"
	kill -$sig $pid
	reap $pid
	rc=$RC
	want=130
	[ $sig = TERM ] && want=143
	[ $rc -eq $want ] || fail "validate: SIG$sig gave exit $rc, not $want"
done
"$LADDER" -q up -d app.db &
pid=$!
wait_open $pid sql/2.sql || fail "up never opened sql/2.sql"
kill -INT $pid
reap $pid
rc=$RC
[ $rc -eq 130 ] || fail "up: SIGINT while reading gave exit $rc"
[ ! -s app.db ] || [ "$(sql app.db "SELECT count(*) FROM sqlite_schema WHERE name = 't'")" = 0 ] ||
	fail "up went on after the signal"
