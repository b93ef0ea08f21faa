#!/bin/sh
# fuzz.sh [SECONDS] — build the libFuzzer targets with clang (installing it
# from Debian if missing) and run each for SECONDS (default 60), seeded
# with the test fixtures. A crash leaves its input in build-fuzz/ and fails.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}

if ! command -v clang >/dev/null 2>&1; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq clang >/dev/null
fi
scripts/setup.sh >/dev/null # the libraries
# Findings of an earlier run would fail this one: they are kept in
# tests/fixtures/ once fixed (docs/fuzzing.md), not here.
rm -f build-fuzz/crash-* build-fuzz/leak-* build-fuzz/timeout-* build-fuzz/oom-*
CC=clang cmake -S . -B build-fuzz -DLADDER_FUZZ=ON -DLADDER_TESTS=OFF >/dev/null
cmake --build build-fuzz -j2 --target fuzz_manifest fuzz_sqlfile >/dev/null

# Seeds: every fixture manifest and SQL file. libFuzzer adds what it finds
# to a scratch copy, never to the tree.
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
mkdir "$corpus/manifest" "$corpus/sqlfile"
find tests/fixtures manifest.yaml -name '*.yaml' -exec cp {} "$corpus/manifest/" \; 2>/dev/null || true
find tests/fixtures sql -name '*.sql' -exec cp {} "$corpus/sqlfile/" \; 2>/dev/null || true

for target in manifest sqlfile; do
	echo "fuzz: $target for ${seconds}s"
	(cd build-fuzz && ./fuzz_$target -max_total_time="$seconds" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 "$corpus/$target" 2>&1 |
		grep -E '^(stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)' || true)
	# libFuzzer writes crash-*/leak-*/timeout-* files on a finding.
	# (ls fails when any one pattern matches nothing, so find decides.)
	if [ -n "$(find build-fuzz -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' \
		-o -name 'timeout-*' -o -name 'oom-*' \) -print)" ]; then
		echo "fuzz: $target found a problem; inputs in build-fuzz/" >&2
		exit 1
	fi
done
