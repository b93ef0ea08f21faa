#!/bin/sh
# docs/packaging.md's deploy script, cut out of the page between its
# marker comments and run as printed against the ladder .deb cpack builds
# and a myapp .deb made here: a database one release behind is upgraded
# (apt-get gets both packages by absolute path, even from relative
# arguments), an incompatible or unreadable one is left alone and nothing
# is installed. apt-get is replaced on PATH by a stand-in that unpacks
# into a scratch root and runs myapp's postinst command there: the real one
# would need the machine's root.
. "$TESTLIB"
build=${LADDER_BUILD:-$(dirname "$LADDER")}
[ -f "$build/CPackConfig.cmake" ] || fail "no CPackConfig.cmake in $build"

doc="$LADDER_SRC/docs/packaging.md"
sed -n '/^<!-- deploy.sh: begin/,/^<!-- deploy.sh: end/p' "$doc" | sed '1,2d;$d' | sed '$d' >deploy.sh
head -n 1 deploy.sh | grep -qx '#!/bin/sh' || fail "no deploy script between the markers in $doc"
grep -q '^esac$' deploy.sh || fail "the deploy script cut from $doc is truncated"

timeout 300 cpack --config "$build/CPackConfig.cmake" -G DEB -B "$T/pkg" >"$T/out" 2>"$T/err" ||
	fail "cpack failed"
rm -f "$T/out" "$T/err"
tool=$(ls "$T"/pkg/ladder_*.deb) || fail "cpack built no ladder package"

# myapp 2.0: the example's three migrations in /usr/share/myapp/migrations.
mkdir -p app/DEBIAN app/usr/share/myapp/migrations
cp -r "$LADDER_SRC/manifest.yaml" "$LADDER_SRC/sql" app/usr/share/myapp/migrations/
printf 'Package: myapp\nVersion: 2.0-1\nArchitecture: all\nMaintainer: t903 <t903@example.org>\nDepends: ladder\nDescription: test application\n' >app/DEBIAN/control
dpkg-deb --root-owner-group -b app "$T/myapp_2.0-1_all.deb" >/dev/null || fail "cannot build myapp.deb"

# The stand-in apt-get: refuses what the real one would not take as a
# file (a path without a slash), unpacks each .deb into $T/root, then does
# what myapp's postinst does.
mkdir -p bin root
cat >bin/apt-get <<'STUB'
#!/bin/sh
echo "apt-get $*" >>"$T/apt.log"
[ "$1" = install ] && [ "$2" = -y ] || exit 100
shift 2
for deb; do
	case $deb in /*.deb) ;; *) echo "E: Unable to locate package $deb" >&2; exit 100 ;; esac
	dpkg-deb -x "$deb" "$T/root" || exit 100
done
"$T/root/usr/bin/ladder" -m "$T/root/usr/share/myapp/migrations/manifest.yaml" -d "$MYAPP_DB" up
STUB
chmod +x bin/apt-get
export T PATH="$T/bin:$PATH"

# One release behind: migrations 1 and 2 applied -> check 1 -> installed, upgraded.
export MYAPP_DB="$T/app.db"
run -m "$LADDER_SRC/manifest.yaml" -d "$MYAPP_DB" up --to 2
expect_rc 0 "setting up the old database"
sh deploy.sh "$T/myapp_2.0-1_all.deb" "$tool" >out 2>err
RC=$?
expect_rc 0 "deploy of a compatible release"
grep -qx "apt-get install -y $T/myapp_2.0-1_all.deb $tool" apt.log || fail "apt-get not given both .debs by absolute path: $(cat apt.log)"
[ -x root/usr/bin/ladder ] || fail "the ladder package did not install /usr/bin/ladder"
[ "$(sql "$MYAPP_DB" 'select count(*) from schema_migrations')" = 3 ] || fail "the database was not upgraded"
# The installed ladder validates the example manifest.
root/usr/bin/ladder -m "$LADDER_SRC/manifest.yaml" validate >out 2>err || fail "installed ladder: validate"

# Relative arguments: apt-get still gets absolute paths.
rm -rf root apt.log && mkdir root && cp "$tool" ./ladder.deb
sh deploy.sh myapp_2.0-1_all.deb ladder.deb >out 2>err
RC=$?
expect_rc 0 "deploy with relative paths"
grep -qx "apt-get install -y $T/myapp_2.0-1_all.deb $T/ladder.deb" apt.log || fail "relative .deb paths reached apt-get as: $(cat apt.log)"

# Incompatible: the database holds a migration this release does not know.
rm -rf root apt.log && mkdir root
mkdir newer && cp -r "$LADDER_SRC/manifest.yaml" "$LADDER_SRC/sql" newer/
printf 'create table newer (x integer);\n' >newer/sql/0004_newer.sql
printf '  - id: 4\n    name: newer\n    file: sql/0004_newer.sql\n' >>newer/manifest.yaml
run -m newer/manifest.yaml -d "$MYAPP_DB" up
expect_rc 0 "applying a newer release's migration"
before=$(sha256sum "$MYAPP_DB")
sh deploy.sh "$T/myapp_2.0-1_all.deb" "$tool" >out 2>err
RC=$?
expect_rc 1 "deploy onto a newer database"
expect_err "^deploy: .* is incompatible with "
[ ! -e apt.log ] || fail "apt-get ran for an incompatible database"
[ "$(sha256sum "$MYAPP_DB")" = "$before" ] || fail "the deploy changed an incompatible database"

# Cannot tell (not a database): not installed.
echo "not a database" >junk.db
MYAPP_DB="$T/junk.db" sh deploy.sh "$T/myapp_2.0-1_all.deb" "$tool" >out 2>err
RC=$?
expect_rc 1 "deploy onto an unreadable database"
expect_err "^deploy: cannot tell whether "
[ ! -e apt.log ] || fail "apt-get ran for an unreadable database"
exit 0
