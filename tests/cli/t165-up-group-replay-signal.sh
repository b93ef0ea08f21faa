#!/bin/sh
# A signal that lands while a write statement of a grouped step runs makes
# SQLite roll back the whole transaction (sqlite3_interrupt), the group's
# finished steps with it. ladder applies those again at once, each with a
# commit of its own, then reports the interrupted step and exits 130/143:
# the finished steps stay applied (issue 12: "SIGINT mid-group commits the
# finished steps"), the interrupted one is absent, no journal is left, and
# the next up applies the rest.
. "$TESTLIB"

# Step 3's second statement writes, and runs until it is interrupted.
FOREVER='CREATE TABLE t3 (x);
INSERT INTO t3 WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;'

# ticks PID: the CPU time PID has used, in clock ticks.
ticks() { awk '{ print $14 + $15 }' /proc/"$1"/stat 2>/dev/null || echo -1; }

# burn PID TICKS: waits until PID has used TICKS more clock ticks of CPU
# from now (steps 1 and 2 take milliseconds: that is step 3's statement).
burn() {
	b_from=$(ticks "$1")
	i=0
	while [ "$(ticks "$1")" -lt $((b_from + $2)) ] && [ $i -lt 600 ]; do
		kill -0 "$1" 2>/dev/null || fail "ladder ended before it was signalled"
		sleep 0.1
		i=$((i + 1))
	done
	[ $i -lt 600 ] || fail "step 3 never ran"
}

# start DB ARGS...: up of steps 1-4 in one group, in the background ($pid).
start() {
	db=$1
	shift
	mkdir -p sql
	printf '%s\n' "$FOREVER" >sql/3.sql
	steps 1 2 3 4
	"$LADDER" up -d "$db" --group-ms 60000 "$@" >"$T/out" 2>"$T/err" &
	pid=$!
	HOLDER=$pid # ended if the case fails
}

# kept DB: steps 1 and 2 recorded and whole, 3 and 4 absent, no journal.
kept() {
	[ "$(ids "$1")" = 1,2 ] || fail "recorded: $(ids "$1"), want 1,2"
	[ "$(sql "$1" "SELECT count(*) FROM sqlite_schema WHERE name IN ('t1', 't2')")" = 2 ] ||
		fail "a recorded step's table is missing"
	[ -z "$(sql "$1" "SELECT name FROM sqlite_schema WHERE name IN ('t3', 't4')")" ] ||
		fail "the interrupted step (or one after it) left a table"
	[ ! -e "$1-journal" ] || fail "a journal was left behind"
	[ "$(sql "$1" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
}

sigint_text() {
	start a.db -v
	# -v names the step, then each statement as it starts.
	i=0
	while ! grep -q '^    sql/3\.sql:2: INSERT' "$T/out" 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ $i -lt 600 ] || fail "step 3's statement never started"
	burn $pid 20
	kill -INT $pid
	reap $pid 60
	HOLDER=
	expect_rc 130 "SIGINT"
	kept a.db
	expect_out "^applied 1 m1"
	expect_out "^applied 2 m2"
	expect_no_out "^applied 3"
	expect_err "interrupted while applying migration 3 'm3'"
	expect_err "sql/3\.sql.*rolled back"
	# Applied once each: the replay's DONE is the only one.
	[ "$(grep -c '^applied 1 ' "$T/out")" = 1 ] || fail "step 1 reported twice"
	printf 'CREATE TABLE t3 (x);\n' >sql/3.sql
	run up -d a.db
	expect_rc 0 "the next up"
	[ "$(ids a.db)" = 1,2,3,4 ] || fail "recorded after the next up: $(ids a.db)"
}

sigterm_json() {
	start j.db --format json
	burn $pid 50
	[ ! -s "$T/out" ] || fail "JSON written before the run ended"
	kill -TERM $pid
	reap $pid 60
	HOLDER=
	expect_rc 143 "SIGTERM"
	kept j.db
	jq_out '.ok == false and ([.applied[].id] == [1, 2])'
}

in_dir() { mkdir "$1" && cd "$1" && "$1"; }
sigint_text_d() { in_dir sigint_text; }
sigterm_json_d() { in_dir sigterm_json; }

tcase "SIGINT in a writing statement of step 3: steps 1-2 kept, exit 130, the next up applies 3" sigint_text_d
tcase "SIGTERM, JSON: only the committed steps are applied, exit 143" sigterm_json_d
tdone
