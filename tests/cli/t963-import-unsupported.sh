#!/bin/sh
# What import cannot carry over is listed with its file, the manifest is
# written all the same, and the exit code is 3 (incomplete).
. "$TESTLIB"

mkdir migrations
echo 'CREATE TABLE a (x);' >migrations/V1__a.sql
echo 'CREATE VIEW v AS SELECT 1;' >migrations/R__views.sql
echo 'class V2__Java {}' >migrations/V2__Java.java
run import --from flyway migrations -o manifest.yaml
expect_rc 3 "import with unsupported items"
expect_err 'migrations/R__views.sql.*repeatable'
expect_err 'migrations/V2__Java.java.*Java'
run validate
expect_rc 0 "the written part validates"
