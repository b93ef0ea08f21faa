#!/bin/sh
# up applies migrations in id order (gaps allowed), and records each with its
# name, the SHA-256 of its file as checksum (64 lowercase hex) and an
# applied_at of whole seconds in UTC (YYYY-MM-DDTHH:MM:SSZ).
. "$TESTLIB"

mkdir sql
printf 'CREATE TABLE log (seq INTEGER PRIMARY KEY AUTOINCREMENT, id INTEGER);\nINSERT INTO log (id) VALUES (1);\n' >sql/a.sql
printf 'INSERT INTO log (id) VALUES (10);\n' >sql/b.sql
printf -- '-- the last one\nINSERT INTO log (id) VALUES (20260101120000);\n' >sql/c.sql
manifest <<'M'
migrations:
  - id: 1
    name: first
    file: sql/a.sql
  - id: 10
    name: second
    file: sql/b.sql
  - id: 20260101120000
    name: third
    file: sql/c.sql
M

run up -d app.db
expect_rc 0 "up"
[ "$(sql app.db 'SELECT group_concat(id) FROM (SELECT id FROM log ORDER BY seq)')" = "1,10,20260101120000" ] ||
	fail "migrations did not run in id order: $(sql app.db 'SELECT group_concat(id) FROM log')"
[ "$(ids app.db)" = "1,10,20260101120000" ] || fail "recorded ids: $(ids app.db)"
[ "$(sql app.db 'SELECT group_concat(name) FROM (SELECT name FROM schema_migrations ORDER BY id)')" = "first,second,third" ] ||
	fail "recorded names wrong"

for pair in 1:a 10:b 20260101120000:c; do
	id=${pair%%:*} f=sql/${pair#*:}.sql
	want=$(sha256sum "$f" | cut -d' ' -f1)
	got=$(sql app.db "SELECT checksum FROM schema_migrations WHERE id = $id")
	[ "$got" = "$want" ] || fail "checksum of $id is '$got', want sha256 of $f '$want'"
	printf '%s\n' "$got" | grep -Eq '^[0-9a-f]{64}$' || fail "checksum '$got' is not 64 lowercase hex"
done

sql app.db "SELECT applied_at FROM schema_migrations" >at.txt
[ "$(wc -l <at.txt)" -eq 3 ] || fail "expected 3 applied_at values"
grep -Evq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' at.txt &&
	fail "applied_at not YYYY-MM-DDTHH:MM:SSZ: $(cat at.txt)"
# UTC: within a minute of now as seen by `date -u`.
now=$(date -u +%s)
sql app.db "SELECT MAX(abs(strftime('%s', applied_at) - $now)) FROM schema_migrations" >skew.txt
[ "$(cat skew.txt)" -le 60 ] || fail "applied_at is not the current UTC time (skew $(cat skew.txt) s)"
exit 0
