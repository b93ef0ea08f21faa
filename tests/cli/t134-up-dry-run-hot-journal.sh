#!/bin/sh
# up --dry-run is read-only: on a database a killed writer left with a hot
# journal it cannot roll the journal back, so it exits 1 with the
# needs-recovery diagnostic and leaves the database and the journal byte
# for byte as they were (the real `up` recovers; see t204).
. "$TESTLIB"

# Steps 1 and 2, step 1 applied, then a writer killed inside its
# transaction: app.db with a hot journal (lib.sh).
hot_journal_after_step_1

sums=$(sha256sum app.db app.db-journal)
run up --dry-run -d app.db
expect_rc 1 "up --dry-run on a hot journal"
[ "$(sha256sum app.db app.db-journal)" = "$sums" ] || fail "up --dry-run changed the database or its journal"
run up --dry-run --format json -d app.db
expect_rc 1 "up --dry-run --format json on a hot journal"
jq_out 'any(.diagnostics[]; .code == "needs-recovery")'
[ "$(sha256sum app.db app.db-journal)" = "$sums" ] || fail "up --dry-run --format json changed the database or its journal"
