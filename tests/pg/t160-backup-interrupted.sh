#!/bin/sh
# SIGINT while pg_dump writes the backup of `up --backup`: ladder stops
# pg_dump, removes the partial file, runs no step and exits 130.
. "$PGLIB"

db=$(pg_newdb t160_a) || exit 1
mkdir -p sql bin
printf 'CREATE TABLE t1 (x int);\n' >sql/1.sql
printf 'engine: postgresql\nmigrations:\n  - id: 1\n    name: one\n    file: sql/1.sql\n' >manifest.yaml
# A pg_dump that says it started, then hangs (exec: the pid ladder signals
# is the one that sleeps).
cat >bin/pg_dump <<SH
#!/bin/sh
echo started >"$PWD/dump.started"
exec sleep 60
SH
chmod +x bin/pg_dump
PATH="$PWD/bin:$PATH" "$LADDER" up -d "$db" --backup=cut.dump >"$T/out" 2>"$T/err" &
pid=$!
i=0
until [ -f dump.started ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || { kill -9 $pid; fail "pg_dump never started"; }
	sleep 0.05
done
kill -INT $pid
i=0
while kill -0 $pid 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 200 ] || { kill -9 $pid; fail "ladder did not stop within 10 s of SIGINT"; }
	sleep 0.05
done
wait $pid
RC=$?
expect_rc 130 "up --backup interrupted"
expect_err 'interrupted'
[ ! -e cut.dump ] || fail "the partial backup was left behind"
[ "$(pg_sql "$db" "SELECT to_regclass('t1') IS NULL")" = t ] || fail "a step ran after the interrupted backup"
exit 0
