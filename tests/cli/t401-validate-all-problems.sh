#!/bin/sh
# validate reports every problem of a manifest in one run, each on stderr as
# manifest.yaml:LINE:COLUMN: error: ..., at the right line: a duplicate id
# (naming the earlier entry's line), an unknown key with a "did you mean"
# hint, a missing file, a hex id; exit 1.
. "$TESTLIB"

mkdir sql
for i in 1 2 3 5; do printf 'CREATE TABLE t%s (x);\n' $i >sql/$i.sql; done
manifest <<'M'
migrations:
  - id: 1
    name: one
    file: sql/1.sql
  - id: 1
    name: dup
    file: sql/2.sql
  - id: 3
    name: typo
    fiel: sql/3.sql
  - id: 4
    name: missing
    file: sql/nope.sql
  - id: 0x10
    name: hex
    file: sql/5.sql
M
run validate
expect_rc 1 "manifest with four problems"
expect_err '^manifest\.yaml:5:[0-9]+: error: .*duplicate.*line 2'
expect_err "^manifest\\.yaml:10:5: error: .*'?fiel'?"
expect_err "did you mean .?file.?\\?"
expect_err '^manifest\.yaml:13:[0-9]+: error: .*sql/nope\.sql'
expect_err '^manifest\.yaml:14:[0-9]+: error: .*0x10'

# Non-increasing and the other id spellings.
manifest <<'M'
migrations:
  - id: 5
    name: five
    file: sql/5.sql
  - id: 3
    name: three
    file: sql/3.sql
  - id: 0
    name: zero
    file: sql/1.sql
  - id: -2
    name: neg
    file: sql/1.sql
  - id: 1.5
    name: frac
    file: sql/1.sql
  - id: 99999999999999999999
    name: overflow
    file: sql/1.sql
  - id: +7
    name: plus
    file: sql/1.sql
  - id: 1e3
    name: exp
    file: sql/1.sql
M
run validate
expect_rc 1 "bad ids"
expect_err '^manifest\.yaml:5:[0-9]+: error: .*line 2'
for line in 8 11 14 17 20 23; do
	expect_err "^manifest\\.yaml:$line:[0-9]+: error: "
done

run validate --format json
expect_rc 1 "bad ids, json"
jq_out '[.diagnostics[] | select(.severity == "error") | .line] | sort == [5, 8, 11, 14, 17, 20, 23]'
jq_out 'all(.diagnostics[]; .file == "manifest.yaml" and (.column | type) == "number" and (.message | type) == "string" and (.code | type) == "string")'
