# bash completion for ladder(1)                            -*- shell-script -*-
#
# Completes commands, global and per-command options, the values of
# --format and --color, file names for -m/--manifest and -d/--database, and
# migration ids for `up --to`, `down --to` and `baseline`. The ids are read
# from the manifest named by -m/--manifest on the command line, else
# $LADDER_MANIFEST, else ./manifest.yaml, with awk alone (no ladder run).
#
# Use: source this file, or install it as
#   /usr/share/bash-completion/completions/ladder

_ladder_commands="up status check validate schema export embed new down baseline repair init import adopt"
_ladder_tools="diesel sqlx goose golang-migrate dbmate drizzle-kit flyway grocy"
_ladder_global_opts="-m --manifest -d --database --format --color --lock-timeout
	-q --quiet -v --verbose -h --help -V --version"

# The options of one command (besides the global ones).
_ladder_command_opts()
{
	case $1 in
	up) echo "--to --dry-run --allow-out-of-order --atomic --backup --backup= --group-ms" ;;
	down) echo "--to --dry-run" ;;
	repair) echo "--dry-run" ;;
	validate) echo "--apply --strict" ;;
	schema) echo "--apply" ;;
	embed) echo "--symbol -o --output --depfile --depfile=" ;;
	new | init) echo "--timestamp --down --no-transaction --foreign-keys-off" ;;
	import) echo "--from -o --output --split --engine" ;;
	adopt) echo "--from --dry-run --drop-tool-table" ;;
	esac
}

# Does this word (a global option) take the next word as its value?
_ladder_takes_value()
{
	case $1 in
	--manifest | --database | --format | --color | --lock-timeout) return 0 ;;
	--from | --output | --split | --engine | -o) return 0 ;;
	--*) return 1 ;;
	# -m, -d, and grouped short options ending in one of them (-qd FILE)
	-m | -d | -[!-]*[md]) return 0 ;;
	esac
	return 1
}

# Prints the ids listed in manifest $1, one per line: block entries
# (`- id: 3`, `  id: 3`) and flow entries (`{id: 3, ...}`). Comments are
# dropped first; a quoted "#" inside a value may hide an id after it.
_ladder_manifest_ids()
{
	[ -r "$1" ] || return 0
	awk '{
		line = $0
		sub(/(^|[ \t])#.*$/, "", line)
		while (match(line, /(^|[-{,[ \t])id:[ \t]*[0-9]+/)) {
			m = substr(line, RSTART, RLENGTH)
			sub(/^.*id:[ \t]*/, "", m)
			print m
			line = substr(line, RSTART + RLENGTH)
		}
	}' "$1" 2>/dev/null
}

_ladder()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	# One pass over the words before the cursor: the command, the
	# manifest, and how many arguments follow the command.
	local i w cmd='' manifest='' nargs=0 skip=''
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [ -n "$skip" ]; then
			# bash splits --opt=value at "=" (COMP_WORDBREAKS)
			[ "$w" = "=" ] && continue
			[ "$skip" = manifest ] && manifest=$w
			skip=
			continue
		fi
		case $w in
		--manifest=*) manifest=${w#--manifest=} ;;
		--manifest | -m) skip=manifest ;;
		-[!-]*m) skip=manifest ;; # -qm FILE
		--*=*) ;;
		-*) _ladder_takes_value "$w" && skip=value ;;
		*)
			if [ -z "$cmd" ]; then
				cmd=$w
			else
				nargs=$((nargs + 1))
			fi
			;;
		esac
	done
	[ -z "$manifest" ] && manifest=${LADDER_MANIFEST:-manifest.yaml}
	# shellcheck disable=SC2088 # a literal "~/" the shell did not expand
	case $manifest in "~/"*) manifest=$HOME/${manifest#"~/"} ;; esac

	# bash splits `--opt=value` into `--opt`, `=`, `value`: the option is
	# then the word before the "=".
	local eq=''
	if [ "$prev" = "=" ] && [ "$COMP_CWORD" -gt 1 ]; then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
		eq=1
	elif [ "$cur" = "=" ]; then
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		cur=''
		eq=1
	fi
	# --backup takes its PATH only as --backup=PATH.
	[ "$prev" = --backup ] && [ -z "$eq" ] && prev=''

	# The value of an option that takes one.
	case $prev in
	--format)
		mapfile -t COMPREPLY < <(compgen -W "text json" -- "$cur")
		return 0
		;;
	--color)
		mapfile -t COMPREPLY < <(compgen -W "auto always never" -- "$cur")
		return 0
		;;
	--symbol)
		return 0
		;;
	--from)
		mapfile -t COMPREPLY < <(compgen -W "$_ladder_tools" -- "$cur")
		return 0
		;;
	--engine)
		mapfile -t COMPREPLY < <(compgen -W "sqlite postgresql" -- "$cur")
		return 0
		;;
	--output | -o | --split)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return 0
		;;
	--lock-timeout)
		mapfile -t COMPREPLY < <(compgen -W "0 1 10 30 60 300" -- "$cur")
		return 0
		;;
	--manifest | --database | -m | -d | -[!-]*[md] | --backup)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return 0
		;;
	--to)
		case $cmd in
		up | down)
			mapfile -t COMPREPLY < <(compgen -W "$(_ladder_manifest_ids "$manifest")" -- "$cur")
			[ "$cmd" = down ] && [[ 0 == "$cur"* ]] && COMPREPLY+=(0)
			return 0
			;;
		esac
		;;
	esac

	# --opt=value forms.
	case $cur in
	--format=*)
		mapfile -t COMPREPLY < <(compgen -P "--format=" -W "text json" -- "${cur#--format=}")
		return 0
		;;
	--color=*)
		mapfile -t COMPREPLY < <(compgen -P "--color=" -W "auto always never" -- "${cur#--color=}")
		return 0
		;;
	--manifest=* | --database=* | --backup=*)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -P "${cur%%=*}=" -f -- "${cur#*=}")
		return 0
		;;
	--to=*)
		case $cmd in
		up | down)
			mapfile -t COMPREPLY < <(compgen -P "--to=" -W "$(_ladder_manifest_ids "$manifest")" -- "${cur#--to=}")
			return 0
			;;
		esac
		;;
	esac

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$_ladder_global_opts $(_ladder_command_opts "$cmd")" -- "$cur")
		return 0
	fi

	if [ -z "$cmd" ]; then
		mapfile -t COMPREPLY < <(compgen -W "$_ladder_commands" -- "$cur")
		return 0
	fi

	case $cmd in
	baseline)
		[ "$nargs" -eq 0 ] &&
			mapfile -t COMPREPLY < <(compgen -W "$(_ladder_manifest_ids "$manifest")" -- "$cur")
		;;
	new | init) ;; # NAME: a new word, nothing to offer
	esac
	return 0
}

complete -F _ladder ladder
