#!/bin/sh
# embed -o FILE --depfile (issue 14, item 3): the C source written whole
# to FILE, and a depfile make and CMake read, so an edited SQL file is
# re-embedded. docs/recipes.md's make and CMake rules are cut out of the
# page between their markers and run as printed.
. "$TESTLIB"
doc="$LADDER_SRC/docs/recipes.md"
mkdir bin && ln -s "$LADDER" bin/ladder
PATH="$T/bin:$PATH"
export PATH

cut() { sed -n "/^<!-- $1: begin/,/^<!-- $1: end/p" "$doc" | sed '1,2d;$d' | sed '$d'; }

project() {
	mkdir -p "$1/sql"
	printf 'CREATE TABLE a (x);\n' >"$1/sql/1 a.sql"
	printf 'CREATE TABLE b (x);\n' >"$1/sql/2.sql"
	printf 'migrations:\n  - {id: 1, name: a, file: "sql/1 a.sql"}\n  - {id: 2, name: b, file: sql/2.sql}\n' >"$1/manifest.yaml"
}

CASE="the depfile names the output, the manifest and every file"
project p
cd p
run embed -o out.c --depfile
expect_rc 0
expect_empty_out
grep -q 'CREATE TABLE b' out.c || fail "out.c lacks the SQL"
printf 'out.c: \\\n manifest.yaml \\\n sql/1\\ a.sql \\\n sql/2.sql\n\nsql/1\\ a.sql:\n\nsql/2.sql:\n' >want
diff want out.c.d >/dev/null || fail "depfile: $(diff want out.c.d)"
run embed -o out.c --depfile=deps.d
expect_rc 0
cmp -s out.c.d deps.d || fail "--depfile=PATH differs"
CASE="a failed embed leaves the previous output whole"
cp out.c before.c
printf 'migrations:\n  - {id: 1, name: a, file: nosuch.sql}\n' >manifest.yaml
run embed -o out.c --depfile
expect_rc 1
cmp -s before.c out.c || fail "a failed embed changed out.c"
[ -z "$(ls | grep ladder-tmp)" ] || fail "a temporary file was left"
CASE="--depfile without -o is a usage error"
run embed --depfile
expect_rc 2
cd ..

CASE="the make recipe re-embeds an edited file"
project mk
cut embed.mk >mk/Makefile
grep -q '^	ladder embed' mk/Makefile || fail "no make rule between the markers in $doc"
cd mk
make -s >"$T/out" 2>"$T/err" || fail "make"
grep -q 'CREATE TABLE b (x)' migrations.c || fail "not embedded"
sleep 1 # make compares modification times in whole seconds on some file systems
printf 'CREATE TABLE b (x, y);\n' >sql/2.sql
make -s >"$T/out" 2>"$T/err" || fail "make after an edit"
grep -q 'CREATE TABLE b (x, y)' migrations.c || fail "the edited SQL was not re-embedded"
sleep 1
printf 'migrations:\n  - {id: 1, name: a, file: "sql/1 a.sql"}\n' >manifest.yaml
rm sql/2.sql
make -s >"$T/out" 2>"$T/err" || fail "make after a file was removed"
grep -q 'CREATE TABLE b' migrations.c && fail "the removed file is still embedded"
cd ..

CASE="the CMake recipe re-embeds an edited file"
for gen in Ninja "Unix Makefiles"; do
	rm -rf cm
	project cm
	{
		echo 'cmake_minimum_required(VERSION 3.20)'
		echo 'project(app C)'
		echo 'add_library(ladder INTERFACE)'
		echo "target_include_directories(ladder INTERFACE \"$LADDER_SRC/runner/include\")"
		cut embed.cmake
	} >cm/CMakeLists.txt
	grep -q 'DEPFILE' cm/CMakeLists.txt || fail "no CMake rule between the markers in $doc"
	printf '#include <ladder.h>\nextern const ladder_embedded ladder_migrations;\nint main(void) { return (int)ladder_migrations.count; }\n' >cm/main.c
	timeout 120 cmake -S cm -B cm/build -G "$gen" >"$T/out" 2>"$T/err" || fail "$gen: cmake configure"
	timeout 120 cmake --build cm/build >"$T/out" 2>"$T/err" || fail "$gen: build"
	cm/build/app
	[ $? = 2 ] || fail "$gen: the app does not hold 2 migrations"
	sleep 1
	printf 'CREATE TABLE b (x, y);\n' >cm/sql/2.sql
	timeout 120 cmake --build cm/build >"$T/out" 2>"$T/err" || fail "$gen: build after an edit"
	grep -q 'CREATE TABLE b (x, y)' cm/build/migrations.c || fail "$gen: the edited SQL was not re-embedded"
done
exit 0
