#!/bin/sh
# kill -9 at random instants during `up` of 120 migrations that each take
# milliseconds, 25 trials: the database passes integrity_check, every
# recorded step is fully present, no unrecorded step is partly present,
# and the next `up` completes.
. "$TESTLIB"

N=120
mkdir sql
echo 'CREATE TABLE marks (step INTEGER PRIMARY KEY, rows INTEGER NOT NULL);' >sql/1.sql
{
	echo "migrations:"
	i=1
	while [ $i -le $N ]; do
		# Each step makes a table, fills it, indexes it, and notes how
		# many rows it saw: a partly present step shows in any of them.
		cat >>sql/$i.sql <<SQL
CREATE TABLE t_$i (n INTEGER NOT NULL);
INSERT INTO t_$i WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 4000) SELECT n FROM c;
CREATE INDEX t_${i}_n ON t_$i (n);
INSERT INTO marks SELECT $i, count(*) FROM t_$i;
SQL
		printf '  - {id: %d, name: step_%d, file: sql/%d.sql}\n' $i $i $i
		i=$((i + 1))
	done
} >manifest.yaml

# How long a whole run takes here, to spread the kills over it.
start=$(date +%s%N)
"$LADDER" -q up -d full.db || fail "a full run failed"
total_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$total_ms" -gt 0 ] || total_ms=1

# Every recorded step is whole (its table, its index, all 4000 rows seen);
# every unrecorded one left nothing behind. One query counts the breaches.
verify() {
	[ "$(sql app.db 'PRAGMA integrity_check')" = ok ] || fail "trial $1: integrity_check"
	if [ "$(sql app.db "SELECT count(*) FROM sqlite_schema WHERE name = 'schema_migrations'")" = 0 ]; then
		[ "$(sql app.db "SELECT count(*) FROM sqlite_schema WHERE name GLOB 't_*' OR name = 'marks'")" = 0 ] ||
			fail "trial $1: nothing recorded, yet a step is partly present"
		return
	fi
	bad=$(sql app.db "
		WITH r(id) AS (SELECT id FROM schema_migrations),
		     t(name) AS (SELECT name FROM sqlite_schema)
		SELECT group_concat(what, ', ') FROM (
		  SELECT 'recorded ' || id || ' incomplete' AS what FROM r
		   WHERE 't_' || id NOT IN t OR 't_' || id || '_n' NOT IN t
		      OR (SELECT rows FROM marks WHERE step = r.id) IS NOT 4000
		  UNION ALL
		  SELECT 'unrecorded ' || name || ' present' FROM t
		   WHERE name GLOB 't_[0-9]*' AND CAST(substr(name, 3) AS INTEGER) NOT IN r
		  UNION ALL
		  SELECT 'unrecorded mark ' || step FROM marks WHERE step NOT IN r)")
	[ -z "$bad" ] || fail "trial $1: $bad"
}

trial=1
while [ $trial -le 25 ]; do
	rm -f app.db app.db-journal app.db-wal app.db-shm
	# A random instant within the run (0.9 of its length, so most kills
	# land mid-run).
	delay_ms=$(od -An -N2 -tu2 /dev/urandom | awk -v t="$total_ms" '{ printf "%d", $1 % (t * 9 / 10 + 1) }')
	"$LADDER" -q up -d app.db >/dev/null 2>&1 &
	pid=$!
	sleep "$(awk -v d="$delay_ms" 'BEGIN { printf "%.3f", d / 1000 }')"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ -f app.db ] && verify $trial
	"$LADDER" -q up -d app.db || fail "trial $trial: the next up failed"
	[ "$(sql app.db 'SELECT count(*) FROM schema_migrations')" = $N ] ||
		fail "trial $trial: the next up did not complete"
	verify "$trial (after the next up)"
	trial=$((trial + 1))
done
