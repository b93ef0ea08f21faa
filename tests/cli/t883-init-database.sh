#!/bin/sh
# init writes -d as the manifest reads it: a PostgreSQL URL with
# `engine: postgresql` and without its password (neither stored nor
# printed), a relative path relative to the manifest's folder.
. "$TESTLIB"

pg_url() {
	mkdir a && cd a || fail "mkdir"
	run -d 'postgresql://app:s3cret@db.example:5433/app?password=s3cret&sslmode=disable' init
	expect_rc 0 "init with a postgres URL"
	grep -qx 'engine: postgresql' manifest.yaml || fail "no 'engine: postgresql' line"
	! grep -q s3cret manifest.yaml || fail "the password is stored in the manifest"
	! grep -q s3cret "$T/out" "$T/err" || fail "the password is printed"
	grep -q 'database: "postgresql://app@db.example:5433/app?sslmode=disable"' manifest.yaml ||
		fail "the URL is not kept: $(grep database manifest.yaml)"
	run validate
	expect_rc 0 "validate after init (no engine mismatch)"
	run --format=json -d 'postgres://app:s3cret@h/app' -m j.yaml init j
	expect_rc 0 "init --format=json"
	! grep -q s3cret "$T/out" || fail "the JSON shows the password"
}
tcase "a postgres URL: engine line, no password" pg_url

relative() {
	mkdir -p b/proj && cd b || fail "mkdir"
	run -m proj/manifest.yaml -d proj/app.db init
	expect_rc 0 "init -m proj/manifest.yaml -d proj/app.db"
	grep -q 'database: "app.db"' proj/manifest.yaml || fail "database: $(grep database proj/manifest.yaml)"
	echo 'CREATE TABLE t (x);' >>proj/sql/0001_first.sql
	run -m proj/manifest.yaml up
	expect_rc 0 "up"
	[ -f proj/app.db ] || fail "up did not write proj/app.db"
	[ ! -e proj/proj ] || fail "the database went to proj/proj/"
	mkdir other && cd other || fail "mkdir"
	run -m ../proj/m2.yaml -d ../elsewhere/x.db init two
	expect_rc 0 "init from a sibling folder"
	grep -q 'database: "../elsewhere/x.db"' ../proj/m2.yaml || fail "database: $(grep database ../proj/m2.yaml)"
}
tcase "a relative path, relative to the manifest's folder" relative
tdone
