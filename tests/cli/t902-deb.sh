#!/bin/sh
# cpack builds three .debs (ladder, libladder0, libladder-dev) that carry
# what Debian asks of a package: the MIT licence as a machine-readable
# copyright file, changelog.Debian.gz, gzipped man pages, stripped
# binaries, shlibs and an ldconfig trigger for libladder.so.0, the docs the
# man page points at. lintian itself runs in .ci/run; this checks the same
# facts with dpkg-deb alone. docs/packaging.md, "The .deb packages".
. "$TESTLIB"
build=${LADDER_BUILD:-$(dirname "$LADDER")}
[ -f "$build/CPackConfig.cmake" ] || fail "no CPackConfig.cmake in $build"

timeout 300 cpack --config "$build/CPackConfig.cmake" -G DEB -B "$T/pkg" >"$T/out" 2>"$T/err" ||
	fail "cpack failed"
v=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
for p in ladder libladder0 libladder-dev; do
	deb="$T/pkg/${p}_$v-1_amd64.deb"
	[ -f "$deb" ] || fail "no $deb"
	rm -rf "$T/x" "$T/c"
	dpkg-deb -x "$deb" "$T/x" && dpkg-deb -e "$deb" "$T/c" || fail "cannot unpack $deb"
	dpkg-deb -f "$deb" >"$T/control"
	grep -qx "Package: $p" "$T/control" || fail "$deb: wrong Package"
	grep -qx "Version: $v-1" "$T/control" || fail "$deb: wrong Version"
	grep -qx 'Priority: optional' "$T/control" || fail "$deb: no Priority"
	grep -q '^Section: ' "$T/control" || fail "$deb: no Section"
	grep -q '^ ladder applies SQL migration files' "$T/control" || fail "$deb: no real description"
	doc="$T/x/usr/share/doc/$p"
	head -n 1 "$doc/copyright" | grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' ||
		fail "$p: copyright is not DEP-5"
	grep -q '^License: Expat$' "$doc/copyright" || fail "$p: copyright names no MIT (Expat) licence"
	gzip -t "$doc/changelog.Debian.gz" || fail "$p: no gzipped changelog.Debian"
	gzip -dc "$doc/changelog.Debian.gz" | head -n 1 | grep -q "^$p ($v-1) " ||
		fail "$p: changelog.Debian.gz does not start with this version"
	[ -f "$T/x/usr/share/lintian/overrides/$p" ] || fail "$p: no lintian overrides"
	# Nothing group- or world-writable, everything root's.
	dpkg-deb -c "$deb" | awk '($1 !~ /^l/ && $1 ~ /^.....w|^........w/) || $2 != "root/root" { bad = 1; print } END { exit bad }' >&2 ||
		fail "$p: bad permissions or owner"
done

x="$T/x"
rm -rf "$x" && dpkg-deb -x "$T/pkg/ladder_$v-1_amd64.deb" "$x"
for f in usr/bin/ladder usr/share/man/man1/ladder.1.gz usr/share/man/man5/ladder-manifest.5.gz \
	usr/share/bash-completion/completions/ladder usr/share/doc/ladder/commands.md \
	usr/share/doc/ladder/exit-codes.md usr/share/doc/ladder/README.md; do
	[ -s "$x/$f" ] || fail "ladder package lacks /$f"
done
gzip -t "$x/usr/share/man/man1/ladder.1.gz" || fail "ladder.1.gz is not gzip"
# Every docs/ page the man page names is installed.
for d in $(grep -o 'docs/[a-z\\-]*\.md' "$LADDER_SRC/man/ladder.1" | sed 's/\\//g'); do
	[ -f "$x/usr/share/doc/ladder/${d#docs/}" ] || fail "man page names $d, not installed"
done
file -L "$x/usr/bin/ladder" | grep -q ', stripped' || fail "usr/bin/ladder is not stripped"
"$x/usr/bin/ladder" -m "$LADDER_SRC/manifest.yaml" validate >"$T/out" 2>"$T/err" ||
	fail "the packaged ladder does not validate the example manifest"

rm -rf "$x" "$T/c" && dpkg-deb -x "$T/pkg/libladder0_$v-1_amd64.deb" "$x" &&
	dpkg-deb -e "$T/pkg/libladder0_$v-1_amd64.deb" "$T/c"
file -L "$x/usr/lib/libladder.so.0" | grep -q ', stripped' || fail "libladder.so.0 is not stripped"
grep -qx "libladder 0 libladder0 (>= $v-1)" "$T/c/shlibs" || fail "libladder0: wrong or no shlibs"
grep -qx 'activate-noawait ldconfig' "$T/c/triggers" || fail "libladder0: no ldconfig trigger"
[ ! -e "$x/usr/include/ladder.h" ] || fail "libladder0 ships the header"

rm -rf "$x" && dpkg-deb -x "$T/pkg/libladder-dev_$v-1_amd64.deb" "$x"
for f in usr/include/ladder.h usr/lib/pkgconfig/ladder.pc usr/lib/libladder.a; do
	[ -s "$x/$f" ] || fail "libladder-dev lacks /$f"
done
[ "$(readlink "$x/usr/lib/libladder.so")" = libladder.so.0 ] || fail "libladder-dev: no libladder.so link"
dpkg-deb -f "$T/pkg/libladder-dev_$v-1_amd64.deb" Depends | grep -q "libladder0 (= $v-1)" ||
	fail "libladder-dev does not depend on its libladder0"
exit 0
