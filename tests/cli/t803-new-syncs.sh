#!/bin/sh
# new makes what it writes durable, seen in the system calls: the SQL
# file and then its folder are fsynced, the manifest's new text is fsynced
# before the rename that puts it in place, and its folder after it.
. "$TESTLIB"

command -v strace >/dev/null || fail "strace is needed (scripts/setup.sh installs it)"
mkdir sql
printf 'migrations: []\n' >manifest.yaml
# LeakSanitizer cannot run under ptrace; the ASan build still checks
# everything else here.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" timeout 60 strace -f -o trace -e trace=openat,fsync,fdatasync,rename,renameat,renameat2 \
	"$LADDER" new first >out 2>err || fail "strace ladder new failed: $(cat err)"
# One line per call: "open PATH -> FD", "sync FD", "rename".
awk '
/openat\(/ && !/ = -1/ { split($0, q, "\""); n = split($0, r, "= "); print "open " q[2] " -> " r[n] + 0 }
/ fsync\(| fdatasync\(/ { sub(/.*sync\(/, ""); print "sync " $0 + 0 }
/ rename(at2?)?\(/ && !/ = -1/ { print "rename" }
' trace >calls
# The descriptor each path was last opened as, when it was synced.
awk '
$1 == "open" { fd[$4] = $2 }
$1 == "sync" { print "sync " fd[$2] }
$1 == "rename" { print "rename" }
' calls >order
grep -n . order >&2
line() { grep -nx -- "$1" order | head -n 1 | cut -d: -f1; }
sql=$(line "sync sql/0001_first.sql")
sqldir=$(line "sync sql")
tmp=$(line "sync $T/manifest.yaml.ladder-new")
ren=$(line "rename")
dir=$(line "sync $T")
[ -n "$sql" ] || fail "the SQL file is not fsynced"
[ -n "$sqldir" ] && [ "$sqldir" -gt "$sql" ] || fail "the SQL file's folder is not fsynced after it"
[ -n "$tmp" ] || fail "the new manifest text is not fsynced"
[ -n "$ren" ] && [ "$ren" -gt "$tmp" ] || fail "the manifest is not fsynced before the rename"
[ -n "$dir" ] && [ "$dir" -gt "$ren" ] || fail "the manifest's folder is not fsynced after the rename"
