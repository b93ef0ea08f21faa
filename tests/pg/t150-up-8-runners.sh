#!/bin/sh
# 8 `ladder up` processes started at once on one PostgreSQL database apply
# each id exactly once, and all exit 0. Every step bumps a sequence, which
# no rollback undoes: a step that ran twice (even one rolled back after)
# shows as a sequence value above the number of steps.
. "$PGLIB"

N=40
db=$(pg_newdb t150_a) || exit 1
mkdir -p sql
printf 'engine: postgresql\nmigrations:\n' >manifest.yaml
for i in $(seq 1 $N); do
	{
		[ "$i" -gt 1 ] || echo "CREATE SEQUENCE ran;"
		echo "SELECT pg_catalog.nextval('ran');"
		echo "CREATE TABLE t$i (x int);"
		echo "SELECT pg_catalog.pg_sleep(0.005);"
	} >"sql/$i.sql"
	printf '  - id: %s\n    name: m%s\n    file: sql/%s.sql\n' "$i" "$i" "$i" >>manifest.yaml
done

pids=
for r in 1 2 3 4 5 6 7 8; do
	timeout 120 "$LADDER" up -d "$db" >"$T/out$r" 2>"$T/err$r" &
	pids="$pids $!"
done
r=0
for p in $pids; do
	r=$((r + 1))
	wait "$p"
	rc=$?
	[ $rc -eq 0 ] || { cat "$T/err$r" >&2; fail "runner $r exited $rc"; }
done
[ "$(pg_sql "$db" "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM schema_migrations")" = "$N|$N|1|$N" ] ||
	fail "rows: $(pg_sql "$db" "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM schema_migrations")"
[ "$(pg_sql "$db" "SELECT last_value FROM ran")" = $N ] ||
	fail "steps ran $(pg_sql "$db" "SELECT last_value FROM ran") times for $N ids"
exit 0
