#!/bin/sh
# 8 `ladder up` processes started at once on one PostgreSQL database apply
# each id exactly once, and all exit 0. Every step bumps a sequence, which
# no rollback undoes: a step that ran twice (even one rolled back after)
# shows as a sequence value above the number of steps.
. "$PGLIB"

db=$(pg_newdb t150_a) || exit 1
pg_race_up "$db" 40
exit 0
