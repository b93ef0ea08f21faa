#!/bin/sh
# On a hot standby: status, check and up --dry-run work (they read in a
# READ ONLY transaction); up is refused before it takes any lock.
. "$PGLIB"

db=$(pg_newdb t102_a) || exit 1
steps 1 2
sed -i '1i engine: postgresql' manifest.yaml
printf 'CREATE TABLE t1 (x int);\n' >sql/1.sql
printf 'CREATE TABLE t2 (x int);\n' >sql/2.sql
head -n 5 manifest.yaml >one.yaml
run up -d "$db" -m one.yaml
expect_rc 0 "up on the primary"
pg_standby
pg_wait_replay
sb=$(pg_url t102_a standby)

run status -d "$sb"
expect_rc 0 "status on the standby"
expect_out '1 applied, 1 pending'
run check -d "$sb"
expect_rc 1 "check on the standby: migrations needed"
run up --dry-run -d "$sb"
expect_rc 0 "up --dry-run on the standby"
run up -d "$sb"
expect_rc 1 "up on the standby"
expect_err 'hot standby'
expect_no_err 'lock'
run baseline 2 -d "$sb"
expect_rc 1 "baseline on the standby"
expect_err 'hot standby'
exit 0
