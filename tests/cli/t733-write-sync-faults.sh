#!/bin/sh
# A failing disk under `up` (the Nth write or sync fails with ENOSPC or EIO, once or from then on, for every N, on a database with steps applied): exit 1 naming the database,
# integrity_check ok, every step whole or absent, no file left behind, and
# the next `up` completes. See tests/faults/faults.sh and faults.py.
. "$TESTLIB"
KIND=shim
FRESH=0
. "$LDR_FAULTS/faults.sh"
