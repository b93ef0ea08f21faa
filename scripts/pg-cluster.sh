#!/bin/sh
# pg-cluster.sh — a throwaway PostgreSQL 15 cluster for the tests, started
# as root without systemd. Every server runs as the `postgres` user (through
# runuser), with its data, its unix socket and its log in one fresh temp
# dir, and listens on a free TCP port on 127.0.0.1 only.
#
#   pg-cluster.sh start            starts a primary in a new state dir and
#                                  prints that dir (its env file: DIR/env)
#   pg-cluster.sh standby DIR      adds a hot standby (pg_basebackup -R) on
#                                  another port; writes DIR/standby.env
#   pg-cluster.sh pgbouncer DIR    adds PgBouncer in transaction pooling in
#                                  front of the primary; writes DIR/pgbouncer.env
#   pg-cluster.sh stop DIR         stops all of them and removes DIR, also
#                                  after a crash or a half-done start
#
# standby and pgbouncer do nothing when theirs already runs, and are safe
# to call from tests running in parallel (a lock in DIR serialises them).
#
# DIR/env is a sourceable file: PGHOST (the socket dir), PGPORT, PGUSER
# (the superuser `postgres`, trusted on the socket), LADDER_PG_URL (a
# postgresql:// URI over the socket, no database), LADDER_PG_TCP_URL (the
# same over 127.0.0.1), and LADDER_PG_PW_USER / LADDER_PG_PASSWORD: a role
# that must give its password (scram-sha-256) over TCP, so that a test can
# check that a password is never printed.
#
#   LADDER_PG_BIN   the server binaries (default /usr/lib/postgresql/15/bin)
#   TMPDIR          where the state dir is made (default /tmp)
set -eu

PGBIN=${LADDER_PG_BIN:-/usr/lib/postgresql/15/bin}
RUNAS=postgres

die() {
	echo "pg-cluster: $*" >&2
	exit 1
}

# as_pg CMD...: runs CMD as the postgres user, from a directory it may read.
as_pg() {
	(cd / && runuser -u "$RUNAS" -- "$@")
}

# free_port: a TCP port nothing listens on now. Another process may take it
# before the server binds it; the callers retry on a failed bind.
free_port() {
	i=0
	while [ $i -lt 200 ]; do
		port=$(($(od -An -N2 -tu2 /dev/urandom) % 30000 + 20000))
		if ! ss -Htan "sport = :$port" | grep -q .; then
			echo "$port"
			return 0
		fi
		i=$((i + 1))
	done
	die "no free TCP port found"
}

# pids_in DIR: every process whose working directory is inside DIR. A
# PostgreSQL server and all its children chdir to their data dir, and
# pgbouncer is started from DIR, so this finds exactly what we started.
pids_in() {
	for p in /proc/[0-9]*; do
		cwd=$(readlink "$p/cwd" 2>/dev/null) || continue
		case "$cwd" in
		"$1" | "$1"/*) echo "${p#/proc/}" ;;
		esac
	done
}

# start_server DATADIR SOCKDIR NAME: starts the server in DATADIR on a free
# port (retrying when another process took the port first); writes the
# port to DATADIR/../NAME.port.
start_server() {
	data=$1 sock=$2 name=$3
	tries=0
	while :; do
		port=$(free_port)
		cat >>"$data/postgresql.conf" <<EOF
# pg-cluster.sh, attempt $tries
port = $port
EOF
		if as_pg "$PGBIN/pg_ctl" -D "$data" -l "$data/../$name.log" -w -t 60 start >/dev/null 2>&1; then
			echo "$port" >"$data/../$name.port"
			return 0
		fi
		tries=$((tries + 1))
		if [ $tries -ge 5 ] || ! grep -q "could not bind\|could not create any TCP/IP sockets" "$data/../$name.log"; then
			echo "pg-cluster: $name did not start; its log:" >&2
			tail -n 20 "$data/../$name.log" >&2 || true
			return 1
		fi
	done
}

# conf DATADIR SOCKDIR: the settings every server here shares.
conf() {
	cat >>"$1/postgresql.conf" <<EOF
# pg-cluster.sh: a throwaway test server
listen_addresses = '127.0.0.1'
unix_socket_directories = '$2'
fsync = off
full_page_writes = off
max_connections = 100
max_prepared_transactions = 10
log_min_messages = warning
EOF
}

# urlenc S: percent-encodes the slashes of a socket path for a URI host.
urlenc() { printf '%s' "$1" | sed 's|/|%2F|g'; }

cmd_start() {
	[ "$(id -u)" -eq 0 ] || die "run as root (servers run as '$RUNAS' through runuser)"
	[ -x "$PGBIN/initdb" ] || die "no PostgreSQL binaries in '$PGBIN' (scripts/setup.sh installs postgresql-15)"
	dir=$(mktemp -d "${TMPDIR:-/tmp}/ladder-pg-XXXXXX")
	chmod 755 "$dir"
	chown "$RUNAS:" "$dir"
	# From here a failure leaves nothing: stop removes what was made.
	trap 'cmd_stop "$dir" >/dev/null 2>&1 || true' EXIT
	as_pg test -w "$dir" || die "'$RUNAS' cannot reach '$dir' (set TMPDIR to a directory it can)"
	as_pg mkdir "$dir/data" "$dir/sock"
	password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
	as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
		--locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
		{
			cat "$dir/initdb.log" >&2
			die "initdb failed"
		}
	conf "$dir/data" "$dir/sock"
	cat >"$dir/data/pg_hba.conf" <<EOF
# pg-cluster.sh: the superuser is trusted; ladder_pw must give its password
local all         all                      trust
local replication all                      trust
host  all         ladder_pw 127.0.0.1/32   scram-sha-256
host  all         all       127.0.0.1/32   trust
host  replication all       127.0.0.1/32   trust
EOF
	start_server "$dir/data" "$dir/sock" primary || die "the primary did not start"
	port=$(cat "$dir/primary.port")
	as_pg "$PGBIN/psql" -X -q -h "$dir/sock" -p "$port" -d postgres -v ON_ERROR_STOP=1 \
		-c "CREATE ROLE ladder_pw LOGIN CREATEDB PASSWORD '$password'" >/dev/null ||
		die "cannot create role 'ladder_pw'"
	cat >"$dir/env" <<EOF
PGHOST='$dir/sock'
PGPORT='$port'
PGUSER='postgres'
LADDER_PG_DIR='$dir'
LADDER_PG_BIN='$PGBIN'
LADDER_PG_URL='postgresql://postgres@$(urlenc "$dir/sock"):$port'
LADDER_PG_TCP_URL='postgresql://postgres@127.0.0.1:$port'
LADDER_PG_PW_USER='ladder_pw'
LADDER_PG_PASSWORD='$password'
export PGHOST PGPORT PGUSER LADDER_PG_DIR LADDER_PG_BIN LADDER_PG_URL LADDER_PG_TCP_URL LADDER_PG_PW_USER LADDER_PG_PASSWORD
EOF
	trap - EXIT
	echo "$dir"
}

# locked DIR CMD...: runs CMD with DIR/lock held, so that two tests asking
# for the standby at once start one.
locked() {
	d=$1
	shift
	exec 9>>"$d/lock"
	flock 9
	"$@"
	rc=$?
	flock -u 9
	return $rc
}

standby_up() {
	dir=$1
	[ -f "$dir/standby.env" ] && return 0
	. "$dir/env"
	rm -rf "$dir/standby" "$dir/sock-standby"
	as_pg mkdir "$dir/sock-standby"
	as_pg "$PGBIN/pg_basebackup" -h "$dir/sock" -p "$PGPORT" -U postgres \
		-D "$dir/standby" -R -X stream -c fast --no-sync >"$dir/basebackup.log" 2>&1 ||
		{
			cat "$dir/basebackup.log" >&2
			die "pg_basebackup failed"
		}
	# The copy carries the primary's settings: only the socket differs (the
	# port is set by start_server, which appends after these lines).
	conf "$dir/standby" "$dir/sock-standby"
	start_server "$dir/standby" "$dir/sock-standby" standby || die "the standby did not start"
	port=$(cat "$dir/standby.port")
	cat >"$dir/standby.env.new" <<EOF
LADDER_PG_STANDBY_HOST='$dir/sock-standby'
LADDER_PG_STANDBY_PORT='$port'
LADDER_PG_STANDBY_URL='postgresql://postgres@$(urlenc "$dir/sock-standby"):$port'
export LADDER_PG_STANDBY_HOST LADDER_PG_STANDBY_PORT LADDER_PG_STANDBY_URL
EOF
	mv "$dir/standby.env.new" "$dir/standby.env"
}

pgbouncer_up() {
	dir=$1
	[ -f "$dir/pgbouncer.env" ] && return 0
	. "$dir/env"
	command -v pgbouncer >/dev/null || die "no pgbouncer (scripts/setup.sh installs it)"
	as_pg mkdir -p "$dir/pgbouncer"
	# Trust on the client side (the users must still be listed); the
	# server side logs in over the primary's socket, which trusts.
	printf '"postgres" ""\n"ladder_pw" ""\n' >"$dir/pgbouncer/users.txt"
	tries=0
	while :; do
		port=$(free_port)
		cat >"$dir/pgbouncer/pgbouncer.ini" <<EOF
[databases]
* = host=$dir/sock port=$PGPORT

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/pgbouncer/users.txt
pool_mode = transaction
default_pool_size = ${LADDER_PGB_POOL_SIZE:-4}
max_client_conn = 200
ignore_startup_parameters = extra_float_digits,options
admin_users = postgres
logfile = $dir/pgbouncer/pgbouncer.log
pidfile = $dir/pgbouncer/pgbouncer.pid
EOF
		chown -R "$RUNAS:" "$dir/pgbouncer"
		# pgbouncer refuses root; -d daemonises once it listens.
		rm -f "$dir/pgbouncer/pgbouncer.pid"
		if (cd "$dir/pgbouncer" && runuser -u "$RUNAS" -- pgbouncer -d -q pgbouncer.ini) 2>"$dir/pgbouncer/start.err"; then
			# The daemon writes its pid file a moment after the parent exits.
			i=0
			until [ -s "$dir/pgbouncer/pgbouncer.pid" ] || [ $i -ge 100 ]; do
				sleep 0.1
				i=$((i + 1))
			done
			[ -s "$dir/pgbouncer/pgbouncer.pid" ] && break
		fi
		tries=$((tries + 1))
		if [ $tries -ge 5 ] || ! grep -qi "address already in use\|bind" "$dir/pgbouncer/pgbouncer.log" "$dir/pgbouncer/start.err" 2>/dev/null; then
			cat "$dir/pgbouncer/start.err" "$dir/pgbouncer/pgbouncer.log" >&2 2>/dev/null || true
			die "pgbouncer did not start"
		fi
	done
	# It accepts connections once daemonised; check one query anyway.
	i=0
	until "$PGBIN/psql" -X -qAt -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'SELECT 1' >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 100 ] || die "pgbouncer on port $port answers no query"
		sleep 0.1
	done
	cat >"$dir/pgbouncer.env.new" <<EOF
LADDER_PGB_PORT='$port'
LADDER_PGB_URL='postgresql://postgres@127.0.0.1:$port'
export LADDER_PGB_PORT LADDER_PGB_URL
EOF
	mv "$dir/pgbouncer.env.new" "$dir/pgbouncer.env"
}

# alive PID: the process exists and has not exited (a zombie waiting for
# init to reap it has exited).
alive() {
	st=$(sed 's/.*) \([A-Z]\).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# stop_pid PIDFILE: TERM, wait up to 10 s, then KILL; only when that
# process works in $dir (a stale pid file after a crash may name a pid
# that another process has since been given).
stop_pid() {
	[ -s "$1" ] || return 0
	pid=$(head -n 1 "$1")
	case "$(readlink "/proc/$pid/cwd" 2>/dev/null)" in
	"$dir" | "$dir"/*) ;;
	*) return 0 ;;
	esac
	kill -TERM "$pid" 2>/dev/null || return 0
	i=0
	while alive "$pid" && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	! alive "$pid" || kill -KILL "$pid" 2>/dev/null || true
}

cmd_stop() {
	dir=$1
	case "$dir" in
	*/ladder-pg-??????) ;;
	*) die "'$dir' is not a state dir made by pg-cluster.sh start" ;;
	esac
	[ -d "$dir" ] || return 0
	stop_pid "$dir/pgbouncer/pgbouncer.pid"
	for data in "$dir/standby" "$dir/data"; do
		[ -s "$data/postmaster.pid" ] || continue
		pid=$(head -n 1 "$data/postmaster.pid")
		as_pg "$PGBIN/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
		# pg_ctl returns once the pid file is gone, a moment before the
		# postmaster itself exits: wait for that (or kill it).
		echo "$pid" >"$dir/stopping.pid"
		stop_pid "$dir/stopping.pid"
	done
	# Whatever is left (a half-started server, orphaned backends after a
	# crash) still has its working directory in DIR.
	left=$(pids_in "$dir")
	if [ -n "$left" ]; then
		# shellcheck disable=SC2086
		kill -KILL $left 2>/dev/null || true
		i=0
		while [ -n "$(pids_in "$dir")" ] && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
	fi
	rm -rf "$dir"
	[ ! -e "$dir" ] || die "cannot remove '$dir'"
}

[ $# -ge 1 ] || die "usage: pg-cluster.sh start | standby DIR | pgbouncer DIR | stop DIR"
case "$1" in
start) cmd_start ;;
standby)
	[ -f "${2:?usage: pg-cluster.sh standby DIR}/env" ] || die "no cluster in '$2'"
	locked "$2" standby_up "$2"
	;;
pgbouncer)
	[ -f "${2:?usage: pg-cluster.sh pgbouncer DIR}/env" ] || die "no cluster in '$2'"
	locked "$2" pgbouncer_up "$2"
	;;
stop) cmd_stop "${2:?usage: pg-cluster.sh stop DIR}" ;;
*) die "unknown subcommand '$1'" ;;
esac
