#!/bin/sh
# Power cuts during `up` of 50 steps on a rollback-journal (DELETE mode)
# database, at >= 200 points: nothing reported applied is lost, every
# step is whole or absent, the next `up` completes. The commit point is the
# journal's unlink, durable only once the directory is synced
# (synchronous=EXTRA). See tests/faults/powercut.sh.
. "$TESTLIB"
JOURNAL=delete
. "$LDR_FAULTS/powercut.sh"
