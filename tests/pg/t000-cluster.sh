#!/bin/sh
# scripts/pg-cluster.sh on a cluster of its own: start a primary, a hot
# standby (in recovery, replaying) and PgBouncer in transaction pooling; the
# password role needs its password; stop leaves no process and no temp dir,
# also after the primary was killed with SIGKILL.
PG_OWN_CLUSTER=1
. "$PGLIB"

dir=""
trap 'rm -rf "$T"; [ -z "$dir" ] || sh "$PG_CLUSTER" stop "$dir" >/dev/null 2>&1' EXIT
trap 'exit 1' HUP INT TERM PIPE

# alive PID: the process runs (a zombie waiting for init has exited).
alive() {
	st=$(sed 's/.*) \([A-Z]\).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# left DIR: the processes that still mention DIR or work in it.
left() {
	pgrep -af -- "$1"
	for p in /proc/[0-9]*; do
		case "$(readlink "$p/cwd" 2>/dev/null)" in
		"$1" | "$1"/*) echo "${p#/proc/} (working in $1)" ;;
		esac
	done
}

# stopped DIR: stop worked and left nothing behind.
stopped() {
	sh "$PG_CLUSTER" stop "$1" || fail "stop $1 failed"
	[ ! -e "$1" ] || fail "stop left $1 behind"
	procs=$(left "$1")
	[ -z "$procs" ] || fail "stop left processes: $procs"
}

dir=$(sh "$PG_CLUSTER" start) || fail "start failed"
[ -f "$dir/env" ] || fail "start wrote no $dir/env"
. "$dir/env"
[ "$(pg_sql "$LADDER_PG_URL/postgres" 'SELECT pg_is_in_recovery()')" = f ] || fail "the primary is in recovery"
[ "$(pg_sql "$LADDER_PG_TCP_URL/postgres" 'SELECT 1')" = 1 ] || fail "no query over TCP"
primary=$(head -n 1 "$dir/data/postmaster.pid")

# The password role: its password works over TCP, a wrong one does not.
[ "$(pg_sql "$(pg_url postgres password)" 'SELECT current_user')" = ladder_pw ] ||
	fail "the password role cannot log in with its password"
if PGPASSWORD=wrong "$LADDER_PG_BIN/psql" -X -qAt -d "postgresql://ladder_pw@127.0.0.1:$PGPORT/postgres" \
	-c 'SELECT 1' >out 2>err; then
	fail "the password role logged in with a wrong password"
fi
grep -q 'password authentication failed' err || fail "no password failure for a wrong password"

# The hot standby: in recovery, and replaying what the primary writes.
sh "$PG_CLUSTER" standby "$dir" || fail "standby failed"
. "$dir/standby.env"
[ "$LADDER_PG_STANDBY_PORT" != "$PGPORT" ] || fail "the standby shares the primary's port"
[ "$(pg_sql "$LADDER_PG_STANDBY_URL/postgres" 'SELECT pg_is_in_recovery()')" = t ] ||
	fail "the standby is not in recovery"
pg_sql "$LADDER_PG_URL/postgres" 'CREATE TABLE replayed AS SELECT 42 AS x' || fail "cannot write on the primary"
pg_wait_replay
[ "$(pg_sql "$LADDER_PG_STANDBY_URL/postgres" 'SELECT x FROM replayed')" = 42 ] || fail "the standby did not replay"
pg_sql "$LADDER_PG_STANDBY_URL/postgres" 'CREATE TABLE t (x int)' 2>err && fail "the standby took a write"
grep -q 'read-only transaction' err || fail "the standby refused a write for another reason: $(cat err)"
standby=$(head -n 1 "$dir/standby/postmaster.pid")
# A second ask reuses the running standby.
sh "$PG_CLUSTER" standby "$dir" || fail "a second standby ask failed"
[ "$(head -n 1 "$dir/standby/postmaster.pid")" = "$standby" ] || fail "a second ask restarted the standby"

# PgBouncer: in transaction pooling, in front of the primary.
sh "$PG_CLUSTER" pgbouncer "$dir" || fail "pgbouncer failed"
. "$dir/pgbouncer.env"
[ "$(pg_sql "$LADDER_PGB_URL/postgres" 'SELECT x FROM replayed')" = 42 ] || fail "no query through pgbouncer"
[ "$(pg_sql "$LADDER_PGB_URL/postgres" 'SELECT pg_is_in_recovery()')" = f ] || fail "pgbouncer is not in front of the primary"
"$LADDER_PG_BIN/psql" -X -qAt -d "$LADDER_PGB_URL/pgbouncer" -c 'SHOW CONFIG' >config ||
	fail "no SHOW CONFIG from pgbouncer's console"
grep -q '^pool_mode|transaction|' config || fail "pgbouncer does not pool by transaction: $(grep pool_mode config)"
bouncer=$(head -n 1 "$dir/pgbouncer/pgbouncer.pid")

stopped "$dir"
for pid in $primary $standby $bouncer; do
	! alive "$pid" || fail "process $pid outlived stop: $(ps -o pid,ppid,stat,cmd -p "$pid")"
done

# A crash: the primary killed with SIGKILL leaves its backends orphaned;
# stop still removes everything.
dir=$(sh "$PG_CLUSTER" start) || fail "second start failed"
. "$dir/env"
pg_sql "$LADDER_PG_URL/postgres" 'SELECT 1' >/dev/null || fail "second cluster answers no query"
kill -KILL "$(head -n 1 "$dir/data/postmaster.pid")"
stopped "$dir"
dir=""
exit 0
