/* test_dialect_sqlite.c — SQLite's dialect: its quotes, comments and
 * trigger bodies as the reader splits them, its classifier, its rules and
 * its export pieces. */
#include "split.h"

static ldr_stmt_kind classify(const char *sql, size_t len)
{
	const char *what;
	return ldr_dialect_sqlite.classify(sql, len, &what);
}

START_TEST(test_split_quotes)
{
	const char *q[] = {
		"SELECT 'a;b';",	"SELECT \"a;b\";",
		"SELECT [a;b];",	"SELECT `a;b`;",
		"SELECT 'it''s; ok';",	"SELECT \"x\"\";y\";",
		"SELECT '--;', '/*;';",
	};
	for (size_t i = 0; i < sizeof(q) / sizeof(*q); i++) {
		char text[128];
		snprintf(text, sizeof(text), "%s\nSELECT 2;", q[i]);
		struct split s = split_str(text);
		ck_assert_int_eq(s.rc, 0);
		ck_assert_msg(s.n == 2, "%s: %zu statements", q[i], s.n);
		expect_stmt(&s, 0, q[i], 1, 1);
		expect_stmt(&s, 1, "SELECT 2;", 2, 1);
		split_free(&s);
	}
}
END_TEST

START_TEST(test_split_comments)
{
	struct split s = split_str("SELECT 1 -- ; not the end\n, 2;\n"
				   "SELECT /* ; ' \" */ 3; -- after; 'x\n"
				   "SELECT 10-2/1; /**/ SELECT 4;");
	ck_assert_int_eq(s.rc, 0);
	ck_assert_uint_eq(s.n, 4);
	expect_stmt(&s, 0, "SELECT 1 -- ; not the end\n, 2;", 1, 1);
	expect_stmt(&s, 1, "SELECT /* ; ' \" */ 3;", 3, 1);
	expect_stmt(&s, 2, "SELECT 10-2/1;", 4, 1);
	expect_stmt(&s, 3, "SELECT 4;", 4, 21);
	split_free(&s);
}
END_TEST

static const char trigger[] = "CREATE TRIGGER t_ai AFTER INSERT ON t\n"
			      "BEGIN\n"
			      "  INSERT INTO log VALUES (new.id);\n"
			      "  UPDATE t SET n = n + 1 WHERE id = new.id;\n"
			      "END;";

START_TEST(test_split_trigger)
{
	struct split s =
		split_str("CREATE TABLE t(id);\n"
			  "CREATE TRIGGER t_ai AFTER INSERT ON t\n"
			  "BEGIN\n"
			  "  INSERT INTO log VALUES (new.id);\n"
			  "  UPDATE t SET n = n + 1 WHERE id = new.id;\n"
			  "END;\nSELECT 1;\n");
	ck_assert_int_eq(s.rc, 0);
	ck_assert_uint_eq(s.n, 3);
	expect_stmt(&s, 1, trigger, 2, 1);
	expect_stmt(&s, 2, "SELECT 1;", 7, 1);
	ck_assert_int_eq(classify(trigger, strlen(trigger)), LDR_STMT_PLAIN);
	split_free(&s);
}
END_TEST

/* Every way a trigger body may start: any case, TEMP, comments between
 * the words, after EXPLAIN, and without the final `;` at the end of the
 * file; a `;` ends any other statement at once, whatever its first word
 * (the lexer alone decides there, sqlite3_complete() is not asked). */
START_TEST(test_split_trigger_forms)
{
	struct split s = split_str(
		"create temp trigger a after insert on t begin select 1; end;\n"
		"CREATE /* c */ TEMPORARY -- c\n TRIGGER b AFTER INSERT ON t "
		"BEGIN SELECT 2; END;\n"
		"EXPLAIN CREATE TRIGGER c AFTER INSERT ON t BEGIN SELECT 3; "
		"END;\n"
		"INSERT INTO t VALUES ('begin; end');SELECT 4;update t set x=1;"
		"\nCREATE TRIGGER d AFTER INSERT ON t BEGIN SELECT 5; END");
	ck_assert_int_eq(s.rc, 0);
	ck_assert_uint_eq(s.n, 7);
	expect_stmt(&s, 0,
		    "create temp trigger a after insert on t begin select 1; "
		    "end;",
		    1, 1);
	expect_stmt(&s, 1,
		    "CREATE /* c */ TEMPORARY -- c\n TRIGGER b AFTER INSERT ON "
		    "t BEGIN SELECT 2; END;",
		    2, 1);
	expect_stmt(
		&s, 2,
		"EXPLAIN CREATE TRIGGER c AFTER INSERT ON t BEGIN SELECT 3; "
		"END;",
		4, 1);
	expect_stmt(&s, 3, "INSERT INTO t VALUES ('begin; end');", 5, 1);
	expect_stmt(&s, 4, "SELECT 4;", 5, 37);
	expect_stmt(&s, 5, "update t set x=1;", 5, 46);
	expect_stmt(&s, 6,
		    "CREATE TRIGGER d AFTER INSERT ON t BEGIN SELECT 5; END", 6,
		    1);
	split_free(&s);
}
END_TEST

/* Splitting `text` fails with sql-incomplete on `line` naming `needle`. */
static void expect_incomplete(const char *text, size_t before, unsigned line,
			      const char *needle)
{
	struct split s = split_str(text);
	ck_assert_int_lt(s.rc, 0);
	ck_assert_uint_eq(s.n, before);
	ck_assert_uint_eq(ladder_diags_errors(s.diags), 1);
	ck_assert_diag(s.diags, "sql-incomplete", line, needle);
	split_free(&s);
}

START_TEST(test_split_unterminated)
{
	expect_incomplete("SELECT 1;\n\nSELECT 'abc\n;\n;", 1, 3,
			  "unterminated string literal starting at line 3");
	expect_incomplete("SELECT 'it''s\n\n", 0, 1,
			  "unterminated string literal starting at line 1");
	expect_incomplete("SELECT 1;\nSELECT \"abc;\n", 1, 2,
			  "unterminated quoted identifier starting at line 2");
	expect_incomplete("SELECT [abc;\n", 0, 1,
			  "unterminated quoted identifier starting at line 1");
	expect_incomplete("SELECT 1;\n\n\n/* open\n;\n", 1, 4,
			  "unterminated block comment starting at line 4");
	expect_incomplete("SELECT 1 /* open *", 0, 1,
			  "unterminated block comment starting at line 1");
	expect_incomplete("SELECT 1;\nCREATE TRIGGER tr AFTER INSERT ON t\n"
			  "BEGIN\n  SELECT 1;\n",
			  1, 2, "incomplete statement at end of file");
}
END_TEST

/* ------------------------------------------------------- classification */

static const struct {
	const char *sql;
	ldr_stmt_kind kind;
} kinds[] = {
	{"SELECT 1;", LDR_STMT_PLAIN},
	{"BEGIN;", LDR_STMT_TX_CONTROL},
	{"begin immediate;", LDR_STMT_TX_CONTROL},
	{"BEGIN TRANSACTION;", LDR_STMT_TX_CONTROL},
	{"COMMIT;", LDR_STMT_TX_CONTROL},
	{"commit transaction", LDR_STMT_TX_CONTROL},
	{"END;", LDR_STMT_TX_CONTROL},
	{"End Transaction;", LDR_STMT_TX_CONTROL},
	{"ROLLBACK;", LDR_STMT_TX_CONTROL},
	{"rollback transaction;", LDR_STMT_TX_CONTROL},
	{"ROLLBACK TO sp;", LDR_STMT_PLAIN},
	{"ROLLBACK TRANSACTION TO SAVEPOINT sp;", LDR_STMT_PLAIN},
	{"rollback transaction t to sp;", LDR_STMT_PLAIN},
	{"SAVEPOINT sp;", LDR_STMT_PLAIN},
	{"RELEASE sp;", LDR_STMT_PLAIN},
	{"RELEASE SAVEPOINT sp;", LDR_STMT_PLAIN},
	{"SELECT 'BEGIN';", LDR_STMT_PLAIN},
	{"'COMMIT';", LDR_STMT_PLAIN},
	{"-- COMMIT\nSELECT 1;", LDR_STMT_PLAIN},
	{"/* BEGIN */ INSERT INTO t VALUES (1);", LDR_STMT_PLAIN},
	{"/* x */ -- y\n  commit;", LDR_STMT_TX_CONTROL},
	{"\"END\";", LDR_STMT_PLAIN},
	{"[BEGIN];", LDR_STMT_PLAIN},
	{"BEGINNING;", LDR_STMT_PLAIN},
	{"ENDS;", LDR_STMT_PLAIN},
	{"END_;", LDR_STMT_PLAIN},
	{"ROLLBACKS;", LDR_STMT_PLAIN},
	{"EXPLAIN BEGIN;", LDR_STMT_PLAIN},
	{"EXPLAIN QUERY PLAN SELECT 1;", LDR_STMT_PLAIN},
	{"VACUUM;", LDR_STMT_NO_TX},
	{"vacuum", LDR_STMT_NO_TX},
	{"VACUUM INTO 'x.db';", LDR_STMT_NO_TX},
	{"ATTACH 'x.db' AS x;", LDR_STMT_NO_TX},
	{"detach x;", LDR_STMT_NO_TX},
	{"PRAGMA journal_mode = WAL;", LDR_STMT_NO_TX},
	{"pragma main.journal_mode=delete;", LDR_STMT_NO_TX},
	{"PRAGMA journal_mode(WAL);", LDR_STMT_NO_TX},
	{"PRAGMA journal_mode;", LDR_STMT_PLAIN},
	{"PRAGMA foreign_keys = OFF;", LDR_STMT_NOOP_IN_TX},
	{"PRAGMA main.foreign_keys=OFF;", LDR_STMT_NOOP_IN_TX},
	{"PRAGMA \"main\" . Foreign_Keys (0);", LDR_STMT_NOOP_IN_TX},
	{"PRAGMA /* c */ foreign_keys -- c\n = 1", LDR_STMT_NOOP_IN_TX},
	{"PRAGMA foreign_keys;", LDR_STMT_PLAIN},
	{"PRAGMA foreign_key_check;", LDR_STMT_PLAIN},
	{"PRAGMA user_version = 3;", LDR_STMT_PLAIN},
	{"PRAGMA", LDR_STMT_PLAIN},
	{"", LDR_STMT_PLAIN},
	{"-- only a comment", LDR_STMT_PLAIN},
	{"CREATE TABLE begin_log(x);", LDR_STMT_PLAIN},
	{trigger, LDR_STMT_PLAIN},
};

START_TEST(test_classify)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
		ldr_stmt_kind got =
			classify(kinds[i].sql, strlen(kinds[i].sql));
		ck_assert_msg(got == kinds[i].kind, "'%s': got %d, want %d",
			      kinds[i].sql, got, kinds[i].kind);
	}
	/* only `len` bytes are looked at */
	ck_assert_int_eq(classify("ENDING", 3), LDR_STMT_TX_CONTROL);
	ck_assert_int_eq(classify("ROLLBACK TO x", 8), LDR_STMT_TX_CONTROL);
}
END_TEST

/* ----------------------------------------------------------------- scan */

static const char mixed[] = "-- 0007_mixed.sql\n"		  /* 1 */
			    "CREATE TABLE t(a);\n"		  /* 2 */
			    "BEGIN;\n"				  /* 3 */
			    "INSERT INTO t VALUES ('COMMIT;');\n" /* 4 */
			    "  COMMIT;\n"			  /* 5 */
			    "VACUUM;\n"				  /* 6 */
			    "PRAGMA foreign_keys = OFF;\n"	  /* 7 */
			    "SAVEPOINT sp; ROLLBACK TO sp;\n"	  /* 8 */
			    "PRAGMA journal_mode=WAL;\n"	  /* 9 */
			    "PRAGMA foreign_keys;\n";		  /* 10 */

START_TEST(test_scan_transactional)
{
	char *dir = tu_tmpdir();
	char *path = tu_write(dir, "sql/0007_mixed.sql", mixed);
	ladder_diags *d = NULL;
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ldr_sqlinfo info;
	ck_assert_int_eq(
		ldr_sqlfile_scan(path, "sql/0007_mixed.sql", 1, &info, d),
		LADDER_EINVALID);
	ck_assert_uint_eq(info.statements, 10);
	ck_assert_uint_eq(ladder_diags_errors(d), 5);
	ck_assert_diag(d, "tx-control", 3, "transaction control 'BEGIN'");
	ck_assert_diag(d, "tx-control", 5, "'COMMIT' in a transactional");
	ck_assert_diag(d, "needs-no-transaction", 6, "'VACUUM' cannot run");
	ck_assert_diag(d, "pragma-foreign-keys", 7, "'foreign_keys: off'");
	ck_assert_diag(d, "needs-no-transaction", 9, "journal_mode");
	const ladder_diag *g = tu_find_diag(d, "tx-control", 5, NULL);
	ck_assert_str_eq(g->file, "sql/0007_mixed.sql");
	ck_assert_uint_eq(g->column, 3);
	ck_assert_int_eq(g->severity, LADDER_SEV_ERROR);
	ck_assert_uint_eq(strlen(info.checksum), 64);
	ladder_diags_free(d);

	/* the same file, run outside a transaction, is fine */
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ldr_sqlinfo info2;
	ck_assert_int_eq(
		ldr_sqlfile_scan(path, "sql/0007_mixed.sql", 0, &info2, d), 0);
	ck_assert_uint_eq(ladder_diags_count(d), 0);
	ck_assert_uint_eq(info2.statements, 10);
	ck_assert_str_eq(info.checksum, info2.checksum);
	ladder_diags_free(d);

	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* The rules' wording and codes (docs/json.md). */
START_TEST(test_explain)
{
	ldr_buf b = LDR_BUF_INIT;
	const char *code = NULL;
	ck_assert_int_eq(ldr_dialect_sqlite.explain(&b, LDR_STMT_TX_CONTROL,
						    "BEGIN", &code),
			 0);
	ck_assert_str_eq(code, "tx-control");
	ck_assert_ptr_nonnull(strstr(b.data, "'BEGIN'"));
	ldr_buf_reset(&b);
	ldr_dialect_sqlite.explain(&b, LDR_STMT_NO_TX, "VACUUM", &code);
	ck_assert_str_eq(code, "needs-no-transaction");
	ldr_buf_reset(&b);
	ldr_dialect_sqlite.explain(&b, LDR_STMT_NOOP_IN_TX,
				   "PRAGMA foreign_keys", &code);
	ck_assert_str_eq(code, "pragma-foreign-keys");
	ldr_buf_release(&b);
}
END_TEST

START_TEST(test_table_name)
{
	const char *why = NULL;
	ck_assert_int_eq(
		ldr_dialect_sqlite.table_name_ok("schema_migrations", &why), 0);
	ck_assert_int_ne(ldr_dialect_sqlite.table_name_ok("a-b", &why), 0);
	ck_assert_int_ne(ldr_dialect_sqlite.table_name_ok("1a", &why), 0);
	ck_assert_int_ne(ldr_dialect_sqlite.table_name_ok("SQLite_x", &why), 0);
	ck_assert_ptr_nonnull(strstr(why, "sqlite_"));
}
END_TEST

/* Identifiers and strings quoted as sqlite3_mprintf's %w and %Q did. */
START_TEST(test_quote)
{
	ldr_buf b = LDR_BUF_INIT;
	ldr_dialect_sqlite.quote_ident(&b, "a\"b\"");
	ck_assert_str_eq(b.data, "\"a\"\"b\"\"\"");
	ldr_buf_reset(&b);
	ldr_dialect_sqlite.quote_string(&b, "it's ''");
	ck_assert_str_eq(b.data, "'it''s '''''");
	ldr_buf_reset(&b);
	ldr_dialect_sqlite.quote_string(&b, NULL);
	ck_assert_str_eq(b.data, "NULL");
	ldr_buf_reset(&b);
	ldr_dialect_sqlite.quote_string(&b, "");
	ck_assert_str_eq(b.data, "''");
	ldr_buf_release(&b);
}
END_TEST

/* The export row carries the applied_at it was given, not SQL's clock. */
START_TEST(test_script_step)
{
	ldr_buf b = LDR_BUF_INIT;
	ladder_migration m = {
		.id = 3, .name = "o'k", .checksum = "abc", .transactional = 1};
	ck_assert_int_eq(ldr_dialect_sqlite.script_step_begin(
				 &b, "t", &m, "2030-01-02T03:04:05Z"),
			 0);
	ck_assert_str_eq(b.data,
			 "BEGIN IMMEDIATE;\n"
			 "INSERT INTO main.\"t\" (id, name, applied_at, "
			 "checksum, checksum_algorithm, ladder_version) "
			 "VALUES (3, 'o''k', '2030-01-02T03:04:05Z', "
			 "'abc', 'sha256-lf', '" LADDER_VERSION
			 " (export)');\n");
	ldr_buf_reset(&b);
	ck_assert_int_eq(ldr_dialect_sqlite.script_step_end(
				 &b, "t", &m, "2030-01-02T03:04:05Z"),
			 0);
	ck_assert_str_eq(b.data, "COMMIT;\n");
	ldr_buf_release(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dialect_sqlite");
	TCase *tc = tcase_create("lexer");
	tcase_add_test(tc, test_split_quotes);
	tcase_add_test(tc, test_split_comments);
	tcase_add_test(tc, test_split_trigger);
	tcase_add_test(tc, test_split_trigger_forms);
	tcase_add_test(tc, test_split_unterminated);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_add_test(tc, test_classify);
	tcase_add_test(tc, test_scan_transactional);
	tcase_add_test(tc, test_explain);
	tcase_add_test(tc, test_table_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("export");
	tcase_add_test(tc, test_quote);
	tcase_add_test(tc, test_script_step);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
