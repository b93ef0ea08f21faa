#!/bin/sh
# Eight `ladder up` processes at once on one fresh database, 30
# non-idempotent migrations, five rounds: every process exits 0, every
# migration runs exactly once, and the database passes integrity_check.
. "$TESTLIB"

mkdir sql
printf 'CREATE TABLE log (step INTEGER NOT NULL);\n' >sql/1.sql
{
	echo "migrations:"
	echo "  - {id: 1, name: log, file: sql/1.sql}"
	i=2
	while [ $i -le 31 ]; do
		# Each step appends to a shared log: running it twice would
		# show as a duplicate row (and its CREATE would fail).
		printf 'CREATE TABLE t_%d (x);\nINSERT INTO log (step) VALUES (%d);\n' $i $i >sql/$i.sql
		printf '  - {id: %d, name: step_%d, file: sql/%d.sql}\n' $i $i $i
		i=$((i + 1))
	done
} >manifest.yaml

round=1
while [ $round -le 5 ]; do
	rm -f app.db
	pids=""
	p=1
	while [ $p -le 8 ]; do
		"$LADDER" -q up -d app.db >"out.$p" 2>"err.$p" &
		pids="$pids $!"
		p=$((p + 1))
	done
	p=1
	for pid in $pids; do
		wait "$pid" || fail "round $round: process $p exited $? ($(cat err.$p))"
		p=$((p + 1))
	done
	[ "$(sql app.db 'SELECT count(*) FROM schema_migrations')" = 31 ] ||
		fail "round $round: not every step recorded"
	[ "$(sql app.db 'SELECT count(*), count(DISTINCT step) FROM log')" = "30|30" ] ||
		fail "round $round: a step ran twice or not at all: $(sql app.db 'SELECT step, count(*) FROM log GROUP BY step HAVING count(*) <> 1')"
	[ "$(sql app.db 'PRAGMA integrity_check')" = ok ] || fail "round $round: integrity_check"
	round=$((round + 1))
done
