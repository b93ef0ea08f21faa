#!/bin/sh
# SIGTERM / SIGINT while a step's long statement runs (its journal exists):
# the step is rolled back, ladder says "interrupted" and exits 143 / 130;
# under --format json stdout is still exactly one JSON document with
# ok: false and the "interrupted" diagnostic (which is where diagnostics
# go under json); on a fresh install no database file (nor journal) is left; the
# next up (with the statement made quick) completes.
. "$TESTLIB"

mkdir sql
cat >sql/1.sql <<'S'
CREATE TABLE t (x);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000000) SELECT count(*) FROM c;
S
steps 1

# signal SIG DB [ARGS...]: starts up on DB, waits until its step is
# running (the journal exists), sends SIG; exit status in $RC.
signal() {
	sig=$1 db=$2
	shift 2
	"$LADDER" up -d "$db" "$@" >out 2>err &
	pid=$!
	wait_for "$db-journal" || fail "SIG$sig: the step never started (no journal)"
	kill -"$sig" $pid
	reap $pid 60
}

rolled_back() {
	db=$1
	[ -z "$(sql "$db" "SELECT name FROM sqlite_master WHERE name = 't'")" ] || fail "table t left behind"
	if [ -n "$(sql "$db" "SELECT name FROM sqlite_master WHERE name = 'schema_migrations'")" ]; then
		[ "$(sql "$db" 'SELECT count(*) FROM schema_migrations')" = 0 ] || fail "migration recorded"
	fi
	[ "$(sql "$db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
}

# An existing database (so the file stays; no table of its own, which
# would make it an application's database up refuses): the step is
# rolled back.
existing() {
	sig=$1 want=$2
	sql $sig.db "PRAGMA user_version = 7"
	signal $sig $sig.db
	[ "$RC" -eq "$want" ] || fail "SIG$sig: exit $RC, want $want"
	expect_err "interrupted"
	rolled_back $sig.db
	[ ! -s $sig.db-journal ] || fail "SIG$sig: a hot journal was left"
}
term_existing() { existing TERM 143; }
int_existing() { existing INT 130; }

# A fresh install under --format json.
json_fresh() {
	signal TERM fresh.db --format json
	[ "$RC" -eq 143 ] || fail "SIGTERM: exit $RC, want 143"
	[ "$(jq -s length out)" = 1 ] || fail "stdout is not exactly one JSON document"
	jq_out '.ok == false and .exit_code == 143'
	jq_out 'any(.diagnostics[]; .code == "interrupted")' 
	[ ! -e fresh.db ] || fail "SIGTERM on a fresh install left fresh.db"
	[ ! -e fresh.db-journal ] || fail "SIGTERM on a fresh install left fresh.db-journal"
}

again() {
	printf 'CREATE TABLE t (x);\n' >sql/1.sql
	for sig in TERM INT; do
		run up -d $sig.db
		expect_rc 0 "up after SIG$sig"
		[ "$(ids $sig.db)" = 1 ] || fail "up after SIG$sig did not record 1"
	done
}

tcase "SIGTERM during a step rolls it back, exit 143" term_existing
tcase "SIGINT during a step rolls it back, exit 130" int_existing
tcase "SIGTERM on a fresh install: one JSON document, no file left" json_fresh
tcase "the next up completes" again
tdone
