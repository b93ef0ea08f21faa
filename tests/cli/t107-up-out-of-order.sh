#!/bin/sh
# A pending id lower than the highest applied one is refused by default
# (exit 1, naming it, nothing touched) and applied with
# --allow-out-of-order.
. "$TESTLIB"

steps 1 3
run up -d app.db
expect_rc 0 "first up"
steps 1 2 3

before=$(snapshot)
run up -d app.db
expect_rc 1 "up with an out-of-order pending id"
expect_err 'sql/2\.sql|(migration|id) 2'
expect_err 'allow-out-of-order|out of order'
expect_same "$before" "out-of-order up refused"

run up --allow-out-of-order -d app.db
expect_rc 0 "up --allow-out-of-order"
[ "$(ids app.db)" = "1,2,3" ] || fail "recorded: $(ids app.db)"
[ "$(sql app.db "SELECT count(*) FROM sqlite_master WHERE name = 't2'")" = 1 ] || fail "t2 not created"
