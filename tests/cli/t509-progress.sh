#!/bin/sh
# On a terminal, a run longer than a second shows a progress line (step i
# of N, name, elapsed) on stderr, cleared before each result line; off a
# terminal, under -q or --format json, nothing decorative is printed.
. "$TESTLIB"

mkdir sql
i=1
while [ $i -le 3 ]; do
	printf 'CREATE TABLE big%d (x);\nINSERT INTO big%d WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1500000) SELECT n FROM c;\nINSERT INTO big%d VALUES (1);\n' $i $i $i >sql/$i.sql
	i=$((i + 1))
done
manifest <<'M'
migrations:
  - {id: 1, name: one, file: sql/1.sql}
  - {id: 2, name: two, file: sql/2.sql}
  - {id: 3, name: three, file: sql/3.sql}
M

# A terminal, through script(1); a run of about 1.5 s or more.
script -qec "'$LADDER' up -d tty.db" /dev/null >tty.out 2>&1 || fail "up on a terminal failed"
grep -q '\[3/3\] applying 3 three' tty.out || fail "no progress line on a terminal: $(cat -v tty.out)"
grep -q 'applied.* 3 three' tty.out || fail "no result line"

run up -d plain.db
expect_rc 0 "up off a terminal"
if grep -q "$(printf '\033')" "$T/out" "$T/err"; then fail "escape bytes off a terminal"; fi
expect_no_err '\[[0-9]+/[0-9]+\]'
