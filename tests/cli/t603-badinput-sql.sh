#!/bin/sh
# Broken SQL in a pending migration (a syntax error, an unterminated string,
# an unterminated comment, a missing table): up exits 1 naming
# FILE:LINE, never crashes, and the database from an earlier successful up
# stays byte-for-byte the same.
. "$TESTLIB"

steps 1
run up -d app.db
expect_rc 0 "first up"
before=$(snapshot)

# try LINE SQL: the pending migration 2 holding SQL fails at sql/2.sql:LINE.
try() {
	printf '%b' "$2" >sql/2.sql
	steps 1 2
	run up -d app.db
	expect_rc 1 "up on: $2"
	expect_err "sql/2\\.sql:$1(:[0-9]+)?: error: "
	rm sql/2.sql
	steps 1
	expect_same "$before" "broken SQL: $2"
}
try 3 'CREATE TABLE b (x);\n\nCREAT TABLE c (x);\n'
try 2 'CREATE TABLE b (x);\nINSERT INTO b VALUES (\x27oops);\n'
try 2 'CREATE TABLE b (x);\n/* never closed\nCREATE TABLE c (x);\n'
try 4 'CREATE TABLE b (x);\nINSERT INTO b VALUES (1);\nINSERT INTO b VALUES (2);\nINSERT INTO nosuch VALUES (3);\n'
try 1 'CREATE TABLE t1 (x);\n'
try 3 '-- comment\nCREATE TABLE b (x) ;;\nSELECT * FROM;\n'
