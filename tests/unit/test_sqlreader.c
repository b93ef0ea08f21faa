/* test_sqlreader.c — the dialect-neutral reader (statements, positions,
 * BOM, NUL bytes, chunk boundaries, checksum) and the scan's rules. */
#include "split.h"

/* ------------------------------------------------------------ splitting */

/* An input, how many statements it holds, and some of them: index, text,
 * line and column of the first byte. */
static const struct split_case {
	const char *in;
	size_t n;
	struct {
		size_t i;
		const char *sql;
		unsigned line, col;
	} stmt[5];
} split_cases[] = {
	/* simple */
	{"SELECT 1;\nSELECT 2; SELECT 3;\n  INSERT INTO t VALUES (1);\n",
	 4,
	 {{0, "SELECT 1;", 1, 1},
	  {1, "SELECT 2;", 2, 1},
	  {2, "SELECT 3;", 2, 11},
	  {3, "INSERT INTO t VALUES (1);", 3, 3}}},
	/* empty statements */
	{";;\n  ; SELECT 1;;\n;SELECT 2;",
	 2,
	 {{0, "SELECT 1;", 2, 5}, {1, "SELECT 2;", 3, 2}}},
	/* a multi-line statement starts at its first significant byte */
	{"\n\n\tCREATE TABLE t(\n  a INT\n);\nINSERT INTO t\nVALUES (1);",
	 2,
	 {{0, "CREATE TABLE t(\n  a INT\n);", 3, 2},
	  {1, "INSERT INTO t\nVALUES (1);", 6, 1}}},
	/* leading comments */
	{"-- header\n/* block\n   comment */\n  SELECT 1; -- trailing\n"
	 "-- more\n/* x */ -- y\nSELECT 2;\n-- end\n",
	 2,
	 {{0, "SELECT 1;", 4, 3}, {1, "SELECT 2;", 7, 1}}},
	/* the final statement without a semicolon */
	{"SELECT 1;\nSELECT 'x;'\n  -- no semicolon\n/* c */\n\n",
	 2,
	 {{1, "SELECT 'x;'", 2, 1}}},
	{"SELECT 3 - 1", 1, {{0, "SELECT 3 - 1", 1, 1}}},
	/* a statement may start with `-` or `/` that opens no comment */
	{"SELECT 1;\n  -5;\n\t/x;", 3, {{1, "-5;", 2, 3}, {2, "/x;", 3, 2}}},
	{"  -", 1, {{0, "-", 1, 3}}},
};

START_TEST(test_split_cases)
{
	const struct split_case *c = &split_cases[_i];
	struct split s = split_str(c->in);
	ck_assert_int_eq(s.rc, 0);
	ck_assert_uint_eq(s.n, c->n);
	for (size_t k = 0; k < 5 && c->stmt[k].sql; k++)
		expect_stmt(&s, c->stmt[k].i, c->stmt[k].sql, c->stmt[k].line,
			    c->stmt[k].col);
	split_free(&s);
}
END_TEST

START_TEST(test_split_nul_byte)
{
	struct split s = split_mem("SELECT 1;\nSELECT '\0';\n", 22);
	ck_assert_int_lt(s.rc, 0);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_diag(s.diags, "sql-binary", 2, "NUL byte");
	/* the checksum still covers the whole file */
	struct split t = split_mem("SELECT 1;\nSELECT '\0';\r\n", 23);
	ck_assert_str_eq(s.checksum, t.checksum);
	struct split u = split_mem("SELECT 1;\nSELECT '\0';", 21);
	ck_assert_str_ne(s.checksum, u.checksum);
	split_free(&s);
	split_free(&t);
	split_free(&u);
}
END_TEST

START_TEST(test_split_bom)
{
	struct split s = split_str("\xEF\xBB\xBFSELECT 1;\nSELECT 2;");
	struct split t = split_str("SELECT 1;\nSELECT 2;");
	ck_assert_int_eq(s.rc, 0);
	ck_assert_uint_eq(s.n, 2);
	expect_stmt(&s, 0, "SELECT 1;", 1, 1);
	expect_stmt(&s, 1, "SELECT 2;", 2, 1);
	ck_assert_str_eq(s.checksum, t.checksum);
	split_free(&s);
	split_free(&t);

	/* only a leading BOM is special */
	s = split_str("SELECT 1;\xEF\xBB\xBF");
	t = split_str("SELECT 1;");
	ck_assert_str_ne(s.checksum, t.checksum);
	split_free(&s);
	split_free(&t);
}
END_TEST

START_TEST(test_split_bom_trickled)
{
	/* a pipe that hands out one byte per read: the BOM still goes */
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		static const char text[] = "\xEF\xBB\xBFSELECT 1;";
		close(fds[0]);
		for (size_t i = 0; i < sizeof(text) - 1; i++) {
			if (write(fds[1], text + i, 1) != 1)
				_exit(1);
			usleep(20000);
		}
		_exit(0);
	}
	close(fds[1]);
	char path[64];
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	struct split s = split_file(path);
	close(fds[0]);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(s.rc, 0);
	ck_assert_uint_eq(s.n, 1);
	expect_stmt(&s, 0, "SELECT 1;", 1, 1);
	ck_assert_str_eq(s.checksum, "17db4fd369edb9244b9f91d9aeed145c"
				     "3d04ad8ba6e95d06247f07a63527d11a");
	split_free(&s);
}
END_TEST

START_TEST(test_mem_reader)
{
	/* only `len` bytes count, the buffer need not end in a NUL */
	const char buf[] = "SELECT 1; SELECT 2;";
	struct split s = split_mem(buf, 9);
	ck_assert_int_eq(s.rc, 0);
	ck_assert_uint_eq(s.n, 1);
	expect_stmt(&s, 0, "SELECT 1;", 1, 1);
	split_free(&s);

	s = split_mem(NULL, 0);
	ck_assert_int_eq(s.rc, 0);
	ck_assert_uint_eq(s.n, 0);
	ck_assert_str_eq(s.checksum, "e3b0c44298fc1c149afbf4c8996fb924"
				     "27ae41e4649b934ca495991b7852b855");
	split_free(&s);

	/* after the end (or an error) the reader keeps saying so */
	ldr_sqlreader *r = NULL;
	const char *sql;
	size_t len;
	unsigned line, col;
	ck_assert_int_eq(ldr_sqlreader_open_mem(&r, &ldr_dialect_sqlite,
						"SELECT 'x", 9, "m", NULL),
			 0);
	ck_assert_int_lt(ldr_sqlreader_next(r, &sql, &len, &line, &col), 0);
	ck_assert_int_lt(ldr_sqlreader_next(r, &sql, &len, &line, &col), 0);
	ldr_sqlreader_free(r);
	ck_assert_int_eq(ldr_sqlreader_open_mem(&r, &ldr_dialect_sqlite,
						"SELECT 1", 8, "m", NULL),
			 0);
	ck_assert_int_eq(ldr_sqlreader_next(r, &sql, &len, &line, &col), 1);
	ck_assert_str_eq(sql, "SELECT 1");
	ck_assert_int_eq(ldr_sqlreader_next(r, &sql, &len, &line, &col), 0);
	ck_assert_int_eq(ldr_sqlreader_next(r, &sql, &len, &line, &col), 0);
	ldr_sqlreader_free(r);
}
END_TEST

/* ------------------------------------------------------------- checksum */

START_TEST(test_checksum_vector)
{
	struct split s = split_str("SELECT 1;\n");
	ck_assert_str_eq(s.checksum, "b4e0497804e46e0a0b0b8c31975b0621"
				     "52d551bac49c3c2e80932567b4085dcd");
	split_free(&s);

	/* the checksum covers comments: editing one changes it */
	struct split a = split_str("-- a\nSELECT 1;\n");
	struct split b = split_str("-- b\nSELECT 1;\n");
	ck_assert_str_ne(a.checksum, b.checksum);
	split_free(&a);
	split_free(&b);
}
END_TEST

START_TEST(test_checksum_crlf)
{
	char *dir = tu_tmpdir();
	char *crlf = tu_write(dir, "crlf.sql",
			      "-- x\r\nSELECT 1;\r\nSELECT 'a\r\nb';\r\n");
	char *lf = tu_write(dir, "lf.sql", "-- x\nSELECT 1;\nSELECT 'a\nb';\n");
	struct split a = split_file(crlf);
	struct split b = split_file(lf);
	ck_assert_int_eq(a.rc, 0);
	ck_assert_uint_eq(a.n, 2);
	ck_assert_uint_eq(a.line[1], 3);
	ck_assert_uint_eq(b.n, 2);
	ck_assert_str_eq(a.checksum, b.checksum);
	split_free(&a);
	split_free(&b);

	/* a lone CR is kept */
	a = split_str("SELECT 1;\rSELECT 2;");
	b = split_str("SELECT 1;SELECT 2;");
	struct split c = split_str("SELECT 1;\nSELECT 2;");
	ck_assert_str_ne(a.checksum, b.checksum);
	ck_assert_str_ne(a.checksum, c.checksum);
	split_free(&a);
	split_free(&b);
	split_free(&c);
	/* a CR at the very end is kept */
	a = split_str("SELECT 1;\r");
	b = split_str("SELECT 1;");
	ck_assert_str_ne(a.checksum, b.checksum);
	split_free(&a);
	split_free(&b);
	/* in CR CR LF only the second CR goes */
	a = split_str("SELECT 1;\r\r\n");
	b = split_str("SELECT 1;\r\n");
	ck_assert_str_ne(a.checksum, b.checksum);
	split_free(&a);
	split_free(&b);

	free(crlf);
	free(lf);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* A file whose byte `at` is `a` and byte at+1 is `b`, padded with a
 * comment before; 65535 puts the pair across the first read boundary. */
static char *pair_at(size_t at, const char *pre, char a, char b, size_t *len)
{
	size_t n = at + 64;
	char *p = malloc(n);
	ck_assert_ptr_nonnull(p);
	memset(p, 'x', n);
	memcpy(p, pre, strlen(pre));
	p[at] = a;
	p[at + 1] = b;
	memcpy(p + n - 10, "\nSELECT 1;", 10);
	*len = n;
	return p;
}

START_TEST(test_checksum_chunk_boundary)
{
	char *dir = tu_tmpdir();
	const char pairs[][2] = {{'\r', '\n'}, {'\r', 'y'}, {'\r', '\r'}};
	for (size_t k = 0; k < 3; k++) {
		size_t len;
		char *data =
			pair_at(65535, "--", pairs[k][0], pairs[k][1], &len);
		char *path = write_bytes(dir, "edge.sql", data, len);
		struct split f = split_file(path);
		/* the same bytes behind a BOM: the pair no longer straddles
		 * the boundary of the memory reader's 64 KiB slices */
		char *shifted = malloc(len + 3);
		memcpy(shifted, "\xEF\xBB\xBF", 3);
		memcpy(shifted + 3, data, len);
		struct split m = split_mem(shifted, len + 3);
		ck_assert_int_eq(f.rc, 0);
		ck_assert_uint_eq(f.n, 1);
		ck_assert_msg(!strcmp(f.checksum, m.checksum),
			      "pair %zu: %s != %s", k, f.checksum, m.checksum);
		if (k == 0) {
			/* and equal to the LF twin */
			data[65535] = '\n';
			memmove(data + 65536, data + 65537, len - 65537);
			struct split t = split_mem(data, len - 1);
			ck_assert_str_eq(f.checksum, t.checksum);
			split_free(&t);
		}
		split_free(&f);
		split_free(&m);
		free(shifted);
		free(data);
		free(path);
	}
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* ----------------------------------------------------- chunk boundaries */

START_TEST(test_split_large_file)
{
	enum { N = 5000 };
	ldr_buf text = LDR_BUF_INIT;
	ck_assert_int_eq(ldr_buf_add(&text, "-- big\n", 7), 0);
	for (int i = 1; i <= N; i++)
		ck_assert_int_eq(
			ldr_buf_addf(
				&text,
				"INSERT INTO t VALUES (%d, 'a;b -- c /* d');"
				" /* ; */\n",
				i),
			0);
	ck_assert_uint_gt(text.len, 4 * 65536);
	char *dir = tu_tmpdir();
	char *path = write_bytes(dir, "big.sql", text.data, text.len);

	ldr_sqlreader *r = NULL;
	ck_assert_int_eq(ldr_sqlreader_open(&r, &ldr_dialect_sqlite, path,
					    "big.sql", NULL),
			 0);
	const char *sql;
	size_t len, n = 0;
	unsigned line = 0, col = 0;
	int rc;
	char want[96];
	while ((rc = ldr_sqlreader_next(r, &sql, &len, &line, &col)) == 1) {
		n++;
		snprintf(want, sizeof(want),
			 "INSERT INTO t VALUES (%zu, 'a;b -- c /* d');", n);
		ck_assert_str_eq(sql, want);
		ck_assert_uint_eq(line, n + 1);
		ck_assert_uint_eq(col, 1);
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(n, N);
	ck_assert_uint_eq(line, N + 1);
	char file_sum[LDR_CHECKSUM_HEX];
	ldr_sqlreader_checksum(r, file_sum);
	ldr_sqlreader_free(r);

	struct split m = split_mem(text.data, text.len);
	ck_assert_str_eq(file_sum, m.checksum);
	split_free(&m);

	/* the checksum does not depend on how far the caller read */
	ck_assert_int_eq(ldr_sqlreader_open(&r, &ldr_dialect_sqlite, path,
					    "big.sql", NULL),
			 0);
	ck_assert_int_eq(ldr_sqlreader_next(r, &sql, &len, &line, &col), 1);
	char early[LDR_CHECKSUM_HEX];
	ldr_sqlreader_checksum(r, early);
	ck_assert_str_eq(early, file_sum);
	ldr_sqlreader_free(r);

	ldr_buf_release(&text);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_unterminated_comment_opened_across_boundary)
{
	/* a statement's `/` ends the first 64 KiB, its `*` begins the next:
	 * the comment never ends, and the error names where it opened */
	size_t len;
	char *data = pair_at(65535, "\n\nSELECT ", '/', '*', &len);
	char *dir = tu_tmpdir();
	char *path = write_bytes(dir, "c.sql", data, len);
	struct split s = split_file(path);
	ck_assert_int_eq(s.rc, LADDER_EINVALID);
	const ladder_diag *e = tu_find_diag(s.diags, "sql-incomplete", 3,
					    "starting at line 3");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->column, 65535 - 2 + 1);
	split_free(&s);
	free(path);
	free(data);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_split_comment_at_boundary)
{
	/* a `--` split across the read boundary, then a statement */
	size_t len;
	char *data = pair_at(65535, "/*", '-', '-', &len);
	data[65533] = '*';
	data[65534] = '/';
	data[65537] = '\n';
	char *dir = tu_tmpdir();
	char *path = write_bytes(dir, "b.sql", data, len);
	struct split s = split_file(path);
	ck_assert_int_eq(s.rc, 0);
	ck_assert_uint_eq(s.n, 1);
	/* the tail "xxx...\nSELECT 1;": the x's are a statement's text */
	ck_assert_uint_eq(s.line[0], 2);
	ck_assert_uint_eq(s.col[0], 1);
	ck_assert_str_eq(s.sql[0] + strlen(s.sql[0]) - 10, "\nSELECT 1;");
	split_free(&s);
	free(path);
	free(data);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_scan_clean)
{
	char *dir = tu_tmpdir();
	char *path = tu_write(dir, "a.sql", "SELECT 1;\n");
	ladder_diags *d = NULL;
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ldr_sqlinfo info;
	ck_assert_int_eq(ldr_sqlfile_scan(path, "a.sql", 1, &info, d), 0);
	ck_assert_uint_eq(ladder_diags_count(d), 0);
	ck_assert_uint_eq(info.statements, 1);
	ck_assert_str_eq(info.checksum, "b4e0497804e46e0a0b0b8c31975b0621"
					"52d551bac49c3c2e80932567b4085dcd");
	ladder_diags_free(d);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_scan_empty)
{
	const char *bodies[] = {"", "-- just a header\n/* and */\n\n", ";\n;;"};
	char *dir = tu_tmpdir();
	for (size_t i = 0; i < 3; i++) {
		char *path = tu_write(dir, "sql/0004_x.sql", bodies[i]);
		ladder_diags *d = NULL;
		ck_assert_int_eq(ladder_diags_new(&d), 0);
		ldr_sqlinfo info;
		ck_assert_int_eq(
			ldr_sqlfile_scan(path, "sql/0004_x.sql", 0, &info, d),
			0);
		ck_assert_uint_eq(info.statements, 0);
		/* a warning (issue 15): the step changes nothing */
		ck_assert_uint_eq(ladder_diags_errors(d), 0);
		ck_assert_uint_eq(ladder_diags_count(d), 1);
		ck_assert_int_eq(ladder_diags_get(d, 0)->severity,
				 LADDER_SEV_WARNING);
		ck_assert_diag(d, "sql-empty", 0,
			       "'sql/0004_x.sql' holds no SQL statement");
		ladder_diags_free(d);
		free(path);
	}
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_scan_errors)
{
	char *dir = tu_tmpdir();
	char missing[4096];
	snprintf(missing, sizeof(missing), "%s/missing.sql", dir);
	ladder_diags *d = NULL;
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ldr_sqlinfo info;
	ck_assert_int_eq(ldr_sqlfile_scan(missing, "sql/gone.sql", 1, &info, d),
			 LADDER_EIO);
	ck_assert_diag(d, "file", 0, "cannot open 'sql/gone.sql': ");
	ladder_diags_free(d);

	/* a directory opens but cannot be read */
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(ldr_sqlfile_scan(dir, "sql", 1, &info, d), LADDER_EIO);
	ck_assert_diag(d, "file", 0, "cannot read 'sql'");
	ladder_diags_free(d);

	/* an unterminated string: one error, not also "empty" */
	char *path = tu_write(dir, "u.sql", "\n\nSELECT 'oops;\n");
	ck_assert_int_eq(ladder_diags_new(&d), 0);
	ck_assert_int_eq(ldr_sqlfile_scan(path, "u.sql", 1, &info, d),
			 LADDER_EINVALID);
	ck_assert_uint_eq(ladder_diags_errors(d), 1);
	ck_assert_diag(d, "sql-incomplete", 3, "unterminated string literal");
	ladder_diags_free(d);

	/* NULL out is allowed */
	ck_assert_int_eq(ldr_sqlfile_scan(path, "u.sql", 0, NULL, NULL),
			 LADDER_EINVALID);

	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sqlreader");
	TCase *tc = tcase_create("split");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_split_cases, 0,
			    sizeof(split_cases) / sizeof(*split_cases));
	tcase_add_test(tc, test_split_nul_byte);
	tcase_add_test(tc, test_split_bom);
	tcase_add_test(tc, test_split_bom_trickled);
	tcase_add_test(tc, test_mem_reader);
	tcase_add_test(tc, test_split_large_file);
	tcase_add_test(tc, test_split_comment_at_boundary);
	tcase_add_test(tc, test_unterminated_comment_opened_across_boundary);
	suite_add_tcase(s, tc);

	tc = tcase_create("checksum");
	tcase_add_test(tc, test_checksum_vector);
	tcase_add_test(tc, test_checksum_crlf);
	tcase_add_test(tc, test_checksum_chunk_boundary);
	suite_add_tcase(s, tc);

	tc = tcase_create("scan");
	tcase_add_test(tc, test_scan_clean);
	tcase_add_test(tc, test_scan_empty);
	tcase_add_test(tc, test_scan_errors);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
