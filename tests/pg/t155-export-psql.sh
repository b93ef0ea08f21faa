#!/bin/sh
# `ladder export` on PostgreSQL writes a script that `psql -v
# ON_ERROR_STOP=1` runs: it leaves the same schema as `ladder up` (as
# `ladder schema` prints it), records every step so ladder sees them
# applied, and a second run stops at the first step, changing nothing.
. "$PGLIB"

mkdir -p sql
cat >sql/1.sql <<'SQL'
CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);
CREATE FUNCTION norm(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN lower(trim(t)); -- a ';' inside the body
END;
$fn$;
SQL
cat >sql/2.sql <<'SQL'
CREATE INDEX CONCURRENTLY accounts_email ON accounts (norm(email));
SQL
cat >sql/3.sql <<'SQL'
DO $$ BEGIN
  EXECUTE 'CREATE TABLE audit (at timestamptz, what text)';
END $$;
ALTER TABLE accounts ADD COLUMN note text DEFAULT E'it''s \\ here';
SQL
cat >manifest.yaml <<'YAML'
engine: postgresql
migrations:
  - id: 1
    name: accounts
    file: sql/1.sql
  - id: 2
    name: email index
    file: sql/2.sql
    transaction: false
  - id: 3
    name: audit
    file: sql/3.sql
YAML

by_up=$(pg_newdb t155_up) || exit 1
by_psql=$(pg_newdb t155_psql) || exit 1
run up -d "$by_up"
expect_rc 0 "up"
run export -d "$by_psql"
expect_rc 0 "export"
cp "$T/out" script.sql
"$LADDER_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$by_psql" -f script.sql >psql.out 2>&1 ||
	{ cat psql.out >&2; fail "psql stopped on the exported script"; }

run schema -d "$by_up"
expect_rc 0 "schema of the database up made"
mv "$T/out" schema.up
run schema -d "$by_psql"
expect_rc 0 "schema of the database psql made"
mv "$T/out" schema.psql
# The dumps name their database nowhere; they must match byte for byte.
diff schema.up schema.psql >schema.diff || { cat schema.diff >&2; fail "export and up leave different schemas"; }
grep -q 'accounts_email' schema.up || fail "the schema lacks the index"

run status -d "$by_psql"
expect_rc 0 "status after the script"
expect_out '^3 applied, 0 pending, 0 changed, 0 unknown, 0 failed'
run check -d "$by_psql"
expect_rc 0 "check after the script"

# A second run: the guard of step 1 stops it, nothing changes.
"$LADDER_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$by_psql" -f script.sql >psql2.out 2>&1 &&
	fail "the script ran twice"
grep -q 'step 1 is already applied' psql2.out || { cat psql2.out >&2; fail "the second run did not stop at step 1's guard"; }
run schema -d "$by_psql"
cmp -s "$T/out" schema.psql || fail "the second run changed the schema"
exit 0
