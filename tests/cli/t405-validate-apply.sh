#!/bin/sh
# validate --apply runs the whole chain in a fresh in-memory database: a
# broken statement in the 40th file is named by FILE:LINE with SQLite's
# message, and no file is written anywhere. (How fast: bench/run's
# vapply50 workload, not a clock here.)
. "$TESTLIB"

mkdir sql
{
	echo "migrations:"
	i=1
	while [ $i -le 50 ]; do
		printf 'CREATE TABLE t_%d (x);\nINSERT INTO t_%d VALUES (%d);\n' $i $i $i >sql/$i.sql
		printf '  - {id: %d, name: step_%d, file: sql/%d.sql}\n' $i $i $i
		i=$((i + 1))
	done
} >manifest.yaml
run validate --apply
expect_rc 0 "a good chain"
expect_out 'applied in memory'

# Statement 3 of file 40 refers to a column that does not exist; the
# plain validate cannot know, the applied one must.
printf 'CREATE TABLE t_40 (x);\n\n-- a comment\nINSERT INTO t_40 (nope)\n  VALUES (1);\n' >sql/40.sql
run validate
expect_rc 0 "plain validate does not run SQL"
before=$(snapshot)
run validate --apply
expect_rc 1 "the broken 40th file"
expect_err '^sql/40\.sql:4: error: table t_40 has no column named nope'
expect_no_err 'sql/41'
[ "$(snapshot)" = "$before" ] || fail "validate --apply wrote a file"

run validate --apply --format json
expect_rc 1 "json"
jq_out '.valid == false and .applied == false'
jq_out '[.diagnostics[] | select(.code == "sql")][0] | .file == "sql/40.sql" and .line == 4'
