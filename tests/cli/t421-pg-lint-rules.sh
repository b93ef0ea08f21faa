#!/bin/sh
# The PostgreSQL linter (docs/lint.md): each rule fires on a file that
# breaks it, and stays silent on the same change done the safe way. Step 1
# always creates the tables, so step 2 works on "a table an earlier step
# created".
. "$TESTLIB"

BASE="CREATE TABLE t (id int, name varchar(10), n int, ref int);
CREATE TABLE u (id int);
CREATE TYPE mood AS ENUM ('ok');"

# lint TARGET STEP2-SQL [TX]: writes the project, runs validate.
lint() {
	{
		echo "engine: postgresql"
		[ -z "$1" ] || echo "postgresql: $1"
		echo "migrations:"
		echo "  - {id: 1, name: base, file: 1.sql}"
		echo "  - {id: 2, name: step, file: 2.sql, transaction: ${3:-true}}"
	} >manifest.yaml
	printf '%s\n' "$BASE" >1.sql
	printf '%s\n' "$2" >2.sql
	run validate
}
# fires CODE: the rule fired on 2.sql, and nothing else did.
fires() {
	expect_err "^2\.sql:[0-9]+:[0-9]+: warning: .*\[$1\]$"
	n=$(grep -c 'warning' "$T/err")
	[ "$n" -eq 1 ] || fail "expected only $1, got $n warnings"
}
quiet() { expect_no_err 'warning'; expect_rc 0 "valid"; }
LT="SET LOCAL lock_timeout = '2s';"

r1() { lint "" "CREATE INDEX i ON t (n);"; fires lint-index-not-concurrent
	lint "" "CREATE INDEX CONCURRENTLY i ON t (n);" false; quiet
	lint "" "CREATE TABLE w (a int); CREATE INDEX i ON w (a);"; quiet; }
r2() { lint "" "$LT ALTER TABLE t ADD FOREIGN KEY (ref) REFERENCES u (id);"; fires lint-foreign-key-not-valid
	lint "" "$LT ALTER TABLE t ADD FOREIGN KEY (ref) REFERENCES u (id) NOT VALID;"; quiet; }
r3() { lint "" "$LT ALTER TABLE t ADD CHECK (n > 0);"; fires lint-check-not-valid
	lint "" "$LT ALTER TABLE t ADD CHECK (n > 0) NOT VALID;"; quiet; }
r4() { lint "" "$LT ALTER TABLE t ALTER COLUMN n SET NOT NULL;"; fires lint-set-not-null
	lint "" "$LT ALTER TABLE t ADD CONSTRAINT c CHECK (n IS NOT NULL) NOT VALID;
ALTER TABLE t VALIDATE CONSTRAINT c;
ALTER TABLE t ALTER COLUMN n SET NOT NULL;"; quiet
	lint 11 "$LT ALTER TABLE t ADD CONSTRAINT c CHECK (n IS NOT NULL) NOT VALID;
ALTER TABLE t VALIDATE CONSTRAINT c;
ALTER TABLE t ALTER COLUMN n SET NOT NULL;"; fires lint-set-not-null; }
r5() { lint "" "$LT ALTER TABLE t ALTER COLUMN n TYPE bigint;"; fires lint-column-type-rewrite
	lint "" "$LT ALTER TABLE t ALTER COLUMN name TYPE varchar(20);"; quiet
	lint "" "$LT ALTER TABLE t ALTER COLUMN name TYPE text;"; quiet; }
r6() { lint "" "$LT ALTER TABLE t ADD COLUMN k uuid DEFAULT gen_random_uuid();"; fires lint-add-column-default
	lint "" "$LT ALTER TABLE t ADD COLUMN k bigserial;"; fires lint-add-column-default
	lint "" "$LT ALTER TABLE t ADD COLUMN k int DEFAULT 0;"; quiet
	lint 10 "$LT ALTER TABLE t ADD COLUMN k int DEFAULT 0;"; fires lint-add-column-default; }
r7() { lint "" "$LT ALTER TABLE t ADD PRIMARY KEY (id);"; fires lint-unique-without-index
	lint "" "$LT ALTER TABLE t ADD CONSTRAINT k UNIQUE (n);"; fires lint-unique-without-index
	lint "" "$LT ALTER TABLE t ADD CONSTRAINT k PRIMARY KEY USING INDEX t_id;"; quiet; }
r8() { lint "" "$LT ALTER TABLE t RENAME COLUMN name TO title;"; fires lint-rename
	lint "" "$LT ALTER TABLE t RENAME TO t2;"; fires lint-rename
	lint "" "CREATE TABLE w (a int); ALTER TABLE w RENAME TO w2;"; quiet; }
r9() { lint "" "$LT DROP TABLE t;"; fires lint-drop
	lint "" "$LT ALTER TABLE t DROP COLUMN n;"; fires lint-drop
	lint "" "CREATE TABLE w (a int); DROP TABLE w;"; quiet; }
r10() { lint "" "$LT VACUUM FULL t;" false; fires lint-vacuum-full
	lint "" "VACUUM t;" false; quiet; }
r11() { lint "" "$LT CLUSTER t USING i;"; fires lint-cluster; }
r12() { lint "" "REINDEX INDEX i;"; fires lint-reindex-not-concurrent
	lint "" "REINDEX INDEX CONCURRENTLY i;" false; quiet; }
r13() { lint "" "SET search_path = app;"; fires lint-session-set
	lint "" "SET search_path = app; SELECT 1; RESET search_path;"; quiet
	lint "" "SET LOCAL search_path = app;"; quiet; }
r14() { lint "" "ALTER TABLE t ADD COLUMN k int;"; fires lint-lock-timeout
	lint "" "SET LOCAL lock_timeout = '2s'; ALTER TABLE t ADD COLUMN k int;"; quiet
	lint "" "CREATE TABLE w (a int); ALTER TABLE w ADD COLUMN k int;"; quiet; }
r15() { lint "" "ALTER TYPE mood ADD VALUE 'sad';
INSERT INTO t (name) SELECT 'sad'::mood::text;"; fires lint-enum-value-used
	lint "" "ALTER TYPE mood ADD VALUE 'sad';"; quiet; }

tcase "lint-index-not-concurrent" r1
tcase "lint-foreign-key-not-valid" r2
tcase "lint-check-not-valid" r3
tcase "lint-set-not-null (and before 12)" r4
tcase "lint-column-type-rewrite" r5
tcase "lint-add-column-default (volatile; any before 11)" r6
tcase "lint-unique-without-index" r7
tcase "lint-rename" r8
tcase "lint-drop" r9
tcase "lint-vacuum-full" r10
tcase "lint-cluster" r11
tcase "lint-reindex-not-concurrent" r12
tcase "lint-session-set" r13
tcase "lint-lock-timeout" r14
tcase "lint-enum-value-used" r15

# every code of the rules above is documented
doc() {
	for c in $(grep -o 'lint-[a-z]*-[a-z-]*' "$0" | grep -v 'lint-allowed' | sort -u); do
		grep -q "^## \`$c\`" "$LADDER_SRC/docs/lint.md" || fail "$c not in docs/lint.md"
		grep -q "$c" "$LADDER_SRC/docs/json.md" || fail "$c not in docs/json.md"
	done
}
tcase "every rule is in docs/lint.md and docs/json.md" doc
tdone
