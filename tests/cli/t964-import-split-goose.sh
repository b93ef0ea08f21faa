#!/bin/sh
# goose keeps up and down in one file: import refuses without --split;
# with it, ladder-owned copies are written, the originals are untouched,
# and up / down / check work on them.
. "$TESTLIB"

mkdir migrations
cat >migrations/00001_init.sql <<'SQL'
-- +goose Up
-- +goose StatementBegin
CREATE TABLE t (x);
CREATE TRIGGER tr AFTER INSERT ON t BEGIN
  UPDATE t SET x = 1; SELECT 2;
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE t;
SQL
sum=$(sha256sum migrations/00001_init.sql)
run import --from goose migrations -o manifest.yaml
expect_rc 1 "goose without --split"
expect_err 'pass a folder.*split'
[ ! -e manifest.yaml ] || fail "a manifest was written"
run import --from goose --split split migrations -o manifest.yaml
expect_rc 0 "goose with --split"
[ "$(sha256sum migrations/00001_init.sql)" = "$sum" ] || fail "the original changed"
# the manifest's header says what was done to the files
grep -q "^# files holding up and down were split into --split's folder; the originals are unchanged" manifest.yaml ||
	fail "the header does not say the files were split: $(head -3 manifest.yaml)"
run up -d app.db
expect_rc 0 "up"
run check -d app.db
expect_rc 0 "check"
[ "$(sql app.db "SELECT count(*) FROM sqlite_master WHERE name IN ('t', 'tr')")" = 2 ] || fail "up did not run the Up section"
run down -d app.db
expect_rc 0 "down runs the Down section"
[ "$(sql app.db "SELECT count(*) FROM sqlite_master WHERE name = 't'")" = 0 ] || fail "down did not drop t"
