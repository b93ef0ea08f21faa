# peers.sh — sourced by bench/run. Lays a generated workload out for the
# peer tools a user may have installed, and writes for each a small script
# `up` (and `status`) taking the state directory as $1 and exec-ing the tool,
# so the measured process is the tool itself. Nothing here installs a peer.
#
#   sqitch       (Debian: sqitch)        deploy scripts + sqitch.plan; its
#                                        registry is a separate sqitch.db
#   sql-migrate  (Debian: sql-migrate)   `-- +migrate Up` files + dbconfig.yml
#   yoyo         (Debian: yoyo-migrations)  plain .sql files
#   dbmate       (npm: dbmate)           `-- migrate:up` files
#
# Each peer gets the same SQL text, one migration per step, in its own
# transaction (sqitch's deploy scripts carry BEGIN/COMMIT, as its docs do).
# These adapters follow each tool's documented layout; bench/run reports a
# peer's failure and goes on without its column.

PEERS="sqitch sql-migrate yoyo dbmate"

peer_present() {
	command -v "$1" >/dev/null 2>&1
}

# peer_prepare PEER WORKLOAD_DIR -> prints the peer's folder
peer_prepare() {
	peer=$1 w=$2 p=$2/peer-$1
	if [ -f "$p/.ready" ]; then
		echo "$p"
		return 0
	fi
	rm -rf "$p"
	mkdir -p "$p"
	i=0
	for f in "$w"/sql/*.sql; do
		i=$((i + 1))
		id=$(printf '%06d' "$i")
		case $peer in
		sqitch)
			mkdir -p "$p/deploy" "$p/revert" "$p/verify"
			{ echo "BEGIN;"; cat "$f"; echo "COMMIT;"; } >"$p/deploy/m$id.sql"
			echo "-- nothing" >"$p/revert/m$id.sql"
			echo "-- nothing" >"$p/verify/m$id.sql"
			echo "m$id 2026-11-21T00:00:00Z Bench <bench@example.invalid> # m$id" >>"$p/plan.tmp"
			;;
		sql-migrate)
			mkdir -p "$p/migrations"
			{ echo "-- +migrate Up"; cat "$f"; echo "-- +migrate Down"; } >"$p/migrations/${id}_m$id.sql"
			;;
		yoyo)
			mkdir -p "$p/migrations"
			cp "$f" "$p/migrations/${id}_m$id.sql"
			;;
		dbmate)
			mkdir -p "$p/migrations"
			{ echo "-- migrate:up"; cat "$f"; echo "-- migrate:down"; } >"$p/migrations/${id}_m$id.sql"
			;;
		esac
	done
	case $peer in
	sqitch)
		{ printf '%%syntax-version=1.0.0\n%%project=bench\n\n'; cat "$p/plan.tmp"; } >"$p/sqitch.plan"
		rm -f "$p/plan.tmp"
		printf '[core]\n\tengine = sqlite\n\ttop_dir = .\n\tplan_file = sqitch.plan\n' >"$p/sqitch.conf"
		cat >"$p/up" <<EOF
#!/bin/sh
cd "$p" && SQITCH_FULLNAME=Bench SQITCH_EMAIL=bench@example.invalid exec sqitch deploy "db:sqlite:\$1/app.db"
EOF
		cat >"$p/status" <<EOF
#!/bin/sh
cd "$p" && SQITCH_FULLNAME=Bench SQITCH_EMAIL=bench@example.invalid exec sqitch status "db:sqlite:\$1/app.db"
EOF
		;;
	sql-migrate)
		cat >"$p/up" <<EOF
#!/bin/sh
printf 'bench:\n  dialect: sqlite3\n  datasource: %s/app.db\n  dir: $p/migrations\n' "\$1" >"\$1/dbconfig.yml"
exec sql-migrate up -config="\$1/dbconfig.yml" -env=bench
EOF
		sed 's/ up -config/ status -config/' "$p/up" >"$p/status"
		;;
	yoyo)
		cat >"$p/up" <<EOF
#!/bin/sh
exec yoyo apply --batch --no-config-file --database "sqlite:///\$1/app.db" "$p/migrations"
EOF
		cat >"$p/status" <<EOF
#!/bin/sh
exec yoyo list --no-config-file --database "sqlite:///\$1/app.db" "$p/migrations"
EOF
		;;
	dbmate)
		cat >"$p/up" <<EOF
#!/bin/sh
exec dbmate --url "sqlite:\$1/app.db" --migrations-dir "$p/migrations" --no-dump-schema up
EOF
		cat >"$p/status" <<EOF
#!/bin/sh
exec dbmate --url "sqlite:\$1/app.db" --migrations-dir "$p/migrations" --no-dump-schema status
EOF
		;;
	esac
	chmod +x "$p/up" "$p/status"
	touch "$p/.ready"
	echo "$p"
}
