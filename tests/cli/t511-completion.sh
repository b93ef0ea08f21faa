#!/bin/sh
# Bash completion: it offers every command and every option that
# `ladder --help` and `ladder COMMAND --help` document (so a new one cannot
# be forgotten there), the values of --format, and the manifest's ids.
. "$TESTLIB"
command -v bash >/dev/null || fail "bash is needed to test bash completion"
comp="$LADDER_SRC/completion/ladder.bash"

# complete WORDS...: the candidates bash would offer for the last word.
complete_words() {
	bash -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
		_ladder; printf "%s\n" "${COMPREPLY[@]}"' "$comp" "$@"
}

"$LADDER" --help >help.txt
commands=$(sed -n '/^Commands:/,/^$/p' help.txt | awk 'NF > 1 { print $1 }')
[ -n "$commands" ] || fail "no commands in ladder --help"
offered=$(complete_words ladder "")
for c in $commands; do
	printf '%s\n' "$offered" | grep -qx "$c" || fail "completion lacks the command '$c'"
done
for c in $commands; do
	"$LADDER" "$c" --help >"help.$c"
	opts=$(grep -oE -- '--[a-z][a-z-]*' "help.$c" | sort -u)
	offered=$(complete_words ladder "$c" "--")
	for o in $opts; do
		printf '%s\n' "$offered" | grep -qx -- "$o" ||
			fail "completion of 'ladder $c --' lacks $o"
	done
done
[ "$(complete_words ladder --format "" | sort | tr '\n' ' ')" = "json text " ] ||
	fail "--format values"

manifest <<'M'
migrations:
  - {id: 10, name: a, file: a.sql}
  - id: 20260101120000   # a comment: id: 99
    name: b
    file: b.sql
M
[ "$(complete_words ladder up --to "" | tr '\n' ' ')" = "10 20260101120000 " ] ||
	fail "ids for up --to: $(complete_words ladder up --to "" | tr '\n' ' ')"
