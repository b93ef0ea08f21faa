#!/bin/sh
# Power cuts during `up` of 50 steps on a WAL database, at >= 200 points:
# nothing reported applied is lost, every step is whole or absent, the next
# `up` completes. See tests/faults/powercut.sh.
. "$TESTLIB"
JOURNAL=wal
. "$LDR_FAULTS/powercut.sh"
