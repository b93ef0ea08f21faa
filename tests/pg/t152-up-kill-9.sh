#!/bin/sh
# kill -9 of `ladder up` at 20 random points of a real run: after each, no
# step is partial (a step makes two tables; both exist exactly when its row
# does), and the next `up` completes the chain with exit 0.
. "$PGLIB"

N=30
mkdir -p sql
printf 'engine: postgresql\nmigrations:\n' >manifest.yaml
for i in $(seq 1 $N); do
	{
		echo "CREATE TABLE a$i (x int);"
		echo "INSERT INTO a$i SELECT g FROM pg_catalog.generate_series(1, 2000) g;"
		echo "SELECT pg_catalog.pg_sleep(0.003);"
		echo "CREATE TABLE b$i (x int);"
	} >"sql/$i.sql"
	printf '  - id: %s\n    name: m%s\n    file: sql/%s.sql\n' "$i" "$i" "$i" >>manifest.yaml
done

# rows DB: the recorded rows (0 while the table is not there yet).
rows() {
	if [ "$(pg_sql "$1" "SELECT to_regclass('schema_migrations') IS NOT NULL")" = t ]; then
		pg_sql "$1" "SELECT count(*) FROM schema_migrations"
	else
		echo 0
	fi
}

# consistent DB WHEN: every step all or nothing.
consistent() {
	rowsql="SELECT 0"
	[ "$(pg_sql "$1" "SELECT to_regclass('schema_migrations') IS NOT NULL")" = t ] &&
		rowsql="SELECT count(*) FROM schema_migrations m WHERE m.id = i"
	bad=$(pg_sql "$1" "
		SELECT string_agg(i::text, ',') FROM generate_series(1, $N) i
		WHERE (to_regclass('a' || i) IS NOT NULL)::int
		    + (to_regclass('b' || i) IS NOT NULL)::int
		    + ($rowsql)::int
		      NOT IN (0, 3)") || fail "$2: cannot read the database"
	[ -z "$bad" ] || fail "$2: partial steps: $bad"
}

# How long a whole run takes here, so the kills spread over all of it.
now_ms() { echo $(($(date +%s%N) / 1000000)); }
db=$(pg_newdb t152_a) || exit 1
t0=$(now_ms)
run up -d "$db"
expect_rc 0 "a whole run"
span=$(($(now_ms) - t0))
[ $span -ge 20 ] || span=20

kills=0 tries=0
while [ $kills -lt 20 ]; do
	tries=$((tries + 1))
	[ $tries -le 60 ] || fail "only $kills of $tries kills landed inside a run"
	db=$(pg_newdb t152_a) || exit 1
	"$LADDER" up -d "$db" >"$T/out" 2>"$T/err" &
	pid=$!
	at=$(shuf -i 1-$span -n 1)
	sleep "$((at / 1000)).$(printf %03d $((at % 1000)))"
	landed=0
	kill -9 $pid 2>/dev/null && landed=1
	{ wait $pid; } 2>/dev/null
	consistent "$db" "after a kill at try $tries"
	done_=$(rows "$db")
	# A kill counts only when it met the run mid-way.
	[ $landed = 1 ] && [ "$done_" -lt $N ] && kills=$((kills + 1))
	timeout 120 "$LADDER" up -d "$db" >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -eq 0 ] || fail "the up after a kill (try $tries) exited $rc"
	consistent "$db" "after the up that followed try $tries"
	[ "$(rows "$db")" = $N ] ||
		fail "the up after try $tries did not complete the chain"
done
echo "$kills kills inside a run in $tries tries"
exit 0
