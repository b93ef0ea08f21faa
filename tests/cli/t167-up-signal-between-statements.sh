#!/bin/sh
# SIGINT that lands between two statements of a step still stops the
# next one. sqlite3_interrupt() is a no-op when no statement runs, and
# SQLite forgets it when the next statement starts; a statement that
# would run forever must still be stopped. tests/faults/prepare_signal.c
# raises SIGINT as SQLite prepares the marked statement (an endless
# recursive CTE): ladder must roll the step back and exit 130, promptly.
. "$TESTLIB"
: "${LDR_PREPARE_SIGNAL:?set LDR_PREPARE_SIGNAL (tests/CMakeLists.txt does)}"
# The preloaded library comes before a sanitizer's runtime.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

migration 0001 first "CREATE TABLE a (x);"
cat >sql/0002_endless.sql <<'SQL'
CREATE TABLE b (x);
INSERT INTO b WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x AS endless FROM c;
SQL
manifest <<'M'
migrations:
  - {id: 1, name: first, file: sql/0001_first.sql}
  - {id: 2, name: endless, file: sql/0002_endless.sql}
M

for group in 1000 0; do
	CASE="--group-ms $group: the step is stopped and rolled back"
	rm -f app.db
	LDR_SIGNAL_AT='AS endless' LD_PRELOAD=$LDR_PREPARE_SIGNAL \
		timeout -s KILL 60 "$LADDER" -d app.db up --group-ms "$group" >out 2>err
	RC=$?
	[ $RC -ne 137 ] || fail "the endless statement was not stopped (killed after 60 s)"
	expect_rc 130 "up interrupted between statements"
	grep -q "interrupted while applying migration 2 'endless'" err || fail "no interrupted diagnostic: $(cat err)"
	[ "$(ids app.db)" = 1 ] || fail "recorded: $(ids app.db)"
	[ "$(sql app.db "SELECT count(*) FROM sqlite_master WHERE name = 'b'")" = 0 ] || fail "step 2 was kept in part"
done
exit 0
