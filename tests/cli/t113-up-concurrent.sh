#!/bin/sh
# Four `ladder up` processes at once on one fresh database with 20
# migrations: all exit 0, each migration is applied exactly once, and the
# database passes integrity_check.
. "$TESTLIB"

mkdir sql
printf 'CREATE TABLE shared (id INTEGER);\n' >sql/1.sql
i=2
while [ $i -le 21 ]; do
	printf 'INSERT INTO shared VALUES (%s);\n' $i >sql/$i.sql
	i=$((i + 1))
done
steps $(seq 1 21)

for round in 1 2 3; do
	db=r$round.db
	for k in 1 2 3 4; do
		"$LADDER" up -d "$db" >"o$round.$k" 2>"e$round.$k" &
		eval "p$k=\$!"
	done
	for k in 1 2 3 4; do
		eval "wait \$p$k"
		rc=$?
		[ $rc -eq 0 ] || { cat "e$round.$k" >&2; fail "round $round: process $k exited $rc"; }
	done
	[ "$(sql "$db" 'SELECT count(*) || "/" || count(DISTINCT id) FROM shared')" = "20/20" ] ||
		fail "round $round: shared has $(sql "$db" 'SELECT count(*) FROM shared') rows, want 20 distinct"
	[ "$(sql "$db" 'SELECT count(*) FROM schema_migrations')" = 21 ] || fail "round $round: rows recorded"
	[ "$(sql "$db" 'PRAGMA integrity_check')" = ok ] || fail "round $round: integrity_check"
	# Together the four processes applied each migration once.
	n=$(cat o$round.* | grep -Ec '^applied [0-9]+ m[0-9]+')
	[ "$n" -eq 21 ] || fail "round $round: the processes report $n applications, want 21"
done
