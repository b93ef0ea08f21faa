/* test_dialect_pg.c — PostgreSQL's dialect: the lexer (fed whole, split at
 * every byte offset, and byte by byte, always giving the same statements),
 * what is open at the end of the input, the classifier, the table-name
 * rule and the messages. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialect.h"
#include "testutil.h"

extern const struct ldr_dialect ldr_dialect_pg; /* dialect_pg.c */
static const struct ldr_dialect *const D = &ldr_dialect_pg;

#define MAXST 8

struct split {
	char *st[MAXST]; /* the statements, in order */
	int n;
	char *open; /* what lex_finish said was open (a copy) */
	uint64_t open_at;
};

static void split_free(struct split *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->st[i]);
	free(s->open);
}

static void emit(struct split *s, const char *in, uint64_t from, uint64_t to)
{
	ck_assert_int_lt(s->n, MAXST);
	ck_assert_uint_le(from, to);
	s->st[s->n++] = strndup(in + from, (size_t)(to - from));
}

/* Feeds `in` to the lexer as the reader does; chunks end at `cut` (0: one
 * chunk) or, with `step`, every `step` bytes. */
static void run_split(struct split *s, const char *in, size_t cut, size_t step)
{
	size_t len = strlen(in), pos = 0, used;
	void *x = calloc(1, D->lexer_size);
	struct ldr_lexmarks mk = {0, LDR_LEX_NONE, 0, LDR_LEX_NONE, 0};
	memset(s, 0, sizeof(*s));
	ck_assert_ptr_nonnull(x);
	if (D->lex_init)
		D->lex_init(x);
	while (pos < len) {
		size_t stop = step ? pos + step : (pos < cut ? cut : len);
		if (stop > len)
			stop = len;
		int r = D->lex(x, (const unsigned char *)in + pos, stop - pos,
			       pos, &used, &mk);
		ck_assert_uint_le(used, stop - pos);
		pos += used;
		if (r == LDR_LEX_END) {
			ck_assert_msg(mk.started, "an end before any token");
			emit(s, in, mk.start, pos);
			mk.start = mk.end = pos;
			mk.hold = LDR_LEX_NONE;
			mk.started = 0;
		} else {
			ck_assert_uint_eq(used, stop - (pos - used));
		}
	}
	const char *open = D->lex_finish(x, len, &mk);
	s->open = open ? strdup(open) : NULL;
	s->open_at = mk.open_at;
	if (mk.started)
		emit(s, in, mk.start, mk.end);
	free(x);
}

struct lexcase {
	const char *in;
	const char *want[MAXST]; /* NULL-terminated */
	const char *open;	 /* what is open at the end, or NULL */
	const char *open_from;	 /* where it began: the first occurrence */
};

static const struct lexcase lexcases[] = {
	{"SELECT 1; SELECT 2;", {"SELECT 1;", "SELECT 2;"}, NULL, NULL},
	{"SELECT 1;\n  SELECT 2  ", {"SELECT 1;", "SELECT 2"}, NULL, NULL},
	{";;; SELECT 1;;", {"SELECT 1;"}, NULL, NULL},
	{"-- a; b\n/* c; */ SELECT 1; -- tail;", {"SELECT 1;"}, NULL, NULL},
	/* strings */
	{"SELECT 'a;b''c;'; SELECT 2",
	 {"SELECT 'a;b''c;';", "SELECT 2"},
	 NULL,
	 NULL},
	{"SELECT 'a\\'; SELECT 2;", {"SELECT 'a\\';", "SELECT 2;"}, NULL, NULL},
	{"SELECT E'it\\'s; x'; SELECT 2;",
	 {"SELECT E'it\\'s; x';", "SELECT 2;"},
	 NULL,
	 NULL},
	{"select e'\\\\'; select 1;",
	 {"select e'\\\\';", "select 1;"},
	 NULL,
	 NULL},
	{"SELECT E'a''b;'; SELECT 2;",
	 {"SELECT E'a''b;';", "SELECT 2;"},
	 NULL,
	 NULL},
	{"SELECT xE'a\\'; SELECT 1;",
	 {"SELECT xE'a\\';", "SELECT 1;"},
	 NULL,
	 NULL},
	{"SELECT U&'d\\0061t;'; SELECT u&\"a;b\";",
	 {"SELECT U&'d\\0061t;';", "SELECT u&\"a;b\";"},
	 NULL,
	 NULL},
	{"SELECT a & 'b;'; SELECT 2;",
	 {"SELECT a & 'b;';", "SELECT 2;"},
	 NULL,
	 NULL},
	{"CREATE TABLE \"a;\"\"b\" (x int); SELECT 1;",
	 {"CREATE TABLE \"a;\"\"b\" (x int);", "SELECT 1;"},
	 NULL,
	 NULL},
	{"SELECT B'01', X'1f;', N'x;'; SELECT 2;",
	 {"SELECT B'01', X'1f;', N'x;';", "SELECT 2;"},
	 NULL,
	 NULL},
	/* dollar quotes */
	{"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; "
	 "SELECT 2;",
	 {"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;",
	  "SELECT 2;"},
	 NULL,
	 NULL},
	{"DO $fn$ BEGIN PERFORM $$;$$; END $fn$; SELECT 1;",
	 {"DO $fn$ BEGIN PERFORM $$;$$; END $fn$;", "SELECT 1;"},
	 NULL,
	 NULL},
	{"SELECT $a$ x $b$ ; $a$; SELECT 1;",
	 {"SELECT $a$ x $b$ ; $a$;", "SELECT 1;"},
	 NULL,
	 NULL},
	{"SELECT $a$$a$; SELECT 1;",
	 {"SELECT $a$$a$;", "SELECT 1;"},
	 NULL,
	 NULL},
	{"SELECT $ab$ $a$b$ ;$ab$ ;",
	 {"SELECT $ab$ $a$b$ ;$ab$ ;"},
	 NULL,
	 NULL},
	{"SELECT $_x1$;$_x1$; SELECT $\xc3\xa9$;$\xc3\xa9$;",
	 {"SELECT $_x1$;$_x1$;", "SELECT $\xc3\xa9$;$\xc3\xa9$;"},
	 NULL,
	 NULL},
	{"PREPARE p AS SELECT $1; SELECT $2;",
	 {"PREPARE p AS SELECT $1;", "SELECT $2;"},
	 NULL,
	 NULL},
	{"SELECT a$b$ FROM t; SELECT 2;",
	 {"SELECT a$b$ FROM t;", "SELECT 2;"},
	 NULL,
	 NULL},
	{"SELECT $x'a;'; SELECT 2;",
	 {"SELECT $x'a;';", "SELECT 2;"},
	 NULL,
	 NULL},
	/* comments */
	{"SELECT 1 -- ; not\n; SELECT /* ; /* ; */ ; */ 2;",
	 {"SELECT 1 -- ; not\n;", "SELECT /* ; /* ; */ ; */ 2;"},
	 NULL,
	 NULL},
	{"SELECT 2-1; SELECT -1; SELECT 4 / 2;",
	 {"SELECT 2-1;", "SELECT -1;", "SELECT 4 / 2;"},
	 NULL,
	 NULL},
	{"SELECT /*/ x; */ 1; SELECT 2;",
	 {"SELECT /*/ x; */ 1;", "SELECT 2;"},
	 NULL,
	 NULL},
	{"- SELECT 1", {"- SELECT 1"}, NULL, NULL},
	{"SELECT 1 -", {"SELECT 1 -"}, NULL, NULL},
	{"SELECT 1 /", {"SELECT 1 /"}, NULL, NULL},
	/* BEGIN ... END bodies (psql's rule) and parentheses */
	{"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; "
	 "SELECT 2; END; SELECT 3;",
	 {"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; "
	  "SELECT 2; END;",
	  "SELECT 3;"},
	 NULL,
	 NULL},
	{"create or replace procedure p() begin atomic insert into t values "
	 "(1); select case when true then 1 end; end; select 3;",
	 {"create or replace procedure p() begin atomic insert into t values "
	  "(1); select case when true then 1 end; end;",
	  "select 3;"},
	 NULL,
	 NULL},
	{"BEGIN; CREATE TABLE t (); COMMIT;",
	 {"BEGIN;", "CREATE TABLE t ();", "COMMIT;"},
	 NULL,
	 NULL},
	{"CREATE TABLE begin_x (); SELECT 1;",
	 {"CREATE TABLE begin_x ();", "SELECT 1;"},
	 NULL,
	 NULL},
	{"SELECT (1; 2); SELECT 3;",
	 {"SELECT (1; 2);", "SELECT 3;"},
	 NULL,
	 NULL},
	/* psql backslash commands run to the end of their line */
	{"\\set x 'a\nSELECT 1;", {"\\set x 'a\nSELECT 1;"}, NULL, NULL},
	{"SELECT 1;\n\\i other.sql\n",
	 {"SELECT 1;", "\\i other.sql"},
	 NULL,
	 NULL},
	/* open at the end */
	{"SELECT 1;\nSELECT 'abc;",
	 {"SELECT 1;", "SELECT 'abc;"},
	 "string literal",
	 "'abc"},
	{"SELECT E'abc\\'; x",
	 {"SELECT E'abc\\'; x"},
	 "escape string literal E'...'",
	 "E'abc"},
	{"SELECT \"ab;", {"SELECT \"ab;"}, "quoted identifier", "\"ab"},
	{"SELECT U&\"ab;", {"SELECT U&\"ab;"}, "quoted identifier", "U&"},
	{"SELECT 1; /* a /* b */ ;", {"SELECT 1;"}, "block comment", "/* a"},
	{"CREATE FUNCTION f() AS $fn$ SELECT 1; $f$ x;",
	 {"CREATE FUNCTION f() AS $fn$ SELECT 1; $f$ x;"},
	 "dollar-quoted string $fn$",
	 "$fn$"},
	{"SELECT $$abc", {"SELECT $$abc"}, "dollar-quoted string $$", "$$"},
	{"CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; 'x';",
	 {"CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; 'x';"},
	 "BEGIN ... END body",
	 "BEGIN"},
};

static void check_split(const struct lexcase *c, const struct split *s,
			const char *how)
{
	int want = 0;
	while (want < MAXST && c->want[want])
		want++;
	ck_assert_msg(s->n == want, "%s: '%s' gave %d statements, want %d", how,
		      c->in, s->n, want);
	for (int i = 0; i < want; i++)
		ck_assert_msg(!strcmp(s->st[i], c->want[i]),
			      "%s: '%s' statement %d is '%s', want '%s'", how,
			      c->in, i + 1, s->st[i], c->want[i]);
	if (!c->open) {
		ck_assert_msg(!s->open, "%s: '%s' left '%s' open", how, c->in,
			      s->open ? s->open : "");
		return;
	}
	ck_assert_msg(s->open && !strcmp(s->open, c->open),
		      "%s: '%s' left '%s' open, want '%s'", how, c->in,
		      s->open ? s->open : "(nothing)", c->open);
	uint64_t at = (uint64_t)(strstr(c->in, c->open_from) - c->in);
	ck_assert_msg(s->open_at == at, "%s: '%s': open at %llu, want %llu",
		      how, c->in, (unsigned long long)s->open_at,
		      (unsigned long long)at);
}

START_TEST(test_lex_table)
{
	const struct lexcase *c = &lexcases[_i];
	struct split s;
	char how[64];
	run_split(&s, c->in, 0, 0);
	check_split(c, &s, "whole");
	split_free(&s);
	run_split(&s, c->in, 0, 1);
	check_split(c, &s, "byte by byte");
	split_free(&s);
	for (size_t cut = 1; cut < strlen(c->in); cut++) {
		snprintf(how, sizeof(how), "cut at %zu", cut);
		run_split(&s, c->in, cut, 0);
		check_split(c, &s, how);
		split_free(&s);
	}
}
END_TEST

/* A dollar tag longer than the lexer keeps is still matched whole. */
START_TEST(test_lex_long_tag)
{
	char tag[200], in[1024];
	memset(tag, 'q', sizeof(tag) - 1);
	tag[sizeof(tag) - 1] = '\0';
	/* the same first 198 bytes, one byte more: not the closing tag */
	snprintf(in, sizeof(in), "SELECT $%s$ ; $%sq$ ; $%s$; SELECT 2;", tag,
		 tag, tag);
	struct split s;
	run_split(&s, in, 0, 7);
	ck_assert_int_eq(s.n, 2);
	ck_assert_str_eq(s.st[1], "SELECT 2;");
	split_free(&s);
	/* the same length, a different last byte: not the closing tag */
	snprintf(in, sizeof(in), "SELECT $%sa$ ; $%sb$ ; $%sa$; SELECT 2;", tag,
		 tag, tag);
	run_split(&s, in, 0, 0);
	ck_assert_int_eq(s.n, 2);
	ck_assert_str_eq(s.st[1], "SELECT 2;");
	split_free(&s);
	snprintf(in, sizeof(in), "SELECT $%s$ ;", tag);
	run_split(&s, in, 0, 0);
	ck_assert_ptr_nonnull(s.open);
	ck_assert_msg(strstr(s.open, "...$") != NULL, "open: %s", s.open);
	split_free(&s);
}
END_TEST

struct classcase {
	const char *sql;
	ldr_stmt_kind kind;
	const char *what;
};

static const struct classcase classcases[] = {
	{"SELECT 1", LDR_STMT_PLAIN, ""},
	{"", LDR_STMT_PLAIN, ""},
	{"-- x\n/* y */", LDR_STMT_PLAIN, ""},
	{"BEGIN", LDR_STMT_TX_CONTROL, "BEGIN"},
	{"/* c */ begin isolation level serializable", LDR_STMT_TX_CONTROL,
	 "BEGIN"},
	{"START TRANSACTION READ WRITE", LDR_STMT_TX_CONTROL,
	 "START TRANSACTION"},
	{"COMMIT", LDR_STMT_TX_CONTROL, "COMMIT"},
	{"commit and chain", LDR_STMT_TX_CONTROL, "COMMIT"},
	{"END", LDR_STMT_TX_CONTROL, "END"},
	{"ABORT", LDR_STMT_TX_CONTROL, "ABORT"},
	{"ROLLBACK", LDR_STMT_TX_CONTROL, "ROLLBACK"},
	{"ROLLBACK WORK", LDR_STMT_TX_CONTROL, "ROLLBACK"},
	{"ROLLBACK TO SAVEPOINT s", LDR_STMT_PLAIN, ""},
	{"ROLLBACK TO s", LDR_STMT_PLAIN, ""},
	{"ROLLBACK TRANSACTION TO s", LDR_STMT_PLAIN, ""},
	{"PREPARE TRANSACTION 'x'", LDR_STMT_TX_CONTROL, "PREPARE TRANSACTION"},
	{"PREPARE p AS SELECT $1", LDR_STMT_PLAIN, ""},
	{"COMMIT PREPARED 'x'", LDR_STMT_TX_CONTROL, "COMMIT PREPARED"},
	{"ROLLBACK PREPARED 'x'", LDR_STMT_TX_CONTROL, "ROLLBACK PREPARED"},
	{"SAVEPOINT s", LDR_STMT_PLAIN, ""},
	{"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; "
	 "END",
	 LDR_STMT_PLAIN, ""},
	{"DO $$ BEGIN COMMIT; END $$", LDR_STMT_PLAIN, ""},
	{"SELECT 'BEGIN'", LDR_STMT_PLAIN, ""},
	{"\"begin\"", LDR_STMT_PLAIN, ""},
	{"CREATE INDEX CONCURRENTLY i ON t (x)", LDR_STMT_NO_TX,
	 "CREATE INDEX CONCURRENTLY"},
	{"create unique index concurrently if not exists i on t (x)",
	 LDR_STMT_NO_TX, "CREATE INDEX CONCURRENTLY"},
	{"CREATE INDEX i ON t (x)", LDR_STMT_PLAIN, ""},
	{"CREATE INDEX concurrently_i ON t (x)", LDR_STMT_PLAIN, ""},
	{"DROP INDEX CONCURRENTLY IF EXISTS i", LDR_STMT_NO_TX,
	 "DROP INDEX CONCURRENTLY"},
	{"DROP INDEX i", LDR_STMT_PLAIN, ""},
	{"REINDEX INDEX CONCURRENTLY i", LDR_STMT_NO_TX,
	 "REINDEX CONCURRENTLY"},
	{"REINDEX (VERBOSE) TABLE CONCURRENTLY t", LDR_STMT_NO_TX,
	 "REINDEX CONCURRENTLY"},
	{"REINDEX (CONCURRENTLY) TABLE t", LDR_STMT_NO_TX,
	 "REINDEX CONCURRENTLY"},
	{"REINDEX TABLE t", LDR_STMT_PLAIN, ""},
	{"REINDEX SCHEMA s", LDR_STMT_NO_TX, "REINDEX SCHEMA"},
	{"REINDEX DATABASE d", LDR_STMT_NO_TX, "REINDEX DATABASE"},
	{"VACUUM", LDR_STMT_NO_TX, "VACUUM"},
	{"vacuum (analyze) t", LDR_STMT_NO_TX, "VACUUM"},
	{"ANALYZE t", LDR_STMT_PLAIN, ""},
	{"CREATE DATABASE d", LDR_STMT_NO_TX, "CREATE DATABASE"},
	{"DROP DATABASE IF EXISTS d", LDR_STMT_NO_TX, "DROP DATABASE"},
	{"CREATE TABLESPACE s LOCATION '/x'", LDR_STMT_NO_TX,
	 "CREATE TABLESPACE"},
	{"DROP TABLESPACE s", LDR_STMT_NO_TX, "DROP TABLESPACE"},
	{"ALTER SYSTEM SET work_mem = '8MB'", LDR_STMT_NO_TX, "ALTER SYSTEM"},
	{"ALTER TABLE system ADD x int", LDR_STMT_PLAIN, ""},
	/* PostgreSQL 12 and later run it in a transaction */
	{"ALTER TYPE mood ADD VALUE 'ok'", LDR_STMT_PLAIN, ""},
	{"CREATE TABLE database (x int)", LDR_STMT_PLAIN, ""},
	/* refused everywhere */
	{"COPY t FROM STDIN", LDR_STMT_REFUSED, "COPY ... FROM STDIN"},
	{"copy t (a, b) from stdin with (format csv)", LDR_STMT_REFUSED,
	 "COPY ... FROM STDIN"},
	{"COPY (SELECT 1) TO STDOUT", LDR_STMT_REFUSED, "COPY ... TO STDOUT"},
	{"COPY t FROM '/srv/t.csv'", LDR_STMT_PLAIN, ""},
	{"COPY (SELECT stdin FROM x) TO '/tmp/f'", LDR_STMT_PLAIN, ""},
	{"COPY t FROM 'stdin'", LDR_STMT_PLAIN, ""},
	{"\\set x 1\nSELECT 1", LDR_STMT_REFUSED, "psql backslash command"},
	{"SELECT 1 \\gset", LDR_STMT_REFUSED, "psql backslash command"},
	{"SELECT '\\n', E'\\\\', $$\\$$", LDR_STMT_PLAIN, ""},
};

START_TEST(test_classify_table)
{
	const struct classcase *c = &classcases[_i];
	const char *what = NULL;
	ldr_stmt_kind k = D->classify(c->sql, strlen(c->sql), &what);
	ck_assert_msg(k == c->kind, "'%s' is kind %d, want %d", c->sql, (int)k,
		      (int)c->kind);
	ck_assert_msg(what && !strcmp(what, c->what),
		      "'%s' names '%s', want '%s'", c->sql,
		      what ? what : "(null)", c->what);
}
END_TEST

/* The classifier sees only the statement it is given: bytes past `len`
 * never count. */
START_TEST(test_classify_len)
{
	const char *what;
	ck_assert_int_eq(D->classify("SELECT 1; VACUUM", 9, &what),
			 LDR_STMT_PLAIN);
	ck_assert_int_eq(D->classify("VACUUMX", 6, &what), LDR_STMT_NO_TX);
}
END_TEST

static char *explained(ldr_stmt_kind kind, const char *sql, const char **code)
{
	const char *what;
	ldr_buf b = {0};
	ck_assert_int_eq(D->classify(sql, strlen(sql), &what), kind);
	ck_assert_int_eq(D->explain(&b, kind, what, code), 0);
	return ldr_buf_detach(&b);
}

START_TEST(test_explain)
{
	const char *code;
	char *m = explained(LDR_STMT_TX_CONTROL, "COMMIT", &code);
	ck_assert_str_eq(code, "tx-control");
	ck_assert_ptr_nonnull(strstr(m, "'COMMIT'"));
	ck_assert_ptr_nonnull(strstr(m, "PostgreSQL"));
	free(m);
	m = explained(LDR_STMT_NO_TX, "CREATE INDEX CONCURRENTLY i ON t(x)",
		      &code);
	ck_assert_str_eq(code, "needs-no-transaction");
	ck_assert_ptr_nonnull(strstr(m, "'CREATE INDEX CONCURRENTLY'"));
	ck_assert_ptr_nonnull(strstr(m, "transaction: false"));
	free(m);
	m = explained(LDR_STMT_REFUSED, "COPY t FROM STDIN", &code);
	ck_assert_str_eq(code, "sql-refused");
	ck_assert_ptr_nonnull(strstr(m, "'COPY ... FROM STDIN'"));
	free(m);
	m = explained(LDR_STMT_REFUSED, "\\connect other", &code);
	ck_assert_str_eq(code, "sql-refused");
	ck_assert_ptr_nonnull(strstr(m, "psql backslash command"));
	free(m);
}
END_TEST

START_TEST(test_table_name)
{
	const char *why = NULL;
	char name[64];
	ck_assert_int_eq(D->table_name_ok("schema_migrations", &why), 0);
	ck_assert_int_eq(D->table_name_ok("_x9", &why), 0);
	ck_assert_int_ne(D->table_name_ok("Schema", &why), 0);
	ck_assert_ptr_nonnull(strstr(why, "lower case"));
	ck_assert_int_ne(D->table_name_ok("9x", &why), 0);
	ck_assert_int_ne(D->table_name_ok("a-b", &why), 0);
	ck_assert_int_ne(D->table_name_ok("", &why), 0);
	ck_assert_int_ne(D->table_name_ok("pg_migrations", &why), 0);
	ck_assert_ptr_nonnull(strstr(why, "'pg_'"));
	ck_assert_int_eq(D->table_name_ok("pgx", &why), 0);
	memset(name, 'a', 54);
	name[54] = '\0';
	ck_assert_int_eq(D->table_name_ok(name, &why), 0);
	name[54] = 'a';
	name[55] = '\0';
	ck_assert_int_ne(D->table_name_ok(name, &why), 0);
	ck_assert_ptr_nonnull(strstr(why, "54 bytes"));
}
END_TEST

START_TEST(test_quote)
{
	ldr_buf b = {0};
	ck_assert_int_eq(D->quote_ident(&b, "a\"b"), 0);
	ck_assert_int_eq(D->quote_string(&b, " it's"), 0);
	ck_assert_int_eq(D->quote_string(&b, " a\\'"), 0);
	ck_assert_int_eq(D->quote_string(&b, NULL), 0);
	char *s = ldr_buf_detach(&b);
	ck_assert_str_eq(s, "\"a\"\"b\"' it''s'E' a\\\\'''NULL");
	free(s);
}
END_TEST

START_TEST(test_table)
{
	ck_assert_str_eq(D->name, "postgresql");
	ck_assert_str_eq(D->schemes[0], "postgresql");
	ck_assert_str_eq(D->schemes[1], "postgres");
	ck_assert_ptr_null(D->schemes[2]);
	ck_assert_int_eq(D->target_is_path, 0);
	ck_assert(D->caps & LDR_CAP_TX_DDL);
	ck_assert(!(D->caps & LDR_CAP_FK_OFF));
}
END_TEST

/* The export pieces: a transactional step is BEGIN, its guard, its row,
 * (the statements), COMMIT; a `transaction: false` step its guard, (the
 * statements), its row. A "schema.table" is quoted part by part, and the
 * guard's dollar tag is one its body does not hold. */
START_TEST(test_script)
{
	ladder_migration m = {
		.id = 7, .name = "it's", .transactional = 1, .checksum = "abc"};
	ldr_buf b = LDR_BUF_INIT;
	ck_assert_int_eq(D->script_header(&b, "m.yaml", "db"), 0);
	ck_assert_ptr_nonnull(strstr(b.data, "\\set ON_ERROR_STOP on\n"));
	b.len = 0;
	ck_assert_int_eq(
		D->script_step_begin(&b, "app.t", &m, "2026-01-02T03:04:05Z"),
		0);
	ck_assert_int_eq(
		D->script_step_end(&b, "app.t", &m, "2026-01-02T03:04:05Z"), 0);
	ldr_buf_addc(&b, '\0');
	ck_assert_str_eq(
		b.data,
		"BEGIN;\n"
		"DO $ladder_guard$ BEGIN IF EXISTS (SELECT FROM \"app\".\"t\" "
		"WHERE id = 7) THEN RAISE EXCEPTION 'ladder: step 7 is already "
		"applied on this database'; END IF; END $ladder_guard$;\n"
		"INSERT INTO \"app\".\"t\" (id, name, applied_at, checksum, "
		"checksum_algorithm, ladder_version) VALUES (7, 'it''s', "
		"'2026-01-02T03:04:05Z', 'abc', '" LDR_CHECKSUM_ALGORITHM
		"', '" LADDER_VERSION " (export)');\n"
		"COMMIT;\n");
	b.len = 0;
	m.transactional = 0;
	ck_assert_int_eq(
		D->script_step_begin(&b, "a$ladder_guard$b.t", &m, "x"), 0);
	ldr_buf_addc(&b, '\0');
	ck_assert_ptr_nonnull(strstr(b.data, "DO $ladder_guard1$ BEGIN"));
	ck_assert_ptr_nonnull(strstr(b.data, "END $ladder_guard1$;\n"));
	ck_assert_ptr_null(strstr(b.data, "INSERT"));
	b.len = 0;
	ck_assert_int_eq(D->script_step_end(&b, "t", &m, "x"), 0);
	ldr_buf_addc(&b, '\0');
	ck_assert_ptr_nonnull(strstr(b.data, "INSERT INTO \"t\" ("));
	ldr_buf_release(&b);
}
END_TEST

/* ALTER TYPE ... ADD VALUE, read from the keywords: the statements the
 * grammar parses as an AlterEnumStmt with a new value, and no other. */
static const struct {
	const char *sql;
	int adds;
} enumcases[] = {
	{"ALTER TYPE mood ADD VALUE 'happy'", 1},
	{"alter type mood add value if not exists 'happy' before 'sad'", 1},
	{"ALTER TYPE app.mood ADD VALUE 'x'", 1},
	{"ALTER TYPE \"App\".\"Mo.od\" ADD VALUE 'x'", 1},
	{"ALTER TYPE db.app.mood ADD VALUE 'x'", 1},
	{"ALTER TYPE U&\"m\\0061\" ADD VALUE 'x'", 1},
	{"/* c */ ALTER -- c\n TYPE mood ADD /* v */ VALUE 'x'", 1},
	{"ALTER TYPE mood RENAME VALUE 'a' TO 'b'", 0},
	{"ALTER TYPE comp ADD ATTRIBUTE x int", 0},
	{"ALTER TYPE mood OWNER TO app", 0},
	{"ALTER TABLE t ADD VALUE int", 0},
	{"ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0)", 0},
	{"SELECT 'ALTER TYPE mood ADD VALUE ''x'''", 0},
	{"ALTER TYPE mood.ADD VALUE 'x'", 0},
	{"ALTER TYPE . ADD VALUE 'x'", 0},
	{"ALTER TYPE", 0},
	{"", 0},
};

START_TEST(test_enum_value)
{
	const char *sql = enumcases[_i].sql;
	ck_assert_msg(ldr_pg_adds_enum_value(sql, strlen(sql)) ==
			      enumcases[_i].adds,
		      "'%s': want %d", sql, enumcases[_i].adds);
}
END_TEST

/* up's run-time rule (driver_pg.c's server_rules hands it the server's
 * server_version_num): ADD VALUE in a transactional step is refused on a
 * server before 12, with validate's code and hint, at the statement's
 * place; never on 12 or later, an unknown version, or outside a
 * transaction. The tests run a 15 server only, so the version is the
 * input here. */
START_TEST(test_server_check)
{
	const char *add = "ALTER TYPE mood ADD VALUE 'happy'";
	const char *other = "ALTER TYPE mood RENAME VALUE 'a' TO 'b'";
	ladder_diags *d = NULL;
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(ldr_pg_tx_refuses_add_value(119999), 1);
	ck_assert_int_eq(ldr_pg_tx_refuses_add_value(110022), 1);
	ck_assert_int_eq(ldr_pg_tx_refuses_add_value(90624), 1);
	ck_assert_int_eq(ldr_pg_tx_refuses_add_value(120000), 0);
	ck_assert_int_eq(ldr_pg_tx_refuses_add_value(150004), 0);
	ck_assert_int_eq(ldr_pg_tx_refuses_add_value(0), 0);

	ck_assert_int_eq(ldr_pg_server_check(120000, 1, add, strlen(add),
					     "sql/2.sql", 3, 5, d),
			 0);
	ck_assert_int_eq(ldr_pg_server_check(150004, 1, add, strlen(add),
					     "sql/2.sql", 3, 5, d),
			 0);
	ck_assert_int_eq(ldr_pg_server_check(0, 1, add, strlen(add),
					     "sql/2.sql", 3, 5, d),
			 0);
	ck_assert_int_eq(ldr_pg_server_check(110022, 0, add, strlen(add),
					     "sql/2.sql", 3, 5, d),
			 0);
	ck_assert_int_eq(ldr_pg_server_check(110022, 1, other, strlen(other),
					     "sql/2.sql", 3, 5, d),
			 0);
	ck_assert_uint_eq(ladder_diags_count(d), 0);

	ck_assert_int_eq(ldr_pg_server_check(110022, 1, add, strlen(add),
					     "sql/2.sql", 3, 5, d),
			 1);
	ck_assert_uint_eq(ladder_diags_count(d), 1);
	ck_assert_diag(d, "needs-no-transaction", 3,
		       "'ALTER TYPE ... ADD VALUE' cannot run inside a "
		       "transaction block before PostgreSQL 12 (the server "
		       "runs PostgreSQL 11); set 'transaction: false' on "
		       "this migration");
	const ladder_diag *g = ladder_diags_get(d, 0);
	ck_assert_str_eq(g->file, "sql/2.sql");
	ck_assert_uint_eq(g->column, 5);
	ck_assert_int_eq(g->severity, LADDER_SEV_ERROR);
	ck_assert_int_eq(ldr_pg_server_check(90624, 1, add, strlen(add),
					     "sql/2.sql", 1, 1, d),
			 1);
	ck_assert_diag(d, "needs-no-transaction", 1,
		       "(the server runs PostgreSQL 9.6)");
	ladder_diags_free(d);
}
END_TEST

#ifdef LADDER_HAVE_PG_QUERY
/* The lexer and the grammar must agree on where statements end (issue
 * 11). Where psql's heuristic, which the lexer follows, keeps a function
 * named `begin` open until the next END, the grammar sees three statements
 * in what the lexer cut as one: validate reports it (`sql-syntax`) at the
 * grammar's split point, the first token of the statement the lexer did
 * not see, mapped into the file past blanks and comments. */
START_TEST(test_split_disagreement)
{
	char *dir = tu_tmpdir();
	free(tu_write(dir, "sql/1.sql",
		      "CREATE TABLE t (x int);\n"
		      "CREATE FUNCTION begin() RETURNS int LANGUAGE sql\n"
		      "  AS $$ SELECT 1 $$; -- the lexer reads on\n"
		      "  /* a /* nested */ comment */ SELECT 1;\n"
		      "END;\n"));
	char *path = tu_write(dir, "manifest.yaml",
			      "engine: postgresql\nmigrations:\n"
			      "  - {id: 1, name: one, file: sql/1.sql}\n");
	ladder_diags *d = NULL;
	ladder_manifest *m = NULL;
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(ladder_manifest_load(&m, path, d), LADDER_EINVALID);
	ck_assert_diag(d, "sql-syntax", 4,
		       "the statement splitter and the grammar disagree");
	const ladder_diag *g = tu_find_diag(d, "sql-syntax", 4, NULL);
	ck_assert_uint_eq(g->column, 32);
	ck_assert_ptr_nonnull(strstr(g->file, "sql/1.sql"));
	ck_assert_ptr_nonnull(strstr(g->message, "libpg_query"));
	ck_assert_uint_eq(ladder_diags_errors(d), 1);
	ladder_manifest_free(m);
	ladder_diags_free(d);
	tu_rmtree(dir);
	free(dir);
	free(path);
}
END_TEST
#endif

int main(void)
{
	Suite *s = suite_create("dialect_pg");
	TCase *tc = tcase_create("lex");
	tcase_add_loop_test(tc, test_lex_table, 0,
			    (int)(sizeof(lexcases) / sizeof(lexcases[0])));
	tcase_add_test(tc, test_lex_long_tag);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_add_loop_test(tc, test_classify_table, 0,
			    (int)(sizeof(classcases) / sizeof(classcases[0])));
	tcase_add_test(tc, test_classify_len);
	tcase_add_test(tc, test_explain);
	tcase_add_test(tc, test_table_name);
	tcase_add_test(tc, test_quote);
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_script);
	tcase_add_loop_test(tc, test_enum_value, 0,
			    (int)(sizeof(enumcases) / sizeof(enumcases[0])));
	tcase_add_test(tc, test_server_check);
#ifdef LADDER_HAVE_PG_QUERY
	tcase_add_test(tc, test_split_disagreement);
#endif
	suite_add_tcase(s, tc);
	return tu_run(s);
}
