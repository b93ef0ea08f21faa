# lib.sh — what the PostgreSQL test scripts share. Sourced by every
# tests/pg/tNNN-*.sh, after tests/cli/lib.sh ($TESTLIB: the scratch dir $T,
# fail, run, expect_*).
#
# One throwaway cluster serves a whole ctest run: the fixture test
# pg/setup starts it (scripts/pg-cluster.sh start) and writes its state dir
# to $LADDER_PG_POINTER; pg/cleanup stops it. Sourcing this file reads that
# pointer and exports the cluster's env (PGHOST, PGPORT, PGUSER,
# LADDER_PG_URL, ...). A test that finds no cluster FAILS: it never skips.
# A test that starts a cluster of its own sets PG_OWN_CLUSTER=1 first.
#
# Each test makes its own databases with pg_newdb, named after the test.

: "${TESTLIB:?set TESTLIB to tests/cli/lib.sh}"
: "${LADDER_SRC:?set LADDER_SRC to the source tree}"
# shellcheck source=../cli/lib.sh
. "$TESTLIB"

PG_CLUSTER="$LADDER_SRC/scripts/pg-cluster.sh"

# pg_attach: exports the shared cluster's env, or fails the test.
pg_attach() {
	: "${LADDER_PG_POINTER:?set LADDER_PG_POINTER (the fixture pg/setup writes it)}"
	[ -s "$LADDER_PG_POINTER" ] ||
		fail "no PostgreSQL cluster: the fixture pg/setup did not start one ($LADDER_PG_POINTER)"
	_pgdir=$(cat "$LADDER_PG_POINTER")
	[ -f "$_pgdir/env" ] || fail "no PostgreSQL cluster in '$_pgdir'"
	. "$_pgdir/env"
	"$LADDER_PG_BIN/pg_isready" -q -h "$PGHOST" -p "$PGPORT" ||
		fail "the PostgreSQL cluster in '$_pgdir' does not answer"
}

# pg_sql URL QUERY: the query's rows, unaligned, through psql; stops on the
# first error (and then returns non-zero).
pg_sql() { "$LADDER_PG_BIN/psql" -X -qAt -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

# pg_newdb NAME: a fresh, empty database NAME (an older one of that name is
# dropped first) owned by the password role; prints its URL over the socket.
pg_newdb() {
	case "$1" in
	*[!a-z0-9_]* | "") fail "pg_newdb: '$1' is not a plain lower-case name" ;;
	esac
	PGOPTIONS="-c client_min_messages=warning" pg_sql "$LADDER_PG_URL/postgres" "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null &&
		pg_sql "$LADDER_PG_URL/postgres" "CREATE DATABASE \"$1\" OWNER $LADDER_PG_PW_USER" >/dev/null ||
		fail "pg_newdb: cannot create database '$1'"
	echo "$LADDER_PG_URL/$1"
}

# pg_url NAME [socket|tcp|password|standby|pgbouncer]: the URL of database
# NAME by that route. `password` is the role that must log in with
# $LADDER_PG_PASSWORD over TCP; the URL holds the password.
pg_url() {
	case "${2:-socket}" in
	socket) echo "$LADDER_PG_URL/$1" ;;
	tcp) echo "$LADDER_PG_TCP_URL/$1" ;;
	password) echo "postgresql://$LADDER_PG_PW_USER:$LADDER_PG_PASSWORD@127.0.0.1:$PGPORT/$1" ;;
	standby) echo "$LADDER_PG_STANDBY_URL/$1" ;;
	pgbouncer) echo "$LADDER_PGB_URL/$1" ;;
	*) fail "pg_url: unknown route '$2'" ;;
	esac
}

# pg_standby / pg_bouncer: starts the hot standby / PgBouncer of the cluster
# unless it runs already, and exports its env (LADDER_PG_STANDBY_URL,
# LADDER_PGB_URL, ...).
pg_standby() {
	sh "$PG_CLUSTER" standby "$LADDER_PG_DIR" || fail "cannot start the hot standby"
	. "$LADDER_PG_DIR/standby.env"
}
pg_bouncer() {
	sh "$PG_CLUSTER" pgbouncer "$LADDER_PG_DIR" || fail "cannot start pgbouncer"
	. "$LADDER_PG_DIR/pgbouncer.env"
}

# pg_wait_replay: waits until the standby has replayed everything the
# primary wrote so far (at most 60 s).
pg_wait_replay() {
	_lsn=$(pg_sql "$LADDER_PG_URL/postgres" "SELECT pg_current_wal_lsn()") || fail "no LSN from the primary"
	_i=0
	until [ "$(pg_sql "$LADDER_PG_STANDBY_URL/postgres" "SELECT pg_last_wal_replay_lsn() >= '$_lsn'")" = t ]; do
		_i=$((_i + 1))
		[ $_i -lt 600 ] || fail "the standby did not replay up to $_lsn"
		sleep 0.1
	done
}

# pg_race_up URL N: writes N steps (each bumps the sequence `ran`, which no
# rollback undoes), starts 8 `ladder up -d URL` at once, and fails unless
# all exit 0, each id is applied exactly once and no step ran twice (even
# one rolled back after: `ran` would end above N).
pg_race_up() {
	_db=$1 _n=$2
	mkdir -p sql
	printf 'engine: postgresql\nmigrations:\n' >manifest.yaml
	for _i in $(seq 1 "$_n"); do
		{
			[ "$_i" -gt 1 ] || echo "CREATE SEQUENCE ran;"
			echo "SELECT pg_catalog.nextval('ran');"
			echo "CREATE TABLE t$_i (x int);"
			echo "SELECT pg_catalog.pg_sleep(0.005);"
		} >"sql/$_i.sql"
		printf '  - id: %s\n    name: m%s\n    file: sql/%s.sql\n' "$_i" "$_i" "$_i" >>manifest.yaml
	done
	_pids=
	for _r in 1 2 3 4 5 6 7 8; do
		timeout 120 "$LADDER" up -d "$_db" >"$T/out$_r" 2>"$T/err$_r" &
		_pids="$_pids $!"
	done
	_r=0
	for _p in $_pids; do
		_r=$((_r + 1))
		wait "$_p"
		_rc=$?
		[ $_rc -eq 0 ] || { cat "$T/err$_r" >&2; fail "runner $_r exited $_rc"; }
	done
	[ "$(pg_sql "$_db" "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM schema_migrations")" = "$_n|$_n|1|$_n" ] ||
		fail "rows: $(pg_sql "$_db" "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM schema_migrations")"
	[ "$(pg_sql "$_db" "SELECT last_value FROM ran")" = "$_n" ] ||
		fail "steps ran $(pg_sql "$_db" "SELECT last_value FROM ran") times for $_n ids"
}

[ "${PG_OWN_CLUSTER:-0}" = 1 ] || pg_attach
