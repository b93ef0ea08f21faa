#!/bin/sh
# peers-install.sh — installs the peer migration tools bench/run compares
# ladder with, from their packaged sources only: Debian (sqitch with its
# SQLite engine, sql-migrate, yoyo) and npm (dbmate, whose
# npm package ships the Go binary for this platform; bench/peers.sh times
# that binary, not the node wrapper). Never run at build time; run it by
# hand before `bench/run` when the peers' columns are wanted. Safe to run
# again: only what is missing is installed.
#   PEERS_PREFIX  where npm installs dbmate (default: bench/out/peers)
set -eu
cd "$(dirname "$0")/.."
prefix=${PEERS_PREFIX:-$PWD/bench/out/peers}

sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
# sqitch's SQLite engine needs DBD::SQLite.
missing=""
for p in sqitch libdbd-sqlite3-perl sql-migrate yoyo; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "peers-install: apt-get install$missing"
	$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq $missing >/dev/null
fi

if ! command -v npm >/dev/null 2>&1; then
	echo "peers-install: npm missing; installing it from Debian"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq npm >/dev/null
fi
if [ ! -x "$prefix/bin/dbmate" ]; then
	echo "peers-install: npm install dbmate into $prefix"
	mkdir -p "$prefix"
	npm install --silent --no-audit --no-fund --prefix "$prefix" dbmate >/dev/null
	mkdir -p "$prefix/bin"
	# The Go binary itself: the platform package npm pulled in beside the
	# wrapper (@dbmate/linux-x64 and the like).
	bin=$(find "$prefix/node_modules/@dbmate" -type f -name dbmate -perm -u+x 2>/dev/null | head -1)
	[ -n "$bin" ] || {
		echo "peers-install: no dbmate binary under $prefix/node_modules/@dbmate" >&2
		exit 1
	}
	ln -sf "$bin" "$prefix/bin/dbmate"
fi
echo "peers-install: sqitch $(sqitch --version 2>/dev/null | head -1 | awk '{print $NF}')," \
	"sql-migrate (Debian $(dpkg-query -W -f='${Version}' sql-migrate))," \
	"yoyo $(dpkg-query -W -f='${Version}' yoyo)," \
	"dbmate $("$prefix/bin/dbmate" --version 2>/dev/null | awk '{print $NF}')"
echo "peers-install: bench/run finds dbmate in $prefix/bin"
