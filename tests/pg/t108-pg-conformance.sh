#!/bin/sh
# The driver conformance suite (tests/unit/test_conformance.c) passes on
# a database of the PostgreSQL test cluster, as it does on SQLite.
. "$PGLIB"
: "${CONFORMANCE:?set CONFORMANCE to the test_conformance program}"

db=$(pg_newdb t108_a) || exit 1
LADDER_TEST_TARGETS=$db CK_FORK=yes "$CONFORMANCE" >"$T/out" 2>"$T/err" ||
	fail "the conformance suite fails on PostgreSQL"
grep -q "conformance target 0: $db" "$T/err" || fail "the suite did not run against '$db'"
grep -q '100%' "$T/out" || fail "not every case passed"
exit 0
