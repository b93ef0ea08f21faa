#!/bin/sh
# Real projects' histories (../shared/corpora beside the repository) run
# as written: scripts/corpora.sh validates, applies, compares with the
# sqlite3 shell, and compares one run with one step per run. The histories
# are never copied here; without them this test FAILS, saying so.
. "$TESTLIB"

corpora=$LADDER_SRC/../shared/corpora
[ -d "$corpora" ] || fail "'$corpora' is absent: the shared histories are needed"
LADDER=$LADDER sh "$LADDER_SRC/scripts/corpora.sh" "$corpora" >"$T/out" 2>"$T/err"
RC=$?
expect_rc 0 "scripts/corpora.sh"
for h in vaultwarden atuin karakeep grocy; do
	expect_out "^corpora: $h: .*matches the sqlite3 shell"
done

# Absent: the script fails and says why.
LADDER=$LADDER sh "$LADDER_SRC/scripts/corpora.sh" "$T/none" >"$T/out" 2>"$T/err"
RC=$?
expect_rc 1 "an absent corpora folder"
expect_err "absent"
exit 0
