#!/bin/sh
# The help, the man page and the docs name PostgreSQL as supported: no
# text still says ladder speaks only SQLite or that PostgreSQL is a draft.
. "$TESTLIB"

run --help
expect_rc 0 "--help"
expect_out "SQLite or PostgreSQL database"
expect_out "postgresql:// URL"
expect_out "export +write pending steps as a sqlite3 or psql script"
run export --help
expect_rc 0 "export --help"
expect_out "psql for an 'engine:"
grep -q 'to a SQLite or PostgreSQL database' "$LADDER_SRC/man/ladder.1" || fail "man/ladder.1 NAME"
! grep -rn "unsupported database 'postgres\|PostgreSQL (draft)\|ladder is gaining a second engine" \
	"$LADDER_SRC/docs" "$LADDER_SRC/man" "$LADDER_SRC/README.md" >"$T/err" || fail "a text still says PostgreSQL is unsupported"
printf "migrations: []\n" >manifest.yaml
run -d mysql://db/app status
expect_rc 1 "an unknown scheme"
expect_err "unsupported database 'mysql://db/app'.*PostgreSQL"
