#!/bin/sh
# A closed stdout pipe (`ladder up | head -0`), issue 10 item 9: ladder
# ignores SIGPIPE, so it never dies of it midway; the work is done and it
# exits 1 with "cannot write the output" (check: 3, whose verdict is the
# line it could not write). The reader end is closed before ladder starts,
# so every write fails.
. "$TESTLIB"

# closed CMD...: runs ladder with stdout a pipe nobody reads (SIGPIPE at
# its default action, as a shell leaves it); exit status in $RC (128 + N
# when killed by signal N).
closed() {
	RC=$(python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=open("err", "w"))
print(p.returncode if p.returncode >= 0 else 128 - p.returncode)
' "$LADDER" "$@")
}

mkdir sql
echo "migrations:" >manifest.yaml
for i in 1 2 3; do
	printf 'CREATE TABLE t%s (x);\n' $i >sql/$i.sql
	printf 'DROP TABLE t%s;\n' $i >sql/$i.down.sql
	printf '  - {id: %s, name: m%s, file: sql/%s.sql, down: sql/%s.down.sql}\n' $i $i $i $i >>manifest.yaml
done

up_text() {
	closed up -d app.db
	[ "$RC" -eq 1 ] || fail "up | (closed): exit $RC, want 1"
	grep -q "cannot write the output" err || fail "no message: $(cat err)"
	[ "$(ids app.db)" = 1,2,3 ] || fail "the work was not done: $(ids app.db)"
}
up_json() {
	rm -f app.db
	closed --format json up -d app.db
	[ "$RC" -eq 1 ] || fail "up --format json | (closed): exit $RC, want 1"
	[ "$(ids app.db)" = 1,2,3 ] || fail "the work was not done: $(ids app.db)"
}
down_text() {
	closed down -d app.db --to 0
	[ "$RC" -eq 1 ] || fail "down | (closed): exit $RC, want 1"
	[ -z "$(ids app.db)" ] || fail "the work was not done: $(ids app.db)"
}
check_closed() {
	closed check -d app.db
	[ "$RC" -eq 3 ] || fail "check | (closed): exit $RC, want 3"
	grep -q "cannot write the output" err || fail "no message: $(cat err)"
}
status_closed() {
	closed status -d app.db
	[ "$RC" -eq 1 ] || fail "status | (closed): exit $RC, want 1"
}

tcase "up with stdout closed: all applied, exit 1" up_text
tcase "up --format json with stdout closed: all applied, exit 1" up_json
tcase "down with stdout closed: all reverted, exit 1" down_text
tcase "check with stdout closed: exit 3" check_closed
tcase "status with stdout closed: exit 1" status_closed
tdone
