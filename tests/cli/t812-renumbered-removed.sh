#!/bin/sh
# The right diagnosis (issue 14, item 6): an applied id the manifest no
# longer lists is "renumbered" when its recorded file (checksum, else
# name) is listed under another id, "removed" when its id is below the
# manifest's highest, and a newer release's only above; one applied row
# whose file is missing still leaves status's table on screen.
. "$TESTLIB"

printf 'CREATE TABLE a (x);\n' >a.sql
printf 'CREATE TABLE b (x);\n' >b.sql
printf 'CREATE TABLE c (x);\n' >c.sql
m() { { echo "migrations:"; for e in "$@"; do
	set -- $(echo "$e" | tr : ' ')
	printf '  - {id: %s, name: %s, file: %s.sql}\n' "$1" "$2" "$3"
done; } >manifest.yaml; }
m 1:one:a 2:two:b 3:three:c
run -d app.db up
expect_rc 0

CASE="renumbered: the recorded file under another id"
m 1:one:a 3:three:c 4:two:b
run -d app.db up
expect_rc 1
expect_err "^b.sql: error: migration 2 'two' is applied, but the manifest lists its file under id 4 \('two'\): the entry was renumbered"
expect_no_err "newer release"
run --format json -d app.db up
jq_out '[.diagnostics[] | select(.code == "unknown-applied") | .migration] == [2]'

CASE="renumbered: the recorded name under another id (file edited too)"
printf 'CREATE TABLE b (x, y);\n' >b2.sql
m 1:one:a 3:three:c 4:two:b2
run -d app.db up
expect_rc 1
expect_err "lists its name under id 4 \('two'\): the entry was renumbered"

CASE="renumbered over an applied id: a note after changed"
m 1:one:a 2:three:c 3:four:b
run -d app.db up
expect_rc 1
expect_err "error: migration 2 'three' changed since it was applied"
expect_err "note: the file applied as 2 is listed under id 3 now: the entries were renumbered"

CASE="removed: an id below the manifest's highest"
m 1:one:a 3:three:c
run -d app.db up
expect_rc 1
expect_err "^manifest.yaml: error: migration 2 'two' is applied, but the manifest no longer lists it: its entry was removed"
expect_no_err "newer release"

CASE="a newer release: ids above the manifest's"
m 1:one:a
run -d app.db up
expect_rc 1
expect_err "does not list: \[2 3\]; it was migrated by a newer release"

CASE="one applied file missing: status still shows its table"
m 1:one:a 2:two:b 3:three:c
mv b.sql gone.sql
run -d app.db status
expect_rc 1
expect_err "cannot open 'b.sql'"
expect_out "^ 1  one    applied"
expect_out "^ 2  two    changed  .*\(file missing\)"
expect_out "^ 3  three  applied"
run --format json -d app.db status
expect_rc 1
jq_out '.migrations | map(.state) == ["applied", "changed", "applied"]'
jq_out '.migrations[1].checksum == null'
CASE="any other manifest error: no table"
printf 'migrations:\n  - {id: 1, name: one, file: a.sql}\n  - {id: 1, name: two, file: c.sql}\n' >manifest.yaml
run -d app.db status
expect_rc 1
expect_empty_out
exit 0
