#!/bin/sh
# check-install.sh [BUILD_DIR] — install ladder into a temporary prefix,
# build examples/app.c against it through pkg-config alone, and run it
# twice (migrates, then nothing to do). What a packager or an app author
# does; no container needed.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
prefix=$(mktemp -d "${TMPDIR:-/tmp}/ladder-prefix-XXXXXX")
work=$(mktemp -d "${TMPDIR:-/tmp}/ladder-app-XXXXXX")
trap 'rm -rf "$prefix" "$work"' EXIT

cmake --install "$build" --prefix "$prefix" >/dev/null
pc=$(dirname "$(find "$prefix" -name ladder.pc | head -n 1)")
[ -n "$pc" ] || { echo "check-install: no ladder.pc installed" >&2; exit 1; }
for f in bin/ladder include/ladder.h; do
	[ -e "$prefix/$f" ] || { echo "check-install: $f not installed" >&2; exit 1; }
done
find "$prefix" -name 'libladder.so.*' | grep -q . || { echo "check-install: no versioned libladder.so" >&2; exit 1; }
find "$prefix" -name 'libladder.a' | grep -q . || { echo "check-install: no libladder.a" >&2; exit 1; }

cd "$work"
"$prefix/bin/ladder" embed -m "$src/manifest.yaml" >migrations.c
libdir=$(PKG_CONFIG_PATH=$pc pkg-config --variable=libdir ladder)
# A library built with sanitizers needs its runtime in the app too.
san=""
grep -q '^LADDER_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null &&
	san="-fsanitize=address,undefined"
# shellcheck disable=SC2046,SC2086
cc -std=c11 -Wall -Wextra -Werror $san -o app "$src/examples/app.c" migrations.c \
	$(PKG_CONFIG_PATH=$pc pkg-config --cflags --libs ladder sqlite3) \
	-Wl,-rpath,"$libdir"
./app app.db | grep -q '^migrated: 1 ' || { echo "check-install: the app did not migrate" >&2; exit 1; }
./app app.db | grep -q '^migrated: ' && { echo "check-install: the app migrated twice" >&2; exit 1; }
"$prefix/bin/ladder" -m "$src/manifest.yaml" -d app.db check >/dev/null
echo "check-install: installed to a prefix, built against it with pkg-config, ran twice: ok"
