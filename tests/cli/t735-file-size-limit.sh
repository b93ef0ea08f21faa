#!/bin/sh
# A failing disk under `up` (RLIMIT_FSIZE at every 4 KiB up to the final size, on a database with steps applied): exit 1 naming the database,
# integrity_check ok, every step whole or absent, no file left behind, and
# the next `up` completes. See tests/faults/faults.sh and faults.py.
. "$TESTLIB"
KIND=fsize
FRESH=0
. "$LDR_FAULTS/faults.sh"
