#!/bin/sh
# cmake --install puts the binary, libladder.so (versioned) and .a, ladder.h,
# ladder.pc, man pages and completion in place; an app builds against the
# install through pkg-config alone and migrates, then does nothing.
. "$TESTLIB"
: "${LADDER_BUILD:?set LADDER_BUILD to the build directory}"

out=$("$LADDER_SRC/scripts/check-install.sh" "$LADDER_BUILD" 2>&1) || fail "check-install: $out"
prefix=$(mktemp -d)
cmake --install "$LADDER_BUILD" --prefix "$prefix" >/dev/null || fail "install"
for f in share/man/man1/ladder.1.gz share/man/man5/ladder-manifest.5.gz \
	share/bash-completion/completions/ladder share/doc/ladder/LICENSE \
	share/doc/ladder/commands.md; do
	[ -s "$prefix/$f" ] || { rm -rf "$prefix"; fail "$f not installed"; }
done
so=$(find "$prefix" -name 'libladder.so.0' | head -n 1)
readelf -d "$so" | grep -q 'SONAME.*libladder\.so\.0' || { rm -rf "$prefix"; fail "no versioned SONAME"; }
rm -rf "$prefix"
