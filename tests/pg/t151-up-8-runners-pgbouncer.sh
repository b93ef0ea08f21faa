#!/bin/sh
# 8 `ladder up` processes started at once through PgBouncer in transaction
# pooling (4 server connections: a session advisory lock means nothing
# there) apply each id exactly once, and all exit 0. Every step bumps a
# sequence, which no rollback undoes: a step that ran twice (even one
# rolled back after) shows as a sequence value above the number of steps.
. "$PGLIB"

pg_newdb t151_a >/dev/null || exit 1
pg_bouncer
[ "$(pg_sql "$LADDER_PGB_URL/pgbouncer" "SHOW CONFIG" | grep '^pool_mode|' | cut -d'|' -f2)" = transaction ] ||
	fail "pgbouncer is not in transaction pooling"
db=$(pg_url t151_a pgbouncer)
pg_race_up "$db" 40
exit 0
