#!/bin/sh
# SIGTERM / SIGINT during a long statement: the running migration is rolled
# back (table t absent, no row) and ladder exits 143 / 130; the next up
# (with the statement made quick) completes.
. "$TESTLIB"

mkdir sql
cat >sql/1.sql <<'S'
CREATE TABLE t (x);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000000) SELECT count(*) FROM c;
S
steps 1

for pair in TERM:143 INT:130; do
	sig=${pair%:*} want=${pair#*:}
	db=$sig.db
	"$LADDER" up -d "$db" >out 2>err &
	pid=$!
	sleep 0.5
	kill -"$sig" $pid
	wait $pid
	rc=$?
	[ $rc -eq "$want" ] || fail "SIG$sig: exit $rc, want $want"
	[ -z "$(sql "$db" "SELECT name FROM sqlite_master WHERE name = 't'")" ] || fail "SIG$sig: table t left behind"
	if [ -n "$(sql "$db" "SELECT name FROM sqlite_master WHERE name = 'schema_migrations'")" ]; then
		[ "$(sql "$db" 'SELECT count(*) FROM schema_migrations')" = 0 ] || fail "SIG$sig: migration recorded"
	fi
	[ "$(sql "$db" 'PRAGMA integrity_check')" = ok ] || fail "SIG$sig: integrity_check"
done

printf 'CREATE TABLE t (x);\n' >sql/1.sql
for sig in TERM INT; do
	run up -d $sig.db
	expect_rc 0 "up after SIG$sig"
	[ "$(ids $sig.db)" = 1 ] || fail "up after SIG$sig did not record 1"
done
