#!/bin/sh
# Nothing looks hung (issue 14, item 7): on a terminal, a statement that
# runs for more than a second shows the progress line (the step, the time
# going on, the statement's line), redrawn while it runs although no event
# comes; the line is cleared before the result; SIGINT still stops the
# step. Off a terminal no line is drawn. script(1) gives ladder a terminal.
. "$TESTLIB"
command -v script >/dev/null || fail "script(1) (util-linux) is needed"

# One statement that runs for seconds: 8 million rows of a recursive CTE.
migration 0001 slow "CREATE TABLE t AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 8000000) SELECT sum(x) AS s FROM c;"
manifest <<'M'
migrations:
  - {id: 1, name: slow, file: sql/0001_slow.sql}
M

CASE="the line is redrawn while one long statement runs"
timeout 120 script -qec "\"$LADDER\" -d app.db up" /dev/null >tty.out 2>&1 ||
	fail "up on a terminal failed: $(cat -v tty.out)"
tr '\r' '\n' <tty.out >lines
# Drawn once a second has gone by; under load the first draw may come
# later than 1.x s, so any elapsed time counts, never one below 1 s.
grep -q '\[1/1\] applying 1 slow  [1-9][0-9]*\.[0-9] s  (line 1)' lines || fail "no progress line after a second: $(cat -v tty.out)"
grep -q 'applying 1 slow  0\.[0-9] s' lines && fail "a progress line before a second had gone by"
[ "$(grep -c 'applying 1 slow ' lines)" -ge 3 ] || fail "the line was not redrawn while the statement ran"
grep -q 'applied.* 1 slow (' lines || fail "no result line"
[ "$(ids app.db)" = 1 ] || fail "not applied"

CASE="SIGINT stops the step while the line is drawn"
rm -f app.db
# exec, so that no shell sits between script and ladder (whether the
# user's $SHELL execs the last command of -c is its own choice); the
# process signalled is found by name below timeout, script and any shell.
SHELL=/bin/sh timeout 120 script -qec "exec \"$LADDER\" -d app.db up" /dev/null >tty.out 2>&1 &
spid=$!
i=0
while ! grep -q 'applying 1 slow' tty.out 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
lp=
for p in $(pgrep -P "$spid") $(pgrep -P "$(pgrep -P "$spid" | head -n 1)"); do
	[ "$(cat /proc/"$p"/comm 2>/dev/null)" = ladder ] && lp=$p
done
[ -n "$lp" ] || fail "no ladder under script: $(ps -o pid,ppid,comm --ppid "$spid" 2>&1)"
kill -INT "$lp"
wait "$spid"
RC=$?
expect_rc 130 "up interrupted on a terminal"
grep -q "interrupted while applying migration 1 'slow'" tty.out || fail "no interrupted diagnostic: $(cat -v tty.out)"
[ -z "$(ids app.db)" ] || fail "an interrupted step was recorded"

CASE="no line off a terminal"
rm -f app.db
run -d app.db up
expect_rc 0
has_esc "$T/err" && fail "a progress line was drawn off a terminal"
exit 0
