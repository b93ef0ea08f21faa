#!/bin/sh
# setup.sh — install what ladder needs from Debian (only what is missing)
# and configure the build in ./build. Safe to run again.
#   LADDER_BUILD_DIR   where to configure (default: build)
#   LADDER_CMAKE_ARGS  extra arguments for cmake (e.g. -DLADDER_SANITIZE=ON)
set -eu
cd "$(dirname "$0")/.."

# The build's libraries, then what the tests drive: the sqlite3 shell, jq,
# strace, python3 (lock holders, the power-cut replayer), git and
# ninja-build (recipes run as printed), file and dpkg-dev (the .debs),
# and a real PostgreSQL 15 server with PgBouncer.
packages="gcc make cmake pkg-config libsqlite3-dev libyaml-dev nettle-dev
libjson-c-dev check sqlite3 jq strace python3 git ninja-build file dpkg-dev
postgresql-15 pgbouncer libpq-dev libpg-query-dev"
missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup: installing$missing"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi

build=${LADDER_BUILD_DIR:-build}
# shellcheck disable=SC2086
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo ${LADDER_CMAKE_ARGS:-} >/dev/null
echo "setup: configured $build/"
