#!/bin/sh
# asan/leaks: the unit suites, and the CLI scripts of the library calls
# they do not reach (ladder_new, ladder_export, ladder_schema), again,
# built with AddressSanitizer, LeakSanitizer and UBSan in a build tree of
# their own (DIR), so a leak or an overflow fails the local suite too, not
# only .ci/run (which reuses DIR for the whole suite under the sanitizers).
# Skip it with `ctest -LE asan`.
#   leaks.sh SOURCE DIR
set -eu
src=$1 dir=$2
cmake -S "$src" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DLADDER_SANITIZE=ON >/dev/null
cmake --build "$dir" -j2 >"$dir.log" 2>&1 || {
	tail -n 40 "$dir.log" >&2
	exit 1
}
# A report of any kind is a failure (LeakSanitizer's among them).
ASAN_OPTIONS=detect_leaks=1:exitcode=86 \
	LSAN_OPTIONS=exitcode=86:suppressions=$src/tests/asan/lsan.supp \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86 \
	exec ctest --test-dir "$dir" -j2 --output-on-failure \
	-R '^unit/|^cli/t(406|407|800)-' 
