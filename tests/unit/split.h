/* split.h — what the reader's and the dialects' unit tests share: a
 * reader drained into its statements. */
#ifndef LADDER_TEST_SPLIT_H
#define LADDER_TEST_SPLIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dialect.h"
#include "testutil.h"

#define MAX_STMTS 32

/* Every statement a reader returned, and how it ended. */
struct split {
	int rc; /* 0 at the end, negative on an error */
	size_t n;
	char *sql[MAX_STMTS];
	unsigned line[MAX_STMTS], col[MAX_STMTS];
	char checksum[LDR_CHECKSUM_HEX];
	ladder_diags *diags;
};

static inline void drain(ldr_sqlreader *r, struct split *s)
{
	const char *sql;
	size_t len;
	unsigned line, col;
	while ((s->rc = ldr_sqlreader_next(r, &sql, &len, &line, &col)) == 1) {
		ck_assert_uint_eq(strlen(sql), len);
		if (s->n < MAX_STMTS) {
			s->sql[s->n] = strdup(sql);
			s->line[s->n] = line;
			s->col[s->n] = col;
		}
		s->n++;
	}
	ldr_sqlreader_checksum(r, s->checksum);
}

/* Splits `len` bytes held in memory. */
static inline struct split split_mem(const char *data, size_t len)
{
	struct split s = {0};
	ck_assert_int_eq(ladder_diags_new(&s.diags), 0);
	ldr_sqlreader *r = NULL;
	ck_assert_int_eq(ldr_sqlreader_open_mem(&r, &ldr_dialect_sqlite, data,
						len, "mem.sql", s.diags),
			 0);
	drain(r, &s);
	ldr_sqlreader_free(r);
	return s;
}

static inline struct split split_str(const char *text)
{
	return split_mem(text, strlen(text));
}

/* Splits the file at `path`. */
static inline struct split split_file(const char *path)
{
	struct split s = {0};
	ck_assert_int_eq(ladder_diags_new(&s.diags), 0);
	ldr_sqlreader *r = NULL;
	ck_assert_int_eq(ldr_sqlreader_open(&r, &ldr_dialect_sqlite, path,
					    "f.sql", s.diags),
			 0);
	drain(r, &s);
	ldr_sqlreader_free(r);
	return s;
}

static inline void split_free(struct split *s)
{
	for (size_t i = 0; i < s->n && i < MAX_STMTS; i++)
		free(s->sql[i]);
	ladder_diags_free(s->diags);
}

static inline void expect_stmt(const struct split *s, size_t i, const char *sql,
			       unsigned line, unsigned col)
{
	ck_assert_uint_gt(s->n, i);
	ck_assert_str_eq(s->sql[i], sql);
	ck_assert_uint_eq(s->line[i], line);
	ck_assert_uint_eq(s->col[i], col);
}

/* Writes `len` bytes to dir/name; returns the path (caller frees). */
static inline char *write_bytes(const char *dir, const char *name,
				const char *data, size_t len)
{
	char *path = tu_write(dir, name, "");
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

#endif
