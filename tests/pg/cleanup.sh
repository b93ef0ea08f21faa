#!/bin/sh
# cleanup.sh — the ctest fixture pg/cleanup: stops the shared cluster (its
# standby and pgbouncer too) and removes its state dir.
set -eu
: "${LADDER_SRC:?}" "${LADDER_PG_POINTER:?}"
[ -s "$LADDER_PG_POINTER" ] || exit 0
sh "$LADDER_SRC/scripts/pg-cluster.sh" stop "$(cat "$LADDER_PG_POINTER")"
rm -f "$LADDER_PG_POINTER"
