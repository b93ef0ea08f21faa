#!/bin/sh
# format.sh — format ladder's C with the one .clang-format at the root.
#   scripts/format.sh          rewrite the files in place
#   scripts/format.sh --check  change nothing; fail listing what is off
set -eu
cd "$(dirname "$0")/.."
files=$(git ls-files '*.c' '*.h')
if [ "${1:-}" = "--check" ]; then
	# shellcheck disable=SC2086
	clang-format --dry-run -Werror $files
else
	# shellcheck disable=SC2086
	clang-format -i $files
fi
