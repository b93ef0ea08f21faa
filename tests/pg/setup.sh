#!/bin/sh
# setup.sh — the ctest fixture pg/setup: starts the cluster every PostgreSQL
# test of this run shares, and writes its state dir to $LADDER_PG_POINTER.
# A cluster left by an earlier run that was killed is stopped first. When
# the server cannot start this fails, and ctest then runs none of the tests
# that need it (they count as failed, never as passed).
set -eu
: "${LADDER_SRC:?}" "${LADDER_PG_POINTER:?}"
cluster="$LADDER_SRC/scripts/pg-cluster.sh"
if [ -s "$LADDER_PG_POINTER" ]; then
	sh "$cluster" stop "$(cat "$LADDER_PG_POINTER")" || true
	rm -f "$LADDER_PG_POINTER"
fi
dir=$(sh "$cluster" start)
echo "$dir" >"$LADDER_PG_POINTER"
echo "pg/setup: cluster in $dir"
