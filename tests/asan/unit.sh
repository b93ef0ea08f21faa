#!/bin/sh
# asan/unit: the unit suites again, built with AddressSanitizer,
# LeakSanitizer and UBSan in a build tree of their own (DIR), so a leak or
# an overflow fails the local suite too, not only .ci/run (which reuses DIR
# for the whole suite under the sanitizers). Skip it with `ctest -LE asan`.
#   unit.sh SOURCE DIR
set -eu
src=$1 dir=$2
cmake -S "$src" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DLADDER_SANITIZE=ON >/dev/null
cmake --build "$dir" -j2 >"$dir.log" 2>&1 || {
	tail -n 40 "$dir.log" >&2
	exit 1
}
# A report of any kind is a failure (LeakSanitizer's among them).
ASAN_OPTIONS=detect_leaks=1:exitcode=86 LSAN_OPTIONS=exitcode=86 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86 \
	exec ctest --test-dir "$dir" -R '^unit/' --output-on-failure
